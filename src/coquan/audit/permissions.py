"""Who may read the audit log and run the chain check.

Agency administrators (role ``admin``) read their own agencies' entries; superusers (the
deployment's administrators) read everything and may run ``verify`` from the UI.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from coquan.core.access import agencies_with_role


def can_browse(user) -> bool:
    """True for superusers and for anyone holding the ``admin`` role in some agency."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or agencies_with_role(user, "admin"))


def require_browse(user) -> None:
    if not can_browse(user):
        raise PermissionDenied(_("Only agency administrators may read the audit log."))


def require_verify(actor, **kwargs) -> None:
    """Permission of ``record_chain_verification`` and of the "Verify chain" button."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only system administrators may verify the audit chain."))


def administered_agencies(user):
    """Agencies whose log the person may read (all of them for superusers)."""
    from coquan.org.models import Agency

    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=agencies_with_role(user, "admin"))


def scoped_entries(user, agency_param: str | None = None):
    """The entries ``user`` may read, narrowed to one agency when ``agency_param`` names one.

    Starts from ``AuditEntry.objects.visible_to(user)``. Refuses (403) people who
    administer no agency; an ``agency_param`` that is not a number or names an agency the
    person does not administer answers 404, so other agencies' existence does not leak.
    """
    from coquan.audit.models import AuditEntry

    require_browse(user)
    entries = AuditEntry.objects.visible_to(user)
    if agency_param in (None, ""):
        return entries, None
    try:
        agency_id = int(agency_param)
    except (TypeError, ValueError):
        raise Http404(_("Not found.")) from None
    if not user.is_superuser and agency_id not in agencies_with_role(user, "admin"):
        raise Http404(_("Not found."))
    return entries.for_agency(agency_id), agency_id
