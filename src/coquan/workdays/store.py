"""The deployment's calendar: settings + ``CalendarOverride`` rows, cached without staleness.

Building a ``Calendar`` needs the override rows; the statutory part is cached separately
(``calendar.statutory_year``). Every process keeps the calendar it built together with the
``CalendarVersion`` token it was built from. ``current_calendar()`` reads the token (one
primary-key query) and rebuilds when it changed, so a change committed by any
process on any host is used by the next calculation everywhere. Within one HTTP request the
check runs once (the calendar is a snapshot for the request; a change made by the request
itself clears the snapshot when it commits), so a page computing 25 deadlines costs one query,
not 25. Override actions replace the token in their transaction and call ``invalidate()`` on
commit.
"""

from __future__ import annotations

import threading
import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished, request_started
from django.utils import timezone

from coquan.workdays.calendar import DEFAULT_WEEKEND, Calendar, Override


class _Cached(NamedTuple):
    key: tuple
    calendar: Calendar


_lock = threading.Lock()
_cached: _Cached | None = None
_request = threading.local()


def rules_from_settings() -> dict:
    """The calendar rules a deployment may change, read from the settings."""
    return {
        "weekend": tuple(getattr(settings, "COQUAN_WORKDAY_WEEKEND", DEFAULT_WEEKEND)),
        "cutoff": getattr(settings, "COQUAN_WORKDAY_CUTOFF", "15:00"),
        "morning_end": getattr(settings, "COQUAN_WORKDAY_MORNING_END", "12:00"),
        "day_end": getattr(settings, "COQUAN_WORKDAY_END", "17:00"),
        "time_zone": settings.TIME_ZONE or "Asia/Ho_Chi_Minh",
    }


def read_version() -> str | None:
    """The current calendar token (None before the first change after a flush)."""
    from coquan.workdays.models import CalendarVersion

    return CalendarVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def bump_version() -> None:
    """Replace the token, in the caller's transaction (override actions)."""
    from coquan.workdays.models import CalendarVersion

    values = {"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    if not CalendarVersion.objects.filter(pk=1).update(**values):
        CalendarVersion.objects.update_or_create(pk=1, defaults=values)


def load_overrides() -> list[Override]:
    from coquan.workdays.models import CalendarOverride

    rows = CalendarOverride.objects.order_by("date").values_list("date", "kind", "name")
    return [Override(day, kind, name) for day, kind, name in rows]


def build_calendar(rules: dict, overrides: list[Override]) -> Calendar:
    try:
        return Calendar.build(overrides, **rules)
    except ValueError as exc:
        raise ImproperlyConfigured(f"working-day calendar settings: {exc}") from exc


def current_calendar() -> Calendar:
    """The deployment's calendar, rebuilt whenever an override or a setting changed."""
    global _cached
    snapshot = getattr(_request, "calendar", None)
    if snapshot is not None:
        return snapshot
    rules = rules_from_settings()
    key = (read_version(), tuple(sorted(rules.items())))
    cached = _cached
    if cached is None or cached.key != key:
        calendar = build_calendar(rules, load_overrides())
        with _lock:
            _cached = cached = _Cached(key, calendar)
    if getattr(_request, "active", False):
        _request.calendar = cached.calendar
    return cached.calendar


def invalidate() -> None:
    """Forget the cached calendar of this process and the current request's snapshot."""
    global _cached
    with _lock:
        _cached = None
    _request.calendar = None


def _request_started(**kwargs) -> None:
    _request.active = True
    _request.calendar = None


def _request_finished(**kwargs) -> None:
    _request.active = False
    _request.calendar = None


def connect_signals() -> None:
    request_started.connect(_request_started, dispatch_uid="workdays_request_started")
    request_finished.connect(_request_finished, dispatch_uid="workdays_request_finished")
