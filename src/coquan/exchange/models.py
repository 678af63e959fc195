"""Models of electronic document exchange (issue 5, first part: receiving).

- ``AgencyKey``: an agency's signing key and certificate for outgoing packages.
- ``ReceivedPackage``: every package that reached an agency, kept raw as evidence (file in
  the default storage + SHA-256), with its state, the signature check, the problems found
  and the header fields the lists show.
- ``ReceivedAttachment``: the files of an accepted package, decoded and stored.
- ``OutgoingStatus``: a status package this agency built in answer (01 on arrival, 02 on
  refusal), with its bytes; delivery comes with the outbox (docs/exchange.md).
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.core.keyvault import SealedKeyField, unseal
from coquan.exchange.choices import (
    OutboxKind,
    OutboxState,
    PackageKind,
    PackageSource,
    PackageState,
    SignatureStatus,
    Transport,
)
from coquan.exchange.edxml.codes import (
    BUSINESS_LABELS,
    BUSINESS_RECALL,
    BUSINESS_UPDATE,
    PRIORITY_LABELS,
    RECEIVER_ADDED,
    RECEIVER_REMOVED,
    STATUS_LABELS,
)
from coquan.exchange.edxml.problems import PackageRefused, Problem
from coquan.exchange.edxml.signing import PdfSignatureResult, SignatureResult, Signer
from coquan.exchange.querysets import (
    AgencyKeyQuerySet,
    OutboxMessageQuerySet,
    OutgoingStatusQuerySet,
    ReceivedAttachmentQuerySet,
    ReceivedPackageQuerySet,
)


class AgencyKey(models.Model):
    """An agency's key pair for signing outgoing packages (XML-DSig, RSA-SHA256).

    Created by ``generate_agency_key`` (command ``exchange_generate_key``); the newest key
    is the active one (one active key per agency, database constraint), older ones stay to
    verify what they signed. The private key is stored encrypted (``core.keyvault``:
    sealed with the deployment's key passphrase) and opened only to sign. The certificate
    is self-signed: no certification authority is available to CoQuan.
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="exchange_keys",
    )
    certificate_pem = models.TextField(_("certificate (PEM)"))
    private_key_pem = SealedKeyField(_("private key (PEM, encrypted)"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=500)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = AgencyKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency signing key")
        verbose_name_plural = _("agency signing keys")
        ordering = ["agency_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=Q(active=True), name="exchange_one_active_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.fingerprint[:16]}"

    def signer(self) -> Signer:
        return Signer(
            private_key_pem=unseal(self.private_key_pem),
            certificate_pem=self.certificate_pem.encode("ascii"),
        )

    def certificate(self):
        from cryptography import x509

        return x509.load_pem_x509_certificate(self.certificate_pem.encode("ascii"))


class ReceivedPackage(models.Model):
    """One package that reached an agency (the recipient), whatever became of it.

    Receipt is idempotent: a package already accepted for this agency (same receipt key:
    the ``DocumentId`` for a new document) is not stored twice (database constraints; the
    pipeline returns the existing row). Quarantined rows do not count: the raw bytes are
    evidence of each refused delivery. Rows are written in one transaction by
    ``actions.receive_package`` after the raw file is stored; never edited except by the
    state changes of later actions.
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("recipient agency"),
        on_delete=models.PROTECT,
        related_name="received_packages",
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=PackageKind.choices, default=PackageKind.UNKNOWN
    )
    state = models.CharField(_("state"), max_length=12, choices=PackageState.choices)
    source = models.CharField(_("source"), max_length=20, choices=PackageSource.choices)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raw_file = models.FileField(_("raw package"), max_length=255, blank=True)
    raw_sha256 = models.CharField(_("SHA-256 of the raw package"), max_length=64)
    raw_size = models.BigIntegerField(_("size in bytes"))

    error_code = models.CharField(_("refusal code"), max_length=40, blank=True)
    error_params = models.JSONField(_("refusal details"), default=dict, blank=True)
    problems = models.JSONField(_("problems found"), default=list, blank=True)
    signature_status = models.CharField(
        _("signature"), max_length=12, choices=SignatureStatus.choices, blank=True
    )
    signature_detail = models.JSONField(_("signature check"), null=True, blank=True)
    header = models.JSONField(_("header read"), null=True, blank=True)

    # The header fields the lists and filters use (read from the package).
    receipt_key = models.CharField(_("receipt key"), max_length=400, blank=True)
    document_id = models.CharField(_("document identifier"), max_length=255, blank=True)
    business_doc_type = models.PositiveSmallIntegerField(_("business type"), null=True, blank=True)
    status_code = models.CharField(_("status code"), max_length=2, blank=True)
    sender_organ_id = models.CharField(_("sender identifier"), max_length=13, blank=True)
    sender_name = models.CharField(_("sender"), max_length=200, blank=True)
    code_number = models.CharField(_("number"), max_length=11, blank=True)
    code_notation = models.CharField(_("notation"), max_length=30, blank=True)
    promulgation_date = models.DateField(_("date of the document"), null=True, blank=True)
    type_name = models.CharField(_("document type"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    objects = ReceivedPackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("received package")
        verbose_name_plural = _("received packages")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_id", "agency"],
                condition=Q(kind="document", business_doc_type=0) & ~Q(state="quarantined"),
                name="exchange_one_receipt_per_document",
            ),
            models.UniqueConstraint(
                fields=["agency", "receipt_key"],
                condition=~Q(receipt_key="") & ~Q(state="quarantined"),
                name="exchange_one_receipt_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "-received_at"], name="exchange_pkg_agency_time"),
            models.Index(fields=["agency", "state"], name="exchange_pkg_agency_state"),
        ]

    def __str__(self) -> str:
        return self.document_id or f"#{self.pk}"

    @property
    def code_text(self) -> str:
        if self.code_number and self.code_notation:
            return f"{self.code_number}/{self.code_notation}"
        return self.code_number or self.code_notation

    @property
    def refusal(self) -> PackageRefused | None:
        if not self.error_code:
            return None
        params = dict(self.error_params or {})
        path = params.pop("path", "")
        return PackageRefused(
            self.error_code,
            path=path,
            problems=self.problem_list if self.error_code == "invalid" else (),
            **params,
        )

    @cached_property
    def problem_list(self) -> list[Problem]:
        return [Problem.from_dict(item) for item in self.problems or []]

    @property
    def signature(self) -> SignatureResult | None:
        return SignatureResult.from_dict(self.signature_detail)

    @property
    def business_label(self) -> str:
        return (
            str(BUSINESS_LABELS.get(self.business_doc_type, "")) if self.kind == "document" else ""
        )

    @property
    def priority_label(self) -> str:
        return str(PRIORITY_LABELS.get(self.priority, "")) if self.priority is not None else ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status_code, self.status_code))

    @cached_property
    def recipient_change(self) -> int | None:
        """What an update (``BussinessDocType`` 2) that changes the recipient list
        (``DocumentReceiver`` 1) says of this agency in its ``ReceiverList``: 0 removed from
        the recipients, 1 added; None for any other package (standards §1.4)."""
        if self.kind != PackageKind.DOCUMENT or self.business_doc_type != BUSINESS_UPDATE:
            return None
        info = ((self.header or {}).get("business") or {}).get("document_info") or {}
        if info.get("document_receiver") != 1:
            return None
        organ_id = self.agency.organ_id
        for receiver in info.get("receivers") or []:
            if (receiver.get("organ_id") or "").strip() == organ_id and receiver.get(
                "receiver_type"
            ) in (RECEIVER_REMOVED, RECEIVER_ADDED):
                return receiver["receiver_type"]
        return None

    @property
    def withdraws(self) -> bool:
        """A recall, or an update removing this agency from the recipients: the clerk
        answers it (15 accept / 16 refuse); it is never registered."""
        return self.kind == PackageKind.DOCUMENT and (
            self.business_doc_type == BUSINESS_RECALL or self.recipient_change == RECEIVER_REMOVED
        )


class ReceivedAttachment(models.Model):
    """One file of an accepted package, decoded from base64 and stored (SHA-256 kept).

    PDF files carry the result of checking their PAdES signatures (pyHanko).
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    package = models.ForeignKey(
        ReceivedPackage,
        verbose_name=_("package"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("attachment", "position"))
    content_id = models.CharField(_("content identifier"), max_length=100, blank=True)
    name = models.CharField(_("file name"), max_length=255)
    description = models.CharField(_("description"), max_length=500, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    file = models.FileField(_("file"), max_length=255)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pdf_signature_status = models.CharField(
        _("PDF signature"), max_length=12, choices=SignatureStatus.choices, blank=True
    )
    pdf_signature_detail = models.JSONField(_("PDF signature check"), null=True, blank=True)

    objects = ReceivedAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("received attachment")
        verbose_name_plural = _("received attachments")
        ordering = ["package_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "position"], name="exchange_attachment_position"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def pdf_signature(self) -> PdfSignatureResult | None:
        return PdfSignatureResult.from_dict(self.pdf_signature_detail)


class OutgoingStatus(models.Model):
    """A status package this agency sends about a received document (01, 02 ...).

    Recorded with its outbox row in the same transaction as the package's state change:
    the code, description, time (``created_at``), acting person (``created_by``) and the
    document answered (``response_for``, the edXML ``ResponseFor`` as JSON). Its bytes
    (signed when the agency has an active key) are built once, by the delivery worker
    before the first send (``pipeline.status_content``), and never change afterwards:
    the receipt's request does no signing (bench/exchange.py).
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="outgoing_statuses",
    )
    package = models.ForeignKey(
        ReceivedPackage,
        verbose_name=_("package"),
        on_delete=models.PROTECT,
        related_name="statuses",
    )
    status_code = models.CharField(_("status code"), max_length=2)
    description = models.CharField(_("description"), max_length=500)
    recipient_organ_id = models.CharField(_("recipient identifier"), max_length=13)
    document_id = models.CharField(_("document identifier"), max_length=255, blank=True)
    response_for = models.JSONField(_("document answered"), default=dict, blank=True)
    content = models.BinaryField(_("package"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    signed = models.BooleanField(_("signed"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = OutgoingStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing status")
        verbose_name_plural = _("outgoing statuses")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.status_code} {self.document_id}"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status_code, self.status_code))


class Route(models.Model):
    """The directory: how to reach the agency with ``organ_id`` (standards §1.3 ``OrganId``).

    ``local``: an agency of this deployment (the default when no route exists and the agency
    is here); ``http``: POST to another CoQuan node or a hub at ``endpoint`` with ``token``;
    ``hub``: a pull-style hub at ``endpoint`` (a registered adapter, or a CoQuan hub's API
    root with ``token``); ``pull`` (hub mode): packages wait here until the agency's node
    fetches them. ``certificate_pem``: the agency's certificate, which makes its signatures
    *valid* here. Imported from a CSV of agency codes.
    """

    organ_id = models.CharField(_("agency identifier"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    transport = models.CharField(_("transport"), max_length=10, choices=Transport.choices)
    endpoint = models.URLField(_("endpoint"), max_length=300, blank=True)
    token = models.CharField(_("credential sent"), max_length=200, blank=True)
    certificate_pem = models.TextField(_("certificate (PEM)"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("directory of agencies")
        ordering = ["organ_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(transport__in=Transport.values), name="exchange_route_transport"
            ),
            models.CheckConstraint(
                condition=Q(transport__in=["local", "pull"]) | ~Q(endpoint=""),
                name="exchange_route_endpoint",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organ_id} ({self.transport})"


class PeerNode(models.Model):
    """Another CoQuan node or hub allowed to POST packages here (per-node credentials).

    The token is shown once when created and stored as its SHA-256. ``sender_organ_ids``:
    the ``From`` identifiers it may send for, one per line (``*``: any, for a hub); in hub
    mode the same agencies are the ones whose waiting packages it may fetch (pull).
    """

    name = models.CharField(_("name"), max_length=200)
    token_sha256 = models.CharField(_("credential (SHA-256)"), max_length=64, unique=True)
    sender_organ_ids = models.TextField(_("agencies it sends for"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("peer node")
        verbose_name_plural = _("peer nodes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def may_send_for(self, organ_id: str) -> bool:
        allowed = {line.strip() for line in self.sender_organ_ids.splitlines() if line.strip()}
        return "*" in allowed or organ_id in allowed

    def served_organ_ids(self) -> set[str] | None:
        """The agencies this node serves (receives for, in pull mode): the ones it sends for;
        None for ``*`` (every agency: a hub below this one)."""
        allowed = {line.strip() for line in self.sender_organ_ids.splitlines() if line.strip()}
        return None if "*" in allowed else allowed


class OutboxMessage(models.Model):
    """One package to deliver to one recipient, with its attempts (the outbox).

    The durable record of the intent is written with the business change: the documents
    app's ``Delivery`` (at issue and recall) or an ``OutgoingStatus`` (by the receive
    actions); the worker adopts deliveries into this table (one row each, unique) and
    statuses get their row in the same transaction. The package bytes are built once, kept
    with their SHA-256 and sent identically on every retry (the receiver's idempotence on
    ``DocumentId`` makes a redelivery harmless).
    """

    kind = models.CharField(_("kind"), max_length=10, choices=OutboxKind.choices)
    delivery = models.OneToOneField(
        "documents.Delivery",
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbox",
    )
    status = models.OneToOneField(
        OutgoingStatus,
        verbose_name=_("status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbox",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("sender"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organ_id = models.CharField(_("recipient identifier"), max_length=13)
    document_id = models.CharField(_("document identifier"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_until = models.DateTimeField(_("taken by a worker until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    transport = models.CharField(_("transport"), max_length=10, blank=True)
    content = models.BinaryField(_("package"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # Hub mode: the node a relayed package came from, its sender and what it carries.
    source_node = models.ForeignKey(
        PeerNode,
        verbose_name=_("from node"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sender_organ_id = models.CharField(_("sender identifier"), max_length=13, blank=True)
    package_kind = models.CharField(
        _("package kind"), max_length=10, choices=PackageKind.choices, blank=True
    )
    business_doc_type = models.PositiveSmallIntegerField(_("business type"), null=True, blank=True)
    status_code = models.CharField(_("status code"), max_length=2, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="delivery", delivery__isnull=False, status__isnull=True))
                | Q(kind="status", status__isnull=False, delivery__isnull=True)
                | Q(kind="relay", status__isnull=True, delivery__isnull=True),
                name="exchange_outbox_one_source",
            ),
            models.UniqueConstraint(
                fields=["organ_id", "sha256"],
                condition=Q(kind="relay"),
                name="exchange_one_relay_per_package",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="exchange_outbox_due"),
            models.Index(fields=["document_id", "organ_id"], name="exchange_outbox_doc"),
            models.Index(fields=["kind", "-created_at"], name="exchange_outbox_kind_time"),
            models.Index(fields=["transport", "state", "organ_id"], name="exchange_outbox_pull"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_id} → {self.organ_id}"

    @property
    def package_label(self) -> str:
        """What a relayed package carries: "New document", "Recall", "Status 03" ..."""
        if self.package_kind == PackageKind.STATUS:
            return str(_("Status %(code)s") % {"code": self.status_code or "?"})
        if self.package_kind == PackageKind.DOCUMENT:
            return str(BUSINESS_LABELS.get(self.business_doc_type, PackageKind.DOCUMENT.label))
        return ""


class DeliveryAttempt(models.Model):
    """One try to send an outbox message (evidence for the clerk and the fault checker)."""

    message = models.ForeignKey(
        OutboxMessage, verbose_name=_("message"), on_delete=models.CASCADE, related_name="tries"
    )
    number = models.PositiveIntegerField(_("attempt"))
    transport = models.CharField(_("transport"), max_length=10)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), null=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["message_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="exchange_attempt_number")
        ]

    def __str__(self) -> str:
        return f"{self.message_id}#{self.number}"


class RecipientStatus(models.Model):
    """A status a recipient agency reported about a delivery (the sender's timeline).

    One row per (delivery, code); the latest status shown is the one of highest rank
    (``STATUS_RANK``), so a late or repeated status never moves it backwards.
    """

    delivery = models.ForeignKey(
        "documents.Delivery",
        verbose_name=_("delivery"),
        on_delete=models.PROTECT,
        related_name="recipient_statuses",
    )
    code = models.CharField(_("status code"), max_length=2)
    rank = models.PositiveSmallIntegerField(_("rank"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    staff = models.CharField(_("reported by"), max_length=200, blank=True)
    package = models.ForeignKey(
        ReceivedPackage,
        verbose_name=_("package"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("recipient status")
        verbose_name_plural = _("recipient statuses")
        ordering = ["delivery_id", "rank", "received_at"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "code"], name="exchange_one_status_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.delivery_id}"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS.get(self.code, self.code))
