"""Deadlines and on-time classification of dossiers (standards §3.7), on the working-day
calendar of ``coquan.workdays``.

1. The clock starts at acceptance; a reception at or after the cut-off (15:00), or on a
   day off, counts from the next working day (``add_working_days``). Whether the cut-off
   governs the *start* of counting is unconfirmed (§3.7.1, §7 item 6): the setting
   ``COQUAN_ONESTOP_CUTOFF_STARTS_COUNT`` (default True) switches it off deployment-wide,
   and a procedure may set its own ``cutoff_time``.
2. ``due_at`` = effective start + the legal limit in working days. Limits in half days are
   halved; limits in hours become half days by ``to_working_days`` (rounded up to whole
   half days of ``COQUAN_ONESTOP_HOURS_PER_HALF_DAY`` hours, default 4: 8 hours = 1 day).
3. A supplement request stops the clock; the complete dossier restarts the count from zero
   (NĐ 61 Art. 19.4): ``due_at`` = the arrival of the complete dossier + the whole limit.
4. The one extension replaces ``due_at`` by the end of the new appointment day.
5. Classification at the result (``COQUAN_ONESTOP_CLASSIFY_AT``: ``result_ready``, the
   default, or ``returned``): after ``due_at`` → late; on the appointment day → on time;
   before that day → early. Unresolved dossiers are in time / overdue against now, or
   "clock stopped" while paused. Each hand-over leg is classified the same way against its
   step deadline (§3.7.6, indicator 2).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from coquan.onestop.choices import (
    PAUSED_STATUSES,
    RUNNING_STATUSES,
    PendingState,
    Timeliness,
    TimeUnit,
)
from coquan.workdays.calendar import add_working_days, working_days_between

END_OF_DAY = dt.time(23, 59, 59, 999999)


def hours_per_half_day() -> int:
    return int(getattr(settings, "COQUAN_ONESTOP_HOURS_PER_HALF_DAY", 4))


def to_working_days(value, unit: str) -> Decimal:
    """A time limit or budget in ``unit`` as working days, in steps of half a day.

    Working days are rounded up to the next half day; half days are halved; working hours
    are rounded up to whole half days of ``hours_per_half_day()`` hours (4 by default, so
    4 hours = 0.5 day, 8 hours = 1 day, 10 hours = 1.5 days).
    """
    value = Decimal(str(value))
    if value <= 0:
        raise ValueError("a time limit must be positive")
    if unit == TimeUnit.WORKING_DAYS:
        half_days = math.ceil(value * 2)
    elif unit == TimeUnit.HALF_DAYS:
        half_days = math.ceil(value)
    elif unit == TimeUnit.HOURS:
        half_days = math.ceil(value / hours_per_half_day())
    else:
        raise ValueError(f"unknown time unit {unit!r}")
    return Decimal(half_days) / 2


def cutoff_for(procedure) -> dt.time | None:
    """The cut-off time that decides the start of counting for ``procedure``.

    ``None`` means the calendar's default (``COQUAN_WORKDAY_CUTOFF``).
    """
    if not getattr(settings, "COQUAN_ONESTOP_CUTOFF_STARTS_COUNT", True):
        return END_OF_DAY
    return procedure.cutoff_time


def due_after(start: dt.datetime, days: Decimal, procedure) -> dt.datetime:
    """The deadline of ``days`` working days counted from ``start`` under the procedure's
    cut-off rule."""
    return add_working_days(start, days, cutoff=cutoff_for(procedure))


def classify(finished_at: dt.datetime, due_at: dt.datetime | None) -> str:
    """Early / on time / late of something finished at ``finished_at`` against ``due_at``
    (§3.7.5): after the deadline → late; on the deadline's day → on time; earlier → early."""
    if due_at is None:
        return ""
    if finished_at > due_at:
        return Timeliness.LATE
    if timezone.localtime(finished_at).date() == timezone.localtime(due_at).date():
        return Timeliness.ON_TIME
    return Timeliness.EARLY


def classify_at() -> str:
    """When a dossier is classified: ``result_ready`` (default) or ``returned``."""
    value = getattr(settings, "COQUAN_ONESTOP_CLASSIFY_AT", "result_ready")
    return value if value in ("result_ready", "returned") else "result_ready"


def pending_state(dossier, now: dt.datetime | None = None) -> str:
    """In time / overdue against ``now`` for a running dossier, "clock stopped" for a paused
    one, "" for a resolved or never accepted one."""
    if not dossier.is_accepted:
        return ""
    if dossier.status in PAUSED_STATUSES:
        return PendingState.PAUSED
    if dossier.status in RUNNING_STATUSES and dossier.due_at is not None:
        now = now or timezone.now()
        return PendingState.OVERDUE if now > dossier.due_at else PendingState.IN_TIME
    return ""


def due_soon_until(now: dt.datetime | None = None) -> dt.datetime:
    """Appointments up to this moment are "due soon": the end of the
    ``COQUAN_ONESTOP_DUE_SOON_DAYS``-th working day (default 1) after today."""
    now = now or timezone.now()
    days = getattr(settings, "COQUAN_ONESTOP_DUE_SOON_DAYS", 1)
    return add_working_days(now, days, cutoff=END_OF_DAY)


def supplement_window_days() -> int:
    """Working days after acceptance within which a supplement may be asked (NĐ 61 Art.
    19: 3, unless sector law differs)."""
    return int(getattr(settings, "COQUAN_ONESTOP_SUPPLEMENT_WINDOW_DAYS", 3))


def supplement_is_late(received_at: dt.datetime, at: dt.datetime) -> bool:
    start = timezone.localtime(received_at).date()
    return working_days_between(start, timezone.localtime(at).date()) > supplement_window_days()


def extension_min_days() -> int:
    """How many working days before the deadline an extension must be asked (NĐ 61 Art.
    19: at least 1)."""
    return int(getattr(settings, "COQUAN_ONESTOP_EXTENSION_MIN_DAYS", 1))


def working_days_left(at: dt.datetime, due_at: dt.datetime) -> int:
    """Working days from the day of ``at`` (excluded) to the deadline's day (included)."""
    return working_days_between(timezone.localtime(at).date(), timezone.localtime(due_at).date())


def end_of_working_day(day: dt.date) -> dt.datetime:
    """The deadline instant of an appointment day (``COQUAN_WORKDAY_END``, 17:00)."""
    from coquan.workdays.calendar import current_calendar

    calendar = current_calendar()
    return dt.datetime.combine(day, calendar.day_end, tzinfo=calendar.tz)
