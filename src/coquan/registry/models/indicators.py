"""ICT indicators: definitions (shared data), values per year and area, their history."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coquan.registry.choices import IndicatorKind, IndicatorPeriod, ReportSection, ValueSource
from coquan.registry.querysets import IndicatorQuerySet, RegistryQuerySet

# Indicator codes are formula identifiers; dotted names are reserved for register counts.
CODE_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("Use lower-case letters, digits and underscores, starting with a letter."),
)
MIN_YEAR, MAX_YEAR = 1990, 2100


class Indicator(models.Model):
    """The definition of an ICT indicator (reference data shared by every agency).

    ``entered`` indicators get values by form, file import or API; ``formula`` indicators are
    computed from other indicators and register counts by ``formula`` (parsed by
    ``registry.formula``, never evaluated as Python) whenever a value they depend on changes.
    The definitions of the seed's report are created by a data migration; deployment
    administrators add or change them with ``define_indicator``.
    """

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    period = models.CharField(
        _("period"), max_length=10, choices=IndicatorPeriod.choices, default=IndicatorPeriod.YEAR
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.ENTERED
    )
    formula = models.CharField(_("formula"), max_length=500, blank=True)
    decimals = models.PositiveSmallIntegerField(
        _("decimals shown"), default=0, validators=[MaxValueValidator(4)]
    )
    section = models.CharField(
        _("report section"), max_length=20, choices=ReportSection.choices, default="other"
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["section", "sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="entered", formula="") | (Q(kind="formula") & ~Q(formula="")),
                name="indicator_formula_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_formula(self) -> bool:
        return self.kind == IndicatorKind.FORMULA


class IndicatorValue(models.Model):
    """The value of an indicator for one year and one area in an agency's statistics.

    ``area`` empty means the whole province (the territory of the agency that keeps the
    statistics); otherwise a commune (or district) agency. Changed only by the indicator
    actions, each change leaving an ``IndicatorValueRevision``.
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    area = models.ForeignKey(
        "org.Agency",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    source = models.CharField(_("source"), max_length=10, choices=ValueSource.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "indicator", "year"],
                condition=Q(area__isnull=True),
                name="indicator_value_unique_province",
            ),
            models.UniqueConstraint(
                fields=["agency", "indicator", "year", "area"],
                condition=Q(area__isnull=False),
                name="indicator_value_unique_area",
            ),
        ]
        indexes = [models.Index(fields=["agency", "year"], name="indicator_value_agency_year")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class IndicatorValueRevision(models.Model):
    """One change of an indicator value (old → new, who, how): the value's history."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.ForeignKey(
        IndicatorValue,
        verbose_name=_("indicator value"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    old_value = models.DecimalField(
        _("old value"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    new_value = models.DecimalField(_("new value"), max_digits=24, decimal_places=6)
    source = models.CharField(_("source"), max_length=10, choices=ValueSource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value revision")
        verbose_name_plural = _("indicator value revisions")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.value_id}: {self.old_value} → {self.new_value}"


class AnnualPlan(models.Model):
    """The work programme of a year (the seed's "Chương trình công tác năm 2009"), one task
    per line; the annual report of year N closes with the plan of year N + 1."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    items = models.TextField(_("tasks"), help_text=_("One task per line."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="annual_plan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"

    def item_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.items.splitlines() if line.strip(" -•\t")]
