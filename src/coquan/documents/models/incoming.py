"""Incoming documents (văn bản đến), their register books, handling trail and secrecy grants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coquan.documents.choices import (
    AssignmentRole,
    BookKind,
    Channel,
    IncomingStatus,
    StepKind,
)
from coquan.documents.models.base import DocumentMetadata, metadata_constraints
from coquan.documents.querysets import HandlingStepQuerySet, IncomingDocumentQuerySet


class RegisterBook(models.Model):
    """A register book (sổ văn bản) of one agency for one year.

    Decree 30/2020 Art. 22: the số đến runs consecutively through the year in order of
    receipt, one sequence shared by paper and electronic documents. ``last_number`` is the
    last number given; ``register_incoming`` locks this row (``SELECT ... FOR UPDATE``) to
    take the next one, so numbers are gapless and unique under concurrency. Secret documents
    have their own book (``incoming_secret``).

    Outgoing books (kind ``outgoing``) belong to a numbering ``series`` (``OutgoingSeries``):
    one book per series and year, numbered from 1 on 1 January (Decree 30/2020 Art. 15).
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="register_books",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BookKind.choices)
    series = models.ForeignKey(
        "documents.OutgoingSeries",
        verbose_name=_("numbering series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="books",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("register book")
        verbose_name_plural = _("register books")
        ordering = ["agency_id", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "year"],
                condition=Q(series__isnull=True),
                name="register_book_unique_per_year",
            ),
            models.UniqueConstraint(
                fields=["series", "year"],
                condition=Q(series__isnull=False),
                name="register_book_unique_per_series_year",
            ),
            models.CheckConstraint(
                condition=Q(kind="outgoing", series__isnull=False)
                | (~Q(kind="outgoing") & Q(series__isnull=True)),
                name="register_book_series_for_outgoing",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=BookKind.values), name="register_book_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=9999), name="register_book_year_valid"
            ),
        ]

    def __str__(self) -> str:
        if self.series_id is not None:
            return f"{self.series} {self.year}"
        return f"{self.get_kind_display()} {self.year}"


class IncomingDocument(DocumentMetadata):
    """A document received by an agency (văn bản đến), with the App. VI incoming metadata.

    Created only by ``actions.register_incoming`` (paper documents typed in by the clerk,
    electronic ones parsed from edXML by the exchange app). The current handling state is
    kept on the row (status, who it was presented to, the lead handler) so that queues are
    simple indexed queries; every change is also a ``HandlingStep`` row, the legal trail.
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="incoming_documents",
    )
    register_book = models.ForeignKey(
        RegisterBook,
        verbose_name=_("register book"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    arrival_number = models.PositiveIntegerField(_("arrival number"))
    arrival_date = models.DateTimeField(_("arrival date"))
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.PAPER
    )
    issuer_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("issuing agency (this deployment)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer_external = models.ForeignKey(
        "documents.ExternalAgency",
        verbose_name=_("issuing agency (external)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    issuer_name = models.CharField(_("issuing agency"), max_length=200)
    issuer_organ_id = models.CharField(_("issuer identifier"), max_length=13, blank=True)
    to_places = models.CharField(_("receiving units or people"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IncomingStatus.choices,
        default=IncomingStatus.REGISTERED,
    )
    edxml_document_id = models.CharField(
        _("edXML document identifier"), max_length=100, blank=True, default=""
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    presented_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presented to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presented_at = models.DateTimeField(_("presented at"), null=True, blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    assignment_round = models.PositiveSmallIntegerField(_("assignment round"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    result_note = models.TextField(_("result"), blank=True)

    objects = IncomingDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-arrival_date", "-arrival_number"]
        constraints = [
            *metadata_constraints("incoming"),
            models.UniqueConstraint(
                fields=["register_book", "arrival_number"],
                name="incoming_arrival_number_unique_in_book",
            ),
            models.CheckConstraint(
                condition=Q(arrival_number__gte=1), name="incoming_arrival_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=IncomingStatus.values), name="incoming_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="incoming_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(issuer_agency__isnull=True) | Q(issuer_external__isnull=True),
                name="incoming_one_issuer",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "arrival_date"], name="incoming_queue_idx"),
            models.Index(fields=["presented_to", "status"], name="incoming_presented_idx"),
            models.Index(fields=["lead_user", "status"], name="incoming_lead_user_idx"),
            models.Index(fields=["lead_unit", "status"], name="incoming_lead_unit_idx"),
            models.Index(fields=["agency", "due_date"], name="incoming_due_idx"),
            # Inbox at 10^6 documents (issue 3 benchmark, docs/documents.md): "to assign" in
            # its order; its count and those of overdue and "all" from the index alone
            # (agency, secrecy and id are what the visibility rule reads).
            models.Index(
                fields=[
                    *("presented_to", "status", "-urgency", "presented_at", "arrival_number"),
                    *("agency", "secrecy", "id"),
                ],
                name="incoming_to_assign_idx",
            ),
            models.Index(
                fields=["agency", "status", "due_date", "secrecy", "id"],
                name="incoming_status_due_idx",
            ),
            models.Index(fields=["agency", "secrecy", "id"], name="incoming_secrecy_idx"),
            # The "all" list, newest first, and any filter with an arrival-date range: an
            # index-only scan on PostgreSQL (the filter columns are carried along).
            models.Index(
                fields=["agency", "-arrival_date", "-arrival_number"],
                include=["document_type", "urgency", "status", "secrecy", "id"],
                name="incoming_arrival_list_idx",
            ),
            models.Index(fields=["edxml_document_id"], name="incoming_edxml_id_idx"),
            models.Index(
                fields=["agency", "code_number", "issued_date"], name="incoming_duplicate_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arrival_number} — {self.subject[:80]}"


class HandlingStep(models.Model):
    """One event in the legal trail of an incoming document; the rows are its timeline.

    Decree 30/2020 Art. 23–24 and App. VI (``TraceHeaderList``): the System keeps who
    presented the document to whom, who the leader assigned as lead, co-handlers and for
    information (unit or person) with deadlines and instructions, every opinion, completion,
    reopening and return. Rows are written only by actions and never changed. ``round`` is
    the assignment round the row belongs to (a new assignment by a leader opens a round).
    """

    document = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    kind = models.CharField(_("step"), max_length=12, choices=StepKind.choices)
    role = models.CharField(
        _("part"), max_length=12, choices=AssignmentRole.choices, blank=True, default=""
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
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
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    round = models.PositiveSmallIntegerField(_("assignment round"), default=0)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = HandlingStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("handling step")
        verbose_name_plural = _("handling steps")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=StepKind.values), name="handling_step_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(role__in=AssignmentRole.values), name="handling_step_role_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=StepKind.ASSIGNED)
                | (~Q(role="") & (Q(unit__isnull=False) | Q(user__isnull=False))),
                name="handling_step_assignment_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["document", "kind", "round"], name="handling_step_doc_idx"),
            models.Index(fields=["user", "kind"], name="handling_step_user_idx"),
            models.Index(fields=["unit", "kind"], name="handling_step_unit_idx"),
            # "Co-handling" / "for information": the documents naming a person or unit.
            models.Index(
                fields=["user", "role", "document"],
                condition=Q(kind=StepKind.ASSIGNED),
                name="handling_step_user_role_idx",
            ),
            models.Index(
                fields=["unit", "role", "document"],
                condition=Q(kind=StepKind.ASSIGNED),
                name="handling_step_unit_role_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.document_id}"


class SecrecyGrant(models.Model):
    """A person explicitly allowed to see one secret document.

    Secret documents (Mật, Tối mật, Tuyệt mật) are visible only to people holding a grant:
    the clerk who registered the document receives one automatically, and presenting or
    assigning the document to a person grants it to that person in the same action.
    """

    document = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="secrecy_grants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("secrecy grant")
        verbose_name_plural = _("secrecy grants")
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="secrecy_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → #{self.document_id}"
