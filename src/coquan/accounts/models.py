"""People who sign in, and their personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People a person may list: everyone for superusers, else colleagues and oneself.

        Colleagues are the people with an active membership in one of the agencies where
        ``user`` has an active membership (the same rule as the staff directory).
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        from coquan.org.models import Membership
        from coquan.org.querysets import member_agency_ids

        colleagues = (
            Membership.objects.active_on()
            .filter(agency_id__in=member_agency_ids(user))
            .values("user_id")
        )
        return self.filter(models.Q(pk=user.pk) | models.Q(pk__in=colleagues))


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    """Django's user manager (create_user, create_superuser) plus ``visible_to``."""


class User(AbstractUser):
    """A person who signs in (cán bộ, công chức, viên chức, or a system account).

    Vietnamese names do not split cleanly into first/last names, so ``full_name`` is the
    name shown everywhere; ``first_name``/``last_name`` stay for compatibility only.
    """

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    require_second_factor = models.BooleanField(
        _("require second factor"),
        default=False,
        help_text=_("This person must sign in with a one-time code."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else self.username


TOKEN_PREFIX = "cq_"  # noqa: S105 — a visible prefix, not a secret


def hash_token(raw: str) -> str:
    """The SHA-256 of a raw token: the only form in which a token is stored."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person's own tokens: nobody else sees them, superusers included."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user_id=user.pk)

    def usable(self):
        """Tokens that authenticate now: not revoked and not expired."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class TokenStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiToken(models.Model):
    """A personal API token for scripts and other systems acting as its owner.

    Only the SHA-256 of the raw token is stored (``key_hash``); the raw token is shown once,
    when ``accounts.actions.create_token`` makes it. ``prefix`` (the first characters, e.g.
    ``cq_AbCdEfGh``) lets a person recognise a token in lists and logs. A token stops
    working when it is revoked (``revoked_at``, never undone) or when ``expires_at`` passes.
    Tokens are created and revoked only through ``accounts.actions``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        """A new raw token, its display prefix and its hash."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        return raw, raw[:11], hash_token(raw)

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE

    @property
    def is_usable(self) -> bool:
        return self.status == TokenStatus.ACTIVE

    def get_status_display(self) -> str:
        return str(TokenStatus(self.status).label)
