"""Inspections (thanh tra, kiểm tra) and project appraisals (thẩm định dự án)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coquan.registry.choices import (
    AppraisalOutcome,
    EntityKind,
    InspectionStatus,
    ProjectField,
)
from coquan.registry.querysets import RegistryQuerySet


class Inspection(models.Model):
    """An inspection held by the Department's inspectorate: plan, findings, closure.

    Planned with ``plan_inspection`` (subject, scope, legal basis, team, dates), its findings
    per inspected entity and their violations are recorded with ``record_finding`` and
    ``record_violation``, and it ends with ``close_inspection`` (conclusion). An inspection
    counts in the year of its start date.
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300)
    scope = models.TextField(_("scope"), blank=True)
    decision_ref = models.CharField(
        _("inspection decision (number and notation)"), max_length=60, blank=True
    )
    team = models.TextField(_("team"), blank=True, help_text=_("One member per line."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="inspection_dates_in_order",
            )
        ]
        indexes = [models.Index(fields=["agency", "start_date"], name="inspection_agency_start")]

    def __str__(self) -> str:
        return self.subject


class InspectionFinding(models.Model):
    """What an inspection found at one inspected entity (an internet agent, a telecom
    business ...), optionally linked to that entity's licence or agent registration."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="findings"
    )
    entity_kind = models.CharField(_("entity kind"), max_length=20, choices=EntityKind.choices)
    entity_name = models.CharField(_("inspected entity"), max_length=250)
    licence = models.ForeignKey(
        "registry.Licence",
        verbose_name=_("licence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    internet_agent = models.ForeignKey(
        "registry.InternetAgent",
        verbose_name=_("internet agent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    finding = models.TextField(_("findings"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.entity_name


class Violation(models.Model):
    """A violation found at an inspected entity: legal basis, sanction, follow-up deadline.

    ``follow_up_due`` is ``decided_on`` plus ``follow_up_days`` working days
    (``coquan.workdays``), computed by ``record_violation``; ``resolved_on`` is set by
    ``resolve_violation``.
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    finding = models.ForeignKey(
        InspectionFinding,
        verbose_name=_("finding"),
        on_delete=models.CASCADE,
        related_name="violations",
    )
    description = models.TextField(_("violation"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    sanction = models.CharField(_("sanction"), max_length=300, blank=True)
    fine_amount = models.DecimalField(
        _("fine (VND)"),
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    decided_on = models.DateField(_("decided on"))
    follow_up_days = models.PositiveSmallIntegerField(
        _("follow-up period (working days)"), null=True, blank=True
    )
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:80]


class ProjectAppraisal(models.Model):
    """An IT or telecom investment project appraised by the Department (thẩm định dự án):
    total investment before and after appraisal, dates and outcome. Counts in the annual
    report of the year of its appraisal date; a pending project is not counted yet."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("project"), max_length=300)
    field = models.CharField(_("field"), max_length=10, choices=ProjectField.choices)
    investor = models.CharField(_("investor"), max_length=250, blank=True)
    investment_before = models.DecimalField(
        _("investment before appraisal (VND)"),
        max_digits=18,
        decimal_places=0,
        validators=[MinValueValidator(Decimal("0"))],
    )
    investment_after = models.DecimalField(
        _("investment after appraisal (VND)"),
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    submitted_on = models.DateField(_("submitted on"))
    appraised_on = models.DateField(_("appraised on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=AppraisalOutcome.choices,
        default=AppraisalOutcome.PENDING,
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("project appraisal")
        verbose_name_plural = _("project appraisals")
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(appraised_on__isnull=True) | Q(appraised_on__gte=F("submitted_on")),
                name="appraisal_dates_in_order",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "appraised_on"], name="appraisal_agency_date"),
        ]

    def __str__(self) -> str:
        return self.name
