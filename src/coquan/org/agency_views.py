"""Agency pages for deployment administrators (superusers): list, create, edit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coquan.core.access import get_visible_or_404
from coquan.core.views import paginate, submit_action
from coquan.org import actions
from coquan.org.forms import AgencyForm
from coquan.org.models import Agency
from coquan.org.views import posted


def _require_superuser(request) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only deployment administrators may manage agencies."))


@login_required
def agency_list(request):
    """All agencies of the deployment, searchable by name, short name or identifier."""
    _require_superuser(request)
    agencies = Agency.objects.visible_to(request.user).select_related("parent")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        agencies = agencies.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(organ_id__icontains=query)
        )
    page, keep = paginate(request, agencies.order_by("organ_id"))
    return render(request, "org/agency_list.html", {"page": page, "keep": keep, "q": query})


@login_required
def agency_create(request):
    _require_superuser(request)
    form = AgencyForm(posted(request), user=request.user)
    done = submit_action(
        request,
        form,
        lambda: actions.create_agency(request.user, **form.cleaned_data),
        success=lambda agency: _("The agency %(name)s was created.") % {"name": agency.name},
        then=lambda agency: redirect("org:agency_list"),
    )
    if done:
        return done
    return render(request, "org/agency_form.html", {"form": form, "title": _("New agency")})


@login_required
def agency_edit(request, pk):
    _require_superuser(request)
    agency = get_visible_or_404(Agency, request.user, pk=pk)
    initial = {name: getattr(agency, name) for name in actions.AGENCY_FIELDS}
    form = AgencyForm(posted(request), initial=initial, user=request.user, agency=agency)
    done = submit_action(
        request,
        form,
        lambda: actions.update_agency(request.user, agency=agency, **form.cleaned_data),
        success=lambda result: _("The agency %(name)s was saved.") % {"name": agency.name},
        then=lambda result: redirect("org:agency_list"),
    )
    if done:
        return done
    return render(
        request,
        "org/agency_form.html",
        {
            "form": form,
            "agency": agency,
            "title": _("Edit agency %(name)s") % {"name": agency.name},
        },
    )
