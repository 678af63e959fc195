"""State changes of the accounts app: passwords, API tokens, the second factor and its policy.

Every function here is an ``@action`` (core/actions.py): first argument the acting person,
keyword-only arguments, a permission check, one transaction, exactly one audit entry.
Secrets never reach the audit log: not the raw API token, not the TOTP key, not the backup
codes; entries carry the token's name and prefix, and counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coquan.accounts import second_factor
from coquan.accounts.models import ApiToken
from coquan.core.actions import action, describe

TOKEN_NAME_MAX = 100


# --- Permission checks ------------------------------------------------------------------------


def _signed_in(actor, **kwargs) -> None:
    """Only an active, signed-in person acts on their own account."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Sign in first."))


def _token_owner(actor, *, token, **kwargs) -> None:
    """A token is revoked by its owner only (views fetch it with ``visible_to``: 404)."""
    _signed_in(actor)
    if token.user_id != actor.pk:
        raise PermissionDenied(_("This token belongs to someone else."))


def _deployment_admin(actor, **kwargs) -> None:
    """The second-factor policy is deployment-wide: superusers only."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_superuser:
        raise PermissionDenied(_("Only deployment administrators may change this setting."))


def _current_code(actor, *, code, **kwargs) -> None:
    """Possession of the second factor, proved with a current code (or a backup code).

    Checked before the action's transaction, so a wrong code still counts towards
    django-otp's throttling; the denial is written to the audit log.
    """
    _signed_in(actor)
    if not second_factor.has_device(actor):
        raise ValidationError(_("Two-step verification is not turned on."))
    result = second_factor.check_code(actor, code)
    if not result.ok:
        raise PermissionDenied(result.error_message)


# --- Password ---------------------------------------------------------------------------------


@action("accounts.password.change", permission=_signed_in)
def change_password(actor, *, new_password: str):
    """Set the person's own password (the form has checked the old one).

    Rule: the deployment's password validators (AUTH_PASSWORD_VALIDATORS: at least 10
    characters, not common, not only digits, not like the person's name) apply here too,
    so a caller that skips the form cannot set a weak password.
    """
    password_validation.validate_password(new_password, actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    describe(obj=actor, summary=actor.get_username())
    return actor


# --- API tokens -------------------------------------------------------------------------------


@dataclass
class CreatedToken:
    """A new token and its raw value, which exists only in this object (shown once)."""

    token: ApiToken
    raw: str


@action("accounts.token.create", permission=_signed_in)
def create_token(actor, *, name: str, expires_at: dt.datetime | None = None) -> CreatedToken:
    """Create a personal API token for ``actor`` and return it with its raw value.

    Who: any signed-in person, for themselves. Rule: a name is required (to recognise the
    token later); an expiry, when given, lies in the future. Only the SHA-256 of the token
    is stored; the audit entry records the name, the prefix and the expiry.
    """
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Give the token a name.")]
    elif len(name) > TOKEN_NAME_MAX:
        errors["name"] = [_("The name is too long (at most 100 characters).")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry must be in the future.")]
    if errors:
        raise ValidationError(errors)
    raw, prefix, key_hash = ApiToken.generate()
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, key_hash=key_hash, expires_at=expires_at
    )
    describe(
        obj=token,
        summary=f"{token.name} ({token.prefix}…)",
        after={"name": token.name, "prefix": token.prefix, "expires_at": expires_at},
    )
    return CreatedToken(token=token, raw=raw)


@action("accounts.token.revoke", permission=_token_owner)
def revoke_token(actor, *, token: ApiToken) -> ApiToken:
    """Revoke one of the person's own tokens; it stops authenticating at once.

    Who: the token's owner. Rule: revocation is final; revoking twice is an error.
    """
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    describe(
        obj=token,
        summary=f"{token.name} ({token.prefix}…)",
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at},
    )
    return token


# --- Second factor ----------------------------------------------------------------------------


@dataclass
class Enrolment:
    """The confirmed authenticator and the backup codes (shown once, then only hashed use)."""

    device: TOTPDevice
    backup_codes: list[str]


def _replace_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(
        user=user, name=second_factor.BACKUP_DEVICE_NAME, confirmed=True
    )
    codes = second_factor.new_backup_codes()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@action("accounts.second_factor.enable", permission=_signed_in)
def enable_second_factor(actor, *, key: str, code: str) -> Enrolment:
    """Turn on two-step verification: confirm the authenticator app and make backup codes.

    Who: the person, for themselves. Rule: the app must prove it holds ``key`` by giving a
    current code; the device starts after that code's time step, so it cannot be replayed.
    Creates one confirmed TOTP device and ten one-time backup codes (django-otp static).
    """
    if second_factor.has_device(actor):
        raise ValidationError(_("Two-step verification is already turned on."))
    matched = second_factor.match_pending_key(key, code)
    if matched is None:
        raise ValidationError({"code": [_("The code is wrong or has expired.")]})
    last_t, drift = matched
    TOTPDevice.objects.filter(user=actor).delete()
    device = TOTPDevice.objects.create(
        user=actor,
        name=second_factor.TOTP_DEVICE_NAME,
        key=key,
        step=second_factor.TOTP_STEP,
        digits=second_factor.TOTP_DIGITS,
        tolerance=second_factor.TOTP_TOLERANCE,
        drift=drift,
        last_t=last_t,
        confirmed=True,
    )
    codes = _replace_backup_codes(actor)
    describe(
        obj=actor,
        summary=actor.get_username(),
        before={"second_factor": None},
        after={"second_factor": "totp", "backup_codes": len(codes)},
    )
    return Enrolment(device=device, backup_codes=codes)


@action("accounts.second_factor.verify", permission=_signed_in)
def verify_second_factor(actor, *, code: str) -> second_factor.CodeCheck:
    """Check a code at sign-in; the audit entry records the outcome, right or wrong.

    Who: the person signing in. A wrong code is not an exception: the attempt (and
    django-otp's throttling counters) must be kept. The view marks the session verified
    (``django_otp.login``) when ``result.ok``.
    """
    result = second_factor.check_code(actor, code)
    describe(
        obj=actor,
        summary=actor.get_username(),
        after={"verified": result.ok, "method": result.method, "throttled": result.throttled},
    )
    return result


@action("accounts.second_factor.disable", permission=_current_code)
def disable_second_factor(actor, *, code: str) -> None:
    """Turn off two-step verification: delete the authenticator and the backup codes.

    Who: the person, proving possession with a current code (or a backup code). If an
    administrator requires the second factor, the person is asked to enrol again at once.
    """
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    describe(
        obj=actor,
        summary=actor.get_username(),
        before={"second_factor": "totp"},
        after={"second_factor": None},
    )


@action("accounts.second_factor.backup_codes", permission=_current_code)
def regenerate_backup_codes(actor, *, code: str) -> list[str]:
    """Replace the person's backup codes with ten new ones (the old ones stop working).

    Who: the person, proving possession with a current code.
    """
    codes = _replace_backup_codes(actor)
    describe(obj=actor, summary=actor.get_username(), after={"backup_codes": len(codes)})
    return codes


@action("accounts.second_factor.policy", permission=_deployment_admin)
def set_second_factor_policy(actor, *, required: bool, role=None, user=None):
    """Require (or stop requiring) a second factor for everyone holding ``role``, or for
    one ``user``.

    Who: deployment administrators (superusers); roles are deployment-wide. Rule: exactly
    one target. People already signed in are asked for a code on their next page.
    """
    if (role is None) == (user is None):
        raise ValidationError(_("Choose either a role or a person."))
    target = role if role is not None else user
    before = bool(target.require_second_factor)
    target.require_second_factor = bool(required)
    target.save(update_fields=["require_second_factor"])
    label = f"role {role.code}" if role is not None else f"user {user.get_username()}"
    describe(
        obj=target,
        summary=label,
        before={"require_second_factor": before},
        after={"require_second_factor": bool(required)},
    )
    return target
