"""Fixed cases of the working-day rules around the 2026 holidays (pure: no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coquan.workdays.calendar import (
    DAY_OFF,
    WORKING_DAY,
    Calendar,
    DayKind,
    Override,
    parse_days,
)
from coquan.workdays.choices import OverrideKind
from coquan.workdays.tests.helpers import TZ, at, d

CAL = Calendar.build()


def test_override_kinds_match_the_model_choices():
    assert {DAY_OFF, WORKING_DAY} == set(OverrideKind.values)


# --- Tết 2026: Mon 16 – Fri 20 February off ----------------------------------------------------


@pytest.mark.parametrize("day", [16, 17, 18, 19, 20])
def test_tet_2026_days_are_off(day):
    assert not CAL.is_working_day(d(2026, 2, day))
    assert CAL.day_info(d(2026, 2, day)).kind == DayKind.HOLIDAY


def test_days_around_tet_2026_are_worked():
    assert CAL.is_working_day(d(2026, 2, 13))
    assert CAL.is_working_day(d(2026, 2, 23))
    assert not CAL.is_working_day(d(2026, 2, 14))  # Saturday
    assert CAL.next_working_day(d(2026, 2, 13)) == d(2026, 2, 23)


def test_tet_names_are_vietnamese():
    assert CAL.day_info(d(2026, 2, 17)).name == "Tết Nguyên Đán"
    assert CAL.day_info(d(2026, 2, 16)).name == "Giao thừa Tết Nguyên Đán"


def test_must_show_friday_afternoon_before_tet_skips_tet():
    """add_working_days(Fri 13 Feb 2026 16:00, 1): after the 15:00 cut-off, so counting
    starts from Mon 23 Feb (Tết 16–20 Feb skipped); the deadline is Tue 24 Feb 17:00."""
    deadline = CAL.add_working_days(at(2026, 2, 13, 16), 1)
    assert deadline == at(2026, 2, 24, 17)
    assert deadline.tzinfo is not None
    assert deadline.utcoffset() == dt.timedelta(hours=7)


def test_friday_morning_before_tet_counts_from_friday():
    assert CAL.add_working_days(at(2026, 2, 13, 10), 1) == at(2026, 2, 23, 17)


def test_exactly_at_the_cutoff_counts_from_the_next_working_day():
    assert CAL.add_working_days(at(2026, 2, 13, 15, 0), 1) == at(2026, 2, 24, 17)
    assert CAL.add_working_days(at(2026, 2, 13, 14, 59), 1) == at(2026, 2, 23, 17)


def test_received_on_a_day_off_counts_from_the_next_working_day():
    assert CAL.add_working_days(at(2026, 2, 14, 9), 1) == at(2026, 2, 24, 17)
    assert CAL.add_working_days(at(2026, 2, 17, 9), 1) == at(2026, 2, 24, 17)


def test_half_days():
    start = at(2026, 2, 13, 10)
    assert CAL.add_working_days(start, Decimal("0.5")) == at(2026, 2, 23, 12)
    assert CAL.add_working_days(start, 1.5) == at(2026, 2, 24, 12)
    assert CAL.add_working_days(start, 0) == at(2026, 2, 13, 17)
    assert CAL.add_working_days(at(2026, 2, 13, 16), 0) == at(2026, 2, 23, 17)


def test_the_package_example_five_working_days_after_13_february():
    assert CAL.add_working_days_to_date(d(2026, 2, 13), 5) == d(2026, 2, 27)
    assert CAL.add_working_days_to_date(d(2026, 2, 13), 0) == d(2026, 2, 13)
    assert CAL.add_working_days_to_date(d(2026, 2, 13), Decimal("1.5")) == d(2026, 2, 24)


def test_cutoff_can_be_given_per_call():
    assert CAL.add_working_days(at(2026, 3, 2, 13), 1, cutoff="12:00") == at(2026, 3, 4, 17)
    assert CAL.add_working_days(at(2026, 3, 2, 13), 1, cutoff=dt.time(16)) == at(2026, 3, 3, 17)
    late = Calendar.build(cutoff="16:30")
    assert late.add_working_days(at(2026, 3, 2, 16), 1) == at(2026, 3, 3, 17)


def test_start_is_converted_to_local_time():
    # 08:30 UTC on Friday 13 February is 15:30 in Hà Nội: after the cut-off.
    utc_start = dt.datetime(2026, 2, 13, 8, 30, tzinfo=dt.UTC)
    assert CAL.add_working_days(utc_start, 1) == at(2026, 2, 24, 17)


# --- 30/4 – 1/5, Hùng Kings, 2/9 -----------------------------------------------------------------


def test_reunification_and_labour_day_2026():
    assert not CAL.is_working_day(d(2026, 4, 30))
    assert not CAL.is_working_day(d(2026, 5, 1))
    assert CAL.add_working_days(at(2026, 4, 29, 10), 1) == at(2026, 5, 4, 17)
    assert CAL.working_days_between(d(2026, 4, 29), d(2026, 5, 4)) == 1


def test_hung_kings_2026_substitute_monday():
    assert CAL.day_info(d(2026, 4, 26)).kind == DayKind.HOLIDAY  # Sunday
    info = CAL.day_info(d(2026, 4, 27))
    assert info.kind == DayKind.HOLIDAY and "nghỉ bù" in info.name
    assert CAL.add_working_days(at(2026, 4, 24, 10), 1) == at(2026, 4, 28, 17)


def test_national_day_2026_pair_and_package_swap():
    assert not CAL.is_working_day(d(2026, 9, 1))
    assert not CAL.is_working_day(d(2026, 9, 2))
    # holidays 0.109 knows the 2026 swap: Mon 31/08 off, Sat 22/08 worked.
    assert not CAL.is_working_day(d(2026, 8, 31))
    assert CAL.day_info(d(2026, 8, 22)).kind == DayKind.MAKEUP
    assert CAL.is_working_day(d(2026, 8, 22))
    assert CAL.add_working_days(at(2026, 8, 28, 10), 1) == at(2026, 9, 3, 17)


def test_working_days_between_counts_start_exclusive_end_inclusive():
    assert CAL.working_days_between(d(2026, 2, 13), d(2026, 2, 23)) == 1
    assert CAL.working_days_between(d(2026, 2, 23), d(2026, 2, 13)) == -1
    assert CAL.working_days_between(d(2026, 2, 13), d(2026, 2, 13)) == 0
    assert CAL.working_days_between(d(2026, 3, 1), d(2026, 3, 31)) == 22


# --- overrides ---------------------------------------------------------------------------------


def test_make_up_saturday_override_becomes_a_working_day():
    saturday = d(2026, 3, 7)
    assert not CAL.is_working_day(saturday)
    calendar = CAL.with_overrides(Override(saturday, WORKING_DAY, "Làm bù"))
    assert calendar.is_working_day(saturday)
    assert calendar.day_info(saturday).kind == DayKind.MAKEUP
    assert calendar.add_working_days(at(2026, 3, 6, 10), 1) == at(2026, 3, 7, 17)
    assert CAL.add_working_days(at(2026, 3, 6, 10), 1) == at(2026, 3, 9, 17)


def test_new_24_november_day_off_override():
    monday = d(2025, 11, 24)  # not a holiday in 2025
    assert CAL.is_working_day(monday)
    calendar = CAL.with_overrides(Override(monday, DAY_OFF, "Ngày Văn hóa Việt Nam"))
    assert not calendar.is_working_day(monday)
    assert calendar.add_working_days(at(2025, 11, 21, 10), 1) == at(2025, 11, 25, 17)
    assert CAL.add_working_days(at(2025, 11, 21, 10), 1) == at(2025, 11, 24, 17)


def test_working_day_override_beats_a_statutory_holiday():
    # holidays 0.109 already has 24/11/2026 (Ngày Văn hóa Việt Nam, NQ 80-NQ/TW); an
    # administrator can cancel it if the law is not amended.
    day = d(2026, 11, 24)
    assert not CAL.is_working_day(day)
    calendar = CAL.with_overrides(Override(day, WORKING_DAY, "Chưa được nghỉ"))
    info = calendar.day_info(day)
    assert info.working and info.statutory_name == "Ngày Văn hóa Việt Nam"
    assert calendar.without_overrides(day).is_working_day(day) is False


def test_weekend_is_configurable():
    six_days = Calendar.build(weekend=(6,))
    assert six_days.is_working_day(d(2026, 3, 7))
    assert not six_days.is_working_day(d(2026, 3, 8))


def test_marked_days_of_2026():
    marked = {info.date: info for info in CAL.marked_days(2026)}
    assert d(2026, 2, 17) in marked and d(2026, 1, 1) in marked
    assert d(2026, 3, 7) not in marked  # an ordinary Saturday
    assert len(CAL.year_days(2026)) == 365


# --- pauses ------------------------------------------------------------------------------------


def test_pause_moves_the_deadline_by_the_working_days_spent_paused():
    start = at(2026, 3, 2, 9)  # Monday
    assert CAL.add_working_days(start, 5) == at(2026, 3, 9, 17)
    pauses = [(at(2026, 3, 3, 10), at(2026, 3, 5, 10))]  # Tue 10:00 → Thu 10:00
    assert CAL.paused_working_days(start, *pauses[0]) == 2
    assert CAL.deadline_with_pauses(start, 5, pauses) == at(2026, 3, 11, 17)


def test_pause_and_resume_on_the_same_morning_costs_nothing():
    start = at(2026, 3, 2, 9)
    pauses = [(at(2026, 3, 3, 9), at(2026, 3, 3, 11))]
    assert CAL.deadline_with_pauses(start, 5, pauses) == CAL.add_working_days(start, 5)


def test_resume_after_the_cutoff_counts_from_the_next_day():
    start = at(2026, 3, 2, 9)
    pauses = [(at(2026, 3, 3, 10), at(2026, 3, 3, 16))]
    assert CAL.deadline_with_pauses(start, 5, pauses) == at(2026, 3, 10, 17)


def test_pause_over_tet_counts_only_working_days():
    start = at(2026, 2, 12, 9)  # Thursday before Tết
    assert CAL.add_working_days(start, 3) == at(2026, 2, 24, 17)
    pauses = [(at(2026, 2, 13, 10), at(2026, 2, 23, 9))]
    assert CAL.deadline_with_pauses(start, 3, pauses) == at(2026, 2, 25, 17)


def test_open_pause_stops_the_clock():
    start = at(2026, 3, 2, 9)
    assert CAL.deadline_with_pauses(start, 5, [(at(2026, 3, 4, 10), None)]) is None
    # Elapsed stands still while the pause lasts.
    first = CAL.elapsed_working_days(start, at(2026, 3, 5, 17), [(at(2026, 3, 4, 10), None)])
    later = CAL.elapsed_working_days(start, at(2026, 3, 20, 17), [(at(2026, 3, 4, 10), None)])
    assert first == later == 1


def test_pause_after_the_deadline_does_not_move_it():
    start = at(2026, 3, 2, 9)
    pauses = [(at(2026, 3, 10, 9), at(2026, 3, 12, 9))]
    assert CAL.deadline_with_pauses(start, 5, pauses) == at(2026, 3, 9, 17)
    assert CAL.deadline_with_pauses(start, 5, [(at(2026, 3, 10, 9), None)]) == at(2026, 3, 9, 17)


def test_several_pauses_in_any_order():
    start = at(2026, 3, 2, 9)
    pauses = [
        (at(2026, 3, 9, 10), at(2026, 3, 10, 10)),  # Mon → Tue: 1 day
        (at(2026, 3, 3, 10), at(2026, 3, 5, 10)),  # Tue → Thu: 2 days
    ]
    assert CAL.deadline_with_pauses(start, 5, pauses) == at(2026, 3, 12, 17)


def test_elapsed_working_days():
    start = at(2026, 2, 13, 10)
    assert CAL.elapsed_working_days(start, at(2026, 2, 13, 11)) == 0
    assert CAL.elapsed_working_days(start, at(2026, 2, 23, 12)) == Decimal("0.5")
    assert CAL.elapsed_working_days(start, at(2026, 2, 24, 16)) == Decimal("1.5")
    assert CAL.elapsed_working_days(start, at(2026, 2, 24, 17)) == 2
    pauses = [(at(2026, 2, 23, 10), at(2026, 2, 24, 10))]
    assert CAL.elapsed_working_days(start, at(2026, 2, 24, 17), pauses) == 1


@pytest.mark.parametrize(
    "pauses",
    [
        [(at(2026, 3, 3, 10), at(2026, 3, 3, 9))],  # resumes before it starts
        [(at(2026, 3, 1, 10), at(2026, 3, 3, 9))],  # before the clock starts
        [(at(2026, 3, 3, 10), at(2026, 3, 5, 9)), (at(2026, 3, 4, 10), at(2026, 3, 6, 9))],
        [(at(2026, 3, 3, 10), None), (at(2026, 3, 5, 10), at(2026, 3, 6, 9))],
        [(dt.datetime(2026, 3, 3, 10), at(2026, 3, 5, 9))],  # naive
        [(at(2026, 3, 3, 10),)],
    ],
)
def test_impossible_pauses_are_refused(pauses):
    with pytest.raises(ValueError):
        CAL.deadline_with_pauses(at(2026, 3, 2, 9), 5, pauses)


# --- bad input ---------------------------------------------------------------------------------


def test_naive_datetimes_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add_working_days(dt.datetime(2026, 2, 13, 16), 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.is_working_day(dt.datetime(2026, 2, 13, 16))
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.elapsed_working_days(at(2026, 2, 13, 16), dt.datetime(2026, 2, 20))


def test_an_aware_datetime_is_taken_at_its_local_date():
    # 18:00 UTC on 15 February is 01:00 on 16 February (Giao thừa) in Hà Nội.
    assert not CAL.is_working_day(dt.datetime(2026, 2, 15, 18, tzinfo=dt.UTC))
    assert CAL.is_working_day(dt.datetime(2026, 2, 13, 1, tzinfo=TZ))


@pytest.mark.parametrize("n", [-1, Decimal("0.25"), 0.3, True, "1", float("nan"), 10**6])
def test_bad_numbers_of_days_are_refused(n):
    with pytest.raises(ValueError):
        parse_days(n)


def test_dates_outside_the_supported_years_are_refused():
    with pytest.raises(ValueError, match="2000"):
        CAL.is_working_day(d(1999, 12, 31))
    with pytest.raises(ValueError):
        CAL.add_working_days(at(2100, 12, 30, 9), 10)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weekend": range(7)},
        {"weekend": (7,)},
        {"cutoff": "25:00"},
        {"morning_end": "18:00"},
        {"overrides": [Override(d(2026, 1, 2), "holiday")]},
        {"overrides": [Override(d(2026, 1, 2), DAY_OFF), Override(d(2026, 1, 2), WORKING_DAY)]},
    ],
)
def test_impossible_calendars_are_refused(kwargs):
    with pytest.raises(ValueError):
        Calendar.build(**kwargs)


def test_a_calendar_without_working_days_fails_instead_of_looping():
    everything_off = Calendar.build(
        [Override(d(2026, 1, 1) + dt.timedelta(days=i), DAY_OFF) for i in range(450)]
    )
    with pytest.raises(ValueError, match="no working day"):
        everything_off.next_working_day(d(2026, 1, 1))
