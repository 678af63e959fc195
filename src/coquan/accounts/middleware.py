"""Sends people who must use a second factor to the one-time-code page until they do.

A person must use a second factor when ``User.require_second_factor`` is set or when one of
their active roles has ``Role.require_second_factor`` (set by an administrator per role).
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/healthz", "/api/", "/i18n/")


def second_factor_required(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.require_second_factor:
        return True
    cached = getattr(user, "_coquan_2fa_required", None)
    if cached is not None:
        return cached
    from coquan.org.models import Membership

    required = (
        Membership.objects.active_on()
        .filter(user_id=user.pk, roles__require_second_factor=True)
        .exists()
    )
    user._coquan_2fa_required = required
    return required


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
            and second_factor_required(user)
        ):
            allowed = {
                reverse("accounts:otp_verify"),
                reverse("accounts:otp_setup"),
                reverse("accounts:logout"),
            }
            if request.path not in allowed:
                return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
        return self.get_response(request)
