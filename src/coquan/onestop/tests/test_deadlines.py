"""Appointments and on-time results with fixed dates crossing Tết 2026 (standards §3.7).

The calendar (coquan.workdays): Monday–Friday, Tết 2026 off Mon 16 – Fri 20 February (so
Sat 14 – Sun 22 February is a 9-day break). A deadline of n working days is the end (17:00)
of the n-th working day after the effective start; the effective start is the day of
reception if it is a working day and the time is before 15:00, else the next working day;
the start day itself is not counted (docs/workdays.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coquan.onestop import actions, deadlines
from coquan.onestop.choices import DossierStatus, PendingState, Timeliness, TimeUnit
from coquan.onestop.models import Dossier, DossierExtension
from coquan.onestop.tests.conftest import at

pytestmark = pytest.mark.django_db


def test_time_units_convert_to_working_days():
    assert deadlines.to_working_days(5, TimeUnit.WORKING_DAYS) == Decimal(5)
    assert deadlines.to_working_days(3, TimeUnit.HALF_DAYS) == Decimal("1.5")
    # Hours become whole half days of 4 hours, rounded up: 8 h = 1 day, 10 h = 1.5 days.
    assert deadlines.to_working_days(8, TimeUnit.HOURS) == Decimal(1)
    assert deadlines.to_working_days(10, TimeUnit.HOURS) == Decimal("1.5")
    assert deadlines.to_working_days(4, TimeUnit.HOURS) == Decimal("0.5")
    with pytest.raises(ValueError):
        deadlines.to_working_days(0, TimeUnit.WORKING_DAYS)


def test_hours_per_half_day_is_a_setting(settings):
    settings.COQUAN_ONESTOP_HOURS_PER_HALF_DAY = 5
    assert deadlines.to_working_days(10, TimeUnit.HOURS) == Decimal(1)


def test_received_after_the_cutoff_before_tet_counts_from_monday_after_tet(office):
    # Received Fri 13/02/2026 16:00, after the 15:00 cut-off: counting starts on the next
    # working day, Mon 23/02 (Sat 14 – Sun 22 is the Tết break), which is not counted
    # itself. Days 1..5: Tue 24, Wed 25, Thu 26, Fri 27 February, Mon 2 March.
    dossier = office.accept(at(2026, 2, 13, 16, 0))
    assert dossier.status == DossierStatus.ACCEPTED
    assert dossier.dossier_code == "000.00.14.H06-260213-0001"
    assert dossier.due_at == at(2026, 3, 2, 17, 0)
    assert dossier.original_due_at == at(2026, 3, 2, 17, 0)
    # The desk hands it over the next working day (NĐ 61 Art. 18): Mon 23/02 17:00.
    assert dossier.step_due_at == at(2026, 2, 23, 17, 0)


def test_received_before_the_cutoff_counts_the_next_day(office):
    # Fri 13/02 10:00: the effective start is Fri 13 itself, not counted; days 1..5 are
    # Mon 23, Tue 24, Wed 25, Thu 26, Fri 27 February.
    dossier = office.accept(at(2026, 2, 13, 10, 0))
    assert dossier.due_at == at(2026, 2, 27, 17, 0)


def test_cutoff_can_be_switched_off_for_the_start_of_counting(office, settings):
    settings.COQUAN_ONESTOP_CUTOFF_STARTS_COUNT = False
    # 16:00 on a working day now counts as that day: same result as 10:00.
    assert office.accept(at(2026, 2, 13, 16, 0)).due_at == at(2026, 2, 27, 17, 0)


def test_a_procedure_may_have_its_own_cutoff(office):
    procedure = actions.new_version(office.admin, procedure=office.procedure)
    actions.update_procedure(office.admin, procedure=procedure, cutoff_time=dt.time(16, 30))
    procedure = actions.publish_procedure(office.admin, procedure=procedure)
    # 16:00 is before this procedure's 16:30 cut-off.
    dossier = office.accept(at(2026, 2, 13, 16, 0), procedure=procedure)
    assert dossier.due_at == at(2026, 2, 27, 17, 0)


def _to_first_step(office, dossier, when):
    return actions.forward(office.desk, dossier=dossier, assignee_user=office.officer, at=when)


def test_supplement_restarts_the_clock_from_zero_after_tet(office):
    # Received Fri 13/02 16:00 → appointment Mon 02/03 17:00 (see above).
    dossier = office.accept(at(2026, 2, 13, 16, 0))
    dossier = _to_first_step(office, dossier, at(2026, 2, 23, 8, 30))
    # The officer asks for a supplement on Wed 25/02 10:00: the clock stops.
    dossier = actions.request_supplement(
        office.officer,
        dossier=dossier,
        items=["Bản vẽ móng có chữ ký kỹ sư"],
        at=at(2026, 2, 25, 10),
    )
    assert dossier.status == DossierStatus.SUPPLEMENT
    assert dossier.due_at is None
    assert deadlines.pending_state(dossier, at(2026, 3, 20)) == PendingState.PAUSED
    supplement = dossier.supplements.get()
    assert supplement.late_notice is False  # 2 working days after acceptance (Tue 24, Wed 25)
    # The complete dossier arrives Tue 03/03 09:00 (before 15:00): the count restarts from
    # zero (NĐ 61 Art. 19.4) with the whole 5-day limit: Tue 3 is not counted; days 1..5
    # are Wed 4, Thu 5, Fri 6, Mon 9, Tue 10 March.
    dossier = actions.resubmit(office.desk, dossier=dossier, at=at(2026, 3, 3, 9, 0))
    assert dossier.status == DossierStatus.IN_PROGRESS
    assert dossier.due_at == at(2026, 3, 10, 17, 0)
    assert dossier.clock_started_at == at(2026, 3, 3, 9, 0)
    # Back at step 1 with its fresh 2-day budget: Wed 4, Thu 5 → Thu 05/03 17:00.
    assert dossier.current_step.order == 1
    assert dossier.step_due_at == at(2026, 3, 5, 17, 0)
    assert deadlines.pending_state(dossier, at(2026, 3, 10, 16)) == PendingState.IN_TIME
    assert deadlines.pending_state(dossier, at(2026, 3, 10, 17, 1)) == PendingState.OVERDUE
    # Original appointment on the receipt stays recorded.
    assert dossier.original_due_at == at(2026, 3, 2, 17, 0)


def _run_to_result(office, dossier, first, second, third, done):
    dossier = _to_first_step(office, dossier, first)
    dossier = actions.forward(office.officer, dossier=dossier, at=second)
    dossier = actions.forward(
        office.unit_leader, dossier=dossier, assignee_user=office.leader, at=third
    )
    return actions.approve(
        office.leader, dossier=dossier, result_note="Giấy phép số 15/GP-STTTT", at=done
    )


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        # Appointment Mon 02/03/2026 17:00 (received Fri 13/02 16:00, 5 working days).
        (at(2026, 2, 27, 11, 0), Timeliness.EARLY),  # a working day before the appointment
        (at(2026, 3, 2, 16, 30), Timeliness.ON_TIME),  # on the appointment day, before 17:00
        (at(2026, 3, 3, 8, 0), Timeliness.LATE),  # the next morning
    ],
)
def test_classification_against_the_appointment(office, done, expected):
    dossier = office.accept(at(2026, 2, 13, 16, 0))
    dossier = _run_to_result(
        office, dossier, at(2026, 2, 23, 8), at(2026, 2, 24, 9), at(2026, 2, 26, 9), done
    )
    assert dossier.status == DossierStatus.RESOLVED
    assert dossier.timeliness == expected
    assert Dossier.objects.get(pk=dossier.pk).timeliness == expected


def test_step_results_on_the_control_slip(office):
    # Received Fri 13/02 16:00. The desk leg is due Mon 23/02 17:00 (next working day).
    dossier = office.accept(at(2026, 2, 13, 16, 0))
    # Handed to step 1 Mon 23/02 08:00 (desk on time: same day as its deadline). Step 1
    # budget 2 days: Tue 24, Wed 25 → due Wed 25/02 17:00; done Tue 24 09:00 → early.
    # Step 2 budget 2 days from Tue 24 09:00: Wed 25, Thu 26 → due Thu 26/02 17:00;
    # done Fri 27 09:00 → late. Step 3 budget 1 day from Fri 27 09:00: Mon 02/03 17:00;
    # approved Mon 02/03 10:00 → on time.
    dossier = _run_to_result(
        office,
        dossier,
        at(2026, 2, 23, 8),
        at(2026, 2, 24, 9),
        at(2026, 2, 27, 9),
        at(2026, 3, 2, 10),
    )
    legs = list(dossier.transfers.order_by("seq"))
    assert [leg.kind for leg in legs] == ["reception", "forward", "forward", "forward", "result"]
    assert [leg.step_due_at for leg in legs[:4]] == [
        at(2026, 2, 23, 17),
        at(2026, 2, 25, 17),
        at(2026, 2, 26, 17),
        at(2026, 3, 2, 17),
    ]
    assert [leg.timeliness for leg in legs[:4]] == ["on_time", "early", "late", "on_time"]
    assert dossier.timeliness == Timeliness.ON_TIME  # the dossier's appointment: Mon 02/03


def test_one_extension_with_a_new_date_then_a_second_is_refused(office):
    # Received Thu 26/02 09:00 → days Fri 27, Mon 2, Tue 3, Wed 4, Thu 5 → due Thu 05/03 17:00.
    dossier = office.accept(at(2026, 2, 26, 9, 0))
    assert dossier.due_at == at(2026, 3, 5, 17)
    dossier = _to_first_step(office, dossier, at(2026, 2, 26, 10))
    # Asked Tue 03/03: 2 working days before the deadline (Wed 4, Thu 5) — allowed.
    dossier = actions.extend(
        office.officer,
        dossier=dossier,
        new_due_date=dt.date(2026, 3, 12),
        reason="Cần lấy ý kiến Cục Hàng không về độ cao công trình.",
        at=at(2026, 3, 3, 10),
    )
    assert dossier.due_at == at(2026, 3, 12, 17)
    extension = DossierExtension.objects.get(dossier=dossier)
    assert extension.previous_due_at == at(2026, 3, 5, 17)
    with pytest.raises(ValidationError) as excinfo:
        actions.extend(
            office.officer,
            dossier=dossier,
            new_due_date=dt.date(2026, 3, 19),
            reason="Lần hai",
            at=at(2026, 3, 4, 10),
        )
    assert excinfo.value.code == "already_extended"
    assert Dossier.objects.get(pk=dossier.pk).due_at == at(2026, 3, 12, 17)
    assert DossierExtension.objects.count() == 1
    # Approved Wed 11/03: early against the extended appointment (§3.7.4).
    dossier = actions.forward(office.officer, dossier=dossier, at=at(2026, 3, 5, 9))
    dossier = actions.forward(office.unit_leader, dossier=dossier, at=at(2026, 3, 9, 9))
    dossier = actions.approve(
        office.leader, dossier=dossier, result_note="GP số 2", at=at(2026, 3, 11, 9)
    )
    assert dossier.timeliness == Timeliness.EARLY


def test_extension_on_the_last_day_is_refused(office):
    dossier = office.accept(at(2026, 2, 26, 9, 0))  # due Thu 05/03 17:00
    dossier = _to_first_step(office, dossier, at(2026, 2, 26, 10))
    with pytest.raises(ValidationError) as excinfo:
        actions.extend(
            office.officer,
            dossier=dossier,
            new_due_date=dt.date(2026, 3, 12),
            reason="Muộn",
            at=at(2026, 3, 5, 8),
        )
    assert excinfo.value.code == "too_late"
    assert not DossierExtension.objects.exists()


def test_extension_must_move_to_a_later_working_day(office):
    dossier = office.accept(at(2026, 2, 26, 9, 0))
    dossier = _to_first_step(office, dossier, at(2026, 2, 26, 10))
    for day in (dt.date(2026, 3, 5), dt.date(2026, 3, 7)):  # same day; a Saturday
        with pytest.raises(ValidationError) as excinfo:
            actions.extend(
                office.officer, dossier=dossier, new_due_date=day, reason="x", at=at(2026, 3, 2)
            )
        assert "new_due_date" in excinfo.value.message_dict


def test_late_supplement_request_is_recorded(office):
    # Accepted Mon 02/03 09:00; asked Fri 06/03: Tue, Wed, Thu, Fri = 4 working days > 3.
    dossier = office.accept(at(2026, 3, 2, 9, 0))
    dossier = _to_first_step(office, dossier, at(2026, 3, 2, 10))
    dossier = actions.request_supplement(
        office.officer, dossier=dossier, items=["Bản vẽ"], at=at(2026, 3, 6, 9)
    )
    assert dossier.supplements.get().late_notice is True


def test_classification_when_returned_is_a_setting(office, settings):
    settings.COQUAN_ONESTOP_CLASSIFY_AT = "returned"
    dossier = office.accept(at(2026, 2, 26, 9, 0))  # due Thu 05/03 17:00
    dossier = _run_to_result(
        office,
        dossier,
        at(2026, 2, 26, 10),
        at(2026, 2, 27, 9),
        at(2026, 3, 2, 9),
        at(2026, 3, 3, 9),
    )
    assert dossier.timeliness == ""
    dossier = actions.return_result(office.desk, dossier=dossier, at=at(2026, 3, 6, 9))
    assert dossier.status == DossierStatus.RETURNED
    assert dossier.timeliness == Timeliness.LATE


def test_half_day_and_hour_limits(office):
    procedure = actions.new_version(office.admin, procedure=office.procedure)
    steps = [
        {
            "name": "Xử lý",
            "responsible_unit": office.telecom,
            "responsible_role": "officer",
            "time_budget": 8,
        },
    ]
    actions.update_procedure(
        office.admin, procedure=procedure, time_limit=8, time_unit="hours", steps=steps
    )
    procedure = actions.publish_procedure(office.admin, procedure=procedure)
    # 8 working hours = 1 working day: Fri 13/02 10:00 → Mon 23/02 17:00.
    dossier = office.accept(at(2026, 2, 13, 10), procedure=procedure)
    assert dossier.time_limit_days == Decimal(1)
    assert dossier.due_at == at(2026, 2, 23, 17)
