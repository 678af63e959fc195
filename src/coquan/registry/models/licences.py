"""Licences and permits issued by the Department, their types and their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coquan.registry.choices import HolderKind, LicenceEventKind, LicenceGroup, LicenceStatus
from coquan.registry.querysets import LicenceQuerySet, LicenceTypeQuerySet, RegistryQuerySet


class LicenceType(models.Model):
    """A kind of licence the Department issues (reference data shared by every agency).

    The six types of the seed's work (bulletins, non-business publications, printing, BTS
    construction, frequency use, internet agents) are created by a data migration.
    ``field_schema`` lists the extra fields a licence of this type carries, as
    ``[{"name", "label", "type", "required", "choices"}]`` (types: ``ExtraFieldType``); a
    licence's ``extra`` is validated against it (``registry.extra_fields``). ``group`` is the
    report section the licences count in.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("report group"), max_length=20, choices=LicenceGroup.choices)
    default_validity_months = models.PositiveSmallIntegerField(
        _("default validity (months)"), null=True, blank=True
    )
    field_schema = models.JSONField(_("extra fields"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = LicenceTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence type")
        verbose_name_plural = _("licence types")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Licence(models.Model):
    """A licence or permit in the register of the agency that issued it.

    Created only by the ``issue_licence`` action and changed only by the lifecycle actions
    (amend, renew, suspend, reinstate, revoke, expire), each of which writes one
    ``LicenceEvent`` and one audit entry. ``holder_id_number`` (and a person holder's name
    and address) is personal data: it never appears on the public register. The links to the
    one-stop dossier and to the outgoing document that issued the licence are kept as codes
    until those registers exist.
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="licences"
    )
    licence_type = models.ForeignKey(
        LicenceType, verbose_name=_("licence type"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("licence number"), max_length=50)
    holder_kind = models.CharField(
        _("holder kind"), max_length=10, choices=HolderKind.choices, default=HolderKind.ORGANISATION
    )
    holder_name = models.CharField(_("holder"), max_length=250)
    holder_id_number = models.CharField(
        _("holder identification number"),
        max_length=30,
        blank=True,
        help_text=_("Citizen ID or enterprise code; never shown publicly."),
    )
    holder_address = models.CharField(_("holder address"), max_length=250, blank=True)
    issue_date = models.DateField(_("issue date"))
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    conditions = models.TextField(_("conditions"), blank=True)
    extra = models.JSONField(_("extra fields"), default=dict, blank=True)
    dossier_ref = models.CharField(_("one-stop dossier code"), max_length=50, blank=True)
    outgoing_document_ref = models.CharField(
        _("issuing document (number and notation)"), max_length=60, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LicenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-issue_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "licence_type", "number"], name="licence_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True) | Q(expiry_date__gte=F("issue_date")),
                name="licence_expiry_after_issue",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "issue_date"], name="licence_agency_issued"),
            models.Index(fields=["agency", "status", "expiry_date"], name="licence_agency_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.holder_name}"

    @property
    def public_holder(self) -> str:
        """The holder as the public register shows it: organisations only."""
        if self.holder_kind == HolderKind.ORGANISATION:
            return self.holder_name
        return str(_("Individual (name withheld)"))


class LicenceEvent(models.Model):
    """One step in a licence's life (issued, amended, renewed, suspended ...): the legal
    trail shown on the licence page. Written by the licence actions only, never edited."""

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    licence = models.ForeignKey(
        Licence, verbose_name=_("licence"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=20, choices=LicenceEventKind.choices)
    effective_date = models.DateField(_("effective date"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    document_ref = models.CharField(_("decision (number and notation)"), max_length=60, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence event")
        verbose_name_plural = _("licence events")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.kind} {self.effective_date}"


class LicenceReminder(models.Model):
    """One expiry reminder about a licence: sent once per threshold and expiry date.

    Written only by the ``send_expiry_reminders`` action (the daily task), which inserts the
    rows *before* sending: the unique constraint on (licence, expiry date, threshold) is the
    claim, so a job run twice, or by two workers at once, sends each reminder once — the
    second insert is ignored and that run sends nothing for it. The e-mail goes out after
    commit; a failed send removes the claim (``release_expiry_reminders``) so the next run
    tries again. The expiry date is part of the key so a renewed licence is reminded again
    before its new expiry date. ``claim`` tells a run which rows it inserted itself.
    """

    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    licence = models.ForeignKey(
        Licence, verbose_name=_("licence"), on_delete=models.CASCADE, related_name="reminders"
    )
    expiry_date = models.DateField(_("expiry date"))
    threshold_days = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    claim = models.UUIDField(_("claimed by run"), db_index=True, editable=False)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence expiry reminder")
        verbose_name_plural = _("licence expiry reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "expiry_date", "threshold_days"],
                name="licence_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.expiry_date} −{self.threshold_days}"
