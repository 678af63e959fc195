"""Presenting incoming documents to a leader and assigning them (Decree 30/2020 Art. 23)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import roles_in
from coquan.core.actions import action, describe
from coquan.documents import reminders, workflow
from coquan.documents.actions.common import add_step, grant, is_active_member, lock, permission
from coquan.documents.choices import AssignmentRole, StepKind
from coquan.documents.models import IncomingDocument
from coquan.documents.permissions import DocumentAccess

# --- Presenting and assigning ------------------------------------------------------------------


@action("documents.incoming.present", permission=permission("present"))
def present(actor, *, document, leader, note: str = "") -> IncomingDocument:
    """Present the document to a leader of the agency (trình lãnh đạo).

    Who: a clerk. Decree 30/2020 Art. 23: present the same day or at the latest the next
    working day. ``leader`` must hold the leader role in the document's agency; for a secret
    document the leader is granted access. Writes a ``presented`` step.
    """
    document = lock(document)
    if leader is None or "leader" not in roles_in(leader, document.agency_id):
        raise ValidationError({"leader": _("Choose a leader of the agency.")}, code="not_a_leader")
    before, after = workflow.apply(document, "present")
    document.presented_to = leader
    document.presented_at = timezone.now()
    document.save(update_fields=["status", "presented_to", "presented_at", "updated_at"])
    grant(document, leader, actor)
    add_step(document, actor, StepKind.PRESENTED, user=leader, text=(note or "").strip())
    describe(
        obj=document,
        summary=_("Presented to %(name)s") % {"name": leader.get_full_name()},
        before={"status": before},
        after={"status": after, "presented_to": leader.pk},
    )
    return document


def _deadline(due_date, due_days) -> dt.date | None:
    if due_date is not None:
        if due_date < timezone.localdate():
            raise ValidationError(
                {"due_date": _("The deadline cannot be in the past.")}, code="past_deadline"
            )
        return due_date
    if due_days not in (None, ""):
        from coquan.workdays.calendar import add_working_days

        try:
            days = int(due_days)
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= 365:
            raise ValidationError(
                {"due_days": _("Give between 1 and 365 working days.")}, code="invalid"
            )
        return timezone.localtime(add_working_days(timezone.now(), days)).date()
    return None


def _split_targets(items):
    """[(unit_or_user, deadline or None)] from units/users or (target, date) pairs."""
    result = []
    for item in items or ():
        if isinstance(item, tuple | list):
            target, deadline = item[0], item[1] if len(item) > 1 else None
        else:
            target, deadline = item, None
        if target is not None:
            result.append((target, deadline))
    return result


def _check_targets(document, targets, *, within_unit=None) -> None:
    """Units and people must belong to the document's agency (and to ``within_unit``)."""
    from coquan.org.models import Unit

    today = timezone.localdate()
    for target in targets:
        if isinstance(target, Unit):
            ok = target.agency_id == document.agency_id and target.is_active_on(today)
            if within_unit is not None:
                ok = ok and target.pk == within_unit.pk
            if not ok:
                raise ValidationError(
                    {"lead": _("“%(name)s” is not a unit you can assign to.") % {"name": target}},
                    code="invalid_target",
                )
        elif not is_active_member(target, document.agency, within_unit):
            raise ValidationError(
                {"lead": _("“%(name)s” is not a person you can assign to.") % {"name": target}},
                code="invalid_target",
            )


@action("documents.incoming.assign", permission=permission("assign"))
def assign(
    actor,
    *,
    document,
    lead_unit=None,
    lead_user=None,
    co_handlers=(),
    for_info=(),
    due_days=None,
    due_date: dt.date | None = None,
    instruction: str = "",
) -> IncomingDocument:
    """Assign the lead handler, co-handlers and people informed, with deadlines.

    Who: a leader of the agency (opens a new assignment round: the previous co-handlers and
    people informed are no longer current), or the unit leader of the lead unit, who
    re-assigns inside the unit (names a person of the unit as lead and co-handlers from the
    unit, in the same round). Decree 30/2020 Art. 23: the leader records the lead and
    co-operating units or people, instructions and the deadline. The deadline is
    ``due_date`` or ``due_days`` working days from now (``workdays``), else the document's
    own deadline; ``co_handlers``/``for_info`` are units or people, or (target, date) pairs
    with their own deadline. Secret documents go to named people only, who are granted
    access. Writes one ``assigned`` step per target.
    """
    document = lock(document)
    access = DocumentAccess(actor, document)
    within_unit = None
    if not access.is_leader:
        within_unit = document.lead_unit
        if lead_unit is not None and lead_unit.pk != within_unit.pk:
            raise ValidationError(
                {"lead": _("A unit leader re-assigns only inside the unit.")}, code="outside_unit"
            )
        lead_unit = within_unit
        if lead_user is None:
            raise ValidationError(
                {"lead": _("Choose the person of the unit who leads.")}, code="required"
            )
    co = _split_targets(co_handlers)
    info = _split_targets(for_info)
    before, after = workflow.apply(
        document,
        "assign",
        lead_unit=lead_unit,
        lead_user=lead_user,
        co_handlers=[t for t, _d in co],
        for_info=[t for t, _d in info],
    )
    lead_targets = [t for t in (lead_unit, lead_user) if t is not None]
    _check_targets(document, lead_targets + [t for t, _d in co], within_unit=within_unit)
    _check_targets(document, [t for t, _d in info], within_unit=within_unit)
    deadline = _deadline(due_date, due_days) or document.due_date
    if deadline is None:
        raise ValidationError(
            {"due_date": _("Give a deadline (a date or a number of working days).")},
            code="required",
        )
    lead_keys = {(type(t).__name__, t.pk) for t in lead_targets}
    seen = set(lead_keys)
    for _target, own in co:
        if own is not None and own < timezone.localdate():
            raise ValidationError(
                {"co_handlers": _("The deadline cannot be in the past.")}, code="past_deadline"
            )
    if within_unit is None:
        document.assignment_round += 1
    document.lead_unit = lead_unit
    document.lead_user = lead_user
    document.due_date = deadline
    document.assigned_at = timezone.now()
    document.completed_at = None
    document.to_places = "; ".join(str(t) for t in lead_targets)[:1000]
    document.save(
        update_fields=[
            "status",
            "lead_unit",
            "lead_user",
            "due_date",
            "assigned_at",
            "completed_at",
            "to_places",
            "assignment_round",
            "updated_at",
        ]
    )
    instruction = (instruction or "").strip()
    rows = [(t, AssignmentRole.LEAD, deadline) for t in lead_targets]
    rows += [(t, AssignmentRole.CO_HANDLER, own or deadline) for t, own in co]
    rows += [(t, AssignmentRole.FOR_INFO, None) for t, _d in info]
    names = []
    new_steps = []
    for target, role, target_deadline in rows:
        key = (type(target).__name__, target.pk)
        if role != AssignmentRole.LEAD and key in seen:
            continue
        seen.add(key)
        is_unit = type(target).__name__ == "Unit"
        new_steps.append(
            add_step(
                document,
                actor,
                StepKind.ASSIGNED,
                role=role,
                unit=target if is_unit else None,
                user=None if is_unit else target,
                deadline=target_deadline,
                text=instruction,
            )
        )
        if not is_unit:
            grant(document, target, actor)
        names.append(f"{role}:{target}")
    reminders.assignment_made(document, new_steps)
    describe(
        obj=document,
        summary=_("Assigned: %(targets)s") % {"targets": ", ".join(names)[:400]},
        before={"status": before},
        after={"status": after, "due_date": deadline, "round": document.assignment_round},
    )
    return document
