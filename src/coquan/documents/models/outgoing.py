"""Outgoing documents (văn bản đi): numbering series, the document, its recipients, versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.documents.choices import (
    ISSUED_OUTGOING,
    OutgoingStatus,
    RecipientKind,
    RecipientPurpose,
    RevisionKind,
    SeriesScope,
)
from coquan.documents.models.base import DocumentMetadata, metadata_constraints
from coquan.documents.outgoing_querysets import OutgoingDocumentQuerySet


class OutgoingSeries(models.Model):
    """A numbering series of outgoing documents (sổ văn bản đi), set up by an agency admin.

    Decree 30/2020 Art. 15: numbers run from 01 on 1 January in order of issue; the head of
    the agency decides whether administrative documents share one series or some types have
    their own; secret documents have their own series (Art. 15.2); advisory boards using
    the agency's seal have a separate series (App. I 3.a). Each year of a series is one
    ``RegisterBook`` row (the counter). ``issuer_abbreviation`` replaces the agency's short
    name in notations (a board's own abbreviation). An agency without series gets the
    general and the secret series created on first use.
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="outgoing_series",
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("documents numbered"), max_length=10, choices=SeriesScope.choices)
    document_types = models.ManyToManyField(
        "documents.DocumentType",
        verbose_name=_("document types"),
        blank=True,
        related_name="+",
        help_text=_("Only for a series of chosen types."),
    )
    issuer_abbreviation = models.CharField(
        _("issuer abbreviation"),
        max_length=30,
        blank=True,
        help_text=_(
            "Used in notations instead of the agency's short name (e.g. an advisory board)."
        ),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("numbering series")
        verbose_name_plural = _("numbering series")
        ordering = ["agency_id", "scope", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="outgoing_series_name_unique"),
            models.UniqueConstraint(
                fields=["agency", "scope"],
                condition=Q(is_active=True, scope__in=[SeriesScope.GENERAL, SeriesScope.SECRET]),
                name="outgoing_series_one_general_one_secret",
            ),
            models.CheckConstraint(
                condition=Q(scope__in=SeriesScope.values), name="outgoing_series_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OutgoingDocument(DocumentMetadata):
    """A document an agency drafts and issues (văn bản đi), from first draft to recall.

    Created by ``actions.create_draft``; every change goes through an action and leaves a
    version (``OutgoingVersion``) and a timeline row (``OutgoingStep``). The review and
    approval chain is ``ChainTask`` rows. ``code_number``/``code_notation``/``issued_date``
    stay empty until the clerk issues the document: the number comes from the register book
    of its series at that moment (Decree 30/2020 Art. 15.3: electronic documents are
    numbered and dated by a system function), and the issued document is frozen.
    """

    # Unknown until the document is issued (inherited as required from the metadata base).
    issued_date = models.DateField(_("date of the document"), null=True, blank=True)

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="outgoing_documents",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafter"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafting_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("drafting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The leader who will sign the document."),
    )
    reply_to = models.ForeignKey(
        "documents.IncomingDocument",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    series = models.ForeignKey(
        OutgoingSeries,
        verbose_name=_("numbering series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("Only for an advisory board's series; otherwise chosen by type at issue."),
    )
    copies = models.PositiveSmallIntegerField(
        pgettext_lazy("outgoing document", "number of copies"), default=1
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    round = models.PositiveSmallIntegerField(_("review round"), default=0)
    register_book = models.ForeignKey(
        "documents.RegisterBook",
        verbose_name=_("register book"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_documents",
    )
    register_number = models.PositiveIntegerField(_("number in the book"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("sent for review at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    recall_reason = models.TextField(_("reason for the recall"), blank=True)
    revises = models.ForeignKey(
        "self",
        verbose_name=_("updates or replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        help_text=_("The issued document this one updates or replaces."),
    )
    revision_kind = models.CharField(
        _("kind of revision"), max_length=10, choices=RevisionKind.choices, blank=True
    )

    objects = OutgoingDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            *metadata_constraints("outgoing"),
            models.UniqueConstraint(
                fields=["register_book", "register_number"],
                name="outgoing_number_unique_in_book",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OutgoingStatus.values), name="outgoing_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(register_number__isnull=True) | Q(register_number__gte=1),
                name="outgoing_number_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ISSUED_OUTGOING)
                | (Q(register_number__isnull=False) & Q(issued_date__isnull=False)),
                name="outgoing_issued_has_number",
            ),
            models.CheckConstraint(condition=Q(copies__gte=1), name="outgoing_copies_positive"),
            models.CheckConstraint(
                condition=(Q(revises__isnull=True) & Q(revision_kind=""))
                | (Q(revises__isnull=False) & Q(revision_kind__in=RevisionKind.values)),
                name="outgoing_revision_has_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "updated_at"], name="outgoing_queue_idx"),
            models.Index(fields=["drafter", "status"], name="outgoing_drafter_idx"),
            models.Index(fields=["signer", "status"], name="outgoing_signer_idx"),
            models.Index(fields=["agency", "issued_date"], name="outgoing_issued_idx"),
            models.Index(fields=["drafting_unit", "status"], name="outgoing_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.number_and_notation or self.subject[:80]

    @property
    def is_issued(self) -> bool:
        return self.status in ISSUED_OUTGOING

    @property
    def is_frozen(self) -> bool:
        """Signed, issued or recalled: the content can no longer change."""
        from coquan.documents.choices import EDITABLE_OUTGOING

        return self.status not in EDITABLE_OUTGOING


class OutgoingRecipient(models.Model):
    """One line of the "Nơi nhận" of an outgoing document (Decree 30/2020 App. I item 9).

    An agency of this deployment or of the directory (with an ``organ_id``) receives the
    document by electronic exchange (one ``Delivery`` at issue) unless the document is
    secret; a unit or person of the same agency receives it in their internal inbox; any
    other line (a directory entry without identifier, free text) is a paper recipient for
    the postal book. Rows are replaced as a whole when the draft changes.
    """

    document = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=RecipientKind.choices)
    purpose = models.CharField(
        _("purpose"),
        max_length=10,
        choices=RecipientPurpose.choices,
        default=RecipientPurpose.ACTION,
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external = models.ForeignKey(
        "documents.ExternalAgency",
        verbose_name=_("agency from the directory"),
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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.CharField(_("text"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("recipient line")
        verbose_name_plural = _("recipient lines")
        ordering = ["document_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RecipientKind.values), name="outgoing_recipient_kind_valid"
            ),
            models.CheckConstraint(
                condition=(Q(kind=RecipientKind.AGENCY) & Q(agency__isnull=False))
                | (Q(kind=RecipientKind.EXTERNAL) & Q(external__isnull=False))
                | (Q(kind=RecipientKind.UNIT) & Q(unit__isnull=False))
                | (Q(kind=RecipientKind.USER) & Q(user__isnull=False))
                | (Q(kind=RecipientKind.TEXT) & ~Q(text="")),
                name="outgoing_recipient_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        target = {
            RecipientKind.AGENCY: self.agency,
            RecipientKind.EXTERNAL: self.external,
            RecipientKind.UNIT: self.unit,
            RecipientKind.USER: self.user,
        }.get(self.kind)
        if self.kind == RecipientKind.USER and target is not None:
            return target.get_full_name()
        return str(target) if target is not None else self.text

    @property
    def organ_id(self) -> str:
        if self.kind == RecipientKind.AGENCY and self.agency is not None:
            return self.agency.organ_id
        if self.kind == RecipientKind.EXTERNAL and self.external is not None:
            return self.external.organ_id
        return ""

    @property
    def is_internal(self) -> bool:
        return self.kind in (RecipientKind.UNIT, RecipientKind.USER)


class OutgoingVersion(models.Model):
    """A saved state of the draft's metadata, recipients and files (one per saved change).

    Decree 30/2020 App. VI: authorised users edit and return drafts; every version stays so
    the page can show what changed between two versions (``data`` is a flat snapshot:
    field → printable value). Written only by actions, never changed.
    """

    document = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["document_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="outgoing_version_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.number} #{self.document_id}"
