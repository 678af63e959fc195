"""Scoped querysets of outgoing documents: every list starts from ``visible_to(user)``.

Who sees an outgoing document (DESIGN.md §5; issue 4):

- a document that is not issued yet (a draft in any state, or signed and waiting for its
  number) is visible to **the people on its chain** — the drafter, everyone a chain task
  names (the unit leader who reviews, people asked for an opinion and the members of units
  asked for one, the form checker, the signer), every clerk of the agency when the form
  check is left to any clerk — and to **the leaders of the drafting unit**
  (``unit_leader`` members of that unit);
- from ``signed`` on, the agency's **clerks** (they number, seal and issue it);
- an **issued or recalled** document additionally to the members holding the clerk, leader
  or admin role in the agency (not for secret documents) and to the units and people of
  the agency it was sent to internally;
- superusers (deployment operators) see issued non-secret documents of every agency.

All of this is one SQL query with ``EXISTS``/``IN`` subqueries, so it can be counted,
paginated and combined with filters without loading anything into Python.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q

from coquan.documents.choices import (
    ISSUED_OUTGOING,
    OutgoingStatus,
    Secrecy,
    TaskKind,
    TaskState,
)
from coquan.documents.querysets import OVERSEEING_ROLES, _active_memberships, user_unit_ids

#: Statuses listed in "my drafts": everything the drafter still follows before issue.
OPEN_DRAFT_STATUSES = (
    OutgoingStatus.DRAFT,
    OutgoingStatus.RETURNED,
    OutgoingStatus.IN_REVIEW,
    OutgoingStatus.APPROVED,
    OutgoingStatus.SIGNED,
)


def clerk_agency_ids(user):
    """Subquery: agencies where ``user`` holds the clerk role."""
    return _active_memberships(user).filter(roles__code="clerk").values("agency_id")


def led_unit_ids(user):
    """Subquery: units where ``user`` is a member holding the unit leader role."""
    return (
        _active_memberships(user)
        .filter(roles__code="unit_leader", unit__isnull=False)
        .values("unit_id")
    )


def _task_for(user) -> Q:
    """Condition on ``ChainTask`` rows naming ``user``: in person, their unit, or the pool."""
    return (
        Q(assignee_user_id=user.pk)
        | Q(assignee_unit_id__in=user_unit_ids(user))
        | Q(pool_role="clerk", document__agency_id__in=clerk_agency_ids(user))
    )


def q_on_chain(user) -> Q:
    from coquan.documents.models import ChainTask

    return Q(Exists(ChainTask.objects.filter(document=OuterRef("pk")).filter(_task_for(user))))


def q_received_by(user) -> Q:
    from coquan.documents.models import InternalReceipt

    receipts = InternalReceipt.objects.filter(document=OuterRef("pk")).filter(
        Q(user_id=user.pk) | Q(unit_id__in=user_unit_ids(user))
    )
    return Q(status__in=ISSUED_OUTGOING) & Q(Exists(receipts))


def q_my_drafts(user) -> Q:
    return Q(drafter_id=user.pk, status__in=OPEN_DRAFT_STATUSES)


def q_to_review(user) -> Q:
    """Waiting for my review, opinion or form check (a pending task names me)."""
    from coquan.documents.models import ChainTask

    tasks = ChainTask.objects.filter(
        document=OuterRef("pk"),
        round=OuterRef("round"),
        state=TaskState.PENDING,
        kind__in=(TaskKind.REVIEW, TaskKind.OPINION, TaskKind.FORM_CHECK),
    ).filter(_task_for(user))
    return Q(status=OutgoingStatus.IN_REVIEW) & Q(Exists(tasks))


def q_to_sign(user) -> Q:
    """Waiting for my approval (the signer's task is pending) or for my signature."""
    from coquan.documents.models import ChainTask

    approval = ChainTask.objects.filter(
        document=OuterRef("pk"),
        round=OuterRef("round"),
        state=TaskState.PENDING,
        kind=TaskKind.APPROVAL,
        assignee_user_id=user.pk,
    )
    return (Q(status=OutgoingStatus.IN_REVIEW) & Q(Exists(approval))) | Q(
        status=OutgoingStatus.APPROVED, signer_id=user.pk
    )


def q_to_issue() -> Q:
    return Q(status=OutgoingStatus.SIGNED)


def q_issued() -> Q:
    return Q(status__in=ISSUED_OUTGOING)


class OutgoingDocumentQuerySet(models.QuerySet):
    def for_agency(self, agency):
        return self.filter(agency=agency)

    def visible_to(self, user):
        """The outgoing documents ``user`` may see (see the module docstring), in one query."""
        from coquan.documents.models import ChainTask

        if not getattr(user, "is_authenticated", False):
            return self.none()
        memberships = _active_memberships(user)
        clerk_agencies = clerk_agency_ids(user)
        overseeing = memberships.filter(roles__code__in=OVERSEEING_ROLES).values("agency_id")
        own_tasks = ChainTask.objects.filter(document=OuterRef("pk")).filter(
            Q(assignee_user_id=user.pk) | Q(assignee_unit_id__in=user_unit_ids(user))
        )
        pool_tasks = ChainTask.objects.filter(document=OuterRef("pk"), pool_role="clerk")
        on_chain = (
            Q(drafter_id=user.pk)
            | Q(Exists(own_tasks))
            | (Q(agency_id__in=clerk_agencies) & Q(Exists(pool_tasks)))
            | Q(drafting_unit_id__in=led_unit_ids(user))
        )
        to_issue = Q(
            status__in=(OutgoingStatus.SIGNED, *ISSUED_OUTGOING), agency_id__in=clerk_agencies
        )
        issued = q_received_by(user) | Q(
            status__in=ISSUED_OUTGOING, secrecy=Secrecy.NONE, agency_id__in=overseeing
        )
        member = Q(agency_id__in=memberships.values("agency_id")) & (on_chain | to_issue | issued)
        if user.is_superuser:
            member |= Q(status__in=ISSUED_OUTGOING, secrecy=Secrecy.NONE)
        return self.filter(member)

    def visible_in(self, user, agency):
        """``visible_to(user).for_agency(agency)``: the same rows, with a shorter statement.

        The person's roles in ``agency`` (``core.access.roles_in``, read once per request)
        decide in Python which of ``visible_to``'s branches can hold there, so the
        membership and role subqueries become constants: not a member → only a superuser's
        issued non-secret documents; a clerk → everything from ``signed`` on; clerk, leader
        or admin → the issued non-secret ones. The involvement checks (drafter, chain tasks,
        led units, internal receipts) stay in SQL. Tested equal to ``visible_to`` for every
        kind of person (documents/tests/test_visibility.py).
        """
        from coquan.core.access import is_member, roles_in
        from coquan.documents.models import ChainTask

        if not getattr(user, "is_authenticated", False) or agency is None:
            return self.none()
        here = self.filter(agency=agency)
        issued_open = Q(status__in=ISSUED_OUTGOING, secrecy=Secrecy.NONE)
        if not is_member(user, agency):
            return here.filter(issued_open) if user.is_superuser else self.none()
        roles = roles_in(user, agency)
        clerk = "clerk" in roles
        own_tasks = ChainTask.objects.filter(document=OuterRef("pk")).filter(
            Q(assignee_user_id=user.pk) | Q(assignee_unit_id__in=user_unit_ids(user))
        )
        visible = (
            Q(drafter_id=user.pk)
            | Q(Exists(own_tasks))
            | Q(drafting_unit_id__in=led_unit_ids(user))
            | q_received_by(user)
        )
        if clerk:
            pool_tasks = ChainTask.objects.filter(document=OuterRef("pk"), pool_role="clerk")
            visible |= Q(Exists(pool_tasks)) | Q(
                status__in=(OutgoingStatus.SIGNED, *ISSUED_OUTGOING)
            )
        if user.is_superuser or roles & set(OVERSEEING_ROLES):
            visible |= issued_open
        return here.filter(visible)

    # --- Queues (each combines with visible_to; the conditions are the q_* functions) ------

    def drafts_of(self, user):
        return self.filter(q_my_drafts(user))

    def to_review_by(self, user):
        return self.filter(q_to_review(user))

    def to_sign_by(self, user):
        return self.filter(q_to_sign(user))

    def to_issue(self):
        return self.filter(q_to_issue())

    def issued(self):
        return self.filter(q_issued())

    # --- Bundles -------------------------------------------------------------------------------

    def for_list(self):
        """What a list row shows, in the same query; lists never carry long text bodies."""
        return self.select_related(
            "document_type", "drafter", "drafting_unit", "signer", "register_book"
        ).defer("description", "recall_reason")
