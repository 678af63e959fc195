"""Fees and charges requested during processing (NĐ 61 Art. 22; status 6 "Yêu cầu thực
hiện nghĩa vụ tài chính")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PaymentMethod(models.TextChoices):
    """How a fee is paid (NĐ 61 Art. 22)."""

    CASH = "cash", pgettext_lazy("payment method", "Cash at the desk")
    TRANSFER = "transfer", pgettext_lazy("payment method", "Bank transfer")
    ONLINE = "online", pgettext_lazy("payment method", "Online payment")
    POSTAL = "postal", pgettext_lazy("payment method", "Through the postal operator")


class DossierFee(models.Model):
    """A fee requested at a step (amount in đồng, reason): the dossier waits in status 6 and
    its clock is paused until the payment is recorded; then the appointment and the step
    deadline move later by the working days paused (a pause, not a restart)."""

    dossier = models.ForeignKey(
        "onestop.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="fees",
    )
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    reason = models.TextField(_("reason"))
    step = models.ForeignKey(
        "onestop.ProcedureStep",
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_at_before = models.DateTimeField(_("appointment when requested"), null=True, blank=True)
    step_due_at_before = models.DateTimeField(
        _("step deadline when requested"), null=True, blank=True
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices, blank=True
    )
    payment_reference = models.CharField(
        _("receipt or transaction number"), max_length=100, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payment recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["dossier_id", "requested_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="onestop_fee_positive"),
            models.CheckConstraint(
                condition=Q(paid_at__isnull=True) | Q(paid_at__gte=models.F("requested_at")),
                name="onestop_fee_paid_after_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.amount}"

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None
