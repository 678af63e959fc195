"""The review and approval chain of a draft (Decree 30/2020 Arts. 10–12).

Each action completes (or sends back) the acting person's pending ``ChainTask`` and writes
one timeline row; when no task of the current stage is pending any more, the next stage's
tasks become pending (``outgoing_common.activate_next``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.documents import outgoing_workflow as workflow
from coquan.documents.actions.common import stores_files
from coquan.documents.actions.drafting import check_due_days, check_opinion_targets
from coquan.documents.actions.outgoing_common import (
    activate_next,
    add_step,
    cancel_open_tasks,
    check_uploads,
    complete_task,
    current_stage,
    lock,
    make_room_after,
    permission,
    round_tasks,
    store_upload,
)
from coquan.documents.choices import (
    OutgoingFileKind,
    OutgoingStatus,
    OutgoingStepKind,
    TaskKind,
    TaskState,
)
from coquan.documents.models import ChainTask, OutgoingDocument
from coquan.documents.outgoing_permissions import TASK_STEPS, OutgoingAccess


def _my_task(actor, document, *kinds):
    task = OutgoingAccess(actor, document).task_for(*kinds)
    if task is None:  # the permission check passed on a stale row; the lock says otherwise
        raise ValidationError(
            _("There is no pending task of yours on this document."), code="no_task"
        )
    return task


@action("documents.outgoing.request_opinions", permission=permission("request_opinions"))
def request_opinions(
    actor, *, document, targets, due_days: int = 3, sequential: bool = False, note: str = ""
) -> OutgoingDocument:
    """Ask other units or people for their opinion on the draft, each with a deadline.

    Who: the drafter, or the holder of a pending review or approval task. The requests come
    right after the current stage: all at once (in parallel) or one after the other
    (``sequential``); the later stages (form check, approval) wait for them. The deadline
    is ``due_days`` working days (``workdays`` calendar) from when each request becomes
    pending. Writes one ``opinion requested`` step per target.
    """
    document = lock(document)
    workflow.check(document, "request_opinions")
    people = check_opinion_targets(document, targets)
    if not people:
        raise ValidationError({"targets": _("Choose whom to ask.")}, code="required")
    days = check_due_days(due_days)
    stage = current_stage(document) or 0
    make_room_after(document, stage, len(people) if sequential else 1)
    from coquan.org.models import Unit

    created = []
    for index, target in enumerate(people):
        is_unit = isinstance(target, Unit)
        created.append(
            ChainTask.objects.create(
                document=document,
                round=document.round,
                stage=stage + 1 + (index if sequential else 0),
                kind=TaskKind.OPINION,
                assignee_unit=target if is_unit else None,
                assignee_user=None if is_unit else target,
                requested_by=actor,
                due_days=days,
            )
        )
    activate_next(document)
    note = (note or "").strip()
    for task in created:
        task.refresh_from_db()
        add_step(
            document,
            actor,
            OutgoingStepKind.OPINION_REQUESTED,
            user=task.assignee_user,
            unit=task.assignee_unit,
            task=task,
            deadline=task.deadline,
            text=note,
        )
    document.save(update_fields=["updated_at"])
    describe(
        obj=document,
        summary=_("Opinions requested: %(names)s") % {"names": ", ".join(map(str, people))[:400]},
        after={"tasks": [t.pk for t in created], "sequential": sequential, "due_days": days},
    )
    return document


def _finish(actor, document, kind: str, step_kind: str, text: str, name: str) -> ChainTask:
    task = _my_task(actor, document, kind)
    complete_task(task, actor, text)
    step = add_step(document, actor, step_kind, task=task, text=text)
    activate_next(document)
    document.save(update_fields=["updated_at"])
    describe(obj=document, summary=str(workflow.TRANSITIONS[name].label), after={"task": task.pk})
    return step


@action("documents.outgoing.review", permission=permission("review"))
def review(actor, *, document, comment: str = "") -> OutgoingDocument:
    """The drafting unit's leader passes the draft on (Art. 12: answers for its content)."""
    document = lock(document)
    workflow.check(document, "review")
    _finish(
        actor,
        document,
        TaskKind.REVIEW,
        OutgoingStepKind.REVIEWED,
        (comment or "").strip(),
        "review",
    )
    return document


@stores_files
@action("documents.outgoing.opinion", permission=permission("opinion"))
def give_opinion(actor, *, document, text: str, files=()) -> OutgoingDocument:
    """Give the opinion asked of you (or of your unit), with files if any.

    Who: the person asked, or any member of the unit asked. The text is required; files are
    stored as opinion files of the step (they are not part of the draft).
    """
    document = lock(document)
    text = (text or "").strip()
    workflow.check(document, "opinion", text=text)
    uploads = list(files)
    errors = check_uploads(uploads)
    if errors:
        raise ValidationError({"files": errors})
    step = _finish(actor, document, TaskKind.OPINION, OutgoingStepKind.OPINION, text, "opinion")
    for upload in uploads:
        store_upload(document, upload, actor, kind=OutgoingFileKind.OPINION, step=step)
    return document


@action("documents.outgoing.check", permission=permission("check"))
def check_form(actor, *, document, comment: str = "") -> OutgoingDocument:
    """The office checks the form and presentation (Art. 12; App. I) and passes it on.

    Who: the named clerk, or any clerk of the agency when the check was left to the office.
    """
    document = lock(document)
    workflow.check(document, "check")
    _finish(
        actor,
        document,
        TaskKind.FORM_CHECK,
        OutgoingStepKind.FORM_CHECKED,
        (comment or "").strip(),
        "check",
    )
    return document


@action("documents.outgoing.approve", permission=permission("approve"))
def approve(actor, *, document, comment: str = "") -> OutgoingDocument:
    """The signer approves the draft (Art. 11): in review → approved, ready to sign.

    Possible only when the approval is the current stage (every earlier task is done).
    """
    document = lock(document)
    task = _my_task(actor, document, TaskKind.APPROVAL)
    before, after = workflow.apply(document, "approve")
    comment = (comment or "").strip()
    complete_task(task, actor, comment)
    document.approved_at = timezone.now()
    document.save(update_fields=["status", "approved_at", "updated_at"])
    add_step(document, actor, OutgoingStepKind.APPROVED, task=task, text=comment)
    describe(obj=document, before={"status": before}, after={"status": after})
    return document


@action("documents.outgoing.reject", permission=permission("reject"))
def reject(actor, *, document, comment: str, back_to: str = "drafter") -> OutgoingDocument:
    """Send the draft back with a comment: to the drafter, or to the previous stage.

    Who: the holder of a pending review, form-check or approval task. ``back_to="drafter"``
    (default): the round ends, open tasks are cancelled, the draft is ``returned`` to its
    drafter, who changes it and sends it again. ``back_to="previous"``: the tasks of the
    stage before become pending again (the current stage waits for them); with no earlier
    stage the draft goes back to the drafter. Writes a ``sent back`` step with the comment.
    """
    document = lock(document)
    comment = (comment or "").strip()
    workflow.check(document, "reject", comment=comment)
    if back_to not in ("drafter", "previous"):
        raise ValidationError({"back_to": _("Send back to the drafter or to the previous step.")})
    task = _my_task(actor, document, *TASK_STEPS["reject"])
    tasks = round_tasks(document)
    previous_stage = (
        tasks.filter(stage__lt=task.stage, state=TaskState.DONE)
        .order_by("-stage")
        .values_list("stage", flat=True)
        .first()
        if back_to == "previous"
        else None
    )
    before = document.status
    if previous_stage is None:
        task.state = TaskState.REJECTED
        task.comment = comment
        task.completed_at = timezone.now()
        task.completed_by = actor
        task.save(update_fields=["state", "comment", "completed_at", "completed_by"])
        cancel_open_tasks(document)
        document.status = OutgoingStatus.RETURNED
        document.save(update_fields=["status", "updated_at"])
        add_step(
            document,
            actor,
            OutgoingStepKind.REJECTED,
            user=document.drafter,
            task=task,
            text=comment,
        )
    else:
        tasks.filter(stage=task.stage, state=TaskState.PENDING).update(state=TaskState.WAITING)
        reopened = list(tasks.filter(stage=previous_stage, state=TaskState.DONE))
        now = timezone.now()
        for earlier in reopened:
            earlier.state = TaskState.PENDING
            earlier.activated_at = now
            earlier.completed_at = None
            earlier.completed_by = None
            earlier.save(update_fields=["state", "activated_at", "completed_at", "completed_by"])
        first = reopened[0] if reopened else None
        add_step(
            document,
            actor,
            OutgoingStepKind.REJECTED,
            user=first.assignee_user if first else None,
            unit=first.assignee_unit if first else None,
            task=task,
            text=comment,
        )
        document.save(update_fields=["updated_at"])
    describe(
        obj=document,
        summary=_("Sent back: %(comment)s") % {"comment": comment[:300]},
        before={"status": before},
        after={
            "status": document.status,
            "back_to": back_to if previous_stage is not None else "drafter",
        },
    )
    return document
