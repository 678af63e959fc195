"""Key material held by the server for PAdES signatures of outgoing documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coquan.core.keyvault import SealedKeyField


class SigningKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def agency_key(self, agency):
        """The agency's active seal key (holder empty), or None."""
        return self.active().filter(agency=agency, holder__isnull=True).first()

    def personal_key(self, agency, user):
        """``user``'s active personal key for documents of ``agency``, or None."""
        return self.active().filter(agency=agency, holder=user).first()


class SigningKey(models.Model):
    """A private key and its certificate, held by the server, for signing PDFs (PAdES).

    Without ``holder`` it is the agency's key: the clerk applies it at issue as the agency's
    digital signature (the seal, Decree 30/2020 Art. 14 and App. I). With a ``holder`` it is
    that person's key for documents of the agency (the signer's personal signature,
    Art. 13.7). One active key per (agency, holder); older keys stay to verify what they
    signed. The certificate of a key generated here is self-signed: no certification
    authority can exist inside CoQuan, so a real deployment imports keys certified by a
    CA, or replaces the server-key signer by a USB-token or remote-signing implementation
    of ``documents.signing.Signer``. The private key is stored encrypted
    (``core.keyvault``: sealed with the deployment's key passphrase); an HSM is a
    deployment's choice through its own ``Signer``.
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the agency's own key (the seal)."),
    )
    certificate_pem = models.TextField(_("certificate (PEM)"))
    private_key_pem = SealedKeyField(_("private key (PEM, encrypted)"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=500)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = SigningKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["agency_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(active=True, holder__isnull=True),
                name="signing_key_one_active_agency_key",
            ),
            models.UniqueConstraint(
                fields=["agency", "holder"],
                condition=Q(active=True, holder__isnull=False),
                name="signing_key_one_active_personal_key",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
