"""The outbox of messages to the national / provincial public-service portal (§3.6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SyncKind(models.TextChoices):
    CREATE = "create", pgettext_lazy("portal sync", "Dossier created")
    STATUS = "status", pgettext_lazy("portal sync", "Status changed")


class SyncState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("portal sync", "Waiting to be sent")
    SENT = "sent", pgettext_lazy("portal sync", "Sent")
    FAILED = "failed", pgettext_lazy("portal sync", "Failed")


class PortalOutbox(models.Model):
    """One message for the portal (``CreateDossier`` or ``CapNhatTrangThai``), written in
    the transaction of the change it reports and delivered afterwards by a background task
    with bounded retries and back-off; ``failed`` once the attempts are used up."""

    dossier = models.ForeignKey(
        "onestop.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="portal_messages",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SyncKind.choices)
    payload = models.JSONField(_("payload"))
    state = models.CharField(
        _("state"), max_length=10, choices=SyncState.choices, default=SyncState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal message")
        verbose_name_plural = _("portal messages")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="onestop_outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.state}"
