"""Who may take which step on an incoming document.

Roles come from the person's active membership in the document's agency
(``core.access.roles_in``; a superuser gets no implicit document role); involvement
comes from the document's current state and its current assignment round.
``DocumentAccess`` answers for one person and one document and caches what it looked up,
so a detail page asks every question for a constant number of queries. Actions raise
``PermissionDenied`` through ``require``; templates show only the forms whose ``can_*``
answer is true (and whose transition the workflow allows).
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import roles_in
from coquan.documents import workflow
from coquan.documents.choices import AssignmentRole, StepKind


class DocumentAccess:
    """The answers for ``user`` on ``document``: roles, involvement, allowed steps."""

    def __init__(self, user, document):
        self.user = user
        self.document = document

    # --- Facts -------------------------------------------------------------------------------

    @cached_property
    def roles(self) -> set[str]:
        return roles_in(self.user, self.document.agency_id)

    @cached_property
    def unit_ids(self) -> set[int]:
        from coquan.org.models import Membership

        if not getattr(self.user, "is_authenticated", False):
            return set()
        return set(
            Membership.objects.active_on(timezone.localdate())
            .filter(user_id=self.user.pk, agency_id=self.document.agency_id, unit__isnull=False)
            .values_list("unit_id", flat=True)
        )

    @cached_property
    def can_see(self) -> bool:
        from coquan.documents.models import IncomingDocument

        return IncomingDocument.objects.visible_to(self.user).filter(pk=self.document.pk).exists()

    @cached_property
    def current_round_roles(self) -> set[str]:
        """The parts (lead, co-handler, for-info) the person plays in the current round."""
        from django.db.models import Q

        document = self.document
        return set(
            document.steps.filter(kind=StepKind.ASSIGNED, round=document.assignment_round)
            .filter(Q(user_id=self.user.pk) | Q(unit_id__in=self.unit_ids))
            .values_list("role", flat=True)
        )

    @property
    def is_clerk(self) -> bool:
        return "clerk" in self.roles

    @property
    def is_leader(self) -> bool:
        return "leader" in self.roles

    @property
    def is_unit_leader_of_lead_unit(self) -> bool:
        doc = self.document
        return (
            "unit_leader" in self.roles
            and doc.lead_unit_id is not None
            and doc.lead_unit_id in self.unit_ids
        )

    @property
    def is_lead_handler(self) -> bool:
        doc = self.document
        if doc.lead_user_id is not None:
            return doc.lead_user_id == self.user.pk
        return doc.lead_unit_id is not None and doc.lead_unit_id in self.unit_ids

    @property
    def is_presented_leader(self) -> bool:
        return self.document.presented_to_id == self.user.pk and self.is_leader

    # --- Steps ---------------------------------------------------------------------------------

    def can_present(self) -> bool:
        return self.is_clerk

    def can_assign(self) -> bool:
        return self.is_leader or self.is_unit_leader_of_lead_unit

    def can_start(self) -> bool:
        return self.is_lead_handler or self.is_leader

    def can_complete(self) -> bool:
        return self.is_lead_handler or self.is_leader

    def can_opinion(self) -> bool:
        return (
            self.is_lead_handler
            or self.is_leader
            or self.is_unit_leader_of_lead_unit
            or AssignmentRole.CO_HANDLER in self.current_round_roles
        )

    def can_reopen(self) -> bool:
        return self.is_leader

    def can_return(self) -> bool:
        return self.is_leader or self.is_lead_handler or self.is_unit_leader_of_lead_unit

    def can_refuse(self) -> bool:
        return self.is_clerk

    def can_add_file(self) -> bool:
        return self.is_clerk or self.is_lead_handler

    def available(self) -> set[str]:
        """The steps this person may take now (role/involvement and status both allow)."""
        checks = {
            "present": self.can_present,
            "assign": self.can_assign,
            "start": self.can_start,
            "opinion": self.can_opinion,
            "add_file": self.can_add_file,
            "complete": self.can_complete,
            "reopen": self.can_reopen,
            "return": self.can_return,
            "refuse": self.can_refuse,
        }
        return {
            name
            for name, check in checks.items()
            if workflow.is_allowed(self.document, name) and check()
        }

    def require(self, step: str) -> None:
        """``PermissionDenied`` unless the person may see the document and take ``step``."""
        if not self.can_see:
            raise PermissionDenied(_("You cannot see this document."))
        if not getattr(self, f"can_{step}")():
            raise PermissionDenied(_("You may not do this on this document."))


def can_register(user, agency) -> bool:
    """Only the agency's clerks register incoming documents (Decree 30/2020 Art. 22).

    Document work needs a real role in the agency: a deployment superuser without a clerk
    membership does not register documents.
    """
    return "clerk" in roles_in(user, agency)
