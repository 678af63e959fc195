"""Drafting outgoing documents (Decree 30/2020 Arts. 10–11): create, change, send, withdraw."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.core.access import roles_in
from coquan.core.actions import action, describe
from coquan.documents import outgoing_workflow as workflow
from coquan.documents.actions.common import is_active_member, stores_files
from coquan.documents.actions.outgoing_common import (
    activate_next,
    add_step,
    cancel_open_tasks,
    check_uploads,
    current_main,
    lock,
    normalise_recipients,
    permission,
    replace_recipients,
    round_tasks,
    snapshot,
    store_upload,
    write_version,
)
from coquan.documents.choices import (
    Competence,
    OutgoingFileKind,
    OutgoingStatus,
    OutgoingStepKind,
    Secrecy,
    SeriesScope,
    TaskKind,
    TaskState,
    Urgency,
)
from coquan.documents.models import (
    ChainTask,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
)
from coquan.documents.outgoing_permissions import can_draft

#: The metadata a draft's author sets (and may change until the document is signed).
DRAFT_FIELDS = (
    "document_type",
    "subject",
    "signer",
    "drafting_unit",
    "urgency",
    "secrecy",
    "signer_competence",
    "signer_position",
    "description",
    "copies",
    "reply_to",
    "series",
)

FIELD_LABELS = {
    "document_type": gettext_lazy("Document type"),
    "subject": gettext_lazy("Subject"),
    "signer": gettext_lazy("Signer"),
    "drafting_unit": gettext_lazy("Drafting unit"),
    "urgency": gettext_lazy("Urgency"),
    "secrecy": gettext_lazy("Secrecy"),
    "signer_competence": gettext_lazy("Signing authority"),
    "signer_position": gettext_lazy("Signer's position"),
    "description": gettext_lazy("Note"),
    "copies": gettext_lazy("Number of copies"),
    "reply_to": gettext_lazy("In reply to"),
    "series": gettext_lazy("Numbering series"),
    "recipients": gettext_lazy("Recipients"),
    "files": gettext_lazy("Files"),
}


def _membership(user, agency):
    from coquan.org.models import Membership

    return (
        Membership.objects.active_on(timezone.localdate())
        .filter(user_id=getattr(user, "pk", None), agency_id=agency.pk)
        .select_related("unit", "position")
        .order_by("unit_id")
        .first()
    )


def _validate(actor, agency, values: dict) -> None:
    """Refuse values a draft may not hold (``ValidationError`` naming the fields)."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    doc_type = values.get("document_type")
    if (
        doc_type is None
        or not DocumentType.objects.available_to(agency).filter(pk=doc_type.pk).exists()
    ):
        add("document_type", _("Choose a document type your agency uses."))
    subject = values.get("subject") or ""
    if not subject:
        add("subject", _("Write the subject of the document."))
    elif len(subject) > 500:
        add("subject", _("At most %(limit)d characters.") % {"limit": 500})
    signer = values.get("signer")
    if signer is not None and "leader" not in roles_in(signer, agency):
        add("signer", _("The signer must be a leader of the agency."))
    unit = values.get("drafting_unit")
    if unit is not None and (
        unit.agency_id != agency.pk or not unit.is_active_on(timezone.localdate())
    ):
        add("drafting_unit", _("Choose a unit of your agency."))
    if values.get("urgency") not in Urgency.values:
        add("urgency", _("Unknown urgency."))
    if values.get("secrecy") not in Secrecy.values:
        add("secrecy", _("Unknown secrecy level."))
    if values.get("signer_competence", "") not in Competence.values:
        add("signer_competence", _("Unknown signing authority."))
    for field, limit in (("signer_position", 100), ("description", 500)):
        if len(values.get(field) or "") > limit:
            add(field, _("At most %(limit)d characters.") % {"limit": limit})
    copies = values.get("copies")
    if not isinstance(copies, int) or not 1 <= copies <= 999:
        add("copies", _("Between 1 and 999 copies."))
    reply = values.get("reply_to")
    if reply is not None and (
        reply.agency_id != agency.pk
        or not IncomingDocument.objects.visible_to(actor).filter(pk=reply.pk).exists()
    ):
        add("reply_to", _("You can only reply to an incoming document of your agency you can see."))
    series = values.get("series")
    if series is not None and (
        series.agency_id != agency.pk or series.scope != SeriesScope.BOARD or not series.is_active
    ):
        add("series", _("Only an advisory board's series of your agency can be chosen."))
    if errors:
        raise ValidationError(errors)


def _clean(values: dict) -> dict:
    cleaned = dict(values)
    for field in ("subject", "signer_position", "description"):
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()
    if "signer_competence" in cleaned:
        cleaned["signer_competence"] = cleaned["signer_competence"] or ""
    if "urgency" in cleaned:
        cleaned["urgency"] = int(cleaned["urgency"]) if cleaned["urgency"] is not None else 0
    if "secrecy" in cleaned:
        cleaned["secrecy"] = cleaned["secrecy"] or Secrecy.NONE
    if "copies" in cleaned and cleaned["copies"] is not None:
        cleaned["copies"] = int(cleaned["copies"])
    return cleaned


def _signer_position(signer, agency) -> str:
    membership = _membership(signer, agency)
    return membership.position.name if membership and membership.position_id else ""


def _require_drafter(actor, *, agency, **_kwargs):
    if not can_draft(actor, agency):
        raise PermissionDenied(_("Only officers and leaders of the agency draft documents."))


@stores_files
@action("documents.outgoing.create", permission=_require_drafter)
def create_draft(
    actor,
    *,
    agency,
    document_type,
    subject: str,
    signer=None,
    drafting_unit=None,
    urgency: int = Urgency.NORMAL,
    secrecy: str = Secrecy.NONE,
    signer_competence: str = "",
    signer_position: str = "",
    description: str = "",
    copies: int = 1,
    reply_to=None,
    series=None,
    recipients=(),
    main_file=None,
    attachments=(),
) -> OutgoingDocument:
    """Create a draft outgoing document (dự thảo), version 1.

    Who: an officer, unit leader or leader of ``agency`` (Decree 30/2020 Art. 10: the
    drafter sets the type, content, secrecy and urgency and uploads the draft and its
    attachments). ``reply_to`` links the incoming document it answers (shown on both
    pages). ``recipients`` are ``(kind, target[, purpose])`` items (see
    ``outgoing_common.normalise_recipients``). The drafting unit defaults to the drafter's
    unit, the signer's position to the signer's position in the agency. Refuses
    (``ValidationError``, nothing stored) an unknown type, an empty subject, a signer who is
    not a leader, a reply to a document the drafter cannot see, a file that is not an
    accepted type. Writes version 1 and a ``created`` step.
    """
    if drafting_unit is None:
        membership = _membership(actor, agency)
        drafting_unit = membership.unit if membership else None
    values = _clean(
        {
            "document_type": document_type,
            "subject": subject,
            "signer": signer,
            "drafting_unit": drafting_unit,
            "urgency": urgency,
            "secrecy": secrecy,
            "signer_competence": signer_competence,
            "signer_position": signer_position,
            "description": description,
            "copies": copies,
            "reply_to": reply_to,
            "series": series,
        }
    )
    _validate(actor, agency, values)
    rows = normalise_recipients(agency, recipients)
    document, version = new_draft(actor, agency, values, rows, main_file, attachments)
    describe(
        agency=agency,
        obj=document,
        summary=_("Draft: %(subject)s") % {"subject": document.subject[:200]},
        after=version.data,
    )
    return document


def new_draft(actor, agency, values, rows, main_file, attachments, **extra):
    """Store a validated draft: the row, its recipients, files, version 1, ``created`` step.

    Returns ``(document, version)``.

    Shared by ``create_draft`` and ``create_revision`` (the caller validates ``values`` and
    ``rows`` and writes the audit entry).
    """
    uploads = [f for f in [main_file, *attachments] if f is not None]
    file_errors = check_uploads(uploads)
    if file_errors:
        raise ValidationError({"files": file_errors})
    signer = values.get("signer")
    if signer is not None and not values["signer_position"]:
        values["signer_position"] = _signer_position(signer, agency)
    if signer is not None:
        values["signer_name"] = signer.get_full_name()[:50]
    document = OutgoingDocument.objects.create(agency=agency, drafter=actor, **values, **extra)
    replace_recipients(document, rows)
    step = add_step(document, actor, OutgoingStepKind.CREATED)
    if main_file is not None:
        store_upload(document, main_file, actor, kind=OutgoingFileKind.MAIN, step=step)
    for upload in attachments:
        store_upload(document, upload, actor, kind=OutgoingFileKind.APPENDIX, step=step)
    version = write_version(document, actor)
    return document, version


def _reopen_approval(document, actor) -> None:
    """A change after approval sends the draft back to the signer (Decree 30/2020 Art. 11)."""
    task = round_tasks(document).filter(kind=TaskKind.APPROVAL).order_by("-stage", "-pk").first()
    now = timezone.now()
    if task is None:
        task = ChainTask.objects.create(
            document=document,
            round=document.round,
            stage=1,
            kind=TaskKind.APPROVAL,
            assignee_user=document.signer,
            requested_by=actor,
        )
    task.state = TaskState.PENDING
    task.assignee_user = document.signer
    task.activated_at = now
    task.completed_at = None
    task.completed_by = None
    task.save(
        update_fields=["state", "assignee_user", "activated_at", "completed_at", "completed_by"]
    )
    document.status = OutgoingStatus.IN_REVIEW
    document.approved_at = None
    add_step(document, actor, OutgoingStepKind.BACK_TO_SIGNER, user=document.signer, task=task)


@stores_files
@action("documents.outgoing.edit", permission=permission("edit"))
def update_draft(
    actor, *, document, changes: dict | None = None, recipients=None, main_file=None, attachments=()
) -> OutgoingDocument:
    """Change a draft's metadata, recipients or files; every saved change is a new version.

    Who: the drafter, or the holder of a pending review, form-check or approval task (App.
    VI: authorised users edit and return drafts). Allowed until the document is signed;
    afterwards it is frozen (``ValidationError`` code ``frozen``, nothing changed). Files
    are never overwritten: a new main file is the next version of the current one. A change
    after approval sends the draft back to the signer (Art. 11): the status returns to
    ``in_review`` with the signer's approval pending again. Refuses a save that changes
    nothing (code ``unchanged``). Writes a version, an ``edited`` step (listing the changed
    parts) and the audit entry with before/after of the changed parts.
    """
    document = lock(document)
    workflow.check(document, "edit")
    changes = {k: v for k, v in (changes or {}).items() if k in DRAFT_FIELDS}
    before = snapshot(document)
    values = {name: getattr(document, name) for name in DRAFT_FIELDS}
    values.update(_clean(changes))
    _validate(actor, document.agency, values)
    rows = normalise_recipients(document.agency, recipients) if recipients is not None else None
    uploads = [f for f in [main_file, *attachments] if f is not None]
    file_errors = check_uploads(uploads)
    if file_errors:
        raise ValidationError({"files": file_errors})
    signer_changed = "signer" in changes and values["signer"] != document.signer
    for name in DRAFT_FIELDS:
        setattr(document, name, values[name])
    if signer_changed and document.signer is not None:
        document.signer_name = document.signer.get_full_name()[:50]
        if "signer_position" not in changes:
            document.signer_position = _signer_position(document.signer, document.agency)
    if rows is not None:
        replace_recipients(document, rows)
    step = add_step(document, actor, OutgoingStepKind.EDITED)
    if main_file is not None:
        store_upload(
            document,
            main_file,
            actor,
            kind=OutgoingFileKind.MAIN,
            replaces=current_main(document),
            step=step,
        )
    for upload in attachments:
        store_upload(document, upload, actor, kind=OutgoingFileKind.APPENDIX, step=step)
    after = snapshot(document)
    changed = [key for key in after if after[key] != before[key]]
    if not changed:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    document.version += 1
    step.version = document.version
    step.text = ", ".join(str(FIELD_LABELS.get(key, key)) for key in changed)
    step.save(update_fields=["version", "text"])
    status_before = document.status
    if signer_changed and document.status == OutgoingStatus.IN_REVIEW:
        round_tasks(document).filter(
            kind=TaskKind.APPROVAL, state__in=(TaskState.WAITING, TaskState.PENDING)
        ).update(assignee_user=document.signer)
    if document.status == OutgoingStatus.APPROVED:
        _reopen_approval(document, actor)
    document.save()
    write_version(document, actor)
    describe(
        obj=document,
        summary=_("Draft changed (version %(version)s)") % {"version": document.version},
        before={"status": status_before, **{key: before[key] for key in changed}},
        after={"status": document.status, **{key: after[key] for key in changed}},
    )
    return document


def _stage_tasks(document, actor, *, reviewer, opinions, sequential, due_days, form_check, checker):
    """The tasks of a new round, stage by stage (Decree 30/2020 Arts. 10–12)."""
    from coquan.org.models import Unit

    stage = 0
    tasks = []

    def task(kind, **fields):
        tasks.append(
            ChainTask(
                document=document,
                round=document.round,
                stage=stage,
                kind=kind,
                requested_by=actor,
                **fields,
            )
        )

    if reviewer is not None:
        stage += 1
        task(TaskKind.REVIEW, assignee_user=reviewer)
    if opinions:
        stage += 1
        for index, target in enumerate(opinions):
            if sequential and index:
                stage += 1
            is_unit = isinstance(target, Unit)
            task(
                TaskKind.OPINION,
                assignee_unit=target if is_unit else None,
                assignee_user=None if is_unit else target,
                due_days=due_days,
            )
    if form_check:
        stage += 1
        task(
            TaskKind.FORM_CHECK,
            assignee_user=checker,
            pool_role="" if checker is not None else "clerk",
        )
    stage += 1
    task(TaskKind.APPROVAL, assignee_user=document.signer)
    return ChainTask.objects.bulk_create(tasks)


def default_reviewer(document):
    """The leader of the drafting unit who reviews (the first by name), unless it is the drafter."""
    from coquan.accounts.models import User
    from coquan.org.models import Membership

    if document.drafting_unit_id is None:
        return None
    leaders = (
        Membership.objects.active_on(timezone.localdate())
        .filter(unit_id=document.drafting_unit_id, roles__code="unit_leader")
        .values("user_id")
    )
    people = User.objects.filter(pk__in=leaders).order_by("full_name", "pk")
    if people.filter(pk=document.drafter_id).exists():
        return None
    return people.first()


def check_opinion_targets(document, targets) -> list:
    """Units and people of the document's agency (in force) who can be asked for an opinion."""
    from coquan.org.models import Unit

    result = []
    today = timezone.localdate()
    for target in targets or ():
        if isinstance(target, Unit):
            ok = target.agency_id == document.agency_id and target.is_active_on(today)
        else:
            ok = is_active_member(target, document.agency)
        if not ok:
            raise ValidationError(
                {"opinions": _("“%(name)s” cannot be asked for an opinion.") % {"name": target}},
                code="invalid_target",
            )
        if target not in result:
            result.append(target)
    return result


def check_due_days(due_days) -> int:
    try:
        days = int(due_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 60:
        raise ValidationError(
            {"due_days": _("Give between 1 and 60 working days.")}, code="invalid"
        )
    return days


@action("documents.outgoing.submit", permission=permission("submit"))
def submit(
    actor,
    *,
    document,
    reviewer=None,
    skip_review: bool = False,
    opinions=(),
    opinion_due_days: int = 3,
    sequential: bool = False,
    form_check: bool = True,
    checker=None,
) -> OutgoingDocument:
    """Send the draft for review and approval: draft/returned → in review (a new round).

    Who: the drafter. The chain (Decree 30/2020 Arts. 10–12), one stage after the other:
    review by the drafting unit's leader (``reviewer``, by default the unit's leader; none
    when ``skip_review`` or when the drafter leads the unit); opinions of other units or
    people (``opinions``; in parallel, or one after the other when ``sequential``; each
    with a deadline of ``opinion_due_days`` working days from when it is asked); the form
    check by the office (``checker``, a clerk, or any clerk of the agency; skipped when
    ``form_check`` is false); approval by the signer. Needs a signer and a main file.
    Tasks of an earlier round that were still open are cancelled. Writes a ``submitted``
    step and an ``opinion requested`` step per opinion.
    """
    document = lock(document)
    main = current_main(document)
    before, after = workflow.apply(document, "submit", main_file=main)
    if reviewer is not None and not skip_review:
        if not {"unit_leader", "leader"} & roles_in(reviewer, document.agency_id):
            raise ValidationError(
                {"reviewer": _("The reviewer must be a unit leader or a leader.")}, code="invalid"
            )
    elif not skip_review:
        reviewer = default_reviewer(document)
    if skip_review or reviewer == document.drafter:
        reviewer = None
    targets = check_opinion_targets(document, opinions)
    due_days = check_due_days(opinion_due_days) if targets else None
    if checker is not None and "clerk" not in roles_in(checker, document.agency_id):
        raise ValidationError({"checker": _("The form checker must be a clerk.")}, code="invalid")
    cancel_open_tasks(document)
    document.round += 1
    document.submitted_at = timezone.now()
    document.save(update_fields=["status", "round", "submitted_at", "updated_at"])
    _stage_tasks(
        document,
        actor,
        reviewer=reviewer,
        opinions=targets,
        sequential=sequential,
        due_days=due_days,
        form_check=form_check,
        checker=checker,
    )
    started = activate_next(document)
    add_step(
        document,
        actor,
        OutgoingStepKind.SUBMITTED,
        user=started[0].assignee_user if started else None,
    )
    for task in (
        round_tasks(document)
        .filter(kind=TaskKind.OPINION)
        .select_related("assignee_unit", "assignee_user")
    ):
        add_step(
            document,
            actor,
            OutgoingStepKind.OPINION_REQUESTED,
            user=task.assignee_user,
            unit=task.assignee_unit,
            task=task,
            deadline=task.deadline,
        )
    describe(
        obj=document,
        summary=_("Sent for review (round %(round)s)") % {"round": document.round},
        before={"status": before},
        after={"status": after, "round": document.round},
    )
    return document


@action("documents.outgoing.withdraw", permission=permission("withdraw"))
def withdraw(actor, *, document, reason: str = "") -> OutgoingDocument:
    """The drafter abandons the draft: → withdrawn (final); open chain tasks are cancelled."""
    document = lock(document)
    before, after = workflow.apply(document, "withdraw")
    cancel_open_tasks(document)
    document.save(update_fields=["status", "updated_at"])
    add_step(document, actor, OutgoingStepKind.WITHDRAWN, text=(reason or "").strip())
    describe(obj=document, before={"status": before}, after={"status": after})
    return document


__all__ = [
    "DRAFT_FIELDS",
    "FIELD_LABELS",
    "create_draft",
    "default_reviewer",
    "submit",
    "update_draft",
    "withdraw",
]
