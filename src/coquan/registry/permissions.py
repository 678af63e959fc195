"""Who may read and change the sector registry.

- A register belongs to the agency that keeps it (tenant = agency). **Reading**: every active
  member of that agency (any role, or none), and deployment administrators.
- **Editing** (issuing and changing licences, BTS stations, internet agents, inspections,
  appraisals, indicator values and plans, importing files): members holding one of
  ``EDITOR_ROLES`` in that agency — ``admin``, ``leader``, ``unit_leader``, ``officer``.
  Clerks and one-stop desk officers read only. Superusers may edit everywhere.
- **Indicator definitions** are shared by every agency: only deployment administrators
  (superusers) define or change them.
- **The public licence register** needs no sign-in; it lists valid licences with harmless
  columns only (organisation holders' names; person holders withheld; no ID numbers).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from coquan.core.access import has_role, is_member
from coquan.org.choices import RoleCode

EDITOR_ROLES = (RoleCode.ADMIN, RoleCode.LEADER, RoleCode.UNIT_LEADER, RoleCode.OFFICER)

#: Keyword arguments of registry actions that carry the object acted on.
_OBJECT_KEYS = (
    "licence",
    "station",
    "agent",
    "inspection",
    "finding",
    "violation",
    "appraisal",
    "plan",
)


def can_view(user, agency) -> bool:
    """True when ``user`` may read the registers of ``agency``."""
    if agency is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or is_member(user, agency))


def can_edit(user, agency) -> bool:
    """True when ``user`` may change the registers of ``agency`` (see the module doc)."""
    return agency is not None and has_role(user, agency, *EDITOR_ROLES)


def editor_addresses(agency_ids, day=None) -> dict[int, list[str]]:
    """{agency id: e-mail addresses of its registry editors} — the people ``can_edit`` lets
    change the agency's registers through a membership (active on ``day``, holding one of
    ``EDITOR_ROLES``), whose account is active and has an address. Deployment
    administrators are not members and get none. One query for any number of agencies."""
    from django.utils import timezone

    from coquan.org.models import Membership

    rows = (
        Membership.objects.active_on(day or timezone.localdate())
        .filter(agency_id__in=list(agency_ids), roles__code__in=EDITOR_ROLES, user__is_active=True)
        .exclude(user__email="")
        .values_list("agency_id", "user__email")
        .order_by()
        .distinct()
    )
    found: dict[int, dict[str, str]] = {}
    for agency_id, email in rows:
        if email.strip():
            found.setdefault(agency_id, {}).setdefault(email.strip().lower(), email.strip())
    return {agency_id: sorted(emails.values()) for agency_id, emails in found.items()}


def target_agency(kwargs: dict):
    """The agency a registry action works on, from its keyword arguments."""
    if kwargs.get("agency") is not None:
        return kwargs["agency"]
    for key in _OBJECT_KEYS:
        obj = kwargs.get(key)
        if obj is not None:
            return obj.agency
    return None


def require_editor(actor, **kwargs) -> None:
    """Permission of the registry actions: the actor edits the target agency's registers."""
    if not can_edit(actor, target_agency(kwargs)):
        raise PermissionDenied(_("Only the agency's officers and leaders may change the registry."))


def require_superuser(actor, **kwargs) -> None:
    """Permission of ``define_indicator``: deployment administrators only."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_superuser):
        raise PermissionDenied(_("Only deployment administrators may define indicators."))


def require_system(actor, **kwargs) -> None:
    """Permission of system actions run by the scheduler (``actor`` None) or a superuser."""
    if actor is None:
        return
    if not (getattr(actor, "is_authenticated", False) and actor.is_superuser):
        raise PermissionDenied(_("Only the system may run this action."))
