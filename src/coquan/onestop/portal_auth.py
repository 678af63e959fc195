"""Sign-in of applicants on the online portal (ADR 0006).

The applicant's id and a hash of their password live in the session under their own keys;
Django's ``login()`` is never called, so ``request.user`` stays anonymous and no staff page,
staff API or staff role check ever sees an applicant. Signing in rotates the session key
(session fixation); changing the password ends other sessions (the stored hash no longer
matches). Failed sign-ins are rate-limited per client address (``ratelimit``).
"""

from __future__ import annotations

import functools

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode

from coquan.onestop.models import Applicant

SESSION_KEY = "onestop.portal_auth"
HASH_KEY = "onestop.portal_hash"


def login(request, applicant: Applicant) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = applicant.pk
    request.session[HASH_KEY] = applicant.session_hash()
    Applicant.objects.filter(pk=applicant.pk).update(last_login_at=timezone.now())
    request.applicant = applicant


def logout(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(HASH_KEY, None)
    request.session.cycle_key()
    request.applicant = None


def authenticate(email: str, password: str) -> Applicant | None:
    """The active applicant with this e-mail and password, else None (the same time is
    spent on an unknown e-mail, so it does not tell which e-mails exist)."""
    applicant = Applicant.objects.filter(email__iexact=str(email or "").strip()).first()
    if applicant is None:
        Applicant().set_password(str(password or ""))
        return None
    if applicant.check_password(str(password or "")) and applicant.is_active:
        return applicant
    return None


def get_applicant(request) -> Applicant | None:
    """The signed-in applicant of the request, or None."""
    if hasattr(request, "applicant"):
        return request.applicant
    applicant = None
    pk = request.session.get(SESSION_KEY)
    if pk is not None:
        found = Applicant.objects.filter(pk=pk, is_active=True).first()
        if found is not None and constant_time_compare(
            request.session.get(HASH_KEY, ""), found.session_hash()
        ):
            applicant = found
    request.applicant = applicant
    return applicant


def applicant_required(view):
    """Send visitors who are not signed in as applicants to the portal's sign-in page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if get_applicant(request) is None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('onestop:portal_login')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper
