"""The life of an outgoing document: chain tasks, timeline, files, deliveries, receipts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coquan.documents.choices import (
    DeliveryKind,
    DeliveryState,
    OutgoingFileKind,
    OutgoingStepKind,
    SignatureLevel,
    TaskKind,
    TaskState,
)
from coquan.documents.models.attachments import StoredFile, StoredFileQuerySet


class ChainTaskQuerySet(models.QuerySet):
    def current_round(self, document):
        return self.filter(document=document, round=document.round)

    def pending(self):
        return self.filter(state=TaskState.PENDING)


class ChainTask(models.Model):
    """One task of the review and approval chain of a draft (Decree 30/2020 Arts. 10–12).

    Tasks of one ``round`` (a submission) are ordered by ``stage``; tasks of the same stage
    run in parallel (opinion requests), later stages wait until every task of the stage
    before is done. Kinds: review by the drafting unit's leader (answers for the content,
    Art. 12), opinions of other units or people, form check by the office (a named clerk, or
    any clerk of the agency when ``pool_role`` is ``clerk``), approval by the signer
    (Art. 11). A deadline in working days (``due_days``) is turned into a date when the
    task becomes pending. The current state is kept here; the legal trail of what happened
    is the ``OutgoingStep`` timeline.
    """

    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    round = models.PositiveSmallIntegerField(_("review round"))
    stage = models.PositiveSmallIntegerField(_("stage"))
    kind = models.CharField(_("task"), max_length=12, choices=TaskKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=TaskState.choices, default=TaskState.WAITING
    )
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pool_role = models.CharField(_("any holder of the role"), max_length=20, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_days = models.PositiveSmallIntegerField(
        _("deadline in working days"), null=True, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    activated_at = models.DateTimeField(_("pending since"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)

    objects = ChainTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("chain task")
        verbose_name_plural = _("chain tasks")
        ordering = ["document_id", "round", "stage", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TaskKind.values), name="chain_task_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=TaskState.values), name="chain_task_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(assignee_user__isnull=False)
                | Q(assignee_unit__isnull=False)
                | ~Q(pool_role=""),
                name="chain_task_has_assignee",
            ),
        ]
        indexes = [
            models.Index(fields=["document", "round", "stage"], name="chain_task_doc_idx"),
            models.Index(fields=["assignee_user", "state"], name="chain_task_user_idx"),
            models.Index(fields=["assignee_unit", "state"], name="chain_task_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.document_id}"

    @property
    def assignee_label(self) -> str:
        if self.assignee_user is not None:
            return self.assignee_user.get_full_name()
        if self.assignee_unit is not None:
            return self.assignee_unit.name
        return str(_("Any clerk of the agency"))


class OutgoingStep(models.Model):
    """One event in the life of an outgoing document; the rows are its timeline.

    Decree 30/2020 App. VI (trace of processing): who created and changed the draft, sent
    it for review, reviewed, gave opinions, checked the form, approved, sent it back (with
    the comment), withdrew, signed, issued and recalled it, and when. Written only by
    actions, never changed. ``version`` is the draft version the event refers to.
    """

    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    kind = models.CharField(_("step"), max_length=12, choices=OutgoingStepKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task = models.ForeignKey(
        ChainTask,
        verbose_name=_("chain task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveSmallIntegerField(_("version"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing document step")
        verbose_name_plural = _("outgoing document steps")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutgoingStepKind.values), name="outgoing_step_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["document", "kind"], name="outgoing_step_doc_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.document_id}"


class OutgoingFile(StoredFile):
    """A stored file of an outgoing document, immutable once written (see ``StoredFile``).

    ``kind``: the main document, a separate attachment, or a file given with an opinion.
    A new version ``replaces`` the current one; signing makes a new version too, whose bytes
    are exactly what the signer produced (``signature`` personal, then seal at issue), so
    the signed PDF is kept byte for byte and its checksum is recorded.
    """

    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    kind = models.CharField(_("part"), max_length=10, choices=OutgoingFileKind.choices)
    signature = models.CharField(
        _("signatures"), max_length=10, choices=SignatureLevel.choices, default=SignatureLevel.NONE
    )
    step = models.ForeignKey(
        OutgoingStep,
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    objects = StoredFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing document file")
        verbose_name_plural = _("outgoing document files")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="outgoing_file_version_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=OutgoingFileKind.values), name="outgoing_file_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(signature__in=SignatureLevel.values),
                name="outgoing_file_signature_valid",
            ),
            models.CheckConstraint(
                condition=~Q(replaces=models.F("pk")), name="outgoing_file_not_self_replacing"
            ),
        ]


class Delivery(models.Model):
    """One electronic delivery of an issued document (or of its recall) to an agency.

    Written at issue (kind ``send``) for every recipient agency with a QCVN 102 identifier,
    unless the document is secret (never exchanged electronically); a recall writes one
    ``recall`` delivery per agency the document was sent to. The state starts at
    ``queued``; delivering it is the exchange app's work, which moves the state on.
    """

    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DeliveryKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    recipient_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency of this deployment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_external = models.ForeignKey(
        "documents.ExternalAgency",
        verbose_name=_("agency from the directory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organ_id = models.CharField(_("agency identifier"), max_length=13)
    name = models.CharField(_("name"), max_length=200)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["document_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "kind", "organ_id"], name="delivery_unique_per_recipient"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DeliveryKind.values), name="delivery_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="delivery_state_valid"
            ),
            models.CheckConstraint(condition=~Q(organ_id=""), name="delivery_has_organ_id"),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="delivery_queue_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.name}"


class InternalReceipt(models.Model):
    """An issued document received by a unit or a person of the issuing agency itself.

    Written at issue for every internal recipient; it puts the document in the recipient's
    "received internal documents" list and makes it visible to them.
    """

    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="internal_receipts",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal receipt")
        verbose_name_plural = _("internal receipts")
        ordering = ["document_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(user__isnull=False),
                name="internal_receipt_has_target",
            ),
            models.UniqueConstraint(
                fields=["document", "unit"],
                condition=Q(unit__isnull=False),
                name="internal_receipt_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["document", "user"],
                condition=Q(user__isnull=False),
                name="internal_receipt_user_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["user"], name="internal_receipt_user_idx"),
            models.Index(fields=["unit"], name="internal_receipt_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.document_id} → {self.unit or self.user}"
