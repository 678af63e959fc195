"""The agency a person is working in now (the "active agency").

The active agency is kept in the session (switched in the UI); an API client may name it
per request with the ``X-Agency`` header (an ``organ_id``). It must be an agency where the
person has an active membership; otherwise the first such agency (by ``organ_id``) is used.
Works with Django and DRF requests; the result is cached on the request.
"""

from __future__ import annotations

import contextlib

SESSION_KEY = "active_agency_id"


def active_agency(request):
    from coquan.core.access import member_agencies
    from coquan.org.models import Agency

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(request, "_coquan_active_agency", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    allowed = member_agencies(user)
    agency = None
    wanted_organ = request.headers.get("X-Agency") if hasattr(request, "headers") else None
    if wanted_organ:
        agency = Agency.objects.filter(organ_id=wanted_organ, pk__in=allowed).first()
    if agency is None:
        session = getattr(request, "session", None)
        wanted = session.get(SESSION_KEY) if session is not None else None
        if wanted in allowed:
            agency = Agency.objects.filter(pk=wanted).first()
    if agency is None and allowed:
        agency = Agency.objects.filter(pk__in=allowed).order_by("organ_id").first()
    with contextlib.suppress(AttributeError):
        request._coquan_active_agency = (user.pk, agency)
    return agency


def set_active_agency(request, agency) -> None:
    request.session[SESSION_KEY] = agency.pk
    if hasattr(request, "_coquan_active_agency"):
        del request._coquan_active_agency
