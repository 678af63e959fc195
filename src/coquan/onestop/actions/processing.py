"""Processing a dossier through its procedure's steps (NĐ 61 Arts. 18–20; standards §3.3,
§3.7). Every action locks the dossier, checks the workflow and the person's right again
against the locked row, closes the open leg of the control slip (classifying it against
its step deadline), writes the next leg and the status change, and one audit entry.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.onestop import deadlines, workflow
from coquan.onestop import files as uploads
from coquan.onestop.actions.common import (
    add_leg,
    close_leg,
    component_ids,
    label,
    lock,
    moment,
    record_status,
    snapshot,
    store_files,
)
from coquan.onestop.choices import TransferKind
from coquan.onestop.models import DossierExtension, DossierSupplement, DossierTransfer
from coquan.onestop.permissions import DossierAccess


def _may(name: str):
    def check(actor, *, dossier, **_kwargs) -> None:
        DossierAccess(actor, dossier).require(name)

    return check


def _begin(actor, dossier, name: str):
    """Lock the dossier and check the person's right on the locked row."""
    dossier = lock(dossier)
    DossierAccess(actor, dossier).require(name)
    return dossier


def _assignee(dossier, step, assignee_unit, assignee_user):
    """The unit and person a step is handed to: as chosen, else the step's unit. Both must
    belong to the dossier's agency today."""
    from coquan.org.models import Membership, Unit

    unit = assignee_unit if assignee_unit is not None else step.responsible_unit
    today = timezone.localdate()
    if unit is not None and (
        not isinstance(unit, Unit)
        or unit.agency_id != dossier.agency_id
        or not unit.is_active_on(today)
    ):
        raise ValidationError(
            {"assignee_unit": _("Choose a current unit of this agency.")}, code="unit"
        )
    if assignee_user is not None:
        member = (
            Membership.objects.active_on(today)
            .filter(user_id=assignee_user.pk, agency_id=dossier.agency_id)
            .exists()
        )
        if not member:
            raise ValidationError(
                {"assignee_user": _("Choose a current member of this agency.")}, code="user"
            )
    return unit, assignee_user


def _save(dossier, *fields) -> None:
    dossier.save(update_fields=["status", *fields])


@action("onestop.dossier.forward", permission=_may("forward"))
def forward(actor, *, dossier, assignee_unit=None, assignee_user=None, note="", at=None):
    """Hand the dossier to the next step (from the desk: the first step), to the unit and
    person chosen (by default the step's responsible unit). The new leg's deadline is the
    hand-over + the step's time budget. Status 4 "Đang xử lý"."""
    at = moment(at)
    dossier = _begin(actor, dossier, "forward")
    before = dossier.status
    before_snapshot = snapshot(dossier)
    workflow.apply(dossier, "forward")
    step = workflow.next_step(dossier)
    unit, user = _assignee(dossier, step, assignee_unit, assignee_user)
    close_leg(dossier, at)
    step_due = deadlines.due_after(at, step.budget_in_working_days(), dossier.procedure)
    add_leg(
        dossier,
        kind=TransferKind.FORWARD,
        actor=actor,
        at=at,
        from_step=dossier.current_step,
        from_unit=dossier.assignee_unit,
        from_user=actor,
        to_step=step,
        to_unit=unit,
        to_user=user,
        step_due_at=step_due,
        note=str(note or ""),
    )
    dossier.current_step = step
    dossier.assignee_unit = unit
    dossier.assignee_user = user
    dossier.step_due_at = step_due
    _save(dossier, "current_step", "assignee_unit", "assignee_user", "step_due_at")
    record_status(dossier, before, actor, at, note=str(note or ""))
    describe(
        obj=dossier,
        summary=_("Dossier %(code)s forwarded to step %(step)s.")
        % {"code": label(dossier), "step": step},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.return", permission=_may("return"))
def return_to_previous(
    actor, *, dossier, reason="", assignee_unit=None, assignee_user=None, at=None
):
    """Send the dossier back to the previous step (with the reason), to whoever handled it
    there unless someone else is chosen; that step gets its time budget again."""
    at = moment(at)
    dossier = _begin(actor, dossier, "return")
    before_snapshot = snapshot(dossier)
    workflow.apply(dossier, "return", reason=reason)
    step = workflow.previous_step(dossier)
    if assignee_unit is None and assignee_user is None:
        last = (
            DossierTransfer.objects.filter(dossier=dossier, to_step=step).order_by("-seq").first()
        )
        if last is not None:
            assignee_unit, assignee_user = last.to_unit, last.to_user
    unit, user = _assignee(dossier, step, assignee_unit, assignee_user)
    close_leg(dossier, at)
    step_due = deadlines.due_after(at, step.budget_in_working_days(), dossier.procedure)
    add_leg(
        dossier,
        kind=TransferKind.RETURN,
        actor=actor,
        at=at,
        from_step=dossier.current_step,
        from_unit=dossier.assignee_unit,
        from_user=actor,
        to_step=step,
        to_unit=unit,
        to_user=user,
        step_due_at=step_due,
        note=reason.strip(),
    )
    dossier.current_step = step
    dossier.assignee_unit = unit
    dossier.assignee_user = user
    dossier.step_due_at = step_due
    _save(dossier, "current_step", "assignee_unit", "assignee_user", "step_due_at")
    describe(
        obj=dossier,
        summary=_("Dossier %(code)s returned to step %(step)s.")
        % {"code": label(dossier), "step": step},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.request_supplement", permission=_may("request_supplement"))
def request_supplement(actor, *, dossier, items=(), note="", at=None):
    """Ask the applicant to supplement the dossier (form 02, everything at once): status 5,
    the clock stops until the complete dossier arrives, when it restarts from zero (NĐ 61
    Art. 19.4). A request made after the window (3 working days from acceptance by
    default) is recorded as such."""
    at = moment(at)
    dossier = _begin(actor, dossier, "request_supplement")
    before = dossier.status
    before_snapshot = snapshot(dossier)
    items = [str(item).strip() for item in items or () if str(item).strip()]
    workflow.apply(dossier, "request_supplement", items=items)
    close_leg(dossier, at)
    add_leg(
        dossier,
        kind=TransferKind.SUPPLEMENT,
        actor=actor,
        at=at,
        from_step=dossier.current_step,
        from_unit=dossier.assignee_unit,
        from_user=actor,
        note=str(note or ""),
    )
    DossierSupplement.objects.create(
        dossier=dossier,
        items=items,
        note=str(note or "").strip(),
        requested_at=at,
        requested_by=actor,
        step=dossier.current_step,
        late_notice=deadlines.supplement_is_late(dossier.received_at, at),
    )
    dossier.paused_at = at
    dossier.due_at = None
    dossier.step_due_at = None
    _save(dossier, "paused_at", "due_at", "step_due_at")
    record_status(dossier, before, actor, at, note="; ".join(items))
    describe(
        obj=dossier,
        summary=_("Supplement requested for dossier %(code)s (%(count)d item(s)).")
        % {"code": label(dossier), "count": len(items)},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.resubmit", permission=_may("resubmit"))
def resubmit(actor, *, dossier, received_components=(), files=(), note="", at=None):
    """Record the completed dossier at the desk: the papers now received, the new files;
    the clock restarts from zero (NĐ 61 Art. 19.4: appointment = now + the whole legal
    limit) and the dossier goes back to the step that asked, with a fresh step budget.
    Refused while a mandatory paper is still missing."""
    at = moment(at)
    dossier = _begin(actor, dossier, "resubmit")
    before = dossier.status
    before_snapshot = snapshot(dossier)
    workflow.apply(dossier, "resubmit")
    newly = component_ids(received_components)
    papers = list(dossier.components.all())
    unknown = newly - {paper.component_id for paper in papers}
    if unknown:
        raise ValidationError(
            {
                "components": _("These papers are not components of the dossier: %(ids)s.")
                % {"ids": ", ".join(str(i) for i in sorted(unknown))}
            },
            code="unknown_component",
        )
    still_missing = [
        paper.name
        for paper in papers
        if paper.required and not paper.received and paper.component_id not in newly
    ]
    if still_missing:
        raise ValidationError(
            {
                "components": _("Mandatory papers are still missing: %(names)s.")
                % {"names": "; ".join(still_missing)}
            },
            code="missing_components",
        )
    checked = uploads.check_uploads(files)
    dossier.components.filter(component_id__in=newly, received=False).update(
        received=True, received_at=at
    )
    DossierSupplement.objects.filter(dossier=dossier, resolved_at__isnull=True).update(
        resolved_at=at, resolved_by=actor
    )
    close_leg(dossier, at)
    procedure = dossier.procedure
    dossier.clock_started_at = at
    dossier.due_at = deadlines.due_after(at, dossier.time_limit_days, procedure)
    dossier.paused_at = None
    step = dossier.current_step
    dossier.step_due_at = deadlines.due_after(at, step.budget_in_working_days(), procedure)
    add_leg(
        dossier,
        kind=TransferKind.RESUBMISSION,
        actor=actor,
        at=at,
        from_user=actor,
        to_step=step,
        to_unit=dossier.assignee_unit,
        to_user=dossier.assignee_user,
        step_due_at=dossier.step_due_at,
        note=str(note or ""),
    )
    _save(dossier, "clock_started_at", "due_at", "paused_at", "step_due_at")
    record_status(dossier, before, actor, at, note=str(note or ""))
    store_files(dossier, checked, actor, at)
    describe(
        obj=dossier,
        summary=_("Completed dossier %(code)s received; the time limit restarts.")
        % {"code": label(dossier)},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.extend", permission=_may("extend"))
def extend(actor, *, dossier, new_due_date=None, reason="", at=None):
    """The one extension (NĐ 61 Art. 19): asked at least one working day before the
    deadline, with the reason and a later working day; the apology letter is form 04. A
    second extension is refused."""
    at = moment(at)
    dossier = _begin(actor, dossier, "extend")
    before_snapshot = snapshot(dossier)
    reason = str(reason or "").strip()
    workflow.apply(dossier, "extend", new_due_date=new_due_date, reason=reason, at=at)
    new_due_at = deadlines.end_of_working_day(new_due_date)
    DossierExtension.objects.create(
        dossier=dossier,
        previous_due_at=dossier.due_at,
        new_due_at=new_due_at,
        reason=reason,
        requested_at=at,
        requested_by=actor,
    )
    dossier.due_at = new_due_at
    _save(dossier, "due_at")
    describe(
        obj=dossier,
        summary=_("Dossier %(code)s extended to %(date)s.")
        % {"code": label(dossier), "date": new_due_date.strftime("%d/%m/%Y")},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.stop", permission=_may("stop"))
def stop(actor, *, dossier, reason="", at=None):
    """Stop processing an ineligible dossier (Phiếu từ chối giải quyết, with the reason):
    status 8 "Dừng xử lý"; the dossier goes back to the desk."""
    at = moment(at)
    dossier = _begin(actor, dossier, "stop")
    before = dossier.status
    before_snapshot = snapshot(dossier)
    reason = str(reason or "").strip()
    workflow.apply(dossier, "stop", reason=reason)
    close_leg(dossier, at)
    add_leg(
        dossier,
        kind=TransferKind.STOP,
        actor=actor,
        at=at,
        from_step=dossier.current_step,
        from_unit=dossier.assignee_unit,
        from_user=actor,
        note=reason,
        finished=True,
    )
    dossier.stopped_at = at
    dossier.refusal_reason = reason
    dossier.step_due_at = None
    _save(dossier, "stopped_at", "refusal_reason", "step_due_at")
    record_status(dossier, before, actor, at, note=reason)
    describe(
        obj=dossier,
        summary=_("Processing of dossier %(code)s stopped.") % {"code": label(dossier)},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.approve", permission=_may("approve"))
def approve(actor, *, dossier, result_note="", at=None):
    """Approve and record the result at the last step: status 9 "Đã xử lý xong", the result
    goes to the desk. For a procedure whose result is a licence (``licence_document_type``)
    the approval drafts the licence as an outgoing document instead (``actions.licences``);
    the dossier reaches status 9 when that document is issued. The dossier is classified
    early / on time / late now (or when returned, per ``COQUAN_ONESTOP_CLASSIFY_AT``)."""
    at = moment(at)
    dossier = _begin(actor, dossier, "approve")
    if dossier.procedure.licence_document_type:
        from coquan.onestop.actions.licences import draft_licence

        return draft_licence(actor, dossier, result_note=result_note, at=at)
    before = dossier.status
    before_snapshot = snapshot(dossier)
    result_note = str(result_note or "").strip()
    workflow.apply(dossier, "approve")
    if not result_note:
        raise ValidationError({"result_note": _("Record the result.")}, code="required")
    close_leg(dossier, at)
    add_leg(
        dossier,
        kind=TransferKind.RESULT,
        actor=actor,
        at=at,
        from_step=dossier.current_step,
        from_unit=dossier.assignee_unit,
        from_user=actor,
        note=result_note,
    )
    dossier.result_ready_at = at
    dossier.result_note = result_note
    dossier.step_due_at = None
    if deadlines.classify_at() == "result_ready":
        dossier.timeliness = deadlines.classify(at, dossier.due_at)
    _save(dossier, "result_ready_at", "result_note", "step_due_at", "timeliness")
    record_status(dossier, before, actor, at, note=result_note)
    describe(
        obj=dossier,
        summary=_("Result of dossier %(code)s approved.") % {"code": label(dossier)},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.return_result", permission=_may("return_result"))
def return_result(actor, *, dossier, note="", at=None):
    """Hand the result to the applicant (NĐ 61 Art. 20): status 10 "Đã trả kết quả"."""
    at = moment(at)
    dossier = _begin(actor, dossier, "return_result")
    before = dossier.status
    before_snapshot = snapshot(dossier)
    workflow.apply(dossier, "return_result")
    close_leg(dossier, at)
    add_leg(
        dossier,
        kind=TransferKind.DELIVERY,
        actor=actor,
        at=at,
        from_user=actor,
        note=str(note or ""),
        finished=True,
    )
    dossier.returned_at = at
    if deadlines.classify_at() == "returned":
        dossier.timeliness = deadlines.classify(at, dossier.due_at)
    _save(dossier, "returned_at", "timeliness")
    record_status(dossier, before, actor, at, note=str(note or ""))
    describe(
        obj=dossier,
        summary=_("Result of dossier %(code)s returned to the applicant.")
        % {"code": label(dossier)},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier
