"""Helpers shared by the one-stop pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from coquan.core.access import member_agencies
from coquan.org.active import active_agency

PAGE_SIZE = 25


def scoped_agency(request):
    """The agency of a page: ``?agency=<id>`` (one of the person's agencies, else 404) or
    the active agency."""
    from coquan.org.models import Agency

    wanted = request.GET.get("agency")
    if wanted:
        try:
            wanted_id = int(wanted)
        except ValueError:
            raise Http404 from None
        if wanted_id not in member_agencies(request.user):
            raise Http404
        return Agency.objects.get(pk=wanted_id)
    return active_agency(request)


def apply_errors(form, exc: ValidationError, aliases: dict | None = None) -> None:
    """Show an action's ``ValidationError`` on the fields of ``form`` it names (``aliases``
    maps an action's argument to the form field that holds it)."""
    aliases = aliases or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = aliases.get(field, field)
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def keep_query(request, *drop: str) -> str:
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()
