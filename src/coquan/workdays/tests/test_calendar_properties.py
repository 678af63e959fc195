"""Property tests of the working-day rules (hypothesis; pure, no database).

No per-example deadline: a slow CI machine must not turn a correct rule into a failure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import holidays
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coquan.workdays.calendar import DAY_OFF, WORKING_DAY, Calendar, Override
from coquan.workdays.tests.helpers import TZ

FIRST = dt.date(2015, 1, 1)
LAST = dt.date(2035, 12, 31)

dates = st.dates(min_value=FIRST, max_value=LAST)
moments = st.builds(
    lambda day, hour, minute: dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ),
    dates,
    st.integers(0, 23),
    st.integers(0, 59),
)
whole_days = st.integers(min_value=0, max_value=80)
half_steps = st.integers(min_value=0, max_value=160).map(lambda k: Decimal(k) / 2)
overrides = st.lists(
    st.tuples(dates, st.sampled_from([DAY_OFF, WORKING_DAY])),
    max_size=25,
    unique_by=lambda item: item[0],
).map(lambda items: [Override(day, kind, "x") for day, kind in items])
calendars = st.builds(Calendar.build, overrides)

PLAIN = Calendar.build()


@settings(deadline=None)
@given(calendars, moments, half_steps)
def test_deadline_falls_on_a_working_day_at_the_right_time(calendar, start, n):
    deadline = calendar.add_working_days(start, n)
    assert calendar.is_working_day(deadline.date())
    assert deadline.tzinfo is not None
    expected = calendar.day_end if n == int(n) else calendar.morning_end
    assert deadline.timetz().replace(tzinfo=None) == expected
    assert deadline > start or n == 0


@settings(deadline=None)
@given(calendars, moments, half_steps, half_steps)
def test_deadline_grows_with_the_number_of_days(calendar, start, first, second):
    low, high = sorted((first, second))
    assert calendar.add_working_days(start, low) <= calendar.add_working_days(start, high)
    if low < high:
        assert calendar.add_working_days(start, low) < calendar.add_working_days(start, high)


@settings(deadline=None)
@given(calendars, moments, moments, half_steps)
def test_deadline_grows_with_the_start(calendar, first, second, n):
    early, late = sorted((first, second))
    assert calendar.add_working_days(early, n) <= calendar.add_working_days(late, n)


@settings(deadline=None)
@given(calendars, dates, whole_days)
def test_counting_undoes_adding_dates(calendar, day, n):
    target = calendar.add_working_days_to_date(day, n)
    assert calendar.working_days_between(day, target) == n
    if n:
        assert calendar.is_working_day(target)


@settings(deadline=None)
@given(calendars, moments, whole_days)
def test_adding_then_counting_round_trips(calendar, start, n):
    deadline = calendar.add_working_days(start, n)
    assert calendar.working_days_between(calendar.effective_start(start), deadline.date()) == n
    assert calendar.elapsed_working_days(start, deadline) == n


@settings(deadline=None)
@given(calendars, moments, half_steps)
def test_elapsed_is_the_inverse_of_the_deadline_for_half_days(calendar, start, n):
    assert calendar.elapsed_working_days(start, calendar.add_working_days(start, n)) == n


@settings(deadline=None)
@given(calendars, dates)
def test_next_working_day_skips_only_days_off(calendar, day):
    following = calendar.next_working_day(day)
    assert following > day and calendar.is_working_day(following)
    between = day + dt.timedelta(days=1)
    while between < following:
        assert not calendar.is_working_day(between)
        between += dt.timedelta(days=1)


@settings(deadline=None)
@given(calendars, dates, dates, dates)
def test_counting_is_additive_and_antisymmetric(calendar, a, b, c):
    assume(abs((c - a).days) < 800)
    assert calendar.working_days_between(a, b) == -calendar.working_days_between(b, a)
    assert calendar.working_days_between(a, b) + calendar.working_days_between(
        b, c
    ) == calendar.working_days_between(a, c)


@settings(deadline=None)
@given(calendars, dates, st.sampled_from([DAY_OFF, WORKING_DAY]), dates)
def test_an_override_flips_its_day_and_only_its_day(calendar, day, kind, other):
    changed = calendar.with_overrides(Override(day, kind, "x"))
    assert changed.is_working_day(day) is (kind == WORKING_DAY)
    if other != day:
        assert changed.is_working_day(other) == calendar.is_working_day(other)
    assert changed.without_overrides(day).is_working_day(day) == calendar.without_overrides(
        day
    ).is_working_day(day)


@settings(max_examples=60, deadline=None)
@given(dates)
def test_without_overrides_the_calendar_agrees_with_the_holidays_package(day):
    package = holidays.VN(years=range(day.year - 1, day.year + 2))
    assert PLAIN.is_working_day(day) == package.is_working_day(day)


# --- pauses ------------------------------------------------------------------------------------

gaps = st.lists(st.tuples(st.integers(0, 24 * 20), st.integers(0, 24 * 15)), min_size=0, max_size=4)


def _pauses(start: dt.datetime, spans, open_last: bool = False):
    pauses = []
    moment = start
    for gap_hours, length_hours in spans:
        paused = moment + dt.timedelta(hours=gap_hours)
        resumed = paused + dt.timedelta(hours=length_hours)
        pauses.append((paused, resumed))
        moment = resumed
    if open_last and pauses:
        pauses[-1] = (pauses[-1][0], None)
    return pauses


@settings(deadline=None)
@given(calendars, moments, half_steps, gaps)
def test_pauses_never_bring_the_deadline_earlier(calendar, start, n, spans):
    pauses = _pauses(start, spans)
    with_pauses = calendar.deadline_with_pauses(start, n, pauses)
    assert with_pauses >= calendar.add_working_days(start, n)
    assert calendar.is_working_day(with_pauses.date())
    assert calendar.deadline_with_pauses(start, n, []) == calendar.add_working_days(start, n)


@settings(max_examples=80, deadline=None)
@given(calendars, moments, half_steps, gaps)
def test_elapsed_with_pauses_is_the_inverse_of_the_deadline(calendar, start, n, spans):
    pauses = _pauses(start, spans)
    deadline = calendar.deadline_with_pauses(start, n, pauses)
    assert calendar.elapsed_working_days(start, deadline, pauses) == n


@settings(max_examples=60, deadline=None)
@given(calendars, moments, gaps, st.integers(0, 24 * 40), st.integers(0, 24 * 40))
def test_elapsed_grows_with_the_end(calendar, start, spans, first, second):
    pauses = _pauses(start, spans)
    early, late = sorted((first, second))
    one = calendar.elapsed_working_days(start, start + dt.timedelta(hours=early), pauses)
    two = calendar.elapsed_working_days(start, start + dt.timedelta(hours=late), pauses)
    assert one <= two


@settings(max_examples=60, deadline=None)
@given(calendars, moments, half_steps, gaps.filter(bool), st.integers(0, 24 * 60))
def test_an_open_pause_stops_the_clock(calendar, start, n, spans, extra_hours):
    pauses = _pauses(start, spans, open_last=True)
    paused_at = pauses[-1][0]
    closed = pauses[:-1]
    before = calendar.deadline_with_pauses(start, n, closed)
    result = calendar.deadline_with_pauses(start, n, pauses)
    if paused_at < before:
        assert result is None
    else:
        assert result == before
    frozen = calendar.elapsed_working_days(start, paused_at, pauses)
    later = paused_at + dt.timedelta(hours=extra_hours)
    assert calendar.elapsed_working_days(start, later, pauses) == frozen
