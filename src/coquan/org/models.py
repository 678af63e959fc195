"""Organisations and people: agencies (tenant root), units, positions, memberships, roles.

Units and memberships are effective-dated: the 2025 reorganisation merged provinces and ended
districts (standards §5.6), so a unit is closed (``valid_to``) and linked to its successors,
never deleted or renamed in place.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coquan.org.choices import AgencyLevel, RoleCode
from coquan.org.querysets import (
    AgencyQuerySet,
    MembershipQuerySet,
    PositionQuerySet,
    UnitQuerySet,
)
from coquan.org.validators import validate_organ_id


class Agency(models.Model):
    """A state agency (cơ quan, tổ chức): the tenant root of every record in CoQuan.

    ``organ_id`` is the QCVN 102 identifier (``000.00.00.H49``) used in edXML ``From``/``To``
    and as the prefix of dossier codes. The contact fields mirror edXML ``From``.
    """

    organ_id = models.CharField(
        _("agency identifier"), max_length=13, unique=True, validators=[validate_organ_id]
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"),
        max_length=30,
        help_text=_("Abbreviation used in document notations, e.g. STTTT."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=20, choices=AgencyLevel.choices)
    address = models.CharField(_("address"), max_length=250, blank=True)
    email = models.EmailField(_("e-mail"), max_length=100, blank=True)
    telephone = models.CharField(_("telephone"), max_length=20, blank=True)
    fax = models.CharField(_("fax"), max_length=20, blank=True)
    website = models.URLField(_("website"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("successors"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["organ_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class Unit(models.Model):
    """A unit inside an agency (phòng, ban, văn phòng), forming a tree; effective-dated."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("successors"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_in_agency"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class Position(models.Model):
    """A job title inside an agency (Giám đốc, Trưởng phòng, Chuyên viên ...)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="positions"
    )
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=100, help_text=_("Lower ranks are listed first.")
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["agency_id", "rank", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="position_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """One of the fixed roles (RoleCode). Rows are created by a data migration."""

    code = models.CharField(_("code"), max_length=20, primary_key=True, choices=RoleCode.choices)
    require_second_factor = models.BooleanField(
        _("require second factor"),
        default=False,
        help_text=_("People holding this role must sign in with a one-time code."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(RoleCode(self.code).label)


class Membership(models.Model):
    """A person's place in an agency: unit, position, roles, effective dates.

    A person may hold several memberships (several agencies or units) and switches the active
    agency in the UI; access is always computed from active memberships.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True)
    start_date = models.DateField(_("start date"), default=dt.date(2000, 1, 1))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency_id", "user_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_valid_range",
            ),
            models.UniqueConstraint(
                fields=["user", "agency", "unit", "start_date"],
                name="membership_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"

    def is_active_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    def role_codes(self) -> set[str]:
        return {role.code for role in self.roles.all()}
