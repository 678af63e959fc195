"""The working-day calendar over the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coquan.audit.models import AuditEntry
from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.workdays import actions
from coquan.workdays.models import CalendarOverride
from coquan.workdays.tests.helpers import d

pytestmark = pytest.mark.django_db

CALENDAR = "/api/v1/workdays/calendar/"
DEADLINE = "/api/v1/workdays/deadline/"
OVERRIDES = "/api/v1/workdays/overrides/"


def _setup_override(world):
    if "override" not in world.objects:
        from coquan.core.testing.factories import UserFactory

        admin = UserFactory(username="matrix_superuser", is_superuser=True)
        world.objects["override"] = actions.create_override(
            admin, date=d(2026, 3, 7), kind="working_day", name="Làm bù"
        )


ENDPOINTS = [
    Endpoint("api-calendar", lambda w: CALENDAR + "?year=2026", api=True, anyone_signed_in=True),
    Endpoint(
        "api-deadline",
        lambda w: DEADLINE + "?start=2026-02-13T16:00:00%2B07:00&days=1",
        api=True,
        anyone_signed_in=True,
    ),
    Endpoint(
        "api-override-list",
        lambda w: OVERRIDES,
        api=True,
        anyone_signed_in=True,
        setup=_setup_override,
    ),
    Endpoint(
        "api-override-detail",
        lambda w: f"{OVERRIDES}{w.objects['override'].pk}/",
        api=True,
        anyone_signed_in=True,
        setup=_setup_override,
    ),
]


@pytest.mark.parametrize(("endpoint", "actor"), access_matrix_params(ENDPOINTS))
def test_access_matrix(api_client, world, endpoint, actor):
    check_access(api_client, world, endpoint, actor)


def test_url_names():
    assert reverse("api:workdays-calendar") == CALENDAR
    assert reverse("api:workdays-deadline") == DEADLINE
    assert reverse("api:workdays-override-list") == OVERRIDES


# --- reading -----------------------------------------------------------------------------------


def test_calendar_of_2026(api_client, member, django_assert_max_num_queries):
    api_client.force_login(member)
    api_client.get(CALENDAR, {"year": 2026})
    with django_assert_max_num_queries(6):
        response = api_client.get(CALENDAR, {"year": 2026})
    body = response.json()
    assert response.status_code == 200
    assert body["year"] == 2026 and body["weekend"] == [5, 6]
    days = {day["date"]: day for day in body["days"]}
    assert days["2026-02-17"] == {
        "date": "2026-02-17",
        "weekday": 1,
        "kind": "holiday",
        "working": False,
        "name": "Tết Nguyên Đán",
        "source": "statutory",
        "statutory_name": "",
        "override": None,
    }
    assert days["2026-08-22"]["kind"] == "makeup" and days["2026-08-22"]["working"]
    assert "2026-03-07" not in days
    # 104 weekend days, 13 weekday holidays, one make-up Saturday (22/08).
    assert body["working_days"] == 365 - 104 - 13 + 1


def test_calendar_shows_overrides(api_client, superuser, member):
    override = actions.create_override(
        superuser, date=d(2026, 11, 24), kind="working_day", name="Đi làm"
    )
    api_client.force_login(member)
    day = {x["date"]: x for x in api_client.get(CALENDAR, {"year": 2026}).json()["days"]}[
        "2026-11-24"
    ]
    assert day["kind"] == "makeup" and day["working"] is True
    assert day["source"] == "override" and day["override"] == override.pk
    assert day["statutory_name"] == "Ngày Văn hóa Việt Nam"


def test_must_show_deadline_skips_tet(api_client, member):
    api_client.force_login(member)
    response = api_client.get(DEADLINE, {"start": "2026-02-13T16:00:00+07:00", "days": "1"})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-02-13T16:00:00+07:00",
        "days": "1.0",
        "cutoff": "15:00",
        "effective_start": "2026-02-23",
        "deadline": "2026-02-24T17:00:00+07:00",
    }


def test_deadline_reads_naive_times_in_hanoi_and_accepts_a_cutoff(api_client, member):
    api_client.force_login(member)
    body = api_client.get(
        DEADLINE, {"start": "2026-02-13T16:00", "days": "0.5", "cutoff": "16:30"}
    ).json()
    assert body["deadline"] == "2026-02-23T12:00:00+07:00"
    assert body["effective_start"] == "2026-02-13"
    utc = api_client.get(DEADLINE, {"start": "2026-02-13T08:30:00Z", "days": "1"}).json()
    assert utc["deadline"] == "2026-02-24T17:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"days": "1"}, "start"),
        ({"start": "hôm nay", "days": "1"}, "start"),
        ({"start": "2026-02-13T10:00"}, "days"),
        ({"start": "2026-02-13T10:00", "days": "1.3"}, "days"),
        ({"start": "2026-02-13T10:00", "days": "-1"}, "days"),
        ({"start": "2026-02-13T10:00", "days": "abc"}, "days"),
        ({"start": "2026-02-13T10:00", "days": "99999"}, "days"),
        ({"start": "2026-02-13T10:00", "days": "1", "cutoff": "25:99"}, "cutoff"),
        ({"start": "2100-12-30T10:00", "days": "30"}, "start"),
        ({"start": "1990-01-01T10:00", "days": "1"}, "start"),
    ],
)
def test_deadline_bad_params_are_structured_errors(api_client, member, params, field):
    api_client.force_login(member)
    response = api_client.get(DEADLINE, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["details"]


@pytest.mark.parametrize("year", ["abc", "1999", "2101", "2026.5"])
def test_bad_year_is_a_structured_error(api_client, member, year):
    api_client.force_login(member)
    for url in (CALENDAR, OVERRIDES):
        response = api_client.get(url, {"year": year})
        assert response.status_code == 400
        assert "year" in response.json()["error"]["details"]


def test_override_list_is_paginated_with_constant_queries(
    api_client, superuser, member, django_assert_max_num_queries
):
    for day in range(1, 31):
        actions.create_override(superuser, date=d(2027, 6, day), kind="day_off", name=f"N{day}")
    actions.create_override(superuser, date=d(2026, 6, 1), kind="day_off", name="Khác năm")
    api_client.force_login(member)
    api_client.get(OVERRIDES)
    with django_assert_max_num_queries(5):
        response = api_client.get(OVERRIDES)
    body = response.json()
    assert body["count"] == 31 and len(body["results"]) == 25 and body["next"]
    first = body["results"][0]
    assert first["date"] == "2026-06-01" and first["created_by"] == "quantri"
    assert first["kind_label"] == "Ngày nghỉ bổ sung"
    by_year = api_client.get(OVERRIDES, {"year": 2027}).json()
    assert by_year["count"] == 30


# --- writing -----------------------------------------------------------------------------------


def _write_requests(override):
    detail = f"{OVERRIDES}{override.pk}/"
    return [
        ("post", OVERRIDES, {"date": "2026-03-14", "kind": "working_day", "name": "Làm bù"}),
        ("put", detail, {"date": "2026-03-07", "kind": "day_off", "name": "Đổi"}),
        ("patch", detail, {"name": "Đổi tên"}),
        ("delete", detail, None),
    ]


@pytest.mark.parametrize("index", range(4))
def test_writes_are_for_deployment_administrators_only(
    api_client, superuser, member, agency_admin, index
):
    override = actions.create_override(
        superuser, date=d(2026, 3, 7), kind="working_day", name="Làm bù"
    )
    method, url, data = _write_requests(override)[index]
    call = getattr(api_client, method)
    assert call(url, data, format="json").status_code in (401, 403)
    for person in (member, agency_admin):
        api_client.force_login(person)
        response = call(url, data, format="json")
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
    override.refresh_from_db()
    assert (override.kind, override.name) == ("working_day", "Làm bù")
    assert CalendarOverride.objects.count() == 1
    assert AuditEntry.objects.filter(action="permission_denied", actor_id=member.pk).exists()
    api_client.force_login(superuser)
    assert call(url, data, format="json").status_code in (200, 201, 204)


def test_superuser_crud(api_client, superuser):
    api_client.force_login(superuser)
    created = api_client.post(
        OVERRIDES,
        {"date": "2025-11-24", "kind": "day_off", "name": "Ngày Văn hóa Việt Nam"},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["created_by"] == "quantri"
    deadline = {"start": "2025-11-21T10:00:00+07:00", "days": "1"}
    assert api_client.get(DEADLINE, deadline).json()["deadline"].startswith("2025-11-25")
    changed = api_client.patch(f"{OVERRIDES}{pk}/", {"kind": "working_day"}, format="json")
    assert changed.status_code == 200 and changed.json()["kind"] == "working_day"
    assert api_client.get(DEADLINE, deadline).json()["deadline"].startswith("2025-11-24")
    assert api_client.delete(f"{OVERRIDES}{pk}/").status_code == 204
    assert not CalendarOverride.objects.exists()
    codes = list(
        AuditEntry.objects.filter(action__startswith="workdays.").values_list("action", flat=True)
    )
    assert sorted(codes) == [
        "workdays.override.create",
        "workdays.override.delete",
        "workdays.override.update",
    ]


def test_duplicate_date_is_a_structured_error(api_client, superuser):
    actions.create_override(superuser, date=d(2026, 3, 7), kind="working_day", name="Làm bù")
    api_client.force_login(superuser)
    response = api_client.post(
        OVERRIDES, {"date": "2026-03-07", "kind": "day_off", "name": "Trùng"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "đã có điều chỉnh" in error["details"]["date"][0]
    assert CalendarOverride.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "24/11/2025x", "kind": "day_off", "name": "A"}, "date"),
        ({"date": "1999-11-24", "kind": "day_off", "name": "A"}, "date"),
        ({"date": "2025-11-24", "kind": "holiday", "name": "A"}, "kind"),
        ({"date": "2025-11-24", "kind": "day_off", "name": ""}, "name"),
        ({"date": "2025-11-24", "kind": "day_off"}, "name"),
    ],
)
def test_invalid_override_is_a_structured_error(api_client, superuser, data, field):
    api_client.force_login(superuser)
    response = api_client.post(OVERRIDES, data, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]
    assert not CalendarOverride.objects.exists()


def test_missing_override_is_404(api_client, member):
    api_client.force_login(member)
    response = api_client.get(f"{OVERRIDES}999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
