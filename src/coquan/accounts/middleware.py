"""Sends people who must use a second factor to the one-time-code page until they do.

A session must be verified with a second factor when (accounts/second_factor.py):

- an administrator requires it: ``User.require_second_factor`` or an active role with
  ``Role.require_second_factor`` (checked on every page, so a new policy applies at once);
- or the person has enrolled a device (recorded in the session at sign-in).

Web pages redirect to ``accounts:otp_verify`` (which sends people without a device on to
``accounts:otp_setup``). Under ``/api/v1/`` a session that signed in with a password only is
refused with a 403 ``second_factor_required`` error; API tokens are a separate credential
and pass.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from coquan.accounts.second_factor import SESSION_FLAG, policy_requires

EXEMPT_PREFIXES = ("/static/", "/healthz", "/i18n/")
API_PREFIX = "/api/v1/"  # the schema and Swagger UI pages behave like web pages


class RequireSecondFactorMiddleware:
    """Needs django-otp's OTPMiddleware before it (``user.is_verified``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is None
            or not user.is_authenticated
            or path.startswith(EXEMPT_PREFIXES)
            or user.is_verified()
        ):
            return self.get_response(request)
        session = getattr(request, "session", None)
        flagged = bool(session is not None and session.get(SESSION_FLAG))
        if path.startswith(API_PREFIX):
            # Only the session flag here (no query): a token-authenticated request carries no
            # session user at this point, and API lists keep their query budget.
            if flagged and "HTTP_AUTHORIZATION" not in request.META:
                return JsonResponse(
                    {
                        "error": {
                            "code": "second_factor_required",
                            "message": _(
                                "Finish signing in with your one-time code before using the API."
                            ),
                            "details": {},
                        }
                    },
                    status=403,
                )
            return self.get_response(request)
        if not flagged and policy_requires(user):
            flagged = True
            if session is not None:
                session[SESSION_FLAG] = True
        if flagged:
            allowed = {
                reverse("accounts:otp_verify"),
                reverse("accounts:otp_setup"),
                reverse("accounts:logout"),
            }
            if path not in allowed:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:otp_verify')}?{query}")
        return self.get_response(request)
