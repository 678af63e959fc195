"""Working-day arithmetic for every deadline in CoQuan (standards §4 and §3.7).

Two layers:

* **Pure functions over an explicit ``Calendar`` value object.** A ``Calendar`` holds the
  statutory holidays (``holidays.VN``: Tết Dương lịch, lunar Tết, Hùng Kings, 30/4, 1/5,
  the 2 September pair, substitute days and the make-up Saturdays the package knows), the
  administrators' overrides, the weekend and the times of day the rules use. Given a
  ``Calendar`` nothing here touches the database or the settings, so the rules are property
  tested with hypothesis.
* **Module-level wrappers** with the same names (``is_working_day``, ``add_working_days`` …)
  whose ``calendar`` argument defaults to ``current_calendar()``: the calendar built from the
  settings and the ``CalendarOverride`` rows, cached per process and re-checked against the
  database version token, so an override changes results immediately everywhere
  (``coquan.workdays.store``).

The rules (docs/workdays.md has the long form):

1. A **working day** is a day of the public-sector week (Monday–Friday; the weekend is the
   ``COQUAN_WORKDAY_WEEKEND`` setting, default Saturday and Sunday) that is not a statutory
   holiday. A ``day_off`` override makes any day a day off; a ``working_day`` override makes
   any day (a Saturday, a Sunday, even a holiday) a working day. Overrides win over the
   package, the package's make-up Saturdays win over the weekend.
2. ``working_days_between(start, end)`` counts the working days ``d`` with
   ``start < d <= end``: the start day is not counted, the end day is.
3. ``add_working_days(start, n)``: the **effective start** is the local date of ``start`` when
   it is a working day and the local time is before the cut-off (``COQUAN_WORKDAY_CUTOFF``,
   default 15:00), otherwise the next working day. The deadline is the end of the working day
   (``COQUAN_WORKDAY_END``, 17:00) of the n-th working day after the effective start. Half
   days: n = k + 0.5 ends at the end of the morning (``COQUAN_WORKDAY_MORNING_END``, 12:00)
   of the (k + 1)-th working day after the effective start. The cut-off rule is marked
   unconfirmed in standards §3.7 and §7 (whether 15:00 governs the start of counting or only
   the transfer differs by procedure), so it is a setting, and a caller may pass ``cutoff``.
4. Pauses (one-stop supplement requests, waiting for financial obligations): see
   ``Calendar.deadline_with_pauses`` and ``Calendar.elapsed_working_days``.

All datetimes are timezone-aware and interpreted in ``Asia/Ho_Chi_Minh`` (``TIME_ZONE``);
naive datetimes are refused with ``ValueError``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from types import MappingProxyType
from typing import NamedTuple
from zoneinfo import ZoneInfo

# Dates the calendar accepts. The ``holidays`` package computes any year, but overrides and
# the UI are bounded so that a typo (year 20266) is an error, not a loop over millennia.
MIN_YEAR = 2000
MAX_YEAR = 2100
# The largest number of working days one calculation accepts (about eight years).
MAX_WORKING_DAYS = 2000
# A calendar without a working day within this many consecutive days is misconfigured.
SEARCH_LIMIT_DAYS = 400

DEFAULT_WEEKEND = (5, 6)
DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"
DEFAULT_CUTOFF = dt.time(15, 0)
DEFAULT_MORNING_END = dt.time(12, 0)
DEFAULT_DAY_END = dt.time(17, 0)

# Override kinds; the values of ``coquan.workdays.choices.OverrideKind``.
DAY_OFF = "day_off"
WORKING_DAY = "working_day"

HALF = Decimal("0.5")


class Override(NamedTuple):
    """An administrator's change to one date (a ``CalendarOverride`` row, as plain data)."""

    date: dt.date
    kind: str
    name: str = ""


@dataclasses.dataclass(frozen=True)
class StatutoryYear:
    """What the ``holidays`` package says about one year."""

    holidays: Mapping[dt.date, str]
    makeup_days: frozenset[dt.date]


class DayKind:
    """How a day shows on the calendar page and in the API."""

    WORKING = "working"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # statutory holiday or substitute day (holidays package)
    DAY_OFF = "day_off"  # extra day off (override)
    MAKEUP = "makeup"  # make-up working day (override, or the package's own swaps)


@dataclasses.dataclass(frozen=True)
class DayInfo:
    """One day of the calendar: whether it is worked and why."""

    date: dt.date
    kind: str
    working: bool
    name: str = ""
    # "statutory" (holidays package), "override" (administrator) or "" (plain day).
    source: str = ""
    # The statutory holiday an override replaces on this date, if any.
    statutory_name: str = ""
    override_kind: str = ""

    @property
    def is_marked(self) -> bool:
        """Holidays, overrides and make-up days: the days listed under the year view."""
        return self.kind in (DayKind.HOLIDAY, DayKind.DAY_OFF, DayKind.MAKEUP)


@functools.lru_cache(maxsize=256)
def statutory_year(year: int) -> StatutoryYear:
    """The statutory holidays of ``year`` with their Vietnamese names, and the package's
    make-up working days (``weekend_workdays``). Pure and cached: the package data does not
    change while the process runs (it is pinned; upgrade it and re-run the Tết tests)."""
    import holidays

    # Neighbouring years are generated too: a swap decided in one year may move a day of the
    # year before (e.g. 27/12/2014 worked for 2/1/2015).
    vn = holidays.VN(years=(year - 1, year, year + 1), language="vi")
    days = {day: str(name) for day, name in vn.items() if day.year == year}
    makeup = frozenset(day for day in vn.weekend_workdays if day.year == year)
    return StatutoryYear(holidays=MappingProxyType(days), makeup_days=makeup)


# --- input checks ---------------------------------------------------------------------------


def parse_time(value: dt.time | str, name: str = "time") -> dt.time:
    """A ``datetime.time`` from a time or an ``"HH:MM"`` string; ``ValueError`` otherwise."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{name} must be a time such as '15:00', got {value!r}")


def parse_days(n: Decimal | int | float) -> Decimal:
    """A number of working days as a ``Decimal``: ≥ 0, in steps of 0.5, at most
    ``MAX_WORKING_DAYS``; ``ValueError`` for anything else (including booleans)."""
    if isinstance(n, bool) or not isinstance(n, Decimal | int | float):
        raise ValueError(f"the number of working days must be a number, got {n!r}")
    try:
        value = Decimal(str(n)) if isinstance(n, float) else Decimal(n)
    except (InvalidOperation, ValueError):
        raise ValueError(f"invalid number of working days: {n!r}") from None
    if not value.is_finite():
        raise ValueError(f"invalid number of working days: {n!r}")
    if value < 0:
        raise ValueError(f"the number of working days cannot be negative, got {n!r}")
    if (value * 2) % 1 != 0:
        raise ValueError(f"working days are counted in steps of 0.5, got {n!r}")
    if value > MAX_WORKING_DAYS:
        raise ValueError(f"at most {MAX_WORKING_DAYS} working days, got {n!r}")
    return value


def require_aware(value, name: str = "datetime") -> dt.datetime:
    """``value`` if it is a timezone-aware datetime; a clear ``ValueError`` otherwise."""
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (got the naive datetime {value.isoformat()}); "
            f"working days are computed in {DEFAULT_TIME_ZONE}, attach a time zone first"
        )
    return value


def _check_year(day: dt.date) -> None:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(
            f"the working-day calendar covers {MIN_YEAR}–{MAX_YEAR}; {day.isoformat()} is outside"
        )


# --- the value object -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class Calendar:
    """Everything the working-day rules need, as an immutable value.

    Build one with ``Calendar.build(...)`` (tests, pure use) or get the deployment's with
    ``current_calendar()``. ``statutory`` is the source of statutory holidays per year
    (``statutory_year`` by default; tests may pass another).
    """

    overrides: Mapping[dt.date, Override] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )
    weekend: frozenset[int] = frozenset(DEFAULT_WEEKEND)
    cutoff: dt.time = DEFAULT_CUTOFF
    morning_end: dt.time = DEFAULT_MORNING_END
    day_end: dt.time = DEFAULT_DAY_END
    tz: dt.tzinfo = dataclasses.field(default_factory=lambda: ZoneInfo(DEFAULT_TIME_ZONE))
    statutory: Callable[[int], StatutoryYear] = statutory_year

    @classmethod
    def build(
        cls,
        overrides: Iterable[Override] | Mapping[dt.date, Override] = (),
        *,
        weekend: Iterable[int] = DEFAULT_WEEKEND,
        cutoff: dt.time | str = DEFAULT_CUTOFF,
        morning_end: dt.time | str = DEFAULT_MORNING_END,
        day_end: dt.time | str = DEFAULT_DAY_END,
        time_zone: str | dt.tzinfo = DEFAULT_TIME_ZONE,
        statutory: Callable[[int], StatutoryYear] = statutory_year,
    ) -> Calendar:
        """A checked ``Calendar``; ``ValueError`` on an impossible configuration."""
        items = overrides.values() if isinstance(overrides, Mapping) else overrides
        table: dict[dt.date, Override] = {}
        for item in items:
            override = Override(*item)
            if override.kind not in (DAY_OFF, WORKING_DAY):
                raise ValueError(f"unknown override kind {override.kind!r}")
            if override.date in table:
                raise ValueError(f"two overrides for {override.date.isoformat()}")
            table[override.date] = override
        weekend_days = frozenset(int(day) for day in weekend)
        if not weekend_days <= set(range(7)) or len(weekend_days) == 7:
            raise ValueError(f"the weekend must be some of the weekdays 0–6, got {weekend!r}")
        morning = parse_time(morning_end, "COQUAN_WORKDAY_MORNING_END")
        end = parse_time(day_end, "COQUAN_WORKDAY_END")
        if not morning < end:
            raise ValueError("the end of the morning must come before the end of the day")
        tz = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
        return cls(
            overrides=MappingProxyType(table),
            weekend=weekend_days,
            cutoff=parse_time(cutoff, "COQUAN_WORKDAY_CUTOFF"),
            morning_end=morning,
            day_end=end,
            tz=tz,
            statutory=statutory,
        )

    def with_overrides(self, *overrides: Override) -> Calendar:
        """A copy with ``overrides`` added (replacing any on the same dates)."""
        table = dict(self.overrides)
        for item in overrides:
            override = Override(*item)
            table[override.date] = override
        return dataclasses.replace(self, overrides=MappingProxyType(table))

    def without_overrides(self, *days: dt.date) -> Calendar:
        table = {day: o for day, o in self.overrides.items() if day not in days}
        return dataclasses.replace(self, overrides=MappingProxyType(table))

    # --- days ------------------------------------------------------------------------------

    def _date(self, day) -> dt.date:
        if isinstance(day, dt.datetime):
            day = require_aware(day, "day").astimezone(self.tz).date()
        elif not isinstance(day, dt.date):
            raise ValueError(f"expected a date, got {day!r}")
        _check_year(day)
        return day

    def local(self, moment: dt.datetime, name: str = "datetime") -> dt.datetime:
        """``moment`` (aware) in the calendar's time zone."""
        return require_aware(moment, name).astimezone(self.tz)

    def day_info(self, day: dt.date) -> DayInfo:
        """What the calendar says about ``day`` and why."""
        day = self._date(day)
        year = self.statutory(day.year)
        holiday = year.holidays.get(day, "")
        override = self.overrides.get(day)
        if override is not None:
            working = override.kind == WORKING_DAY
            return DayInfo(
                date=day,
                kind=DayKind.MAKEUP if working else DayKind.DAY_OFF,
                working=working,
                name=override.name,
                source="override",
                statutory_name=holiday,
                override_kind=override.kind,
            )
        if day in year.makeup_days and day.weekday() in self.weekend:
            return DayInfo(day, DayKind.MAKEUP, True, source="statutory")
        if holiday:
            return DayInfo(day, DayKind.HOLIDAY, False, name=holiday, source="statutory")
        if day.weekday() in self.weekend:
            return DayInfo(day, DayKind.WEEKEND, False)
        return DayInfo(day, DayKind.WORKING, True)

    def is_working_day(self, day: dt.date) -> bool:
        """Rule 1 of the module docstring."""
        day = self._date(day)
        override = self.overrides.get(day)
        if override is not None:
            return override.kind == WORKING_DAY
        year = self.statutory(day.year)
        if day.weekday() in self.weekend:
            return day in year.makeup_days
        return day not in year.holidays

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day = self._date(day)
        for _ in range(SEARCH_LIMIT_DAYS):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError(f"no working day within {SEARCH_LIMIT_DAYS} days after {day}")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The number of working days ``d`` with ``start < d <= end``.

        The start day is not counted and the end day is, so
        ``working_days_between(d, add_working_days_to_date(d, n)) == n``. When ``end`` is
        before ``start`` the result is the negative of the count the other way round.
        """
        start, end = self._date(start), self._date(end)
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def add_working_days_to_date(self, day: dt.date, n: Decimal | int | float) -> dt.date:
        """The date of the n-th working day after ``day`` (``day`` itself when n is 0).

        A half day rounds up to the day it ends on: 1.5 working days after Monday ends on
        Wednesday at noon, so the date is Wednesday. No cut-off: a date has no time of day.
        """
        day = self._date(day)
        for _ in range(math.ceil(parse_days(n))):
            day = self.next_working_day(day)
        return day

    # --- deadlines --------------------------------------------------------------------------

    def effective_start(self, start: dt.datetime, cutoff: dt.time | str | None = None) -> dt.date:
        """The day counting starts from: the local date of ``start`` if it is a working day
        and the local time is before the cut-off, else the next working day. The effective
        start day itself is never counted (rule 3)."""
        local = self.local(start, "start")
        limit = self.cutoff if cutoff is None else parse_time(cutoff, "cutoff")
        day = self._date(local.date())
        if self.is_working_day(day) and local.time() < limit:
            return day
        return self.next_working_day(day)

    def _deadline_after(self, effective: dt.date, n: Decimal) -> dt.datetime:
        whole = int(n)
        if n == whole:
            day = self.add_working_days_to_date(effective, whole)
            return dt.datetime.combine(day, self.day_end, tzinfo=self.tz)
        day = self.add_working_days_to_date(effective, whole + 1)
        return dt.datetime.combine(day, self.morning_end, tzinfo=self.tz)

    def add_working_days(
        self,
        start: dt.datetime,
        n: Decimal | int | float,
        *,
        cutoff: dt.time | str | None = None,
    ) -> dt.datetime:
        """The deadline of ``n`` working days counted from ``start`` (rule 3).

        ``n`` is ≥ 0 in steps of 0.5. The result is an aware datetime in the calendar's time
        zone: the end of the working day (17:00) of the n-th working day after the effective
        start, or the end of the morning (12:00) for a half day. n = 0 gives the end of the
        effective start day. Examples (2026, Tết off 16–20 February): received Friday
        13/02 at 10:00, 1 working day → Monday 23/02 17:00; received at 16:00 (after the
        15:00 cut-off) → Tuesday 24/02 17:00. The cut-off (``COQUAN_WORKDAY_CUTOFF``) is
        unconfirmed in standards §3.7/§7 and stays a setting; pass ``cutoff`` to apply a
        procedure's own rule.
        """
        days = parse_days(n)
        return self._deadline_after(self.effective_start(start, cutoff), days)

    def _shift(self, deadline: dt.datetime, days: int) -> dt.datetime:
        """``deadline`` moved ``days`` working days later, at the same time of day."""
        if days <= 0:
            return deadline
        local = deadline.astimezone(self.tz)
        day = self.add_working_days_to_date(local.date(), days)
        return dt.datetime.combine(day, local.time(), tzinfo=self.tz)

    def _pauses(self, start: dt.datetime, pauses) -> list[tuple[dt.datetime, dt.datetime | None]]:
        """Checked pauses in time order; ``ValueError`` when they make no sense."""
        items: list[tuple[dt.datetime, dt.datetime | None]] = []
        for pair in pauses:
            try:
                paused, resumed = pair
            except (TypeError, ValueError):
                raise ValueError(
                    f"each pause is a (pause_start, resume_at) pair, got {pair!r}"
                ) from None
            paused = require_aware(paused, "pause_start")
            if resumed is not None:
                resumed = require_aware(resumed, "resume_at")
                if resumed < paused:
                    raise ValueError(
                        f"a pause cannot resume ({resumed.isoformat()}) before it starts "
                        f"({paused.isoformat()})"
                    )
            if paused < start:
                raise ValueError(
                    f"a pause cannot start ({paused.isoformat()}) before the clock does "
                    f"({start.isoformat()})"
                )
            items.append((paused, resumed))
        items.sort(key=lambda item: item[0])
        for (_, first_end), (second_start, _) in pairwise(items):
            if first_end is None:
                raise ValueError("only the last pause may still be open (resume_at None)")
            if second_start < first_end:
                raise ValueError("pauses overlap; merge them or correct their times")
        return items

    def paused_working_days(
        self,
        start: dt.datetime,
        pause_start: dt.datetime,
        resume_at: dt.datetime,
        *,
        cutoff: dt.time | str | None = None,
    ) -> int:
        """How many working days a closed pause takes off the clock of a count that began
        at ``start``.

        The pause is measured as ``working_days_between(from_day, restart_day)`` where
        ``from_day`` is the local date of ``pause_start`` (the next working day when that
        date is not one; never earlier than the effective start of the count) and
        ``restart_day`` is the effective start of ``resume_at`` under the cut-off rule: a
        resumption is treated like a reception. So a pause and resumption on the same
        morning cost nothing; a pause on Tuesday resumed on Thursday morning moves the
        deadline two working days; a resumption after the cut-off counts from the next day.
        """
        origin = self.effective_start(start, cutoff)
        from_day = self._date(self.local(pause_start, "pause_start").date())
        if not self.is_working_day(from_day):
            from_day = self.next_working_day(from_day)
        from_day = max(from_day, origin)
        restart_day = self.effective_start(resume_at, cutoff)
        return max(0, self.working_days_between(from_day, restart_day))

    def deadline_with_pauses(
        self,
        start: dt.datetime,
        n: Decimal | int | float,
        pauses: Iterable[tuple[dt.datetime, dt.datetime | None]] = (),
        *,
        cutoff: dt.time | str | None = None,
    ) -> dt.datetime | None:
        """The deadline of ``n`` working days from ``start`` when the clock was paused.

        ``pauses`` are ``(pause_start, resume_at)`` pairs (a one-stop supplement request and
        the arrival of the completed dossier, for instance), in any order, not overlapping,
        none before ``start``. Starting from ``add_working_days(start, n)``, each pause in
        time order that begins before the deadline as it stands moves the deadline later by
        ``paused_working_days`` (same time of day). A pause that begins at or after the
        deadline does not move it: a dossier already late stays late. An open pause
        (``resume_at`` None) that begins before the deadline means the clock is stopped and
        there is no deadline yet: the result is ``None``.

        A supplement request under NĐ 61/2018 Art. 19.4 *restarts* the count instead; for
        that, call ``add_working_days(resume_at, n)``.
        """
        start = require_aware(start, "start")
        days = parse_days(n)
        items = self._pauses(start, pauses)
        deadline = self.add_working_days(start, days, cutoff=cutoff)
        for paused, resumed in items:
            if paused >= deadline:
                break
            if resumed is None:
                return None
            deadline = self._shift(
                deadline, self.paused_working_days(start, paused, resumed, cutoff=cutoff)
            )
        return deadline

    def elapsed_working_days(
        self,
        start: dt.datetime,
        end: dt.datetime,
        pauses: Iterable[tuple[dt.datetime, dt.datetime | None]] = (),
        *,
        cutoff: dt.time | str | None = None,
    ) -> Decimal:
        """Working days (in half-day units) that have fully run on the clock by ``end``.

        Defined as the inverse of ``deadline_with_pauses``: the largest n (a multiple of 0.5)
        whose deadline is not after ``end``, or 0. So ``elapsed_working_days(start,
        deadline_with_pauses(start, n, pauses), pauses) == n``; the value grows with ``end``
        and stands still while an open pause lasts. To classify a dossier as early, on time
        or late compare the instant with the deadline itself (standards §3.7.5).
        """
        start = require_aware(start, "start")
        end = require_aware(end, "end")
        if end < start:
            raise ValueError("end must not be before start")
        items = self._pauses(start, pauses)
        span = (self.local(end).date() - self.local(start).date()).days
        # deadline(k / 2) for k = 2 * (span + 1) falls after ``end``: each working day after
        # the effective start is at least one calendar day later.
        low, high = -1, 2 * (span + 1)
        while high - low > 1:
            middle = (low + high) // 2
            deadline = self.deadline_with_pauses(start, Decimal(middle) / 2, items, cutoff=cutoff)
            if deadline is not None and deadline <= end:
                low = middle
            else:
                high = middle
        return Decimal(max(low, 0)) / 2

    # --- year views -------------------------------------------------------------------------

    def year_days(self, year: int) -> list[DayInfo]:
        """Every day of ``year`` (1 January → 31 December)."""
        first = dt.date(year, 1, 1)
        _check_year(first)
        count = (dt.date(year + 1, 1, 1) - first).days
        return [self.day_info(first + dt.timedelta(days=i)) for i in range(count)]

    def marked_days(self, year: int) -> list[DayInfo]:
        """The holidays, overrides and make-up days of ``year``, in date order."""
        return [info for info in self.year_days(year) if info.is_marked]


# --- module-level wrappers (the deployment's calendar by default) -------------------------------


def current_calendar() -> Calendar:
    """The deployment's calendar: settings + overrides, cached, never stale."""
    from coquan.workdays.store import current_calendar as load

    return load()


def _resolve(calendar: Calendar | None) -> Calendar:
    return calendar if calendar is not None else current_calendar()


def is_working_day(day: dt.date, calendar: Calendar | None = None) -> bool:
    """True when ``day`` is a working day (Monday–Friday, not a holiday or day-off override,
    or a make-up working day). A datetime is taken at its local date."""
    return _resolve(calendar).is_working_day(day)


def next_working_day(day: dt.date, calendar: Calendar | None = None) -> dt.date:
    """The first working day strictly after ``day``."""
    return _resolve(calendar).next_working_day(day)


def working_days_between(start: dt.date, end: dt.date, calendar: Calendar | None = None) -> int:
    """The number of working days in ``(start, end]`` (start excluded, end included)."""
    return _resolve(calendar).working_days_between(start, end)


def add_working_days_to_date(
    day: dt.date, n: Decimal | int | float, calendar: Calendar | None = None
) -> dt.date:
    """The date of the n-th working day after ``day`` (half days round up)."""
    return _resolve(calendar).add_working_days_to_date(day, n)


def add_working_days(
    start: dt.datetime,
    n: Decimal | int | float,
    *,
    cutoff: dt.time | str | None = None,
    calendar: Calendar | None = None,
) -> dt.datetime:
    """The deadline of ``n`` working days from ``start``; see ``Calendar.add_working_days``.

    The 15:00 cut-off (``COQUAN_WORKDAY_CUTOFF``) is unconfirmed in standards §3.7/§7: it is
    a setting, and ``cutoff`` overrides it per call.
    """
    return _resolve(calendar).add_working_days(start, n, cutoff=cutoff)


def deadline_with_pauses(
    start: dt.datetime,
    n: Decimal | int | float,
    pauses: Iterable[tuple[dt.datetime, dt.datetime | None]] = (),
    *,
    cutoff: dt.time | str | None = None,
    calendar: Calendar | None = None,
) -> dt.datetime | None:
    """The deadline after pauses, or None while a pause is open; see
    ``Calendar.deadline_with_pauses``."""
    return _resolve(calendar).deadline_with_pauses(start, n, pauses, cutoff=cutoff)


def elapsed_working_days(
    start: dt.datetime,
    end: dt.datetime,
    pauses: Iterable[tuple[dt.datetime, dt.datetime | None]] = (),
    *,
    cutoff: dt.time | str | None = None,
    calendar: Calendar | None = None,
) -> Decimal:
    """Working days fully run between ``start`` and ``end``, pauses excluded; see
    ``Calendar.elapsed_working_days``."""
    return _resolve(calendar).elapsed_working_days(start, end, pauses, cutoff=cutoff)
