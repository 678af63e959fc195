"""Helpers shared by the outgoing-document actions (not actions themselves)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.documents import files as file_store
from coquan.documents.choices import (
    OutgoingFileKind,
    RecipientKind,
    SignatureLevel,
    TaskState,
)
from coquan.documents.models import (
    ChainTask,
    OutgoingDocument,
    OutgoingFile,
    OutgoingRecipient,
    OutgoingStep,
    OutgoingVersion,
)
from coquan.documents.outgoing_permissions import OutgoingAccess


def lock(document) -> OutgoingDocument:
    """The document's row, locked for the rest of the transaction (fresh status).

    Only the document's own row is locked (``of``); its agency, type and drafting unit
    come in the same query.
    """
    return (
        OutgoingDocument.objects.select_for_update(of=("self",))
        .select_related("agency", "document_type", "drafting_unit")
        .get(pk=document.pk)
    )


def permission(step: str):
    """The permission check of an action taking ``step`` on ``document``."""

    def check(actor, *, document, **_kwargs):
        OutgoingAccess(actor, document).require(step)

    return check


def add_step(document, actor, kind, **fields) -> OutgoingStep:
    """Write one row of the document's timeline, for its current version."""
    return OutgoingStep.objects.create(
        document=document, actor=actor, kind=kind, version=document.version, **fields
    )


# --- Files ------------------------------------------------------------------------------------


def current_files(document):
    """The current version of every file of the document (opinion files excluded)."""
    return list(
        OutgoingFile.objects.filter(document=document, replaced_by__isnull=True)
        .exclude(kind=OutgoingFileKind.OPINION)
        .order_by("kind", "uploaded_at", "pk")
    )


def current_main(document) -> OutgoingFile | None:
    for stored in current_files(document):
        if stored.kind == OutgoingFileKind.MAIN:
            return stored
    return None


def check_uploads(uploads) -> list[str]:
    errors = []
    for upload in uploads:
        try:
            file_store.check_upload(upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
    return errors


def store_upload(document, upload, actor, *, kind, replaces=None, step=None) -> OutgoingFile:
    """Check and store one upload as a file of ``document`` (a new version of ``replaces``)."""
    file_type = file_store.check_upload(upload)
    fields = file_store.store(
        upload, agency_id=document.agency_id, file_type=file_type, folder="outgoing"
    )
    return OutgoingFile.objects.create(
        document=document,
        kind=kind,
        step=step,
        uploaded_by=actor,
        version=(replaces.version + 1) if replaces is not None else 1,
        replaces=replaces,
        **fields,
    )


def store_signed(document, data: bytes, actor, *, replaces, signature, step=None) -> OutgoingFile:
    """Store the bytes a signer produced, exactly, as the next version of ``replaces``."""
    from coquan.documents.filetypes import PDF

    fields = file_store.store_bytes(
        data,
        name=replaces.original_name,
        agency_id=document.agency_id,
        file_type=PDF,
        folder="outgoing",
    )
    return OutgoingFile.objects.create(
        document=document,
        kind=replaces.kind,
        signature=signature,
        step=step,
        uploaded_by=actor,
        version=replaces.version + 1,
        replaces=replaces,
        **fields,
    )


def is_pdf(stored: OutgoingFile) -> bool:
    return stored.mime_type == "application/pdf"


SIGNED_LEVELS = (SignatureLevel.PERSONAL, SignatureLevel.SEAL)


# --- Versions ---------------------------------------------------------------------------------

SNAPSHOT_FIELDS = (
    "document_type",
    "subject",
    "urgency",
    "secrecy",
    "signer",
    "signer_competence",
    "signer_position",
    "drafting_unit",
    "reply_to",
    "series",
    "copies",
    "description",
    "recipients",
    "files",
)


def snapshot(document) -> dict:
    """A flat, printable picture of the draft (what a version stores and the diff compares)."""
    recipients = [
        f"{r.label} ({r.get_purpose_display()})"
        for r in document.recipients.select_related("agency", "external", "unit", "user")
    ]
    files = [
        f"{f.get_kind_display()}: {f.original_name} (v{f.version}, {f.sha256[:12]})"
        for f in current_files(document)
    ]
    reply = document.reply_to
    return {
        "document_type": document.document_type.name,
        "subject": document.subject,
        "urgency": str(document.get_urgency_display()),
        "secrecy": str(document.get_secrecy_display()),
        "signer": document.signer.get_full_name() if document.signer_id else "",
        "signer_competence": document.signer_competence,
        "signer_position": document.signer_position,
        "drafting_unit": document.drafting_unit.name if document.drafting_unit_id else "",
        "reply_to": (
            f"{reply.arrival_number} — {reply.number_and_notation or reply.subject[:60]}"
            if reply is not None
            else ""
        ),
        "series": document.series.name if document.series_id else "",
        "copies": str(document.copies),
        "description": document.description,
        "recipients": "; ".join(recipients),
        "files": "; ".join(files),
    }


def write_version(document, actor) -> OutgoingVersion:
    return OutgoingVersion.objects.create(
        document=document, number=document.version, data=snapshot(document), created_by=actor
    )


# --- Recipients -------------------------------------------------------------------------------


def normalise_recipients(agency, recipients) -> list[dict]:
    """Validated recipient rows from ``(kind, target[, purpose])`` items.

    Agencies of the deployment (not the issuing agency itself: its units and people are
    internal recipients), entries of the agency's directory, units and people of the same
    agency, and free-text lines (≤ 300 characters).
    """
    from coquan.documents.actions.common import is_active_member
    from coquan.documents.choices import RecipientPurpose
    from coquan.documents.models import ExternalAgency

    rows = []
    errors = []
    seen = set()
    today = timezone.localdate()
    for item in recipients or ():
        kind, target = item[0], item[1]
        purpose = item[2] if len(item) > 2 and item[2] else RecipientPurpose.ACTION
        if purpose not in RecipientPurpose.values:
            errors.append(_("Unknown recipient purpose."))
            continue
        row = {"kind": kind, "purpose": purpose}
        if kind == RecipientKind.AGENCY:
            if target is None or target.pk == agency.pk:
                errors.append(_("Send to units or people of your own agency, not to the agency."))
                continue
            row["agency"] = target
        elif kind == RecipientKind.EXTERNAL:
            if (
                target is None
                or not ExternalAgency.objects.available_to(agency).filter(pk=target.pk).exists()
            ):
                errors.append(_("This agency is not in your directory."))
                continue
            row["external"] = target
        elif kind == RecipientKind.UNIT:
            if target is None or target.agency_id != agency.pk or not target.is_active_on(today):
                errors.append(_("“%(name)s” is not a unit of your agency.") % {"name": target})
                continue
            row["unit"] = target
        elif kind == RecipientKind.USER:
            if not is_active_member(target, agency):
                errors.append(_("“%(name)s” is not a member of your agency.") % {"name": target})
                continue
            row["user"] = target
        elif kind == RecipientKind.TEXT:
            text = (target or "").strip()
            if not text:
                continue
            if len(text) > 300:
                errors.append(_("A recipient line has at most 300 characters."))
                continue
            row["text"] = text
        else:
            errors.append(_("Unknown kind of recipient."))
            continue
        target_row = row.get(kind) if kind != RecipientKind.TEXT else None
        key = (kind, target_row.pk if target_row is not None else row.get("text"))
        if key in seen:
            continue
        seen.add(key)
        rows.append(row)
    if errors:
        raise ValidationError({"recipients": errors}, code="invalid")
    return rows


def replace_recipients(document, rows: list[dict]) -> None:
    document.recipients.all().delete()
    OutgoingRecipient.objects.bulk_create(
        [OutgoingRecipient(document=document, order=index, **row) for index, row in enumerate(rows)]
    )


# --- The chain --------------------------------------------------------------------------------


def deadline_from(due_days: int | None) -> dt.date | None:
    """The date ``due_days`` working days from now (``workdays`` calendar, 15:00 cut-off)."""
    if not due_days:
        return None
    from coquan.workdays.calendar import add_working_days

    return timezone.localtime(add_working_days(timezone.now(), due_days)).date()


def round_tasks(document):
    return ChainTask.objects.filter(document=document, round=document.round)


def current_stage(document) -> int | None:
    """The lowest stage of the current round that still has a pending task."""
    return round_tasks(document).filter(state=TaskState.PENDING).aggregate(s=Min("stage"))["s"]


def activate_next(document) -> list[ChainTask]:
    """Start the next stage when no task is pending: its tasks become pending with deadlines."""
    tasks = round_tasks(document)
    if tasks.filter(state=TaskState.PENDING).exists():
        return []
    stage = tasks.filter(state=TaskState.WAITING).aggregate(s=Min("stage"))["s"]
    if stage is None:
        return []
    now = timezone.now()
    started = list(tasks.filter(state=TaskState.WAITING, stage=stage))
    for task in started:
        task.state = TaskState.PENDING
        task.activated_at = now
        task.deadline = deadline_from(task.due_days)
        task.save(update_fields=["state", "activated_at", "deadline"])
    return started


def make_room_after(document, stage: int, count: int) -> None:
    """Shift the later stages of the current round by ``count`` to insert new stages."""
    round_tasks(document).filter(stage__gt=stage).update(stage=F("stage") + count)


def complete_task(task, actor, comment: str = "") -> ChainTask:
    task.state = TaskState.DONE
    task.completed_at = timezone.now()
    task.completed_by = actor
    task.comment = comment
    task.save(update_fields=["state", "completed_at", "completed_by", "comment"])
    return task


def cancel_open_tasks(document) -> int:
    """Cancel every waiting or pending task of the document (all rounds)."""
    return ChainTask.objects.filter(
        document=document, state__in=(TaskState.WAITING, TaskState.PENDING)
    ).update(state=TaskState.CANCELLED)
