"""Helpers shared by the registry pages.

Register pages work on the registers of the person's **active agency** (switched in the
header); pages about one object fetch it through ``visible_to`` (404 for another agency's
objects) and check the editing role in the object's agency (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.org.active import active_agency
from coquan.registry.models.indicators import MAX_YEAR, MIN_YEAR
from coquan.registry.permissions import can_edit, can_view


def registry_agency(request):
    """The agency whose registers the page shows: ``?agency=<id>`` (one of the person's
    agencies, else 404) or the active agency; 403 for people without a membership."""
    wanted = request.GET.get("agency")
    if wanted:
        from coquan.org.models import Agency

        try:
            wanted_id = int(wanted)
        except ValueError:
            raise Http404 from None
        agencies = (
            Agency.objects.all()
            if request.user.is_superuser
            else (Agency.objects.member_of(request.user))
        )
        agency = agencies.filter(pk=wanted_id).first()
        if agency is None:
            raise Http404
    else:
        agency = active_agency(request)
    if not can_view(request.user, agency):
        raise PermissionDenied(_("You are not a member of an agency that keeps a registry."))
    return agency


def require_edit(request, agency) -> None:
    if not can_edit(request.user, agency):
        raise PermissionDenied(_("Only the agency's officers and leaders may change the registry."))


def style_filter_form(filterset):
    """Bootstrap classes on a FilterSet's form widgets (labels stay visible)."""
    from django import forms

    for field in filterset.form.fields.values():
        widget = field.widget
        css = (
            "form-select form-select-sm"
            if isinstance(widget, forms.Select)
            else ("form-control form-control-sm")
        )
        widget.attrs.setdefault("class", css)
    return filterset


def year_param(request, default: int | None = None) -> int:
    """``?year=`` when it is a sensible year, else ``default`` (last year)."""
    fallback = default or timezone.localdate().year - 1
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return fallback
    return year if MIN_YEAR <= year <= MAX_YEAR else fallback
