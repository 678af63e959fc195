"""Who may take which step on an outgoing document.

Roles come from the person's active membership in the document's agency
(``core.access.roles_in``; a superuser gets no implicit document role); involvement comes
from the document (drafter, signer) and from the pending tasks of its chain.
``OutgoingAccess`` answers for one person and one document and caches what it looked up,
so a detail page asks every question for a constant number of queries.

| Step | Who |
|---|---|
| change the draft | the drafter; the holder of a pending review, form-check or approval task |
| send for review, withdraw | the drafter |
| ask for opinions | the drafter; the holder of a pending review or approval task |
| review / opinion / form check / approve | the holder of the pending task of that kind |
| send back | the holder of a pending review, form-check or approval task |
| sign | the signer (a leader of the agency) |
| number and issue | a clerk of the agency |
| recall | a clerk or a leader of the agency |
| update / replace | the original's drafter, a leader, a unit leader of the drafting unit |
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import roles_in
from coquan.documents import outgoing_workflow as workflow
from coquan.documents.choices import TaskKind, TaskState

#: Steps and the task kinds whose pending holder may take them.
TASK_STEPS = {
    "review": (TaskKind.REVIEW,),
    "opinion": (TaskKind.OPINION,),
    "check": (TaskKind.FORM_CHECK,),
    "approve": (TaskKind.APPROVAL,),
    "reject": (TaskKind.REVIEW, TaskKind.FORM_CHECK, TaskKind.APPROVAL),
    "edit": (TaskKind.REVIEW, TaskKind.FORM_CHECK, TaskKind.APPROVAL),
    "request_opinions": (TaskKind.REVIEW, TaskKind.APPROVAL),
}


class OutgoingAccess:
    """The answers for ``user`` on an outgoing ``document``: roles, tasks, allowed steps."""

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
        """``visible_to``'s rule for this document; the role-only cases without a query."""
        from coquan.documents.choices import ISSUED_OUTGOING, OutgoingStatus, Secrecy
        from coquan.documents.models import OutgoingDocument

        document = self.document
        if self.roles and (
            self.is_drafter
            or (self.is_clerk and document.status in (OutgoingStatus.SIGNED, *ISSUED_OUTGOING))
            or (
                document.status in ISSUED_OUTGOING
                and document.secrecy == Secrecy.NONE
                and self.roles & {"clerk", "leader", "admin"}
            )
        ):
            return True
        return OutgoingDocument.objects.visible_to(self.user).filter(pk=document.pk).exists()

    @cached_property
    def pending_tasks(self) -> list:
        """The pending tasks of the current round that this person may complete."""
        from coquan.documents.models import ChainTask

        if not getattr(self.user, "is_authenticated", False):
            return []
        mine = Q(assignee_user_id=self.user.pk) | Q(assignee_unit_id__in=self.unit_ids)
        if self.is_clerk:
            mine |= Q(pool_role="clerk")
        return list(
            ChainTask.objects.filter(
                document_id=self.document.pk, round=self.document.round, state=TaskState.PENDING
            ).filter(mine)
        )

    def task_for(self, *kinds: str):
        """This person's pending task of one of ``kinds`` (a named task before a pool one)."""
        tasks = [task for task in self.pending_tasks if task.kind in kinds]
        tasks.sort(key=lambda task: (task.pool_role != "", task.assignee_unit_id is not None))
        return tasks[0] if tasks else None

    @property
    def is_clerk(self) -> bool:
        return "clerk" in self.roles

    @property
    def is_leader(self) -> bool:
        return "leader" in self.roles

    @property
    def is_drafter(self) -> bool:
        return self.document.drafter_id == getattr(self.user, "pk", None)

    @property
    def is_signer(self) -> bool:
        return self.document.signer_id == getattr(self.user, "pk", None) and self.is_leader

    # --- Steps ---------------------------------------------------------------------------------

    def can_edit(self) -> bool:
        return self.is_drafter or self.task_for(*TASK_STEPS["edit"]) is not None

    def can_submit(self) -> bool:
        return self.is_drafter

    def can_withdraw(self) -> bool:
        return self.is_drafter

    def can_request_opinions(self) -> bool:
        return self.is_drafter or self.task_for(*TASK_STEPS["request_opinions"]) is not None

    def can_review(self) -> bool:
        return self.task_for(TaskKind.REVIEW) is not None

    def can_opinion(self) -> bool:
        return self.task_for(TaskKind.OPINION) is not None

    def can_check(self) -> bool:
        return self.task_for(TaskKind.FORM_CHECK) is not None

    def can_approve(self) -> bool:
        return self.task_for(TaskKind.APPROVAL) is not None

    def can_reject(self) -> bool:
        return self.task_for(*TASK_STEPS["reject"]) is not None

    def can_sign(self) -> bool:
        return self.is_signer

    def can_issue(self) -> bool:
        return self.is_clerk

    def can_recall(self) -> bool:
        return self.is_clerk or self.is_leader

    def can_revise(self) -> bool:
        """The issuing agency's people who may draft an update or a replacement."""
        if not {"officer", "unit_leader", "leader"} & self.roles:
            return False
        return (
            self.is_drafter
            or self.is_leader
            or (
                "unit_leader" in self.roles
                and self.document.drafting_unit_id is not None
                and self.document.drafting_unit_id in self.unit_ids
            )
        )

    STEPS = (
        "edit",
        "submit",
        "request_opinions",
        "review",
        "opinion",
        "check",
        "approve",
        "reject",
        "sign",
        "issue",
        "recall",
        "revise",
        "withdraw",
    )

    def available(self) -> set[str]:
        """The steps this person may take now (role/involvement and status both allow)."""
        return {
            name
            for name in self.STEPS
            if workflow.is_allowed(self.document, name) and getattr(self, f"can_{name}")()
        }

    def require(self, step: str) -> None:
        """``PermissionDenied`` unless the person may see the document and take ``step``."""
        if not self.can_see:
            raise PermissionDenied(_("You cannot see this document."))
        if not getattr(self, f"can_{step}")():
            raise PermissionDenied(_("You may not do this on this document."))


def can_draft(user, agency) -> bool:
    """Officers, unit leaders and leaders of the agency draft outgoing documents (Art. 10)."""
    return bool({"officer", "unit_leader", "leader"} & roles_in(user, agency))


def can_manage_series(user, agency) -> bool:
    """The agency's administrators configure numbering series (for the head, Art. 15)."""
    return "admin" in roles_in(user, agency)
