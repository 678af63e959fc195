"""The procedure catalogue (thủ tục hành chính) as versioned data.

Every change to a published procedure makes a new version (a copy that starts as a draft);
a version is immutable once published, and each dossier keeps the version it was received
under, so its components, time limit and steps never change under it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coquan.onestop.choices import (
    AppliesTo,
    OnlineLevel,
    PaperForm,
    ProcedureLevel,
    ProcedureState,
    TimeUnit,
)
from coquan.onestop.querysets import ProcedureQuerySet
from coquan.org.choices import RoleCode

# National TTHC code (§3.4): ``1.005129``, or a local variant with the level-1 suffix
# ``2.000815.000.00.00.H55``.
PROCEDURE_CODE_RE = r"^[0-9]\.[0-9]{6}(\.[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2})?$"
validate_procedure_code = RegexValidator(
    PROCEDURE_CODE_RE,
    _("Use the national procedure code, e.g. 1.005129 or 2.000815.000.00.00.H55."),
    code="procedure_code",
)
HALF_DAY_STEP = Decimal("0.5")


class Procedure(models.Model):
    """One version of an administrative procedure in an agency's catalogue.

    ``agency`` receives and processes the dossiers (the tenant); ``competent_authority`` is
    the body the law names as deciding (may be the same). ``time_limit`` is in
    ``time_unit`` (working days, half days or working hours, §3.7.2); ``cutoff_time``
    overrides the deployment's 15:00 rule for this procedure (unconfirmed rule, §3.7.1).
    Versions of one ``code`` in one agency are numbered 1, 2, …; at most one is published
    and at most one is a draft (database constraints). Changed only through
    ``onestop.actions.procedures``; agency administrators may change it.
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="onestop_procedures",
    )
    code = models.CharField(
        _("procedure code"), max_length=40, validators=[validate_procedure_code]
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"), max_length=12, choices=ProcedureState.choices, default=ProcedureState.DRAFT
    )
    name = models.CharField(_("name"), max_length=500)
    sector_code = models.CharField(_("sector code"), max_length=20)
    sector_name = models.CharField(_("sector"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=ProcedureLevel.choices)
    competent_authority = models.CharField(_("competent authority"), max_length=250)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    result_name = models.CharField(
        _("result"), max_length=250, blank=True, help_text=_("What the applicant receives.")
    )
    fee_amount = models.PositiveBigIntegerField(
        _("fee (VND)"), null=True, blank=True, help_text=_("Leave empty when there is no fee.")
    )
    fee_note = models.TextField(_("fees and charges"), blank=True)
    time_limit = models.DecimalField(
        _("legal time limit"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(HALF_DAY_STEP)],
    )
    time_unit = models.CharField(
        _("unit of the time limit"),
        max_length=15,
        choices=TimeUnit.choices,
        default=TimeUnit.WORKING_DAYS,
    )
    cutoff_time = models.TimeField(
        _("reception cut-off"),
        null=True,
        blank=True,
        help_text=_(
            "Receptions at or after this time count from the next working day. "
            "Empty: the deployment's rule."
        ),
    )
    online_level = models.CharField(
        _("online service"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    licence_document_type = models.CharField(
        _("licence document type"),
        max_length=40,
        blank=True,
        help_text=_(
            "Code of the document type (documents app) the result is issued as, e.g. "
            "quyet-dinh; empty when the result is not an official document."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["agency_id", "sector_code", "name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code", "version"], name="onestop_procedure_version_unique"
            ),
            models.UniqueConstraint(
                fields=["agency", "code"],
                condition=Q(state="published"),
                name="onestop_procedure_one_published",
            ),
            models.UniqueConstraint(
                fields=["agency", "code"],
                condition=Q(state="draft"),
                name="onestop_procedure_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(time_limit__gt=0), name="onestop_procedure_positive_limit"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="onestop_procedure_version_positive"
            ),
            models.CheckConstraint(
                condition=Q(state__in=ProcedureState.values), name="onestop_procedure_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_draft(self) -> bool:
        return self.state == ProcedureState.DRAFT

    @property
    def is_published(self) -> bool:
        return self.state == ProcedureState.PUBLISHED

    def limit_in_working_days(self) -> Decimal:
        from coquan.onestop.deadlines import to_working_days

        return to_working_days(self.time_limit, self.time_unit)


class ProcedureComponent(models.Model):
    """A paper the procedure requires (thành phần hồ sơ): form, count, whether mandatory,
    and for which applicants (persons, organisations or both). Part of its version."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=500)
    paper_form = models.CharField(
        _("form"), max_length=15, choices=PaperForm.choices, default=PaperForm.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(
        _("number of copies"), default=1, validators=[MinValueValidator(1)]
    )
    template_name = models.CharField(
        _("template"), max_length=200, blank=True, help_text=_("Name of the form to fill in.")
    )
    required = models.BooleanField(_("mandatory"), default=True)
    applies_to = models.CharField(
        _("applies to"), max_length=15, choices=AppliesTo.choices, default=AppliesTo.ALL
    )

    class Meta:
        verbose_name = _("dossier component")
        verbose_name_plural = _("dossier components")
        ordering = ["procedure_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="onestop_component_count")
        ]

    def __str__(self) -> str:
        return self.name

    def applies(self, applicant_type: str) -> bool:
        return self.applies_to in (AppliesTo.ALL, applicant_type)


class ProcedureStep(models.Model):
    """One step of the internal process: who is responsible (a unit, a role or both) and
    its time budget, in the procedure's time unit. Steps run in ``order`` (1, 2, 3 …)."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=250)
    responsible_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_role = models.CharField(
        _("responsible role"), max_length=20, choices=RoleCode.choices, blank=True
    )
    time_budget = models.DecimalField(
        _("time budget"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(HALF_DAY_STEP)],
        help_text=_("In the unit of the procedure's time limit."),
    )

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["procedure_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="onestop_step_order"),
            models.CheckConstraint(condition=Q(time_budget__gt=0), name="onestop_step_budget"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def budget_in_working_days(self) -> Decimal:
        from coquan.onestop.deadlines import to_working_days

        return to_working_days(self.time_budget, self.procedure.time_unit)
