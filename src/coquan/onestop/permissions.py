"""Who may do what in the one-stop shop.

- the catalogue: read by every member of the agency, written by its administrators
  (role ``admin``);
- the desk (role ``desk_officer``): receives, forwards an accepted dossier to the first
  step, records the completed dossier after a supplement request, returns results;
- handlers: the person a dossier is handed to, or when nobody is named the officers of the
  unit it is handed to; that unit's leaders and the agency's leaders may act for them.
  Handlers forward, return, request a supplement, extend, stop and approve.

``DossierAccess`` answers for one person and one dossier and caches what it looked up, so a
detail page asks every question for a constant number of queries. Actions call
``require``; templates show only the forms whose ``can`` answer is true.
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import has_role
from coquan.onestop.choices import DossierStatus

DESK_STEPS = frozenset(
    {"resubmit", "return_result", "accept_online", "return_online", "refuse_online"}
)
HANDLER_STEPS = frozenset(
    {"return", "request_supplement", "stop", "approve", "extend", "request_fees"}
)


def can_manage_procedures(user, agency) -> bool:
    return agency is not None and has_role(user, agency, "admin")


def require_procedure_admin(user, agency) -> None:
    if not can_manage_procedures(user, agency):
        raise PermissionDenied(
            _("Only the agency's administrators manage the procedure catalogue.")
        )


def can_receive(user, agency) -> bool:
    return agency is not None and has_role(user, agency, "desk_officer")


def require_desk(user, agency) -> None:
    if not can_receive(user, agency):
        raise PermissionDenied(_("Only the agency's one-stop desk officers receive dossiers."))


class DossierAccess:
    """The answers for ``user`` on ``dossier``."""

    def __init__(self, user, dossier):
        self.user = user
        self.dossier = dossier

    @cached_property
    def is_desk(self) -> bool:
        return has_role(self.user, self.dossier.agency_id, "desk_officer")

    @cached_property
    def is_leader(self) -> bool:
        return has_role(self.user, self.dossier.agency_id, "leader")

    @cached_property
    def unit_roles(self) -> set[tuple[int, str]]:
        """{(unit id, role)} of the person's active memberships in the dossier's agency."""
        from coquan.org.models import Membership

        if not getattr(self.user, "is_authenticated", False):
            return set()
        rows = (
            Membership.objects.active_on(timezone.localdate())
            .filter(
                user_id=self.user.pk,
                agency_id=self.dossier.agency_id,
                unit__isnull=False,
                roles__code__in=("officer", "unit_leader"),
            )
            .values_list("unit_id", "roles__code")
        )
        return set(rows)

    @property
    def is_handler(self) -> bool:
        """The person may act on the step the dossier is at."""
        dossier = self.dossier
        if not getattr(self.user, "is_authenticated", False):
            return False
        if dossier.assignee_user_id == self.user.pk or self.is_leader:
            return True
        unit = dossier.assignee_unit_id
        if unit is None:
            return False
        if (unit, "unit_leader") in self.unit_roles:
            return True
        return dossier.assignee_user_id is None and (unit, "officer") in self.unit_roles

    def can(self, name: str) -> bool:
        """Whether the person may take the step ``name`` (the workflow decides separately
        whether the status allows it)."""
        if name == "forward":
            if self.dossier.status == DossierStatus.ACCEPTED:
                return self.is_desk
            return self.is_handler
        if name == "record_payment":
            return self.is_desk or self.is_handler
        if name in DESK_STEPS:
            return self.is_desk
        if name in HANDLER_STEPS:
            return self.is_handler
        return False

    def require(self, name: str) -> None:
        if not self.can(name):
            if name in DESK_STEPS or (
                name == "forward" and self.dossier.status == DossierStatus.ACCEPTED
            ):
                raise PermissionDenied(_("Only the one-stop desk officers take this step."))
            raise PermissionDenied(
                _("Only the person or unit the dossier is handed to, or a leader, takes this step.")
            )
