"""Actions of the exchange app: every state change of received packages and keys.

``receive_package`` is the one entry point for packages, whoever delivers them: the upload
form, the API, and later the transports (which call it as the system, ``actor`` None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe, record_denial
from coquan.exchange import pipeline
from coquan.exchange.choices import OutboxKind, OutboxState, PackageKind, PackageState
from coquan.exchange.edxml.codes import (
    BUSINESS_RECALL,
    STATUS_ACCEPTED,
    STATUS_RECALL_ACCEPTED,
    STATUS_RECALL_REFUSED,
    STATUS_RECEIVED,
    STATUS_REFUSED,
)
from coquan.exchange.edxml.model import DocumentPackage, StatusPackage, header_json
from coquan.exchange.edxml.problems import REFUSAL_PREFIX_VI, PackageRefused
from coquan.exchange.edxml.signing import (
    certificate_fingerprint,
    generate_agency_certificate,
)
from coquan.exchange.models import (
    AgencyKey,
    OutboxMessage,
    OutgoingStatus,
    ReceivedAttachment,
    ReceivedPackage,
    RecipientStatus,
)
from coquan.exchange.outbox import crash_point
from coquan.exchange.permissions import (
    require_exchange_role,
    require_key_admin,
    require_package_clerk,
    require_receive,
)

RECEIVE = "exchange.package.receive"
REASON_LIMIT = 400


@dataclass
class Receipt:
    """The outcome of ``receive_package``.

    ``created`` is False when the package had already been received (a redelivery): then
    ``package`` is the row of the first receipt and nothing new was stored.
    ``status`` is the status package built in answer (01 or 02), if any.
    """

    package: ReceivedPackage
    created: bool
    status: OutgoingStatus | None = None

    @property
    def accepted(self) -> bool:
        return self.package.state != PackageState.QUARANTINED

    @property
    def refusal(self) -> PackageRefused | None:
        return self.package.refusal


def receive_package(
    actor, *, agency, raw: bytes, source: str, size: int | None = None, peer=None
) -> Receipt:
    """Receive one edXML package addressed to ``agency``.

    Who: a clerk or administrator of ``agency`` (upload, API), or the system (``actor``
    None: transports). Runs the pipeline's pure steps first (``pipeline.prepare``: size,
    safe parse, structure, recipient, XML signature, fields, PDF signatures), outside any
    transaction, then stores the raw bytes (content-addressed, SHA-256) and records the
    outcome with ``record_received_package`` in one transaction with one audit entry:

    - accepted: state ``parsed``, the attachments stored, a status 01 built;
    - refused: state ``quarantined`` with the refusal's code, nothing else but the status 02
      that tells the sender why (when the sender can be known);
    - already received (same receipt key for this agency, standards §1.3 ``DocumentId``):
      the existing row is returned; no second row, no second status 01.

    Never raises for bad input: the refusal is in ``Receipt.refusal``. Raises
    ``PermissionDenied`` for people without the role.
    """
    try:
        require_receive(actor, agency=agency)
    except PermissionDenied as exc:
        record_denial(actor, RECEIVE, agency=agency, reason=str(exc))
        raise
    prepared = pipeline.prepare(
        agency=agency, raw=raw, size=size, trusted=pipeline.trusted_certificates
    )
    if (
        peer is not None
        and prepared.package is not None
        and not peer.may_send_for(prepared.package.sender.organ_id)
    ):
        # A node sending for an agency it does not speak for: nothing is stored.
        raise PermissionDenied(
            _("This node may not send packages for %(organ_id)s.")
            % {"organ_id": prepared.package.sender.organ_id}
        )
    raw_name = ""
    files: list[str] = []
    if prepared.accepted:
        # Stored before the row, content-addressed: a redelivery finds the same files
        # (``_store`` writes nothing twice) and the receipt key's unique constraint in
        # ``record_received_package`` returns the first row, so no look-up first.
        raw_name = pipeline.store_raw(agency, prepared)
        files = pipeline.store_attachments(agency, prepared)
    elif prepared.keep_raw:
        raw_name = pipeline.store_raw(agency, prepared)
    return record_received_package(
        actor,
        agency=agency,
        prepared=prepared,
        source=source,
        raw_name=raw_name,
        files=files,
    )


def _existing(agency, prepared) -> ReceivedPackage | None:
    if not prepared.receipt_key:
        return None
    return (
        ReceivedPackage.objects.accepted()
        .filter(agency=agency, receipt_key=prepared.receipt_key)
        .first()
    )


def _header_fields(prepared) -> dict:
    """The listing columns, from the package read (or the reply target when it was not)."""
    package = prepared.package
    fields: dict = {}
    if isinstance(package, DocumentPackage):
        issued = package.promulgation_date
        priority = package.other_info.priority
        due = package.due_date
        doc_type = package.business_doc_type
        fields.update(
            kind=PackageKind.DOCUMENT,
            document_id=package.document_id[:255],
            business_doc_type=doc_type if isinstance(doc_type, int) and doc_type >= 0 else None,
            code_number=package.code.code_number[:11],
            code_notation=package.code.code_notation[:30],
            promulgation_date=issued,
            type_name=package.document_type.type_name[:100],
            subject=package.subject[:500],
            priority=priority if isinstance(priority, int) and 0 <= priority < 100 else None,
            due_date=due if not isinstance(due, str) else None,
        )
    elif isinstance(package, StatusPackage):
        fields.update(
            kind=PackageKind.STATUS,
            document_id=package.document_id[:255],
            status_code=package.status_code[:2],
            subject=package.description[:500],
        )
    elif prepared.reply_to is not None:
        fields.update(document_id=prepared.reply_to.document_id[:255])
    if package is not None:
        fields.update(
            sender_organ_id=package.sender.organ_id[:13],
            sender_name=package.sender.organ_name[:200],
        )
    elif prepared.reply_to is not None:
        fields.update(sender_organ_id=prepared.reply_to.organ_id[:13])
    return fields


def _refusal_params(refusal: PackageRefused | None) -> dict:
    if refusal is None:
        return {}
    return {"path": refusal.path, **{key: str(value) for key, value in refusal.params.items()}}


def _status_row(
    *, actor, agency, package, code: str, response_for, description=""
) -> OutgoingStatus:
    """Record a status about ``package`` and queue it (its bytes are built and signed by
    the delivery worker before the first send: ``pipeline.status_content``)."""
    row = OutgoingStatus.objects.create(
        agency=agency,
        package=package,
        status_code=code,
        description=(description or pipeline.STATUS_WIRE[code])[:500],
        recipient_organ_id=response_for.organ_id,
        document_id=response_for.document_id[:255],
        response_for=pipeline.response_for_json(response_for),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if row.recipient_organ_id:
        # The outbox row, in the same transaction: the status is sent with the same
        # guarantees as a document (outbox.py).
        OutboxMessage.objects.create(
            kind=OutboxKind.STATUS,
            status=row,
            agency=agency,
            organ_id=row.recipient_organ_id,
            document_id=row.document_id,
        )
        kick_on_commit()
    return row


def kick_on_commit() -> None:
    """Ask the worker to deliver soon (``COQUAN_EXCHANGE_AUTOSEND``; off in tests)."""
    from django.conf import settings

    if getattr(settings, "COQUAN_EXCHANGE_AUTOSEND", not getattr(settings, "TESTING", False)):
        from coquan.exchange.tasks import enqueue_delivery

        transaction.on_commit(enqueue_delivery, robust=True)


@action(RECEIVE, permission=require_receive)
def record_received_package(
    actor, *, agency, prepared, source: str, raw_name: str, files: list[str]
) -> Receipt:
    """Write the outcome of the pipeline for one package (called by ``receive_package``).

    Who: as ``receive_package``. Writes, in this transaction: the ``ReceivedPackage`` row
    (quarantined or parsed), for an accepted document its attachments and a status 01, for
    a refusal the status 02 when the sender can be told; or nothing new when the package
    was already received (the unique constraints on the receipt key decide under
    concurrency). One audit entry in every case.
    """
    refusal = prepared.refusal
    signature = prepared.signature
    row = ReceivedPackage(
        agency=agency,
        state=PackageState.PARSED if refusal is None else PackageState.QUARANTINED,
        source=source,
        received_at=timezone.now(),
        received_by=actor if getattr(actor, "is_authenticated", False) else None,
        raw_file=raw_name,
        raw_sha256=prepared.sha256,
        raw_size=prepared.size,
        error_code=refusal.code if refusal else "",
        error_params=_refusal_params(refusal),
        problems=[problem.as_dict() for problem in prepared.problems],
        signature_status=signature.status if signature else "",
        signature_detail=signature.as_dict() if signature else None,
        header=header_json(prepared.package) if prepared.package is not None else None,
        receipt_key=(prepared.receipt_key or "") if refusal is None else "",
        **_header_fields(prepared),
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        existing = _existing(agency, prepared)
        if existing is None:
            raise
        return _redelivered(existing)

    status = None
    if refusal is None:
        for index, (attachment, name) in enumerate(
            zip(getattr(prepared.package, "attachments", []), files, strict=True)
        ):
            pdf = prepared.pdf_results.get(index)
            ReceivedAttachment.objects.create(
                agency=agency,
                package=row,
                position=index + 1,
                content_id=attachment.content_id[:100],
                name=(attachment.attachment_name or attachment.content_id or "?")[:255],
                description=attachment.description[:500],
                content_type=attachment.content_type[:100],
                file=name,
                size=attachment.size,
                sha256=attachment.sha256,
                pdf_signature_status=pdf.status if pdf else "",
                pdf_signature_detail=pdf.as_dict() if pdf else None,
            )
        if row.kind == PackageKind.STATUS:
            apply_recipient_status(row, prepared.package)
        if row.kind == PackageKind.DOCUMENT:
            status = _status_row(
                actor=actor,
                agency=agency,
                package=row,
                code=STATUS_RECEIVED,
                response_for=prepared.reply_to,
            )
        summary = _("Package %(document)s received from %(sender)s") % {
            "document": row.document_id or row.raw_sha256[:12],
            "sender": row.sender_organ_id or "?",
        }
    else:
        if prepared.reply_to is not None:
            status = _status_row(
                actor=actor,
                agency=agency,
                package=row,
                code=STATUS_REFUSED,
                response_for=prepared.reply_to,
                description=refusal.status_reason,
            )
        summary = _("Package refused and quarantined: %(reason)s") % {"reason": refusal.message}
    describe(
        obj=row,
        agency=agency,
        summary=summary[:500],
        after={
            "state": row.state,
            "sha256": row.raw_sha256,
            "size": row.raw_size,
            "document_id": row.document_id,
            "error_code": row.error_code,
            "signature": row.signature_status,
            "status_sent": status.status_code if status else "",
        },
    )
    crash_point("after_receive_before_commit")
    return Receipt(package=row, created=True, status=status)


#: ``BussinessDocType`` of packages that carry a document to register: new (0), update (2),
#: replacement (3); and the documents ``Delivery`` kinds that send them.
REGISTRABLE_DOC_TYPES = (0, 2, 3)
DOCUMENT_DELIVERY_KINDS = ("send", "update", "replace")

#: Order of the statuses on the sender's timeline: the latest shown is the highest rank, so
#: a late or repeated status never moves a recipient backwards (02 refusal and 15/16 are final).
STATUS_RANK = {"01": 1, "13": 2, "03": 3, "04": 4, "05": 5, "06": 6, "02": 7, "15": 8, "16": 8}


def apply_recipient_status(row: ReceivedPackage, package: StatusPackage) -> RecipientStatus | None:
    """Record a status received from a recipient on the sender's delivery (timeline).

    Called in the receipt's transaction. The delivery is the one of the document
    ``ResponseFor/DocumentId`` to the status's sender (the recall delivery for 15/16). A
    status also proves the delivery arrived. An unknown document leaves the package stored
    and visible, with no timeline row.
    """
    from coquan.documents.actions import record_delivery_state
    from coquan.exchange.edxml.values import read_timestamp

    code = row.status_code
    # 15 / 16 answer a recall, or an update (its removal of the recipient, standards §1.4);
    # the newest such delivery of the document to that agency.
    kinds = ("recall", "update") if code in ("15", "16") else DOCUMENT_DELIVERY_KINDS
    message = (
        OutboxMessage.objects.filter(
            kind=OutboxKind.DELIVERY,
            document_id=row.document_id,
            organ_id=row.sender_organ_id,
            delivery__kind__in=kinds,
        )
        .select_related("delivery")
        .order_by("-pk")
        .first()
    )
    if message is None:
        return None
    delivery = message.delivery
    reported = package.timestamp
    if isinstance(reported, str):
        reported = read_timestamp(reported) if reported else None
    if reported is not None and not isinstance(reported, str) and timezone.is_naive(reported):
        reported = timezone.make_aware(reported)
    staff = package.staff_info.staff if package.staff_info else ""
    status, created = RecipientStatus.objects.get_or_create(
        delivery=delivery,
        code=code,
        defaults={
            "rank": STATUS_RANK.get(code, 0),
            "description": package.description[:500],
            "reported_at": reported if not isinstance(reported, str) else None,
            "staff": staff[:200],
            "package": row,
        },
    )
    if delivery.state != "delivered":
        record_delivery_state(None, delivery=delivery, state="delivered")
    return status if created else None


def _redelivered(existing: ReceivedPackage) -> Receipt:
    describe(
        obj=existing,
        agency=existing.agency,
        summary=(
            _("Package %(document)s delivered again; the first receipt is kept")
            % {"document": existing.document_id}
        )[:500],
        after={"redelivered": True, "state": existing.state},
    )
    return Receipt(package=existing, created=False)


@action("exchange.package.refuse", permission=require_package_clerk)
def refuse_package(actor, *, package: ReceivedPackage, reason: str) -> OutgoingStatus:
    """Refuse a received document that was not registered (status 02 with the reason).

    Who: a clerk or administrator of the recipient agency. Decree 30 Art. 21.2.b: a
    document that is not the agency's to handle, or is wrong, goes back to the sender.
    Only a document package in state ``parsed`` can be refused; the reason is required.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for refusing the document.")})
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            {
                "reason": _("The reason may be at most %(limit)s characters.")
                % {"limit": REASON_LIMIT}
            }
        )
    locked = ReceivedPackage.objects.select_for_update().get(pk=package.pk)
    if locked.state != PackageState.PARSED or locked.kind != PackageKind.DOCUMENT:
        raise ValidationError(_("Only a received document that is not registered can be refused."))
    before = {"state": locked.state}
    locked.state = PackageState.REFUSED
    locked.error_code = "refused_by_clerk"
    locked.error_params = {"reason": reason}
    locked.save(update_fields=["state", "error_code", "error_params"])
    from coquan.exchange.edxml.model import ResponseFor

    status = _status_row(
        actor=actor,
        agency=locked.agency,
        package=locked,
        code=STATUS_REFUSED,
        response_for=ResponseFor(
            organ_id=locked.sender_organ_id,
            code=locked.code_text,
            promulgation_date=locked.promulgation_date,
            document_id=locked.document_id,
        ),
        description=f"{REFUSAL_PREFIX_VI}: {reason}",
    )
    describe(
        obj=locked,
        agency=locked.agency,
        summary=(
            _("Document %(document)s refused: %(reason)s")
            % {"document": locked.document_id, "reason": reason}
        )[:500],
        before=before,
        after={"state": locked.state, "reason": reason},
    )
    package.state = locked.state
    package.error_code = locked.error_code
    package.error_params = locked.error_params
    return status


def _answer_to(package: ReceivedPackage):
    from coquan.exchange.edxml.model import ResponseFor

    return ResponseFor(
        organ_id=package.sender_organ_id,
        code=package.code_text,
        promulgation_date=package.promulgation_date,
        document_id=package.document_id,
    )


def report_progress(*, document, code: str, actor=None) -> OutgoingStatus | None:
    """Build status ``code`` (04, 05, 06) for the sender of an electronic incoming document.

    Called by ``signals.incoming_changed`` inside the documents action's transaction (that
    action's audit entry covers it), with that action's ``actor``: the status's
    ``StaffInfo`` names them (the system when None). Each code is sent once, and never
    after a higher one.
    """
    package = (
        ReceivedPackage.objects.select_for_update()
        .filter(
            agency_id=document.agency_id,
            document_id=document.edxml_document_id,
            kind=PackageKind.DOCUMENT,
            business_doc_type__in=REGISTRABLE_DOC_TYPES,
            state=PackageState.REGISTERED,
        )
        .first()
    )
    if package is None:
        return None
    sent = package.statuses.values_list("status_code", flat=True)
    highest = max((STATUS_RANK.get(c, 0) for c in sent), default=0)
    if STATUS_RANK.get(code, 0) <= highest:
        return None
    return _status_row(
        actor=actor,
        agency=package.agency,
        package=package,
        code=code,
        response_for=_answer_to(package),
    )


def _recall_target(package: ReceivedPackage) -> ReceivedPackage | None:
    """The package of the document withdrawn: a recall's own ``DocumentId``; for an update
    removing this agency, the original it updates (``Bussiness/DocumentId``)."""
    document_id = package.document_id
    if package.business_doc_type != BUSINESS_RECALL:
        document_id = original_document_id(package) or document_id
    return (
        ReceivedPackage.objects.accepted()
        .filter(
            agency=package.agency,
            kind=PackageKind.DOCUMENT,
            business_doc_type__in=REGISTRABLE_DOC_TYPES,
            document_id=document_id,
        )
        .exclude(pk=package.pk)
        .first()
    )


@action("exchange.package.recall", permission=require_package_clerk)
def answer_recall(actor, *, package: ReceivedPackage, accept: bool, reason: str = ""):
    """The receiving clerk answers a recall (BussinessDocType 1), or an update whose
    ``ReceiverList`` removes this agency from the recipients (``package.withdraws``): accept
    (15) or refuse (16).

    Who: a clerk or administrator of the recipient agency. Accepting marks the recalled
    document's package ``recalled`` (its metadata and the recall's reason stay on both
    packages), cancels the incoming document registered from it (documents
    ``cancel_recalled_incoming``: status ``recalled``, a timeline row with the reason, the
    time and the clerk; out of the handling queues) and sends 15; refusing needs a reason
    and sends 16. Only a recall in state ``parsed`` can be answered, once. For a removal
    the document withdrawn is the original the update refers to, and the reason recorded
    says the agency was removed from the recipients.
    """
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Give the reason for refusing the recall.")})
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            {
                "reason": _("The reason may be at most %(limit)s characters.")
                % {"limit": REASON_LIMIT}
            }
        )
    locked = ReceivedPackage.objects.select_for_update().get(pk=package.pk)
    if locked.state != PackageState.PARSED or not locked.withdraws:
        raise ValidationError(
            _("Only a recall that was received and not answered can be answered.")
        )
    target = _recall_target(locked)
    header = locked.header or {}
    recall_reason = ((header.get("business") or {}).get("doc_reason") or "")[:500]
    if locked.business_doc_type != BUSINESS_RECALL:
        recall_reason = (
            _("Removed from the recipients by the update %(document)s (%(reason)s)")
            % {"document": locked.document_id, "reason": recall_reason or "—"}
        )[:500]
    recalled = None
    if accept:
        code = STATUS_RECALL_ACCEPTED
        locked.state = PackageState.REGISTERED
        locked.error_params = {"recall": "accepted"}
        if target is not None:
            ReceivedPackage.objects.filter(pk=target.pk).update(
                state=PackageState.RECALLED,
                error_params={"recall_reason": recall_reason, "recall_package": locked.pk},
            )
            if target.state == PackageState.REGISTERED:
                recalled = _cancel_incoming(
                    actor, recall=locked, target=target, reason=recall_reason
                )
    else:
        code = STATUS_RECALL_REFUSED
        locked.state = PackageState.REFUSED
        locked.error_params = {"recall": "refused", "reason": reason}
    locked.save(update_fields=["state", "error_params"])
    status = _status_row(
        actor=actor,
        agency=locked.agency,
        package=locked,
        code=code,
        response_for=_answer_to(locked),
        description=reason if not accept else "",
    )
    describe(
        obj=locked,
        agency=locked.agency,
        summary=(
            _("Recall of %(document)s answered: %(code)s")
            % {"document": locked.document_id, "code": code}
        )[:500],
        before={"state": PackageState.PARSED},
        after={
            "state": locked.state,
            "status_sent": code,
            "recalled_package": target.pk if target else None,
            "recalled_document": recalled.pk if recalled else None,
            "reason": reason,
        },
    )
    package.state = locked.state
    return status


def _cancel_incoming(actor, *, recall: ReceivedPackage, target: ReceivedPackage, reason: str):
    """Cancel the incoming document registered from ``target`` (documents action)."""
    from coquan.documents.actions import cancel_recalled_incoming
    from coquan.documents.models import IncomingDocument

    document = (
        IncomingDocument.objects.filter(agency=target.agency, edxml_document_id=target.document_id)
        .order_by("-pk")
        .first()
    )
    if document is None:
        return None
    return cancel_recalled_incoming(
        actor,
        document=document,
        reason=reason,
        recalled_at=recall.received_at,
        sender=recall.sender_name or recall.sender_organ_id,
    )


def _require_sender_clerk(actor, **kwargs) -> None:
    from coquan.exchange.permissions import require_exchange_role

    delivery = kwargs.get("delivery")
    require_exchange_role(actor, delivery.document.agency if delivery is not None else None)


@action("exchange.delivery.retry", permission=_require_sender_clerk)
def retry_now(actor, *, delivery) -> OutboxMessage:
    """Make a waiting delivery due now (the reconciliation page's "retry").

    Who: a clerk or administrator of the issuing agency. Only a delivery still waiting
    (its outbox message pending) can be retried; a failed one is re-sent with
    ``documents.requeue_delivery``.
    """
    message = OutboxMessage.objects.select_for_update().filter(delivery=delivery).first()
    if message is None or message.state != "pending":
        raise ValidationError(_("Only a delivery that is waiting can be retried now."))
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["next_attempt_at"])
    describe(
        obj=message,
        agency=delivery.document.agency,
        summary=(_("Delivery to %(name)s retried now") % {"name": delivery.name})[:500],
        after={"attempts": message.attempts},
    )
    return message


def _require_status_clerk(actor, **kwargs) -> None:
    status = kwargs.get("status")
    require_exchange_role(actor, status.agency if status is not None else None)


@action("exchange.status.resend", permission=_require_status_clerk)
def resend_status(actor, *, status: OutgoingStatus) -> OutboxMessage:
    """Send an undeliverable status message again (the package page's "send again").

    Who: a clerk or administrator of the agency that sends the status. Only a status
    whose outbox message failed can be re-sent: it is due now with a fresh attempt count,
    and the same bytes are sent (the receiver's idempotence keeps it once).
    """
    message = OutboxMessage.objects.select_for_update().filter(status=status).first()
    if message is None or message.state != OutboxState.FAILED:
        raise ValidationError(
            _("Only a status message that could not be delivered can be sent again."),
            code="not_failed",
        )
    error = message.last_error
    message.state = OutboxState.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.lease_until = None
    message.save(update_fields=["state", "attempts", "next_attempt_at", "lease_until"])
    describe(
        obj=message,
        agency=status.agency,
        summary=(
            _("Status %(code)s to %(organ)s sent again")
            % {"code": status.status_code, "organ": status.recipient_organ_id}
        )[:500],
        before={"state": OutboxState.FAILED, "error": error[:500]},
        after={"state": message.state},
    )
    kick_on_commit()
    return message


def _require_node(actor, **kwargs) -> None:
    if actor is not None:
        raise PermissionDenied(_("Only the system relays packages."))


@action("exchange.hub.relay", permission=_require_node)
def relay_package(
    actor, *, node, organ_id: str, prepared, content: bytes | None = None
) -> tuple[OutboxMessage, bool]:
    """Hub mode: queue a checked package for the node that serves ``organ_id``.

    Who: the system, for a registered peer node (the inbox). ``content`` is what is sent
    on: the package with this hub's ``TraceHeader`` appended (``hub.append_trace``; the
    package as received when None). The passage is also recorded in this row and the
    audit entry. Idempotent on (recipient, SHA-256 of the package as received): a package
    relayed already returns the first row.
    """
    package = prepared.package
    sender = package.sender.organ_id
    if not node.may_send_for(sender):
        raise PermissionDenied(
            _("This node may not send packages for %(organ_id)s.") % {"organ_id": sender}
        )
    message, created = OutboxMessage.objects.get_or_create(
        kind=OutboxKind.RELAY,
        organ_id=organ_id,
        sha256=prepared.sha256,
        defaults={
            "content": prepared.raw if content is None else content,
            "document_id": package.document_id[:255],
            "source_node": node,
            "sender_organ_id": sender[:13],
            **_relayed_kind(package),
        },
    )
    describe(
        obj=message,
        summary=(f"{sender} → {organ_id}: {package.document_id}")[:500],
        after={"created": created, "node": node.name, "sha256": prepared.sha256},
    )
    if created:
        kick_on_commit()
    return message, created


def _relayed_kind(package) -> dict:
    """What a relayed package carries, for the hub's traffic list."""
    if isinstance(package, StatusPackage):
        return {"package_kind": PackageKind.STATUS, "status_code": package.status_code[:2]}
    doc_type = package.business_doc_type
    return {
        "package_kind": PackageKind.DOCUMENT,
        "business_doc_type": doc_type
        if isinstance(doc_type, int) and 0 <= doc_type < 100
        else None,
    }


def _require_pulling_node(actor, **kwargs) -> None:
    node, message = kwargs.get("node"), kwargs.get("message")
    served = node.served_organ_ids() if node is not None else set()
    if (
        actor is not None
        or message is None
        or (served is not None and message.organ_id not in served)
    ):
        raise PermissionDenied(_("This node may not fetch packages for this agency."))


@action("exchange.hub.confirm", permission=_require_pulling_node)
def confirm_pulled(actor, *, node, message: OutboxMessage) -> bool:
    """Hub mode: a node confirms it received a package it fetched (pull-style delivery).

    Who: the system, for a registered peer node that serves the message's recipient. The
    message, waiting for the node (``pull`` route, state ``sent``), becomes ``delivered``
    (the documents ``Delivery`` too, for a document of an agency of this deployment), so it
    is no longer offered. Idempotent: confirming again changes nothing and returns False.
    """
    from coquan.documents.actions import record_delivery_state
    from coquan.exchange.choices import OutboxState, Transport

    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.transport != Transport.PULL or locked.state not in (
        OutboxState.SENT,
        OutboxState.DELIVERED,
    ):
        raise ValidationError(_("This package is not waiting to be fetched from this hub."))
    confirmed = locked.state == OutboxState.SENT
    if confirmed:
        locked.state = OutboxState.DELIVERED
        locked.delivered_at = timezone.now()
        locked.last_error = ""
        locked.save(update_fields=["state", "delivered_at", "last_error"])
        if locked.kind == OutboxKind.DELIVERY:
            record_delivery_state(
                None, delivery=locked.delivery, state="delivered", attempts=locked.attempts
            )
    describe(
        obj=locked,
        summary=(
            _("%(node)s confirmed it received %(document)s for %(organ_id)s")
            % {"node": node.name, "document": locked.document_id, "organ_id": locked.organ_id}
        )[:500],
        after={"state": locked.state, "node": node.name, "first_confirmation": confirmed},
    )
    message.state, message.delivered_at = locked.state, locked.delivered_at
    return confirmed


def _files_of(package: ReceivedPackage) -> list:
    """The package's stored attachments as uploads for the documents app."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    uploads = []
    for attachment in package.attachments.order_by("position"):
        with default_storage.open(attachment.file.name, "rb") as handle:
            uploads.append(ContentFile(handle.read(), name=attachment.name))
    return uploads


_COMPETENCE = re.compile(r"^\s*(TM|KT|TL|TUQ|Q)\s*\.")


def _competence_code(text: str) -> str:
    """The signing authority code of an edXML ``Competence`` ("KT. GIÁM ĐỐC" → "KT")."""
    match = _COMPETENCE.match(text.upper())
    return match.group(1) if match else ""


@action("exchange.package.register", permission=require_package_clerk)
def register_package(
    actor, *, package: ReceivedPackage, document_type=None, confirm_duplicate: bool = False
):
    """Register a received electronic document in the agency's incoming book (status 03).

    Who: a clerk of the recipient agency (``documents.register_incoming`` checks it too).
    Decree 30/2020 Art. 22: the clerk registers the document and it gets the next số đến;
    the package's fields fill the App. VI incoming metadata (``channel="electronic"``,
    ``edxml_document_id`` = ``DocumentId``, urgency = ``Priority``) and its files become the
    document's files. The package becomes ``registered`` and a status 03 (Đã tiếp nhận) is
    built for the sender, in the same transaction. Only a document (``BussinessDocType``
    0 new, 2 update, 3 replacement) in state ``parsed`` can be registered; an update or
    replacement is linked to the earlier incoming document registered from the original
    ``DocumentId`` (``_link_revision``: a replacement makes it ``replaced``);
    ``document_type`` defaults to the type whose name matches ``TypeName``.
    ``DuplicateDocument`` (from the documents app) when it looks registered already, unless
    ``confirm_duplicate``.
    """
    from coquan.documents.actions import register_incoming
    from coquan.documents.choices import Channel
    from coquan.documents.models import DocumentType
    from coquan.exchange.edxml.model import ResponseFor

    locked = ReceivedPackage.objects.select_for_update().get(pk=package.pk)
    if (
        locked.state != PackageState.PARSED
        or locked.kind != PackageKind.DOCUMENT
        or locked.business_doc_type not in REGISTRABLE_DOC_TYPES
    ):
        raise ValidationError(
            _("Only a new document that was received and not refused can be registered.")
        )
    if locked.withdraws:
        raise ValidationError(
            _(
                "This update removes your agency from the recipients of the document: "
                "answer it (accept or refuse) instead of registering it."
            ),
            code="removed_from_recipients",
        )
    agency = locked.agency
    if document_type is None:
        document_type = DocumentType.objects.match(agency, locked.type_name)
    if document_type is None:
        raise ValidationError(
            {
                "document_type": _("Choose the type of the document: “%(name)s” is not known.")
                % {"name": locked.type_name or "—"}
            }
        )
    header = locked.header or {}
    signer = header.get("signer_info") or {}
    other = header.get("other_info") or {}
    page_count = other.get("page_amount")
    document = register_incoming(
        actor,
        agency=agency,
        document_type=document_type,
        subject=locked.subject,
        issued_date=locked.promulgation_date,
        issuer_name=locked.sender_name,
        issuer_organ_id=locked.sender_organ_id,
        code_number=locked.code_number,
        code_notation=locked.code_notation,
        place=((header.get("promulgation_info") or {}).get("place") or "")[:50],
        description=(header.get("content") or "")[:500],
        signer_competence=_competence_code(signer.get("competence") or ""),
        signer_position=(signer.get("position") or "")[:100],
        signer_name=(signer.get("full_name") or "")[:50],
        urgency=locked.priority if locked.priority in range(5) else 0,
        page_count=page_count if isinstance(page_count, int) and 0 <= page_count < 1000 else None,
        due_date=locked.due_date,
        arrival_date=locked.received_at,
        files=_files_of(locked),
        channel=Channel.ELECTRONIC,
        edxml_document_id=locked.document_id,
        confirm_duplicate=confirm_duplicate,
    )
    revised = _link_revision(actor, package=locked, document=document)
    locked.state = PackageState.REGISTERED
    locked.save(update_fields=["state"])
    status = _status_row(
        actor=actor,
        agency=agency,
        package=locked,
        code=STATUS_ACCEPTED,
        response_for=ResponseFor(
            organ_id=locked.sender_organ_id,
            code=locked.code_text,
            promulgation_date=locked.promulgation_date,
            document_id=locked.document_id,
        ),
    )
    describe(
        obj=locked,
        agency=agency,
        summary=(
            _("Document %(document)s registered with arrival number %(number)s")
            % {"document": locked.document_id, "number": document.arrival_number}
        )[:500],
        before={"state": PackageState.PARSED},
        after={
            "state": locked.state,
            "incoming_document": document.pk,
            "status_sent": "03",
            "revises": revised.pk if revised else None,
        },
    )
    package.state = locked.state
    return document, status


def original_document_id(package: ReceivedPackage) -> str:
    """``Bussiness/DocumentId`` of an update or replacement: the document it revises."""
    business = (package.header or {}).get("business") or {}
    return (business.get("document_id") or "").strip()


def _link_revision(actor, *, package: ReceivedPackage, document):
    """Link a registered update/replacement to the earlier incoming document it revises.

    The earlier document is the agency's incoming document registered from the original
    ``DocumentId`` (``Bussiness/DocumentId``); when there is none (never received, or not
    registered) the new document stands alone. A replacement makes the earlier one
    ``replaced`` (documents ``link_incoming_revision``). Returns the earlier document.
    """
    from coquan.documents.actions import link_incoming_revision
    from coquan.documents.models import IncomingDocument

    if package.business_doc_type not in (2, 3):
        return None
    original_id = original_document_id(package)
    if not original_id:
        return None
    original = (
        IncomingDocument.objects.filter(agency=package.agency, edxml_document_id=original_id)
        .exclude(pk=document.pk)
        .order_by("-pk")
        .first()
    )
    if original is None:
        return None
    link_incoming_revision(
        actor, document=document, original=original, replace=package.business_doc_type == 3
    )
    return original


def generate_agency_key(actor, *, agency, key_size: int = 3072, days: int = 730) -> AgencyKey:
    """Create a new RSA key and self-signed certificate for ``agency`` and install it.

    The key is generated before the transaction (it takes a moment), then
    ``install_agency_key`` stores it.
    """
    try:
        require_key_admin(actor, agency=agency)
    except PermissionDenied as exc:
        record_denial(actor, "exchange.key.install", agency=agency, reason=str(exc))
        raise
    key_pem, cert_pem = generate_agency_certificate(
        organ_id=agency.organ_id, name=agency.name, key_size=key_size, days=days
    )
    return install_agency_key(
        actor, agency=agency, private_key_pem=key_pem, certificate_pem=cert_pem
    )


@action("exchange.key.install", permission=require_key_admin)
def install_agency_key(actor, *, agency, private_key_pem: bytes, certificate_pem: bytes):
    """Make a key pair the agency's active signing key; earlier keys stay for verifying.

    Who: the agency's administrators or the system (management command). Refuses a
    certificate that does not match the private key.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem)
        key = serialization.load_pem_private_key(private_key_pem, password=None)
    except ValueError as exc:
        raise ValidationError(_("The key or the certificate cannot be read.")) from exc
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    encoding = serialization.Encoding.DER
    if key.public_key().public_bytes(encoding, public) != certificate.public_key().public_bytes(
        encoding, public
    ):
        raise ValidationError(_("The certificate does not belong to the private key."))
    AgencyKey.objects.filter(agency=agency, active=True).update(active=False)
    row = AgencyKey.objects.create(
        agency=agency,
        certificate_pem=certificate_pem.decode("ascii"),
        private_key_pem=private_key_pem.decode("ascii"),
        fingerprint=certificate_fingerprint(certificate),
        subject=certificate.subject.rfc4514_string()[:500],
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        active=True,
    )
    describe(
        obj=row,
        agency=agency,
        summary=(
            _("New signing key %(fingerprint)s for %(agency)s")
            % {"fingerprint": row.fingerprint[:16], "agency": agency.organ_id}
        )[:500],
        after={"fingerprint": row.fingerprint, "not_after": row.not_after},
    )
    return row


__all__ = [
    "Receipt",
    "answer_recall",
    "apply_recipient_status",
    "confirm_pulled",
    "generate_agency_key",
    "install_agency_key",
    "receive_package",
    "record_received_package",
    "refuse_package",
    "register_package",
    "relay_package",
    "report_progress",
    "retry_now",
]
