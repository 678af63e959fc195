"""Who may change the organisation tree (used by the org actions and views).

- An agency's units, positions and people are managed by its administrators (role
  ``admin``); deployment administrators (superusers) may act everywhere.
- Agencies themselves (the tenant roots) are created and edited by deployment
  administrators only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from coquan.core.access import has_role, require_role
from coquan.org.choices import RoleCode


def target_agency(kwargs: dict):
    """The agency an org action works on, from its keyword arguments."""
    if kwargs.get("agency") is not None:
        return kwargs["agency"]
    for key in ("unit", "position", "membership"):
        obj = kwargs.get(key)
        if obj is not None:
            return obj.agency
    return None


def require_agency_admin(actor, **kwargs) -> None:
    """Permission of the org actions: the actor administers the target agency."""
    agency = target_agency(kwargs)
    if agency is None:
        raise PermissionDenied(_("You do not have the role needed for this action."))
    require_role(actor, agency, RoleCode.ADMIN)


def require_superuser(actor, **kwargs) -> None:
    """Permission of the agency actions: deployment administrators only."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_superuser):
        raise PermissionDenied(_("Only deployment administrators may manage agencies."))


def can_manage(user, agency) -> bool:
    """True when ``user`` may manage the units, positions and people of ``agency``."""
    return agency is not None and has_role(user, agency, RoleCode.ADMIN)
