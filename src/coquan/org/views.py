"""Org pages: switching the active agency (more in views for units and staff)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from coquan.org.active import set_active_agency
from coquan.org.models import Agency


@login_required
@require_POST
def switch_agency(request):
    """Make another of the person's agencies the active one."""
    try:
        wanted = int(request.POST.get("agency", ""))
    except ValueError:
        raise Http404 from None
    agency = Agency.objects.member_of(request.user).filter(pk=wanted).first()
    if agency is None:
        raise Http404
    set_active_agency(request, agency)
    target = request.POST.get("next") or request.headers.get("Referer") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
