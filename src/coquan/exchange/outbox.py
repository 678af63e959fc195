"""The outbox: guaranteed delivery of documents and statuses (issue 5, part 4).

Intent is written with the business change (a documents ``Delivery`` at issue/recall, an
``OutgoingStatus`` by the receive actions); ``run_once`` (the worker: task
``tasks.deliver_outbox``, command ``coquan exchange_deliver``) then

1. adopts queued deliveries into ``OutboxMessage`` rows (one per delivery, unique);
2. claims due messages: ``pending``, ``next_attempt_at`` passed, no live lease; rows are
   locked with ``SKIP LOCKED`` on PostgreSQL, the lease and the attempt row are committed
   before anything is sent (crash point ``after_commit_before_send``);
3. builds the package once (kept with its SHA-256; every retry sends the same bytes),
   signs it with the sender's active key, sends it through the recipient's transport;
4. records the outcome (crash point ``after_send_before_ack`` is between 3 and 4):
   delivered, or a retry after ``base × 2^(attempts-1)`` seconds (capped), or — after
   ``max attempts`` or a permanent error — ``failed`` with the reason on the delivery,
   shown on the sender's pages and the reconciliation page.

A worker killed anywhere leaves a message whose lease runs out; it is then sent again and
the receiver's idempotent receipt (``DocumentId`` + recipient) returns the first receipt.

Settings: ``COQUAN_EXCHANGE_MAX_ATTEMPTS`` (8), ``COQUAN_EXCHANGE_RETRY_BASE_SECONDS`` (30),
``COQUAN_EXCHANGE_RETRY_MAX_SECONDS`` (21600), ``COQUAN_EXCHANGE_LEASE_SECONDS`` (300).
Fault injection (tests only): ``COQUAN_EXCHANGE_CRASH_AT`` names a point and
``COQUAN_EXCHANGE_CRASH_RATE`` (0–1, default 1) the chance to ``kill -9`` the process there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import random
import signal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.exchange.choices import OutboxKind, OutboxState
from coquan.exchange.models import DeliveryAttempt, OutboxMessage

log = logging.getLogger("coquan.exchange.outbox")

CRASH_POINTS = ("after_commit_before_send", "after_send_before_ack", "after_receive_before_commit")


class DeliveryError(Exception):
    """A failed attempt; ``permanent`` errors fail the message without more retries."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


# --- configuration -------------------------------------------------------------------------------


def max_attempts() -> int:
    return int(getattr(settings, "COQUAN_EXCHANGE_MAX_ATTEMPTS", 8))


def retry_base() -> float:
    return float(getattr(settings, "COQUAN_EXCHANGE_RETRY_BASE_SECONDS", 30))


def retry_max() -> float:
    return float(getattr(settings, "COQUAN_EXCHANGE_RETRY_MAX_SECONDS", 6 * 3600))


def lease_seconds() -> float:
    return float(getattr(settings, "COQUAN_EXCHANGE_LEASE_SECONDS", 300))


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next attempt after ``attempts`` failed ones (exponential, capped)."""
    return dt.timedelta(seconds=min(retry_max(), retry_base() * 2 ** max(0, attempts - 1)))


def crash_point(name: str) -> None:
    """``kill -9`` this process at ``name`` when the fault-injection variable says so."""
    if os.environ.get("COQUAN_EXCHANGE_CRASH_AT") != name:
        return
    rate = float(os.environ.get("COQUAN_EXCHANGE_CRASH_RATE", "1"))
    if random.random() < rate:  # noqa: S311 (fault injection, not security)
        os.kill(os.getpid(), signal.SIGKILL)


# --- identifiers and packages --------------------------------------------------------------------


def document_id_of(document) -> str:
    """``OrganId,yyyy/MM/dd,Number/Notation`` of an issued outgoing document (§1.3)."""
    return (
        f"{document.agency.organ_id},{document.issued_date:%Y/%m/%d},"
        f"{document.code_number}/{document.code_notation}"
    )


def _recipient_org(delivery):
    from coquan.exchange.edxml.model import Organization

    if delivery.recipient_agency_id:
        from coquan.exchange.pipeline import agency_organization

        return agency_organization(delivery.recipient_agency)
    return Organization(organ_id=delivery.organ_id, organ_name=delivery.name)


def recipient_changes(document) -> list:
    """``ReceiverList`` of an update ``document``: the original's recipients that are no
    longer among the update's (``ReceiverType`` 0: they still get the update, and learn they
    were removed) and the update's recipients the original was not sent to (1: they get the
    update as a new document, ``issuing._queue_deliveries``)."""
    from coquan.documents.choices import DeliveryKind
    from coquan.exchange.edxml.codes import RECEIVER_ADDED, RECEIVER_REMOVED
    from coquan.exchange.edxml.model import Receiver

    current = {
        recipient.organ_id
        for recipient in document.recipients.select_related("agency", "external")
        if recipient.organ_id
    }
    sent = list(document.deliveries.values_list("organ_id", "kind"))
    earlier = {organ_id for organ_id, kind in sent if kind == DeliveryKind.UPDATE}
    added = {organ_id for organ_id, kind in sent if kind == DeliveryKind.SEND}
    return [
        Receiver(organ_id=organ_id, receiver_type=RECEIVER_REMOVED)
        for organ_id in sorted(earlier - current)
    ] + [
        Receiver(organ_id=organ_id, receiver_type=RECEIVER_ADDED)
        for organ_id in sorted(added - earlier)
    ]


def revision_business(delivery, document_id_of_original: str, recipients):
    """The ``Bussiness`` block of an update (type 2) or a replacement (type 3), standards §1.

    ``Bussiness/DocumentId`` is the *original* document's ``DocumentId`` (the package's own
    ``DocumentId`` is the revising document's: CoQuan numbers a revision as a new
    document). An update says its document metadata changed (``DocumentInfo`` 1) and,
    when the revision's recipients differ from the original's, lists the changes
    (``DocumentReceiver`` 1, ``ReceiverList``: ``recipient_changes``); a replacement names
    the replaced document and the recipients it is replaced for in ``ReplacementInfoList``.
    """
    from coquan.documents.choices import DeliveryKind
    from coquan.exchange.edxml.codes import BUSINESS_REPLACE, BUSINESS_UPDATE, BUSINESS_WIRE
    from coquan.exchange.edxml.model import (
        Business,
        BusinessDocumentInfo,
        ReplacementInfo,
        StaffInfo,
    )
    from coquan.exchange.pipeline import SYSTEM_STAFF

    if delivery.kind == DeliveryKind.UPDATE:
        changes = recipient_changes(delivery.document)
        return Business(
            document_id=document_id_of_original,
            doc_type=BUSINESS_UPDATE,
            doc_reason=BUSINESS_WIRE[BUSINESS_UPDATE],
            paper=0,
            staff_info=StaffInfo(staff=SYSTEM_STAFF),
            document_info=BusinessDocumentInfo(
                document_info=1, document_receiver=1 if changes else 0, receivers=changes
            ),
        )
    return Business(
        document_id=document_id_of_original,
        doc_type=BUSINESS_REPLACE,
        doc_reason=BUSINESS_WIRE[BUSINESS_REPLACE],
        paper=0,
        staff_info=StaffInfo(staff=SYSTEM_STAFF),
        replacement_info=[
            ReplacementInfo(
                document_id=document_id_of_original,
                organ_ids=[org.organ_id for org in recipients],
            )
        ],
    )


def build_delivery_package(delivery) -> bytes:
    """The signed edXML package of a delivery.

    ``send``: the document (type 0); ``recall``: its recall (type 1); ``update`` /
    ``replace``: the revising document with its files, as type 2 / 3 referring to the
    original (``revision_business``).
    """
    from coquan.documents import files as file_store
    from coquan.documents.choices import DeliveryKind, OutgoingFileKind
    from coquan.documents.models import OutgoingFile
    from coquan.exchange.edxml import build_document_package
    from coquan.exchange.edxml.codes import BUSINESS_RECALL
    from coquan.exchange.edxml.model import (
        Attachment,
        Business,
        Code,
        DocumentPackage,
        DocumentType,
        OtherInfo,
        PromulgationInfo,
        SignerInfo,
        StaffInfo,
        TraceHeader,
    )
    from coquan.exchange.models import AgencyKey
    from coquan.exchange.pipeline import SYSTEM_STAFF, agency_organization

    document = delivery.document
    agency = document.agency
    key = AgencyKey.objects.active().filter(agency=agency).first()
    if key is None:
        raise DeliveryError(
            f"agency {agency.organ_id} has no active signing key (coquan exchange_generate_key)"
        )
    revision = delivery.kind in (DeliveryKind.UPDATE, DeliveryKind.REPLACE)
    listed_kind = delivery.kind if revision else DeliveryKind.SEND
    recipients = [
        _recipient_org(d)
        for d in document.deliveries.filter(kind=listed_kind).select_related(
            "recipient_agency__parent"
        )
    ] or [_recipient_org(delivery)]
    attachments = []
    if delivery.kind != DeliveryKind.RECALL:
        files = (
            OutgoingFile.objects.filter(document=document, replaced_by__isnull=True)
            .exclude(kind=OutgoingFileKind.OPINION)
            .order_by("kind", "uploaded_at", "pk")
        )
        for position, stored in enumerate(files, start=1):
            attachments.append(
                Attachment(
                    content_id=f"file{position}",
                    attachment_name=stored.original_name[:250],
                    description=stored.get_kind_display()[:500],
                    content_type=stored.mime_type,
                    data=file_store.read_bytes(stored.file.name),
                )
            )
    now = timezone.localtime().replace(tzinfo=None, microsecond=0)
    document_id = document_id_of(document)
    business = None
    if delivery.kind == DeliveryKind.RECALL:
        business = Business(
            document_id=document_id,
            doc_type=BUSINESS_RECALL,
            doc_reason=(document.recall_reason or "")[:500],
            paper=0,
            staff_info=StaffInfo(staff=SYSTEM_STAFF),
        )
    elif revision:
        if document.revises_id is None:
            raise DeliveryError(
                f"{document_id}: a delivery of kind {delivery.kind} without the original",
                permanent=True,
            )
        business = revision_business(delivery, document_id_of(document.revises), recipients)
    package = DocumentPackage(
        sender=agency_organization(agency),
        recipients=recipients,
        document_id=document_id,
        code=Code(code_number=document.code_number, code_notation=document.code_notation),
        promulgation_info=PromulgationInfo(
            place=document.place or "", promulgation_date=document.issued_date
        ),
        document_type=DocumentType(
            type=1, type_detail=None, type_name=document.document_type.name[:100]
        ),
        subject=document.subject,
        content=(document.description or "")[:500],
        signer_info=SignerInfo(
            competence=document.signer_competence or "",
            position=document.signer_position or "",
            full_name=document.signer_name or "",
        ),
        due_date=document.due_date,
        other_info=OtherInfo(
            priority=document.urgency if document.urgency in range(5) else 0,
            promulgation_amount=getattr(document, "copies", None),
            page_amount=document.page_count,
        ),
        trace_headers=[TraceHeader(organ_id=agency.organ_id, timestamp=now)],
        business=business,
        attachments=attachments,
    )
    return build_document_package(package, signer=key.signer())


# --- the worker ----------------------------------------------------------------------------------


def adopt_deliveries(limit: int = 500) -> int:
    """Give each queued delivery its outbox row; a re-queued failed one starts again."""
    from coquan.documents.choices import DeliveryState
    from coquan.documents.models import Delivery

    adopted = 0
    fresh = (
        Delivery.objects.filter(state=DeliveryState.QUEUED, outbox__isnull=True)
        .select_related("document__agency")
        .order_by("pk")[:limit]
    )
    rows = [
        OutboxMessage(
            kind=OutboxKind.DELIVERY,
            delivery=delivery,
            agency=delivery.document.agency,
            organ_id=delivery.organ_id,
            document_id=document_id_of(delivery.document),
        )
        for delivery in fresh
    ]
    if rows:
        adopted += len(OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True))
    # A clerk re-queued a failed delivery (documents.requeue_delivery): try again.
    adopted += OutboxMessage.objects.filter(
        kind=OutboxKind.DELIVERY,
        state=OutboxState.FAILED,
        delivery__state=DeliveryState.QUEUED,
    ).update(
        state=OutboxState.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        lease_until=None,
        last_error="",
    )
    return adopted


def due(now=None):
    now = now or timezone.now()
    return OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )


def claim(limit: int = 20) -> list[int]:
    """Take up to ``limit`` due messages for this worker (lease + attempt row, committed)."""
    now = timezone.now()
    with transaction.atomic():
        query = due(now).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True)
        messages = list(query[:limit])
        for message in messages:
            message.attempts += 1
            message.lease_until = now + dt.timedelta(seconds=lease_seconds())
            message.save(update_fields=["attempts", "lease_until"])
            DeliveryAttempt.objects.create(
                message=message,
                number=DeliveryAttempt.objects.filter(message=message).count() + 1,
                transport=message.transport or "",
                started_at=now,
            )
    return [message.pk for message in messages]


def ensure_content(message: OutboxMessage) -> bytes:
    """The bytes to send: built and stored once (same bytes on every retry)."""
    if message.content:
        return bytes(message.content)
    if message.kind == OutboxKind.STATUS:
        from coquan.exchange.pipeline import status_content

        content = status_content(message.status)
    else:
        content = build_delivery_package(message.delivery)
    sha = hashlib.sha256(content).hexdigest()
    OutboxMessage.objects.filter(pk=message.pk, content__isnull=True).update(
        content=content, sha256=sha
    )
    message.refresh_from_db(fields=["content", "sha256"])
    return bytes(message.content)


def process(message_id: int) -> str:
    """Send one claimed message and record the outcome; returns the new state."""
    from coquan.exchange import transports

    message = OutboxMessage.objects.select_related(
        "delivery__document__agency", "delivery__recipient_agency", "status", "agency"
    ).get(pk=message_id)
    if message.state != OutboxState.PENDING:
        return message.state
    crash_point("after_commit_before_send")
    try:
        content = ensure_content(message)
        transport = transports.for_organ_id(message.organ_id)
        message.transport = transport.name
        outcome = transport.send(message, content)
    except DeliveryError as exc:
        return _failed_attempt(message, str(exc), permanent=exc.permanent)
    except Exception as exc:  # a bug or an unexpected library error: retry, keep the reason
        log.exception("outbox message %s failed", message.pk)
        return _failed_attempt(message, f"{type(exc).__name__}: {exc}")
    crash_point("after_send_before_ack")
    return _acknowledged(message, outcome)


def _finish_attempt(message, *, ok: bool, error: str = "") -> None:
    latest = DeliveryAttempt.objects.filter(message=message).order_by("-number").first()
    if latest is not None and latest.finished_at is None:
        latest.finished_at = timezone.now()
        latest.ok = ok
        latest.error = error[:2000]
        latest.transport = message.transport or ""
        latest.save(update_fields=["finished_at", "ok", "error", "transport"])


def _acknowledged(message, outcome) -> str:
    from coquan.documents.actions import record_delivery_state

    state = OutboxState.SENT if outcome.state == "sent" else OutboxState.DELIVERED
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.state == OutboxState.DELIVERED:
            return locked.state
        locked.state = state
        locked.transport = message.transport
        locked.lease_until = None
        locked.delivered_at = timezone.now()
        locked.last_error = outcome.note[:2000]
        locked.save(
            update_fields=["state", "transport", "lease_until", "delivered_at", "last_error"]
        )
        message.transport = locked.transport
        _finish_attempt(message, ok=True, error=outcome.note)
        if locked.kind == OutboxKind.DELIVERY:
            record_delivery_state(
                None,
                delivery=locked.delivery,
                state="sent" if state == OutboxState.SENT else "delivered",
                attempts=locked.attempts,
                error=outcome.note,
            )
    return state


def _failed_attempt(message, error: str, *, permanent: bool = False) -> str:
    from coquan.documents.actions import record_delivery_state

    now = timezone.now()
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.state != OutboxState.PENDING:
            return locked.state
        final = permanent or locked.attempts >= max_attempts()
        locked.state = OutboxState.FAILED if final else OutboxState.PENDING
        locked.next_attempt_at = now + backoff(locked.attempts)
        locked.lease_until = None
        locked.last_error = error[:2000]
        locked.transport = message.transport or locked.transport
        locked.save(
            update_fields=["state", "next_attempt_at", "lease_until", "last_error", "transport"]
        )
        _finish_attempt(message, ok=False, error=error)
        if locked.kind == OutboxKind.DELIVERY:
            record_delivery_state(
                None,
                delivery=locked.delivery,
                state="failed" if final else "queued",
                attempts=locked.attempts,
                error=error[:2000],
            )
        if final:
            alert_undeliverable(locked)
    return locked.state


def alert_undeliverable(message) -> None:
    """Tell the sending agency's clerks (in-app, and by e-mail when configured) that a
    document or a status message could not be delivered, with a link to where it can be
    sent again. Relayed packages (hub mode) have no clerk: the hub's traffic page shows
    them."""
    from coquan.notifications.actions import notify
    from coquan.org.models import Membership

    if message.agency_id is None or message.kind not in (OutboxKind.DELIVERY, OutboxKind.STATUS):
        return
    if message.kind == OutboxKind.DELIVERY:
        delivery = message.delivery
        title = _("Could not be delivered to %(recipient)s: %(document)s") % {
            "recipient": delivery.name or message.organ_id,
            "document": delivery.document.number_and_notation or delivery.document.subject,
        }
        url = reverse("exchange:reconciliation") + f"?agency={message.agency_id}&problem=failed"
    else:
        status = message.status
        title = _("Status %(code)s could not be delivered to %(recipient)s") % {
            "code": status.status_code,
            "recipient": message.organ_id,
        }
        url = reverse("exchange:package_detail", args=[status.package_id])
    clerks = (
        Membership.objects.active_on()
        .for_agency(message.agency_id)
        .with_role("clerk")
        .select_related("user")
    )
    notify(
        [membership.user for membership in clerks],
        kind="exchange.undeliverable",
        title=title,
        url=url,
        agency=message.agency,
        key=f"exchange.undeliverable:{message.pk}:{message.attempts}",
    )


def run_once(limit: int = 20) -> dict:
    """One round: adopt, claim, send. Returns counts by resulting state."""
    adopt_deliveries()
    counts: dict[str, int] = {}
    for message_id in claim(limit):
        state = process(message_id)
        counts[state] = counts.get(state, 0) + 1
    return counts


def run_until_idle(*, limit: int = 20, max_rounds: int = 1000) -> dict:
    """Rounds until nothing is due (messages waiting for a later retry stay pending)."""
    totals: dict[str, int] = {}
    for _round in range(max_rounds):
        counts = run_once(limit)
        if not counts:
            break
        for state, count in counts.items():
            totals[state] = totals.get(state, 0) + count
    return totals


def next_due_at():
    """When the next pending message becomes due (None when nothing waits)."""
    row = (
        OutboxMessage.objects.filter(state=OutboxState.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", "lease_until")
        .first()
    )
    if row is None:
        return None
    return max(value for value in row if value is not None)
