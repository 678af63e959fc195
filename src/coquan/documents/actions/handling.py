"""Handling incoming documents (Decree 30/2020 Art. 24): work, opinions, files, closing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.documents import files as file_store
from coquan.documents import workflow
from coquan.documents.actions.common import (
    add_step,
    check_files,
    lock,
    permission,
    store_files,
    stores_files,
)
from coquan.documents.choices import StepKind
from coquan.documents.models import Attachment, HandlingStep, IncomingDocument
from coquan.documents.text_extraction import queue_extraction

# --- Handling ------------------------------------------------------------------------------------


@action("documents.incoming.start", permission=permission("start"))
def start_handling(actor, *, document) -> IncomingDocument:
    """The lead handler (or a leader) starts working on the document: assigned → in progress."""
    document = lock(document)
    before, after = workflow.apply(document, "start")
    document.save(update_fields=["status", "updated_at"])
    add_step(document, actor, StepKind.STARTED)
    describe(obj=document, before={"status": before}, after={"status": after})
    return document


@stores_files
@action("documents.incoming.opinion", permission=permission("opinion"))
def add_opinion(actor, *, document, text: str, files=()) -> HandlingStep:
    """Add an opinion (and files) to the handling trail; the status does not change.

    Who: the lead handler, a co-handler of the current round, the unit leader of the lead
    unit, or a leader. The files are attached to the opinion's step.
    """
    document = lock(document)
    workflow.check(document, "opinion")
    text = (text or "").strip()
    uploads = list(files)
    errors = {}
    if not text:
        errors["text"] = [_("Write the opinion.")]
    file_errors = check_files(uploads)
    if file_errors:
        errors["files"] = file_errors
    if errors:
        raise ValidationError(errors)
    step = add_step(document, actor, StepKind.OPINION, text=text)
    stored = store_files(document, uploads, actor, step=step)
    describe(
        obj=document,
        summary=_("Opinion added"),
        after={"step": step.pk, "files": [a.sha256 for a in stored]},
    )
    return step


@stores_files
@action("documents.incoming.add_file", permission=permission("add_file"))
def add_attachment(actor, *, document, file, replaces=None) -> Attachment:
    """Add a file to the document, or a corrected version of one of its files.

    Who: a clerk, or the lead handler. Stored files never change (Decree 30/2020 App. VI,
    integrity): a correction is a new row that ``replaces`` the current version, whose
    history stays. Writes an ``attachment`` step.
    """
    document = lock(document)
    workflow.check(document, "add_file")
    version = 1
    if replaces is not None:
        replaces = (
            Attachment.objects.with_current_flag()
            .filter(pk=getattr(replaces, "pk", replaces), document=document)
            .first()
        )
        if replaces is None or not replaces.is_current:
            raise ValidationError(
                {
                    "replaces": _(
                        "Only the current version of a file of this document can be replaced."
                    )
                },
                code="invalid",
            )
        version = replaces.version + 1
    file_type = file_store.check_upload(file)
    step = add_step(document, actor, StepKind.ATTACHMENT, text=file_store.safe_filename(file.name))
    fields = file_store.store(file, agency_id=document.agency_id, file_type=file_type)
    attachment = Attachment.objects.create(
        document=document,
        step=step,
        uploaded_by=actor,
        version=version,
        replaces=replaces,
        **fields,
    )
    queue_extraction(attachment)
    describe(
        obj=document,
        summary=_("File added: %(name)s") % {"name": attachment.original_name},
        after={"attachment": attachment.pk, "sha256": attachment.sha256, "version": version},
    )
    return attachment


@action("documents.incoming.complete", permission=permission("complete"))
def complete(actor, *, document, result_note: str) -> IncomingDocument:
    """Close the document with a note of what was done: assigned/in progress → done.

    Who: the lead handler or a leader. Writes a ``done`` step carrying the result note.
    """
    document = lock(document)
    result_note = (result_note or "").strip()
    before, after = workflow.apply(document, "complete", result_note=result_note)
    document.result_note = result_note
    document.completed_at = timezone.now()
    document.save(update_fields=["status", "result_note", "completed_at", "updated_at"])
    add_step(document, actor, StepKind.DONE, text=result_note)
    describe(obj=document, before={"status": before}, after={"status": after})
    return document


@action("documents.incoming.reopen", permission=permission("reopen"))
def reopen(actor, *, document, reason: str) -> IncomingDocument:
    """A leader reopens a closed document: done → in progress, with the reason."""
    document = lock(document)
    reason = (reason or "").strip()
    before, after = workflow.apply(document, "reopen", reason=reason)
    document.completed_at = None
    document.save(update_fields=["status", "completed_at", "updated_at"])
    add_step(document, actor, StepKind.REOPENED, text=reason)
    describe(obj=document, before={"status": before}, after={"status": after})
    return document


@action("documents.incoming.return", permission=permission("return"))
def return_document(actor, *, document, reason: str) -> IncomingDocument:
    """Send the document back to the clerk's office with the reason: → returned.

    Who: a leader, the lead handler or the unit leader of the lead unit (wrong addressee,
    not within the unit's competence ...). The clerk presents it again or refuses it.
    """
    document = lock(document)
    reason = (reason or "").strip()
    before, after = workflow.apply(document, "return", reason=reason)
    document.save(update_fields=["status", "updated_at"])
    add_step(document, actor, StepKind.RETURNED, text=reason)
    describe(obj=document, before={"status": before}, after={"status": after})
    return document


@action("documents.incoming.refuse", permission=permission("refuse"))
def refuse(actor, *, document, reason: str) -> IncomingDocument:
    """The clerk refuses a document that does not belong to the agency: → refused (final).

    Decree 30/2020 Art. 21: a document that reached the wrong place is sent back to its
    sender (for electronic ones the exchange app reports status 02 on this step).
    """
    document = lock(document)
    reason = (reason or "").strip()
    before, after = workflow.apply(document, "refuse", reason=reason)
    document.save(update_fields=["status", "updated_at"])
    add_step(document, actor, StepKind.REFUSED, text=reason)
    describe(obj=document, before={"status": before}, after={"status": after})
    return document
