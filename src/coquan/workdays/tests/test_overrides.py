"""Overrides through the actions: permissions, validation, audit, and the cached calendar
changing at once (through the database and the module-level wrappers)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from coquan.audit.models import AuditEntry
from coquan.audit.services import verify
from coquan.workdays import actions, store
from coquan.workdays.calendar import (
    add_working_days,
    current_calendar,
    deadline_with_pauses,
    elapsed_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from coquan.workdays.models import CalendarOverride, CalendarVersion
from coquan.workdays.tests.helpers import at, d

pytestmark = pytest.mark.django_db

NOV_24_2025 = d(2025, 11, 24)


def _add_nov_24(actor):
    return actions.create_override(
        actor,
        date=NOV_24_2025,
        kind="day_off",
        name="Ngày Văn hóa Việt Nam",
        note="Giả định: Bộ luật Lao động sửa đổi",
    )


def test_create_override_changes_results_immediately(superuser):
    assert is_working_day(NOV_24_2025)
    assert add_working_days(at(2025, 11, 21, 10), 1) == at(2025, 11, 24, 17)
    override = _add_nov_24(superuser)
    assert CalendarOverride.objects.get().created_by == superuser
    assert not is_working_day(NOV_24_2025)
    assert add_working_days(at(2025, 11, 21, 10), 1) == at(2025, 11, 25, 17)
    assert next_working_day(d(2025, 11, 21)) == d(2025, 11, 25)
    assert working_days_between(d(2025, 11, 21), d(2025, 11, 25)) == 1
    entry = AuditEntry.objects.get(action="workdays.override.create")
    assert entry.actor_id == superuser.pk
    assert entry.object_id == str(override.pk)
    assert entry.after["kind"] == "day_off"
    assert verify().ok


def test_update_override_changes_results_immediately(superuser):
    override = _add_nov_24(superuser)
    assert not is_working_day(NOV_24_2025)
    actions.update_override(superuser, override=override, date=d(2025, 11, 25))
    assert is_working_day(NOV_24_2025)
    assert not is_working_day(d(2025, 11, 25))
    actions.update_override(superuser, override=override, kind="working_day")
    assert is_working_day(d(2025, 11, 25))
    entry = AuditEntry.objects.filter(action="workdays.override.update").first()
    assert entry.before["kind"] == "day_off" and entry.after["kind"] == "working_day"


def test_delete_override_changes_results_immediately(superuser):
    override = _add_nov_24(superuser)
    assert add_working_days(at(2025, 11, 21, 10), 1) == at(2025, 11, 25, 17)
    actions.delete_override(superuser, override=override)
    assert not CalendarOverride.objects.exists()
    assert add_working_days(at(2025, 11, 21, 10), 1) == at(2025, 11, 24, 17)
    entry = AuditEntry.objects.get(action="workdays.override.delete")
    assert entry.object_id == str(override.pk)
    assert entry.before["name"] == "Ngày Văn hóa Việt Nam"


def test_make_up_saturday_through_the_action(superuser):
    saturday = d(2026, 3, 7)
    assert not is_working_day(saturday)
    actions.create_override(
        superuser, date=saturday, kind="working_day", name="Làm bù cho ngày 02/01/2026"
    )
    assert is_working_day(saturday)
    assert add_working_days(at(2026, 3, 6, 10), 1) == at(2026, 3, 7, 17)


def test_wrappers_accept_an_explicit_calendar_without_touching_the_database(
    superuser, django_assert_num_queries
):
    _add_nov_24(superuser)
    calendar = current_calendar()
    with django_assert_num_queries(0):
        assert not is_working_day(NOV_24_2025, calendar)
        assert deadline_with_pauses(at(2025, 11, 21, 10), 1, [], calendar=calendar) == at(
            2025, 11, 25, 17
        )
        assert (
            elapsed_working_days(at(2025, 11, 21, 10), at(2025, 11, 25, 17), calendar=calendar) == 1
        )


@pytest.mark.parametrize("actor_fixture", ["member", "agency_admin"])
def test_only_deployment_administrators_change_the_calendar(request, actor_fixture, superuser):
    actor = request.getfixturevalue(actor_fixture)
    with pytest.raises(PermissionDenied):
        _add_nov_24(actor)
    assert not CalendarOverride.objects.exists()
    assert AuditEntry.objects.filter(action="permission_denied", actor_id=actor.pk).exists()
    override = _add_nov_24(superuser)
    with pytest.raises(PermissionDenied):
        actions.update_override(actor, override=override, name="Khác")
    with pytest.raises(PermissionDenied):
        actions.delete_override(actor, override=override)
    override.refresh_from_db()
    assert override.name == "Ngày Văn hóa Việt Nam"


def test_anonymous_cannot_change_the_calendar():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        _add_nov_24(AnonymousUser())


def test_duplicate_date_is_a_clear_vietnamese_error(superuser):
    _add_nov_24(superuser)
    audit_count = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.create_override(superuser, date=NOV_24_2025, kind="working_day", name="Khác")
    message = caught.value.message_dict["date"][0]
    assert "24/11/2025" in message and "đã có" in message
    assert CalendarOverride.objects.count() == 1
    assert AuditEntry.objects.count() == audit_count


def test_moving_an_override_onto_another_overrides_date_is_refused(superuser):
    _add_nov_24(superuser)
    other = actions.create_override(superuser, date=d(2025, 11, 25), kind="day_off", name="B")
    with pytest.raises(ValidationError) as caught:
        actions.update_override(superuser, override=other, date=NOV_24_2025)
    assert "date" in caught.value.message_dict
    other.refresh_from_db()
    assert other.date == d(2025, 11, 25)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"date": "2025-11-24"}, "date"),
        ({"date": d(1999, 1, 4)}, "date"),
        ({"kind": "holiday"}, "kind"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_invalid_values_are_refused_with_the_field_named(superuser, values, field):
    data = {"date": NOV_24_2025, "kind": "day_off", "name": "Ngày Văn hóa Việt Nam"} | values
    with pytest.raises(ValidationError) as caught:
        actions.create_override(superuser, **data)
    assert field in caught.value.message_dict
    assert not CalendarOverride.objects.exists()


def test_deleting_twice_is_a_validation_error(superuser):
    override = _add_nov_24(superuser)
    actions.delete_override(superuser, override=override)
    with pytest.raises(ValidationError):
        actions.delete_override(superuser, override=override)
    with pytest.raises(ValidationError):
        actions.update_override(superuser, override=override, name="x")


def test_database_constraints_hold_without_the_actions(superuser):
    CalendarOverride.objects.create(date=NOV_24_2025, kind="day_off", name="A")
    for values in (
        {"date": NOV_24_2025, "kind": "day_off", "name": "B"},
        {"date": d(2025, 11, 25), "kind": "holiday", "name": "B"},
        {"date": d(2025, 11, 26), "kind": "day_off", "name": ""},
        {"date": d(1990, 1, 1), "kind": "day_off", "name": "B"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            CalendarOverride.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarVersion.objects.create(pk=2)


# --- the cache ---------------------------------------------------------------------------------


def test_cached_calendar_costs_one_query_and_is_reused(superuser, django_assert_num_queries):
    first = current_calendar()
    with django_assert_num_queries(1):
        assert current_calendar() is first
    _add_nov_24(superuser)
    with django_assert_num_queries(2):  # the token moved: reload the overrides
        second = current_calendar()
    assert second is not first
    assert NOV_24_2025 in second.overrides


def test_a_change_committed_by_another_process_is_seen(superuser):
    """Another process writes the row and the token; this process's cache notices."""
    assert is_working_day(NOV_24_2025)
    CalendarOverride.objects.create(date=NOV_24_2025, kind="day_off", name="Khác tiến trình")
    store.bump_version()
    assert not is_working_day(NOV_24_2025)


def test_commit_clears_this_processs_cache(superuser, django_capture_on_commit_callbacks):
    current_calendar()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _add_nov_24(superuser)
    assert store.invalidate in callbacks
    assert store._cached is None


def test_one_check_per_request(superuser, django_assert_num_queries):
    """Inside a request the calendar is checked once; a change made by the request itself
    is seen after it commits."""
    # The receivers the app connects to request_started / request_finished (sending the
    # signals themselves would also close the test's database connection).
    store._request_started()
    try:
        current_calendar()
        with django_assert_num_queries(0):
            for _ in range(25):
                current_calendar()
        store.invalidate()  # what the commit of an override action does
        _add_nov_24(superuser)
        assert not is_working_day(NOV_24_2025)
    finally:
        store._request_finished()


def test_missing_version_row_is_recreated(superuser):
    CalendarVersion.objects.all().delete()
    assert store.read_version() is None
    _add_nov_24(superuser)
    assert CalendarVersion.objects.get(pk=1).token


def test_settings_changes_rebuild_the_calendar(settings):
    assert not is_working_day(d(2026, 3, 7))
    settings.COQUAN_WORKDAY_WEEKEND = (6,)
    assert is_working_day(d(2026, 3, 7))
    settings.COQUAN_WORKDAY_CUTOFF = "16:30"
    assert add_working_days(at(2026, 3, 2, 16), 1) == at(2026, 3, 3, 17)


def test_bad_settings_are_reported_as_misconfiguration(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.COQUAN_WORKDAY_CUTOFF = "late afternoon"
    with pytest.raises(ImproperlyConfigured):
        current_calendar()


def test_request_signal_receivers_are_connected(client, member):
    from django.core.signals import request_finished, request_started

    def uids(signal):
        return {key[0] for key, *_ in signal.receivers}

    assert "workdays_request_started" in uids(request_started)
    assert "workdays_request_finished" in uids(request_finished)
    client.force_login(member)
    client.get("/calendar/")
    assert not getattr(store._request, "active", False)
    assert getattr(store._request, "calendar", None) is None
