"""Properties of the pure rules: time-unit conversion, classification, dossier codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coquan.onestop import codes, deadlines
from coquan.onestop.choices import Timeliness, TimeUnit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AGENCY = SimpleNamespace(organ_id="000.00.14.H06", short_name="STTTT")
# Pure and fast; a busy machine (parallel runs) must not turn slowness into a failure.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@relaxed
@given(st.decimals(min_value=Decimal("0.1"), max_value=Decimal(500), places=1))
def test_working_days_round_up_to_half_days(value):
    days = deadlines.to_working_days(value, TimeUnit.WORKING_DAYS)
    assert (days * 2) % 1 == 0
    assert value <= days < value + Decimal("0.5")


@relaxed
@given(st.integers(min_value=1, max_value=2000))
def test_hours_become_enough_half_days(hours):
    days = deadlines.to_working_days(hours, TimeUnit.HOURS)
    assert (days * 2) % 1 == 0
    # Enough half days of 4 hours to hold the hours, and not a half day more.
    assert days * 8 >= hours > days * 8 - 4


@relaxed
@given(
    st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31)),
)
def test_classification_is_ordered(finished, due):
    finished, due = finished.replace(tzinfo=VN), due.replace(tzinfo=VN)
    result = deadlines.classify(finished, due)
    assert (result == Timeliness.LATE) == (finished > due)
    if result == Timeliness.EARLY:
        assert finished.date() < due.date()
    if result == Timeliness.ON_TIME:
        assert finished.date() == due.date() and finished <= due


@relaxed
@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.integers(min_value=1, max_value=9999),
)
def test_codes_carry_the_agency_the_day_and_the_sequence(day, seq):
    code = codes.format_code(AGENCY, day, seq)
    organ_id, yymmdd, number = code.rsplit("-", 2)
    assert organ_id == AGENCY.organ_id
    assert yymmdd == day.strftime("%y%m%d") and int(number) == seq and len(number) == 4
