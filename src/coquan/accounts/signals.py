"""Sign-in events: audit entries for logins, failed logins and logouts, and the session's
second-factor flag.

These are receivers of Django's own authentication signals (there is no action to hang
them on: Django and django-axes run the sign-in). The failed-login entry records the
username that was tried, never the password.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from coquan.accounts import second_factor
from coquan.audit import services as audit


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.append(action="accounts.login", actor=user, obj=user, summary=user.get_username())


@receiver(user_logged_in)
def flag_second_factor(sender, request, user, **kwargs):
    """Record in the new session whether it must still be verified with a second factor."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if second_factor.policy_requires(user) or second_factor.has_device(user):
        session[second_factor.SESSION_FLAG] = True
    else:
        session.pop(second_factor.SESSION_FLAG, None)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.append(action="accounts.logout", actor=user, obj=user, summary=user.get_username())


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.append(action="accounts.login_failed", summary=username)
