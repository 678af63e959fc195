"""DRF authentication by personal API token (``Authorization: Token cq_…`` or ``Bearer``).

The raw token is hashed and looked up by its SHA-256; a revoked or expired token, or one
whose owner is deactivated, is refused with 401 and a code saying why (``token_revoked``,
``token_expired``, ``token_invalid``) in the uniform error format (api/errors.py).
``last_used_at`` is written at most once a minute per token, to keep reads cheap.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from coquan.accounts.models import ApiToken, TokenStatus, hash_token

LAST_USED_PRECISION_SECONDS = 60
MAX_TOKEN_LENGTH = 200


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        try:
            header = authentication.get_authorization_header(request).split()
        except UnicodeError as exc:  # only a test client can send non-Latin-1 header text
            raise exceptions.AuthenticationFailed(
                _("Invalid token."), code="token_invalid"
            ) from exc
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: give the token after the word Token or Bearer."),
                code="token_invalid",
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(
                _("Invalid token."), code="token_invalid"
            ) from exc
        if len(raw) > MAX_TOKEN_LENGTH:
            raise exceptions.AuthenticationFailed(_("Invalid token."), code="token_invalid")
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."), code="token_invalid")
        status = token.status
        if status == TokenStatus.REVOKED:
            raise exceptions.AuthenticationFailed(
                _("This token has been revoked."), code="token_revoked"
            )
        if status == TokenStatus.EXPIRED:
            raise exceptions.AuthenticationFailed(
                _("This token has expired."), code="token_expired"
            )
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
