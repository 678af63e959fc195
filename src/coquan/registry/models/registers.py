"""Infrastructure registers: mobile base stations (BTS) and internet agents."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coquan.registry.choices import AgentStatus, BtsStatus, BtsType, HolderKind
from coquan.registry.querysets import RegistryQuerySet

# Vietnam, islands included (Hoàng Sa and Trường Sa): latitude 6–23.5° N, longitude
# 102–118° E. A coordinate outside is a typing error (swapped lat/lon, missing decimal point).
LAT_MIN, LAT_MAX = Decimal("6.0"), Decimal("23.5")
LON_MIN, LON_MAX = Decimal("102.0"), Decimal("118.0")


class BtsStation(models.Model):
    """A mobile base station (trạm BTS) on the province's territory.

    Kept by the Department (province rules require a construction permit in listed areas,
    the seed's 2008 decision). Created by the ``create_bts_station`` action or in bulk by
    ``import_bts_stations``; the coordinates are checked against Vietnam's extent in the
    forms, the import and a database constraint.
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    operator = models.CharField(_("operator"), max_length=100)
    code = models.CharField(_("station code"), max_length=50)
    address = models.CharField(_("address"), max_length=250)
    commune = models.ForeignKey(
        "org.Agency",
        verbose_name=_("commune (agency)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune_name = models.CharField(_("commune"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(LAT_MIN), MaxValueValidator(LAT_MAX)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(LON_MIN), MaxValueValidator(LON_MAX)],
    )
    station_type = models.CharField(_("station type"), max_length=10, choices=BtsType.choices)
    height_m = models.DecimalField(
        _("antenna height (m)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    permit_number = models.CharField(_("construction permit"), max_length=50, blank=True)
    permit_date = models.DateField(_("permit date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BtsStatus.choices, default=BtsStatus.PERMITTED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("BTS station")
        verbose_name_plural = _("BTS stations")
        ordering = ["operator", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "operator", "code"], name="bts_code_unique"),
            models.CheckConstraint(
                condition=Q(latitude__gte=LAT_MIN)
                & Q(latitude__lte=LAT_MAX)
                & Q(longitude__gte=LON_MIN)
                & Q(longitude__lte=LON_MAX),
                name="bts_coordinates_in_vietnam",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="bts_agency_status")]

    def __str__(self) -> str:
        return f"{self.operator} {self.code}"

    @property
    def commune_label(self) -> str:
        return self.commune.name if self.commune_id else self.commune_name


class InternetAgent(models.Model):
    """A registered internet agent (đại lý Internet, public access point).

    The owner may be a person (name and ID number are personal data). Created by
    ``create_internet_agent`` or ``import_internet_agents``; inspections link their findings
    to agents.
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("agent name"), max_length=200)
    registration_number = models.CharField(_("registration number"), max_length=50)
    owner_kind = models.CharField(
        _("owner kind"), max_length=10, choices=HolderKind.choices, default=HolderKind.PERSON
    )
    owner_name = models.CharField(_("owner"), max_length=200)
    owner_id_number = models.CharField(_("owner identification number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=250)
    commune = models.ForeignKey(
        "org.Agency",
        verbose_name=_("commune (agency)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune_name = models.CharField(_("commune"), max_length=100, blank=True)
    provider = models.CharField(_("internet service provider"), max_length=100, blank=True)
    computers = models.PositiveIntegerField(_("computers"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"))
    status = models.CharField(
        _("status"), max_length=20, choices=AgentStatus.choices, default=AgentStatus.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("internet agent")
        verbose_name_plural = _("internet agents")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "registration_number"], name="agent_registration_unique"
            )
        ]
        indexes = [models.Index(fields=["agency", "registered_on"], name="agent_agency_registered")]

    def __str__(self) -> str:
        return self.name

    @property
    def commune_label(self) -> str:
        return self.commune.name if self.commune_id else self.commune_name
