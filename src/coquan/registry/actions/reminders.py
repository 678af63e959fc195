"""Licence expiry reminders: claim them once, e-mail the agency's registry editors after
commit, release the claims of messages that could not be sent."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.registry import reminders
from coquan.registry.actions.common import today
from coquan.registry.models import Licence, LicenceReminder
from coquan.registry.permissions import editor_addresses, require_system


def _due_licences(day: dt.date, horizon: int) -> list[Licence]:
    """Valid licences whose expiry date falls within ``horizon`` days of ``day``."""
    return list(
        Licence.objects.expiring_within(horizon, day)
        .select_related("licence_type", "agency")
        .only(
            "pk",
            "agency_id",
            "agency__name",
            "licence_type__name",
            "number",
            "holder_kind",
            "holder_name",
            "expiry_date",
        )
        .order_by("expiry_date", "pk")
    )


def _already_reminded(licence_ids: list[int]) -> set[tuple[int, int]]:
    """(licence id, threshold) of the reminders already claimed for the current expiry
    dates of these licences."""
    return set(
        LicenceReminder.objects.filter(
            licence_id__in=licence_ids, expiry_date=F("licence__expiry_date")
        ).values_list("licence_id", "threshold_days")
    )


@action("registry.licence.remind", permission=require_system)
def send_expiry_reminders(actor=None, *, on: dt.date | None = None) -> int:
    """E-mail the registry editors about every valid licence that nears its expiry date.

    Who: the daily task (``registry_expire`` command, actor None) or a superuser. Rule: for
    each threshold of ``COQUAN_LICENCE_REMINDER_DAYS`` (default 30 and 7 days) a valid
    licence whose expiry date is at most that many days away is reminded once per expiry
    date; suspended, revoked and expired licences never are. A licence due for several
    thresholds at once (issued close to its expiry, or the job missed some days) gets one
    e-mail covering them all. The recipients are the editors of the licence's agency who
    have an e-mail address (``permissions.editor_addresses``).

    The ``LicenceReminder`` rows are inserted first; their unique constraint makes a second
    run, or a concurrent one in another worker, skip what this run claimed. The e-mails are
    sent after commit (``reminders.deliver``). One audit entry for the run, with the counts.
    Returns the number of e-mails queued.
    """
    day = on or today()
    thresholds = reminders.reminder_thresholds()
    licences = _due_licences(day, thresholds[0]) if thresholds else []
    done = _already_reminded([lic.pk for lic in licences]) if licences else set()
    addresses = editor_addresses({lic.agency_id for lic in licences}, day) if licences else {}

    claim, now = uuid.uuid4(), timezone.now()
    rows = [
        LicenceReminder(
            agency_id=lic.agency_id,
            licence_id=lic.pk,
            expiry_date=lic.expiry_date,
            threshold_days=threshold,
            sent_at=now,
            recipients=len(addresses.get(lic.agency_id, [])),
            claim=claim,
        )
        for lic in licences
        for threshold in thresholds
        if (lic.expiry_date - day).days <= threshold and (lic.pk, threshold) not in done
    ]
    # Insert first: a row another run already holds is ignored, and is not ours to send.
    LicenceReminder.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    claimed: dict[int, list[int]] = defaultdict(list)
    for pk, licence_id in LicenceReminder.objects.filter(claim=claim).values_list(
        "pk", "licence_id"
    ):
        claimed[licence_id].append(pk)

    outgoing, recipients, unaddressed = [], 0, []
    for lic in licences:
        if lic.pk not in claimed:
            continue
        to = addresses.get(lic.agency_id, [])
        if not to:
            unaddressed.append(lic.pk)
            continue
        recipients += len(to)
        message = reminders.compose(lic, days_left=(lic.expiry_date - day).days, recipients=to)
        outgoing.append(reminders.Outgoing(reminder_ids=claimed[lic.pk], message=message))
    transaction.on_commit(partial(reminders.deliver, outgoing, day))

    reminded = sum(len(ids) for ids in claimed.values())
    describe(
        summary=_("%(messages)d expiry reminder e-mail(s) for %(licences)d licence(s)")
        % {"messages": len(outgoing), "licences": len(claimed)},
        after={
            "on": day,
            "thresholds": list(thresholds),
            "licences": len(claimed),
            "reminders": reminded,
            "messages": len(outgoing),
            "recipients": recipients,
            "without_recipients": unaddressed[:1000],
            "licence_ids": sorted(claimed)[:1000],
        },
    )
    return len(outgoing)


@action("registry.licence.remind_failed", permission=require_system)
def release_expiry_reminders(
    actor=None, *, reminder_ids: list[int], error: str = "", on: dt.date | None = None
) -> int:
    """Forget the claims of reminders whose e-mail could not be sent, so the next daily run
    sends them again; one audit entry naming the licences and the error.

    Who: ``reminders.deliver`` after a failed send (actor None) or a superuser. Returns the
    number of claims released.
    """
    released = LicenceReminder.objects.filter(pk__in=reminder_ids)
    licence_ids = sorted(set(released.values_list("licence_id", flat=True)))
    count, _detail = released.delete()
    describe(
        summary=_("%(count)d expiry reminder(s) could not be sent") % {"count": len(licence_ids)},
        after={
            "on": on or today(),
            "released": count,
            "licence_ids": licence_ids[:1000],
            "error": error,
        },
    )
    return count
