"""Signing, numbering, issuing and recalling outgoing documents (Decree 30/2020 Arts. 13–15).

Signing happens through ``documents.signing.get_signer`` (the ``Signer`` interface: the
server key by default, replaceable by a USB token or a remote-signing service). The bytes
a signer returns are stored as they are (a new immutable file version), so the signed PDF
is kept byte for byte.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.documents import files as file_store
from coquan.documents import numbering
from coquan.documents import outgoing_workflow as workflow
from coquan.documents.actions import revising
from coquan.documents.actions.common import stores_files
from coquan.documents.actions.outgoing_common import (
    add_step,
    current_files,
    is_pdf,
    lock,
    permission,
    store_signed,
)
from coquan.documents.choices import (
    DeliveryKind,
    OutgoingFileKind,
    OutgoingStepKind,
    RecipientKind,
    Secrecy,
    SignatureLevel,
)
from coquan.documents.models import (
    Delivery,
    InternalReceipt,
    OutgoingDocument,
    RegisterBook,
)
from coquan.documents.signing import SigningError, get_signer
from coquan.documents.signing.placement import appendix_request, personal_request, seal_request


def _signable_main(document, files=None):
    main = next(
        (f for f in (files if files is not None else current_files(document)) if f.kind == "main"),
        None,
    )
    if main is None or not is_pdf(main):
        raise SigningError(
            _("The main document must be a PDF file to be signed digitally. Upload the final PDF."),
            code="not_pdf",
        )
    return main


@stores_files
@action("documents.outgoing.sign", permission=permission("sign"))
def sign(actor, *, document) -> OutgoingDocument:
    """The signer signs the approved document with their personal signature: → signed.

    Who: the document's signer, a leader of the agency (Decree 30/2020 Art. 13). The main
    PDF gets a PAdES signature with the signer's visible image (blue, App. I); the signed
    bytes become a new version of the main file. Refuses a draft that is not approved
    (code ``invalid_transition``), a main file that is not a PDF (``not_pdf``) and a signer
    without a key (``no_signing_key``); nothing is changed then.
    """
    document = lock(document)
    before, after = workflow.apply(document, "sign")
    main = _signable_main(document)
    signer = get_signer(document.agency, holder=actor)
    now = timezone.now()
    signed = signer.sign_pdf(
        file_store.read_bytes(main.file.name), personal_request(document, actor, now)
    )
    document.signed_at = now
    document.signer_name = (actor.get_full_name() or actor.get_username())[:50]
    document.save(update_fields=["status", "signed_at", "signer_name", "updated_at"])
    step = add_step(document, actor, OutgoingStepKind.SIGNED)
    stored = store_signed(
        document, signed, actor, replaces=main, signature=SignatureLevel.PERSONAL, step=step
    )
    describe(
        obj=document,
        summary=_("Signed by %(name)s") % {"name": document.signer_name},
        before={"status": before},
        after={"status": after, "file": stored.pk, "sha256": stored.sha256},
    )
    return document


def _queue_deliveries(document, recipients, skip=frozenset()) -> list[Delivery]:
    """One ``send`` delivery per recipient agency with an identifier (never for secrets).

    ``skip``: identifiers already receiving the document as an update or replacement.
    """
    if document.secrecy != Secrecy.NONE:
        return []
    rows = []
    for recipient in recipients:
        if recipient.organ_id in skip:
            continue
        if recipient.kind == RecipientKind.AGENCY:
            rows.append(
                Delivery(
                    document=document,
                    kind=DeliveryKind.SEND,
                    recipient_agency=recipient.agency,
                    organ_id=recipient.agency.organ_id,
                    name=recipient.agency.name[:200],
                )
            )
        elif recipient.kind == RecipientKind.EXTERNAL and recipient.external.organ_id:
            rows.append(
                Delivery(
                    document=document,
                    kind=DeliveryKind.SEND,
                    recipient_external=recipient.external,
                    organ_id=recipient.external.organ_id,
                    name=recipient.external.name[:200],
                )
            )
    return Delivery.objects.bulk_create(rows, ignore_conflicts=True)


def _deliver_internally(document, recipients) -> list[InternalReceipt]:
    rows = [
        InternalReceipt(document=document, unit_id=r.unit_id, user_id=r.user_id)
        for r in recipients
        if r.kind in (RecipientKind.UNIT, RecipientKind.USER)
    ]
    return InternalReceipt.objects.bulk_create(rows, ignore_conflicts=True)


def _close_reply(document, actor) -> bool:
    """Mark the incoming document this one answers as done (the incoming ``complete`` step).

    Done only when the incoming document is being handled (assigned or in progress); the
    result note names the reply. Writes a ``done`` step on the incoming document.
    """
    from coquan.documents import workflow as incoming_workflow
    from coquan.documents.choices import StepKind
    from coquan.documents.models import HandlingStep, IncomingDocument

    if document.reply_to_id is None:
        return False
    incoming = IncomingDocument.objects.select_for_update().get(pk=document.reply_to_id)
    if not incoming_workflow.is_allowed(incoming, "complete"):
        return False
    note = _("Answered by the issued document %(number)s: %(subject)s") % {
        "number": document.number_and_notation,
        "subject": document.subject[:200],
    }
    incoming_workflow.apply(incoming, "complete", result_note=note)
    incoming.result_note = note
    incoming.completed_at = timezone.now()
    incoming.save(update_fields=["status", "result_note", "completed_at", "updated_at"])
    HandlingStep.objects.create(
        document=incoming,
        actor=actor,
        kind=StepKind.DONE,
        round=incoming.assignment_round,
        text=note,
    )
    return True


@stores_files
@action("documents.outgoing.issue", permission=permission("issue"))
def issue(actor, *, document) -> OutgoingDocument:
    """Number, seal and issue a signed document: signed → issued (frozen).

    Who: a clerk of the agency (Decree 30/2020 Art. 14). In one transaction: the number is
    the next of the document's series for this year (``numbering``: book row locked, gapless
    and unique under concurrency, ``05/QĐ-STTTT``; Art. 15.3: electronic documents are
    numbered and dated by the system), the agency's seal signature is added to the main PDF
    (red image over the left third of the signer's, with the number and time) and to each
    separate PDF attachment (no image; number and ISO 8601 time), one ``Delivery`` is queued
    per recipient agency (the exchange app sends it), internal recipients receive it in their
    inbox, and the incoming document it answers is marked done. An update or replacement
    (``revises``) marks its original (``revising.apply_revision``: replaced → ``replaced``)
    and is queued as ``update`` / ``replace`` for the original's recipients. Refuses a
    document that is not signed (issuing twice: code ``invalid_transition``), an agency
    without a key, a revision whose original was recalled or replaced meanwhile
    (``original_changed``); a refusal changes nothing and uses no number.
    """
    document = lock(document)
    before, after = workflow.apply(document, "issue")
    files = current_files(document)
    main = _signable_main(document, files)
    if main.signature != SignatureLevel.PERSONAL:
        raise ValidationError(
            _("The main document has not been signed by the signer."), code="not_signed"
        )
    signer = get_signer(document.agency)
    original = revising.lock_original_for_issue(document)
    series = numbering.series_for(document)
    now = timezone.now()
    book, number = numbering.next_number(series, timezone.localtime(now).year)
    document.register_book = book
    document.register_number = number
    document.code_number = numbering.format_number(number)
    document.code_notation = numbering.notation_for(document, series)
    document.issued_date = timezone.localtime(now).date()
    document.issued_at = now
    document.issued_by = actor
    step = add_step(document, actor, OutgoingStepKind.ISSUED, text=document.number_and_notation)
    sealed = signer.sign_pdf(file_store.read_bytes(main.file.name), seal_request(document, now))
    stored = store_signed(
        document, sealed, actor, replaces=main, signature=SignatureLevel.SEAL, step=step
    )
    for appendix in files:
        if appendix.kind == OutgoingFileKind.APPENDIX and is_pdf(appendix):
            data = signer.sign_pdf(
                file_store.read_bytes(appendix.file.name), appendix_request(document, now)
            )
            store_signed(
                document, data, actor, replaces=appendix, signature=SignatureLevel.SEAL, step=step
            )
    RegisterBook.objects.filter(pk=book.pk).update(last_number=number)
    document.save(
        update_fields=[
            "status",
            "register_book",
            "register_number",
            "code_number",
            "code_notation",
            "issued_date",
            "issued_at",
            "issued_by",
            "updated_at",
        ]
    )
    recipients = list(document.recipients.select_related("agency", "external"))
    revision_deliveries = (
        revising.apply_revision(document, original, actor) if original is not None else []
    )
    deliveries = revision_deliveries + _queue_deliveries(
        document, recipients, skip={d.organ_id for d in revision_deliveries}
    )
    receipts = _deliver_internally(document, recipients)
    closed = _close_reply(document, actor)
    describe(
        obj=document,
        summary=_("Issued as %(number)s") % {"number": document.number_and_notation},
        before={"status": before},
        after={
            "status": after,
            "number": document.number_and_notation,
            "book": book.pk,
            "sha256": stored.sha256,
            "deliveries": len(deliveries),
            "internal": len(receipts),
            "reply_closed": closed,
            "revises": original.pk if original is not None else None,
            "revision_kind": document.revision_kind,
        },
    )
    return document


@action("documents.outgoing.recall", permission=permission("recall"))
def recall(actor, *, document, reason: str) -> OutgoingDocument:
    """The issuing agency recalls an issued document: issued → recalled (frozen).

    Who: a clerk or a leader of the agency. One ``recall`` delivery is queued for every
    agency the document was sent to (edXML status "recall", delivered by the exchange app);
    the document page shows it as recalled with the reason. Updates and replacements are
    new documents (``revising.create_revision``).
    """
    document = lock(document)
    reason = (reason or "").strip()
    before, after = workflow.apply(document, "recall", reason=reason)
    document.recalled_at = timezone.now()
    document.recall_reason = reason
    document.save(update_fields=["status", "recalled_at", "recall_reason", "updated_at"])
    notices = Delivery.objects.bulk_create(
        [
            Delivery(
                document=document,
                kind=DeliveryKind.RECALL,
                recipient_agency_id=sent.recipient_agency_id,
                recipient_external_id=sent.recipient_external_id,
                organ_id=sent.organ_id,
                name=sent.name,
            )
            for sent in document.deliveries.filter(
                kind__in=(DeliveryKind.SEND, DeliveryKind.UPDATE, DeliveryKind.REPLACE)
            )
        ],
        ignore_conflicts=True,
    )
    add_step(document, actor, OutgoingStepKind.RECALLED, text=reason)
    describe(
        obj=document,
        summary=_("Recalled: %(number)s") % {"number": document.number_and_notation},
        before={"status": before},
        after={"status": after, "recall_notices": len(notices)},
    )
    return document
