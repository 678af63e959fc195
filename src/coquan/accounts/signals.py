"""Audit receivers for sign-in events (logins, failed logins, logouts)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from coquan.audit import services as audit


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.append(action="accounts.login", actor=user, obj=user, summary=user.get_username())


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.append(action="accounts.logout", actor=user, obj=user, summary=user.get_username())


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.append(action="accounts.login_failed", summary=username)
