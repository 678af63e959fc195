"""The second factor (two-step verification) in CoQuan, built on django-otp.

A person's second factor is one confirmed ``TOTPDevice`` (an authenticator app, RFC 6238
codes of 6 digits every 30 seconds) plus one ``StaticDevice`` holding one-time backup codes.
This module holds the rules and the read-only helpers; every change (enable, disable,
regenerate backup codes, policy) is an action in ``accounts.actions``.

Who must use it (``policy_requires``): a person whose own ``require_second_factor`` flag is
set, or who holds an active role whose ``Role.require_second_factor`` is set. A person who
enrolled voluntarily must also use it: the sign-in signal records in the session that this
session still has to be verified (``SESSION_FLAG``), and the middleware enforces it.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

# Set in the session at sign-in (and by the middleware) when the session must be verified.
SESSION_FLAG = "coquan_second_factor_needed"
# The secret offered on the setup page, kept in the session until it is confirmed.
PENDING_KEY_SESSION = "coquan_totp_pending_key"
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
BACKUP_CODE_COUNT = 10
TOTP_STEP = 30
TOTP_DIGITS = 6
TOTP_TOLERANCE = 1


def policy_requires(user) -> bool:
    """True when an administrator requires a second factor of ``user`` (flag or a role)."""
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


def totp_device(user) -> TOTPDevice | None:
    """The person's confirmed authenticator device, if any."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def has_device(user) -> bool:
    """True when the person has enrolled a second factor."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def normalise_code(code: str) -> str:
    """Codes are typed with spaces or dashes sometimes; backup codes are lower case."""
    return re.sub(r"[\s-]+", "", str(code or "")).lower()[:16]


@dataclass
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or why none did."""

    device: object | None
    throttled: bool = False

    @property
    def ok(self) -> bool:
        return self.device is not None

    @property
    def error_message(self) -> str:
        if self.throttled:
            return _("Too many wrong codes. Wait a few seconds and try again.")
        return _("The code is wrong or has expired.")

    @property
    def method(self) -> str:
        if isinstance(self.device, StaticDevice):
            return "backup_code"
        return "totp" if self.device is not None else ""


def check_code(user, code: str) -> CodeCheck:
    """Check ``code`` against the person's confirmed devices (authenticator, then backups).

    Uses django-otp's verification, which rejects a TOTP code already used (``last_t``),
    deletes a backup code once used and throttles repeated failures (1, 2, 4 … seconds).
    Its bookkeeping (throttle counters, used codes) is saved even when the code is wrong,
    so call this outside a transaction that a failure would roll back.
    """
    code = normalise_code(code)
    if not code or not getattr(user, "is_authenticated", False):
        return CodeCheck(None)
    # A six-digit code comes from the authenticator, anything else is a backup code: each is
    # checked only against its own kind of device, so one does not throttle the other.
    wanted = TOTPDevice if code.isdigit() and len(code) == TOTP_DIGITS else StaticDevice
    throttled = False
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if not isinstance(device, wanted):
                continue
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(code):
                return CodeCheck(device)
    return CodeCheck(None, throttled=throttled)


def new_key() -> str:
    """A new random TOTP secret (20 bytes, hex as django-otp stores it)."""
    return random_hex(20)


def key_is_valid(key: str) -> bool:
    try:
        return len(binascii.unhexlify(key.encode("ascii"))) == 20
    except (binascii.Error, UnicodeEncodeError, AttributeError):
        return False


def key_as_base32(key: str) -> str:
    """The secret as authenticator apps take it when typed in, grouped by four letters."""
    text = base64.b32encode(binascii.unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user, key: str) -> str:
    """The ``otpauth://`` URI that an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=key, step=TOTP_STEP, digits=TOTP_DIGITS).config_url


def qr_code_data_uri(data: str) -> str:
    """An SVG QR code of ``data`` as a ``data:`` URI (allowed by the CSP ``img-src``)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def match_pending_key(key: str, code: str) -> tuple[int, int] | None:
    """Check a code against a secret that is not a device yet (enrolment).

    Returns the time step and drift of the accepted code, so the device created from the
    key starts after it (the same code cannot be replayed), or None.
    """
    code = normalise_code(code)
    if not code.isdigit() or len(code) != TOTP_DIGITS or not key_is_valid(key):
        return None
    totp = TOTP(binascii.unhexlify(key), TOTP_STEP, 0, TOTP_DIGITS, 0)
    totp.time = time.time()
    if not totp.verify(int(code), TOTP_TOLERANCE):
        return None
    return totp.t(), totp.drift


def new_backup_codes(count: int = BACKUP_CODE_COUNT) -> list[str]:
    """Random one-time backup codes (8 characters of base32, lower case)."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(StaticToken.random_token())
    return sorted(codes)
