"""Scoped querysets of the documents app: every list starts from ``visible_to(user)``.

Visibility of an incoming document (DESIGN.md §5; standards §2.6):

- a **non-secret** document is visible to members of its agency who hold the clerk, leader
  or admin role there, and to members who are **involved**: it was presented to them, they
  (or their unit) are the lead handler, or a handling step names them or their unit as lead,
  co-handler or for-information recipient;
- a **secret** document (Mật, Tối mật, Tuyệt mật) is visible only to members of its agency
  holding a ``SecrecyGrant`` for it, whatever their role;
- superusers (deployment operators) see non-secret documents of every agency, and secret
  ones only when explicitly granted, like everyone else.

All of this is one SQL query with ``EXISTS``/``IN`` subqueries, so it can be counted,
paginated and combined with filters without loading anything into Python.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from coquan.documents.choices import AssignmentRole, IncomingStatus, Secrecy, StepKind

#: Roles that see every non-secret incoming document of their agency.
OVERSEEING_ROLES = ("clerk", "leader", "admin")

#: Statuses in which the lead handler still has work to do.
HANDLING_STATUSES = (IncomingStatus.ASSIGNED, IncomingStatus.IN_PROGRESS)


def _active_memberships(user):
    from coquan.org.models import Membership

    return Membership.objects.active_on(timezone.localdate()).filter(user_id=user.pk)


def user_unit_ids(user):
    """Subquery: the units where ``user`` has an active membership."""
    return _active_memberships(user).filter(unit__isnull=False).values("unit_id")


def q_to_present() -> Q:
    return Q(status__in=(IncomingStatus.REGISTERED, IncomingStatus.RETURNED))


def q_awaiting_assignment_by(user) -> Q:
    return Q(status=IncomingStatus.PRESENTED, presented_to_id=user.pk)


def q_overdue(today: dt.date | None = None) -> Q:
    return Q(status__in=HANDLING_STATUSES, due_date__lt=today or timezone.localdate())


def q_in_my_units(user) -> Q:
    return Q(lead_unit_id__in=user_unit_ids(user))


def q_handled_by(user) -> Q:
    return Q(status__in=HANDLING_STATUSES) & (
        Q(lead_user_id=user.pk) | Q(lead_user__isnull=True, lead_unit_id__in=user_unit_ids(user))
    )


def _named_in_round(user, role) -> Q:
    """Named (in person or through a unit) as ``role`` in the document's current round.

    The ``pk IN (steps naming me or my units as role)`` part is implied by the ``EXISTS``
    (which adds "in the current round"); it lets the database start from the few steps
    naming the person (partial indexes ``handling_step_user_role_idx`` /
    ``handling_step_unit_role_idx``) instead of probing every document of the agency.
    """
    from coquan.documents.models import HandlingStep

    units = user_unit_ids(user)
    named = Q(user_id=user.pk) | Q(unit_id__in=units)
    steps = HandlingStep.objects.filter(kind=StepKind.ASSIGNED, role=role).order_by()
    # Two index-served branches: an OR of both inside one subquery is a scan of all steps.
    ever_named = (
        steps.filter(user_id=user.pk)
        .values("document_id")
        .union(steps.filter(unit_id__in=units).values("document_id"), all=True)
    )
    return Q(pk__in=ever_named) & Q(
        Exists(
            HandlingStep.objects.filter(
                document=OuterRef("pk"),
                kind=StepKind.ASSIGNED,
                role=role,
                round=OuterRef("assignment_round"),
            ).filter(named)
        )
    )


def q_co_handled_by(user) -> Q:
    return Q(status__in=HANDLING_STATUSES) & _named_in_round(user, AssignmentRole.CO_HANDLER)


def q_for_info_of(user) -> Q:
    return ~Q(status=IncomingStatus.REFUSED) & _named_in_round(user, AssignmentRole.FOR_INFO)


class IncomingDocumentQuerySet(models.QuerySet):
    def for_agency(self, agency):
        return self.filter(agency=agency)

    def visible_to(self, user):
        """The incoming documents ``user`` may see (see the module docstring), in one query."""
        from coquan.documents.models import HandlingStep, SecrecyGrant

        if not getattr(user, "is_authenticated", False):
            return self.none()
        granted = Exists(SecrecyGrant.objects.filter(document=OuterRef("pk"), user_id=user.pk))
        secret_ok = ~Q(secrecy=Secrecy.NONE) & granted
        if user.is_superuser:
            return self.filter(Q(secrecy=Secrecy.NONE) | secret_ok)
        memberships = _active_memberships(user)
        member_agencies = memberships.values("agency_id")
        overseeing = memberships.filter(roles__code__in=OVERSEEING_ROLES).values("agency_id")
        units = user_unit_ids(user)
        named_in_steps = Exists(
            HandlingStep.objects.filter(
                document=OuterRef("pk"), kind__in=(StepKind.PRESENTED, StepKind.ASSIGNED)
            ).filter(Q(user_id=user.pk) | Q(unit_id__in=units))
        )
        open_ok = Q(secrecy=Secrecy.NONE) & (
            Q(agency_id__in=overseeing)
            | Q(presented_to_id=user.pk)
            | Q(lead_user_id=user.pk)
            | Q(lead_unit_id__in=units)
            | named_in_steps
        )
        return self.filter(agency_id__in=member_agencies).filter(open_ok | secret_ok)

    def visible_in(self, user, agency):
        """``visible_to(user).for_agency(agency)``: the same rows, with a cheaper plan.

        When the person oversees ``agency`` (an active clerk, leader or admin membership
        there, or a superuser) the rule of ``visible_to`` reduces, for that agency, to "not
        secret, or secret and granted": the involvement checks (presented, lead, named in a
        step) cannot add anything, so they are left out of the SQL instead of being
        evaluated on every row. Anyone else gets ``visible_to`` unchanged.
        """
        from coquan.core.access import roles_in
        from coquan.documents.models import SecrecyGrant

        if not getattr(user, "is_authenticated", False) or agency is None:
            return self.none()
        if user.is_superuser or roles_in(user, agency) & set(OVERSEEING_ROLES):
            # "id IN (the person's grants)" rather than a correlated EXISTS: PostgreSQL then
            # hashes the grants once and can answer from an index alone (bench/inbox.py).
            granted = SecrecyGrant.objects.filter(user_id=user.pk).values("document_id")
            return self.filter(agency=agency).filter(Q(secrecy=Secrecy.NONE) | Q(pk__in=granted))
        return self.visible_to(user).for_agency(agency)

    def visible_without_query(self, user, document) -> bool:
        """True when ``visible_in(user, document.agency_id)`` certainly holds for ``document``.

        Decided from the fetched row and the person's roles (read once per request): a
        document that is not secret, in an agency the person oversees (or for a superuser).
        False means "ask the database" (secret documents, everyone else), not "invisible".
        """
        from coquan.core.access import roles_in

        if not getattr(user, "is_authenticated", False) or document.secrecy != Secrecy.NONE:
            return False
        return user.is_superuser or bool(roles_in(user, document.agency_id) & set(OVERSEEING_ROLES))

    # --- Queues (each combines with visible_to; the conditions are the q_* functions) ------

    def to_present(self):
        """Registered (or returned) documents the clerk has not presented yet."""
        return self.filter(q_to_present())

    def awaiting_assignment_by(self, user):
        """Documents presented to ``user`` that wait for an assignment."""
        return self.filter(q_awaiting_assignment_by(user))

    def overdue(self, today: dt.date | None = None):
        """Documents still being handled whose deadline has passed."""
        return self.filter(q_overdue(today))

    def handled_by(self, user):
        """Documents ``user`` must handle as lead: named in person, or their unit without one."""
        return self.filter(q_handled_by(user))

    def co_handled_by(self, user):
        """Documents of the current assignment round naming ``user`` or their unit co-handler."""
        return self.filter(q_co_handled_by(user))

    def for_info_of(self, user):
        """Documents of the current assignment round sent to ``user`` or their unit for info."""
        return self.filter(q_for_info_of(user))

    # --- Bundles -------------------------------------------------------------------------------

    def for_list(self):
        """What a list row shows, in the same query; lists never carry long text bodies."""
        return self.select_related("document_type", "lead_unit", "lead_user", "presented_to").defer(
            "result_note", "description", "to_places"
        )

    def with_late_flag(self, late_before: dt.datetime | None):
        """Annotate ``is_late``: not yet presented although it arrived before ``late_before``.

        Decree 30/2020 Art. 4.2.c and 23: a document is presented the day it arrives or at
        the latest the next working day. ``late_before`` is the start of the last working
        day before today (``workflow.presentation_late_before``): a document that arrived
        earlier than that has had a whole working day after its arrival day go by.
        """
        if late_before is None:
            return self.annotate(is_late=Value(False, output_field=BooleanField()))
        return self.annotate(
            is_late=Case(
                When(
                    status__in=(IncomingStatus.REGISTERED, IncomingStatus.RETURNED),
                    arrival_date__lt=late_before,
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )


class HandlingStepQuerySet(models.QuerySet):
    def timeline(self):
        return self.select_related("actor", "unit", "user").order_by("created_at", "pk")
