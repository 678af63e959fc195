"""Checks shared by the org actions and the org-tree import.

Each check returns an error message (or ``None``) rather than raising, so the import can
collect every problem of a file before reporting, and the actions can group messages by
field into one ``ValidationError``.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from coquan.org.choices import RoleCode

# Unit codes appear in import files and URLs: letters, digits, dot, dash, underscore.
UNIT_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def unit_code_error(code: str) -> str | None:
    if not code:
        return _("The unit code is required.")
    if not UNIT_CODE_RE.match(code):
        return _(
            "Invalid unit code %(code)s: use up to 30 letters, digits, dots, dashes or "
            "underscores, starting with a letter or digit."
        ) % {"code": code}
    return None


def required_text_error(value: str, max_length: int) -> str | None:
    if not value:
        return _("This field is required.")
    if len(value) > max_length:
        return _("At most %(max)d characters are allowed.") % {"max": max_length}
    return None


def username_format_error(username: str) -> str | None:
    """The form of a new username (Django's rule: letters, digits and @ . + - _)."""
    if not username:
        return _("The username is required.")
    if len(username) > 150:
        return _("At most %(max)d characters are allowed.") % {"max": 150}
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return _("Invalid username %(username)s: use letters, digits and @ . + - _ only.") % {
            "username": username
        }
    return None


def username_error(username: str) -> str | None:
    """Form and availability of a new username (case-insensitive, like sign-in)."""
    error = username_format_error(username)
    if error:
        return error
    if get_user_model().objects.filter(username__iexact=username).exists():
        return _("The username %(username)s is already taken.") % {"username": username}
    return None


def email_error(email: str) -> str | None:
    if not email:
        return None
    try:
        validate_email(email)
    except ValidationError:
        return _("Invalid e-mail address %(email)s.") % {"email": email}
    if len(email) > 254:
        return _("At most %(max)d characters are allowed.") % {"max": 254}
    return None


def parse_roles(values) -> tuple[list[str], list[str]]:
    """Role codes from codes or ``Role`` rows; returns (known codes, unknown values)."""
    known, unknown = [], []
    valid = set(RoleCode.values)
    for value in values or ():
        code = getattr(value, "code", value)
        code = str(code).strip().lower()
        if not code:
            continue
        if code in valid:
            if code not in known:
                known.append(code)
        else:
            unknown.append(str(value).strip())
    return known, unknown


def unknown_roles_message(unknown: list[str]) -> str:
    return _("Unknown role(s): %(roles)s. Allowed roles: %(allowed)s.") % {
        "roles": ", ".join(unknown),
        "allowed": ", ".join(RoleCode.values),
    }


def parse_date(value) -> dt.date | None:
    """A date from a ``date``/``datetime`` or a ``dd/mm/yyyy`` (or ISO) string; else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def date_error(value) -> str | None:
    return _("Invalid date %(value)s: use the form dd/mm/yyyy.") % {"value": value}
