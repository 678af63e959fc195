"""Dossiers (hồ sơ TTHC), their papers and files, hand-overs, status history, supplement
requests, the one extension, and the daily code counters.

A ``Dossier`` row is written for every desk outcome (NĐ 61 Art. 17: every dossier is
logged): an accepted one gets a dossier code and a clock; a dossier returned for
completion (form 02) or refused (form 03) at the desk has neither.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coquan.onestop.choices import (
    ApplicantType,
    Channel,
    DossierStatus,
    PaperForm,
    Timeliness,
    TransferKind,
)
from coquan.onestop.querysets import DossierQuerySet

USER = settings.AUTH_USER_MODEL


class Dossier(models.Model):
    """A citizen's or organisation's application for one procedure version.

    Holds personal data (applicant name, ID number, address, phone, e-mail: PDPL 2025,
    standards §5.2): it is visible only to the agency's desk officers and leaders and to the
    people and units it was handed to, and never shown by the public lookup.

    The clock (§3.7): ``clock_started_at`` is the acceptance, or the arrival of the completed
    dossier after a supplement request (NĐ 61 Art. 19.4 restarts the count from zero);
    ``due_at`` is the current appointment (None while the clock is stopped); the one
    extension replaces it (``DossierExtension``). ``timeliness`` is fixed when the result is
    ready (or returned, per ``COQUAN_ONESTOP_CLASSIFY_AT``). ``status`` changes only through
    ``onestop.workflow`` inside the actions, each change written as a
    ``DossierStatusChange`` row.
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        related_name="onestop_dossiers",
    )
    procedure = models.ForeignKey(
        "onestop.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    dossier_code = models.CharField(
        _("dossier code"), max_length=60, null=True, blank=True, unique=True
    )
    sequence = models.PositiveIntegerField(_("sequence of the day"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=2, choices=Channel.choices, default=Channel.DIRECT
    )
    status = models.CharField(
        _("status"), max_length=2, choices=DossierStatus.choices, db_index=True
    )
    applicant_type = models.CharField(
        _("applicant type"), max_length=15, choices=ApplicantType.choices
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_number = models.CharField(
        _("ID number"),
        max_length=30,
        help_text=_("Personal ID number, or the enterprise code of an organisation."),
    )
    applicant_address = models.CharField(_("address"), max_length=300)
    applicant_phone = models.CharField(_("telephone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    set_count = models.PositiveSmallIntegerField(_("number of sets"), default=1)
    note = models.TextField(_("note"), blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    result_note = models.TextField(_("result"), blank=True)

    created_at = models.DateTimeField(_("submitted at"))
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a dossier submitted online by an applicant."),
    )
    applicant_account = models.ForeignKey(
        "onestop.Applicant",
        verbose_name=_("applicant account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    licence_document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("licence (outgoing document)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    licence_number = models.CharField(_("licence number"), max_length=50, blank=True)
    received_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    received_by = models.ForeignKey(
        USER,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    current_step = models.ForeignKey(
        "onestop.ProcedureStep",
        verbose_name=_("current step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("assigned unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee_user = models.ForeignKey(
        USER,
        verbose_name=_("assigned person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    step_due_at = models.DateTimeField(_("step deadline"), null=True, blank=True)

    time_limit_days = models.DecimalField(
        _("time limit (working days)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    clock_started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("appointment"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(_("first appointment"), null=True, blank=True)
    paused_at = models.DateTimeField(_("clock stopped at"), null=True, blank=True)
    result_ready_at = models.DateTimeField(_("result ready at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    timeliness = models.CharField(
        _("timeliness"), max_length=10, choices=Timeliness.choices, blank=True
    )

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"], name="onestop_dossier_ag_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DossierStatus.values), name="onestop_dossier_status_valid"
            ),
            # A code exactly when the dossier was accepted (NĐ 61 Art. 17).
            models.CheckConstraint(
                condition=(
                    Q(dossier_code__isnull=True, received_at__isnull=True)
                    | Q(dossier_code__isnull=False, received_at__isnull=False)
                ),
                name="onestop_dossier_code_iff_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.dossier_code or _("Dossier #%(pk)s (not accepted)") % {"pk": self.pk}

    @property
    def is_accepted(self) -> bool:
        return self.received_at is not None

    @property
    def applicant_is_person(self) -> bool:
        return self.applicant_type == ApplicantType.PERSON


class DossierComponent(models.Model):
    """A paper of the procedure for this dossier and whether the desk received it.

    ``name``, ``paper_form`` and ``count`` are copied from the catalogue at reception so
    the receipt (form 01) and the supplement request (form 02) print what was asked then.
    """

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="components"
    )
    component = models.ForeignKey(
        "onestop.ProcedureComponent",
        verbose_name=_("component"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=500)
    paper_form = models.CharField(_("form"), max_length=15, choices=PaperForm.choices)
    count = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    required = models.BooleanField(_("mandatory"), default=True)
    received = models.BooleanField(_("received"), default=False)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier paper")
        verbose_name_plural = _("dossier papers")
        ordering = ["dossier_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "component"], name="onestop_dossier_component_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DossierFile(models.Model):
    """A scanned or uploaded file of a dossier (NĐ 61 Art. 17: scan and store it).

    Stored under a random name; ``original_name`` is the sanitised name the person gave;
    ``content_type`` comes from the content, never from the name.
    """

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="files"
    )
    component = models.ForeignKey(
        DossierComponent,
        verbose_name=_("paper"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="files",
    )
    file = models.FileField(_("file"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        USER,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a file the applicant uploaded on the portal."),
    )

    class Meta:
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")
        ordering = ["dossier_id", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DossierTransfer(models.Model):
    """One hand-over of the dossier: a row of the control slip (form 05, TT 01/2018).

    Who gave it (step, unit, person; no step = the one-stop desk), who received it (no
    step and kind ``delivery`` = the applicant), when, the deadline of the leg that starts
    (``step_due_at``), and when that leg ended with its result: early, on time or late
    against the step deadline (indicator 2, §3.7.6). Written only by the actions.
    """

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="transfers"
    )
    seq = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=15, choices=TransferKind.choices)
    from_step = models.ForeignKey(
        "onestop.ProcedureStep",
        verbose_name=_("from step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("from unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_user = models.ForeignKey(
        USER,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_step = models.ForeignKey(
        "onestop.ProcedureStep",
        verbose_name=_("to step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("to unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_user = models.ForeignKey(
        USER,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_at = models.DateTimeField(_("handed over at"))
    step_due_at = models.DateTimeField(_("step deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    timeliness = models.CharField(
        _("step result"), max_length=10, choices=Timeliness.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["dossier_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="onestop_transfer_seq")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.kind}"


class DossierStatusChange(models.Model):
    """One change of a dossier's status (the legal trail; §3.6 statuses are synced as
    ``CapNhatTrangThai``). ``step`` is the internal step the dossier was at after it."""

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from status"), max_length=2, choices=DossierStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=2, choices=DossierStatus.choices)
    step = models.ForeignKey(
        "onestop.ProcedureStep",
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        USER,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a change the applicant made on the portal."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["dossier_id", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.from_status or '-'} → {self.to_status}"


class DossierSupplement(models.Model):
    """A request to supplement or complete the dossier (form 02), listing everything that
    is missing at once (NĐ 61 Art. 15, "hướng dẫn một lần").

    At the desk (``at_desk``) it is the outcome of a reception: nothing is accepted and no
    clock runs. During processing it stops the clock from ``requested_at`` until the
    complete dossier arrives (``resolved_at``), when the count restarts from zero (NĐ 61
    Art. 19.4). ``late_notice`` records a request made after the window for asking
    (3 working days from acceptance by default, ``COQUAN_ONESTOP_SUPPLEMENT_WINDOW_DAYS``).
    """

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="supplements"
    )
    at_desk = models.BooleanField(_("at the desk"), default=False)
    items = models.JSONField(_("missing items"), default=list)
    note = models.TextField(_("note"), blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(
        "onestop.ProcedureStep",
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    late_notice = models.BooleanField(_("requested after the window"), default=False)
    answered_at = models.DateTimeField(_("answered online at"), null=True, blank=True)
    answer_note = models.TextField(_("applicant's answer"), blank=True)
    resolved_at = models.DateTimeField(_("completed dossier received at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        USER,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["dossier_id", "requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True)
                | Q(resolved_at__gte=models.F("requested_at")),
                name="onestop_supplement_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {len(self.items)}"


class DossierExtension(models.Model):
    """The one extension of a dossier, with its apology letter (form 04).

    NĐ 61 Art. 19: requested at least one working day before the deadline, giving the
    reason and a new date; only one re-appointment is allowed (one row per dossier,
    a database constraint).
    """

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="extension"
    )
    previous_due_at = models.DateTimeField(_("previous appointment"))
    new_due_at = models.DateTimeField(_("new appointment"))
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_at__gt=models.F("previous_due_at")),
                name="onestop_extension_later",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.new_due_at:%d/%m/%Y}"


class DossierCounter(models.Model):
    """The last sequence number given in a period (a day by default) by a receiving agency.

    Locked with ``SELECT … FOR UPDATE`` while a code is taken, so codes are gapless and
    unique under concurrent receptions (NĐ 61 Art. 26: ``XXXX`` is the order of receipt
    within the day).
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("period"))
    last_value = models.PositiveIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("dossier counter")
        verbose_name_plural = _("dossier counters")
        constraints = [
            models.UniqueConstraint(fields=["agency", "period"], name="onestop_counter_period")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.period}: {self.last_value}"
