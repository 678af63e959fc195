"""Licence expiry reminders: the thresholds, the e-mail and its delivery after commit.

The state change (claiming the reminders, one audit entry per run) is the action
``actions.reminders.send_expiry_reminders``; this module holds what it needs and does not
write to the database itself, except through ``release_expiry_reminders`` when a send fails.

The thresholds are the setting ``COQUAN_LICENCE_REMINDER_DAYS`` — days before the expiry
date at which the agency's registry editors are reminded (default 30 and 7 days).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coquan.registry.choices import HolderKind

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLDS = (30, 7)
#: The largest accepted threshold (ten years, the limit of the ``expiring`` filter).
MAX_THRESHOLD = 3650


def reminder_thresholds() -> tuple[int, ...]:
    """``COQUAN_LICENCE_REMINDER_DAYS`` as whole days, largest first, without repeats.

    Accepts a number, a sequence of numbers or a comma-separated string ("30,7"); an empty
    value turns the reminders off. Anything else is a configuration error.
    """
    raw = getattr(settings, "COQUAN_LICENCE_REMINDER_DAYS", DEFAULT_THRESHOLDS)
    if isinstance(raw, str):
        raw = [part for part in raw.replace(";", ",").split(",") if part.strip()]
    elif isinstance(raw, int):
        raw = [raw]
    try:
        days = {int(value) for value in raw}
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            "COQUAN_LICENCE_REMINDER_DAYS must list whole numbers of days, e.g. (30, 7)."
        ) from None
    if any(not 0 <= value <= MAX_THRESHOLD for value in days):
        raise ImproperlyConfigured(
            f"COQUAN_LICENCE_REMINDER_DAYS values must be between 0 and {MAX_THRESHOLD}."
        )
    return tuple(sorted(days, reverse=True))


def warning_days() -> int:
    """How far ahead the registry home page and the filter look: the largest threshold
    (30 days when the reminders are turned off)."""
    thresholds = reminder_thresholds()
    return thresholds[0] if thresholds else DEFAULT_THRESHOLDS[0]


def licence_link(licence) -> str:
    """The licence page: ``COQUAN_PUBLIC_BASE_URL`` + path when that setting is given (as
    the one-stop receipts do), else the path alone."""
    path = reverse("registry:licence_detail", args=[licence.pk])
    base = (getattr(settings, "COQUAN_PUBLIC_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def holder_text(licence) -> str:
    """The holder as the reminder names it: an organisation's name; a person's name marked
    as an individual. Never an ID number or an address."""
    if licence.holder_kind == HolderKind.ORGANISATION:
        return licence.holder_name
    return _("%(name)s (individual)") % {"name": licence.holder_name}


def compose(licence, *, days_left: int, recipients: list[str]) -> mail.EmailMessage:
    """The reminder e-mail about ``licence`` in the site language (Vietnamese): type,
    number, holder, expiry date dd/mm/yyyy, days left and the link to the licence page."""
    with translation.override(settings.LANGUAGE_CODE):
        if days_left == 0:
            subject = _("Licence %(number)s expires today") % {"number": licence.number}
        else:
            subject = ngettext(
                "Licence %(number)s expires in %(days)d day",
                "Licence %(number)s expires in %(days)d days",
                days_left,
            ) % {"number": licence.number, "days": days_left}
        body = render_to_string(
            "registry/email/expiry_reminder.txt",
            {
                "agency_name": licence.agency.name,
                "type_name": licence.licence_type.name,
                "number": licence.number,
                "holder": holder_text(licence),
                "expiry": licence.expiry_date.strftime("%d/%m/%Y"),
                "days_left": days_left,
                "link": licence_link(licence),
            },
        )
    return mail.EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients
    )


@dataclass
class Outgoing:
    """A reminder e-mail waiting for the commit, and the claims it settles."""

    reminder_ids: list[int]
    message: mail.EmailMessage


def deliver(outgoing: list[Outgoing], day: dt.date) -> int:
    """Send the reminders (called by ``transaction.on_commit``); the number sent.

    Each message is sent on its own, so one refused address does not stop the others. The
    claims of a message that could not be sent are released (``release_expiry_reminders``,
    one audit entry) so that the next daily run sends it again; the error is logged.
    """
    if not outgoing:
        return 0
    connection = mail.get_connection()
    try:
        connection.open()  # one SMTP session for the batch
    except Exception:  # each message below retries and reports its own failure
        logger.warning("could not open the e-mail connection", exc_info=True)
    sent, failed, errors = 0, [], []
    for item in outgoing:
        item.message.connection = connection
        try:
            item.message.send()
        except Exception as exc:  # SMTP refusal, network, TLS: keep going with the others
            logger.exception("licence reminder not sent to %s", item.message.to)
            failed.extend(item.reminder_ids)
            errors.append(f"{type(exc).__name__}: {exc}")
        else:
            sent += 1
    try:
        connection.close()
    except Exception:  # closing a broken SMTP connection must not hide the result
        logger.warning("could not close the e-mail connection", exc_info=True)
    if failed:
        from coquan.registry.actions import release_expiry_reminders

        release_expiry_reminders(None, reminder_ids=failed, error="; ".join(errors)[:500], on=day)
    return sent
