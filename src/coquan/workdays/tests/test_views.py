"""Calendar pages: access, content, the calculator, the override forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coquan.audit.models import AuditEntry
from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.workdays import actions
from coquan.workdays.models import CalendarOverride
from coquan.workdays.tests.helpers import d

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    Endpoint("calendar", lambda w: reverse("workdays:calendar"), anyone_signed_in=True),
    Endpoint(
        "calendar-2026",
        lambda w: reverse("workdays:calendar") + "?year=2026",
        anyone_signed_in=True,
    ),
    Endpoint("deadline-empty", lambda w: reverse("workdays:deadline"), anyone_signed_in=True),
    Endpoint(
        "deadline",
        lambda w: reverse("workdays:deadline"),
        data=lambda w: {"start": "2026-02-13T16:00", "days": "1"},
        anyone_signed_in=True,
    ),
]


@pytest.mark.parametrize(("endpoint", "actor"), access_matrix_params(ENDPOINTS))
def test_access_matrix(client, world, endpoint, actor):
    check_access(client, world, endpoint, actor)


# --- superuser-only pages: explicit access tests ---------------------------------------------


def _override(superuser):
    return actions.create_override(
        superuser, date=d(2026, 3, 7), kind="working_day", name="Làm bù cho ngày 02/01/2026"
    )


ADMIN_PAGES = [
    ("get", lambda o: reverse("workdays:override_create"), None),
    (
        "post",
        lambda o: reverse("workdays:override_create"),
        {"date": "2026-03-14", "kind": "working_day", "name": "Làm bù"},
    ),
    ("get", lambda o: reverse("workdays:override_edit", args=[o.pk]), None),
    (
        "post",
        lambda o: reverse("workdays:override_edit", args=[o.pk]),
        {"date": "2026-03-07", "kind": "day_off", "name": "Đổi"},
    ),
    ("get", lambda o: reverse("workdays:override_delete", args=[o.pk]), None),
    ("post", lambda o: reverse("workdays:override_delete", args=[o.pk]), {}),
]


@pytest.mark.parametrize(("method", "url", "data"), ADMIN_PAGES)
def test_override_pages_are_for_deployment_administrators_only(
    client, superuser, member, agency_admin, method, url, data
):
    override = _override(superuser)
    target = url(override)
    call = getattr(client, method)
    response = call(target, data) if data is not None else call(target)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for person in (member, agency_admin):
        client.force_login(person)
        response = call(target, data) if data is not None else call(target)
        assert response.status_code == 403, person
    override.refresh_from_db()
    assert override.kind == "working_day" and CalendarOverride.objects.count() == 1
    assert AuditEntry.objects.filter(action="permission_denied", actor_id=member.pk).exists()
    client.force_login(superuser)
    response = call(target, data) if data is not None else call(target)
    assert response.status_code in (200, 302)


# --- the year page -----------------------------------------------------------------------------


def test_year_page_shows_tet_2026(client, member):
    client.force_login(member)
    response = client.get(reverse("workdays:calendar"), {"year": "2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lịch ngày làm việc 2026" in html
    assert "Tháng 2 năm 2026" in html
    assert 'data-date="2026-02-17" class="day-off" title="Ngày lễ: Tết Nguyên Đán"' in html
    assert 'data-date="2026-02-14" class="day-weekend"' in html
    assert 'data-date="2026-02-13">13<' in html  # a plain working day
    assert "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)" in html
    assert '<abbr title="Thứ Hai">T2</abbr>' in html
    assert "?year=2025" in html and "?year=2027" in html
    assert "27/04/2026" in html
    assert "Thêm điều chỉnh" not in html  # not a superuser


def test_year_page_months_start_on_monday(client, member):
    client.force_login(member)
    html = client.get(reverse("workdays:calendar"), {"year": "2026"}).content.decode()
    # 1 February 2026 is a Sunday: six empty cells before it in the first week.
    february = html[html.index("Tháng 2 năm 2026") :]
    body = february[february.index("<tbody>") :]
    first_row = body[: body.index("</tr>")]
    assert first_row.count("<td></td>") == 6


@pytest.mark.parametrize("year", ["abc", "1800", "99999", "2026.5", "-1"])
def test_bad_year_is_a_friendly_message(client, member, year):
    client.force_login(member)
    response = client.get(reverse("workdays:calendar"), {"year": year})
    assert response.status_code == 200
    assert 'data-testid="year-error"' in response.content.decode()


def test_overrides_show_on_the_year_page(client, superuser, member):
    _override(superuser)
    actions.create_override(superuser, date=d(2026, 11, 24), kind="working_day", name="Đi làm")
    client.force_login(member)
    html = client.get(reverse("workdays:calendar"), {"year": "2026"}).content.decode()
    assert 'data-date="2026-03-07" class="day-makeup"' in html
    assert "Làm bù cho ngày 02/01/2026" in html
    assert "Thay cho ngày theo luật: Ngày Văn hóa Việt Nam" in html


def test_superuser_sees_the_edit_links(client, superuser):
    override = _override(superuser)
    client.force_login(superuser)
    html = client.get(reverse("workdays:calendar"), {"year": "2026"}).content.decode()
    assert reverse("workdays:override_create") in html
    assert reverse("workdays:override_edit", args=[override.pk]) in html
    assert reverse("workdays:override_delete", args=[override.pk]) in html


def _count_queries(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_year_page_query_count_is_constant(client, superuser, django_assert_max_num_queries):
    actions.create_override(superuser, date=d(2026, 6, 1), kind="day_off", name="Một ngày")
    for day in range(1, 20):
        actions.create_override(superuser, date=d(2027, 6, day), kind="day_off", name=f"Nghỉ {day}")
    client.force_login(superuser)
    url = reverse("workdays:calendar")
    client.get(url, {"year": "2027"})
    few = _count_queries(client, url, {"year": "2026"})
    many = _count_queries(client, url, {"year": "2027"})
    assert few == many
    with django_assert_max_num_queries(10):
        response = client.get(url, {"year": "2027"})
    assert response.content.decode().count("Nghỉ 19") >= 1


# --- the calculator ----------------------------------------------------------------------------


def test_calculator_skips_tet(client, member):
    client.force_login(member)
    response = client.get(reverse("workdays:deadline"), {"start": "2026-02-13T16:00", "days": "1"})
    html = response.content.decode()
    assert "17:00, Thứ Ba 24/02/2026" in html
    assert "Tết Nguyên Đán" in html  # listed among the days skipped
    assert "Coi như tiếp nhận vào Thứ Hai 23/02/2026" in html
    assert "Tiếp nhận từ 15:00 trở đi" in html


def test_calculator_htmx_returns_the_card_only(client, member):
    client.force_login(member)
    response = client.get(
        reverse("workdays:deadline"),
        {"start": "2026-02-13T10:00", "days": "1.5"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "12:00, Thứ Ba 24/02/2026" in html
    assert 'name="start"' in html and 'name="days"' in html  # the form stays usable
    assert "Coi như tiếp nhận vào Thứ Sáu 13/02/2026" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "hôm qua", "days": "1"}, "Nhập ngày giờ hợp lệ."),
        ({"start": "2026-02-13T10:00", "days": "1.3"}, "bước 0,5"),
        ({"start": "2026-02-13T10:00", "days": "-2"}, "Nhập ít nhất nửa ngày (0,5)."),
        ({"start": "2026-02-13T10:00", "days": "1.25"}, "bước 0,5"),
        ({"start": "2026-02-13T10:00", "days": "nhiều"}, "ví dụ 1 hoặc 1,5"),
        ({"start": "2026-02-13T10:00", "days": "400"}, "tối đa 365 ngày"),
        ({"start": "2100-12-30T10:00", "days": "30"}, "ngoài các năm"),
    ],
)
def test_calculator_bad_input_is_explained(client, member, data, message):
    client.force_login(member)
    response = client.get(reverse("workdays:deadline"), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_calculator_uses_overrides_immediately(client, superuser, member):
    client.force_login(member)
    url = reverse("workdays:deadline")
    query = {"start": "2025-11-21T10:00", "days": "1"}
    assert "17:00, Thứ Hai 24/11/2025" in client.get(url, query).content.decode()
    override = actions.create_override(
        superuser, date=d(2025, 11, 24), kind="day_off", name="Ngày Văn hóa Việt Nam"
    )
    assert "17:00, Thứ Ba 25/11/2025" in client.get(url, query).content.decode()
    actions.update_override(superuser, override=override, date=d(2025, 11, 25))
    assert "17:00, Thứ Hai 24/11/2025" in client.get(url, query).content.decode()
    actions.update_override(superuser, override=override, date=d(2025, 11, 22), kind="working_day")
    assert "17:00, Thứ Bảy 22/11/2025" in client.get(url, query).content.decode()
    actions.delete_override(superuser, override=override)
    assert "17:00, Thứ Hai 24/11/2025" in client.get(url, query).content.decode()


def test_calculator_accepts_a_decimal_comma(client, member):
    client.force_login(member)
    response = client.get(
        reverse("workdays:deadline"), {"start": "2026-02-13T10:00", "days": "1,5"}
    )
    assert "12:00, Thứ Ba 24/02/2026" in response.content.decode()


# --- override forms ----------------------------------------------------------------------------


def test_superuser_adds_a_make_up_saturday(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("workdays:override_create"),
        {"date": "2026-03-07", "kind": "working_day", "name": "Làm bù", "note": "Thông báo số 1"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2026#overrides")
    override = CalendarOverride.objects.get()
    assert (override.date, override.kind, override.created_by) == (
        d(2026, 3, 7),
        "working_day",
        superuser,
    )
    assert AuditEntry.objects.filter(action="workdays.override.create").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Đã thêm điều chỉnh cho ngày 07/03/2026." in page
    assert 'data-date="2026-03-07" class="day-makeup"' in page


def test_create_form_is_prefilled_from_the_query(client, superuser):
    client.force_login(superuser)
    html = client.get(
        reverse("workdays:override_create"), {"date": "2026-11-24", "kind": "working_day"}
    ).content.decode()
    assert 'value="2026-11-24"' in html
    assert '<option value="working_day" selected>' in html


def test_duplicate_date_in_the_form_is_a_clear_error(client, superuser):
    _override(superuser)
    client.force_login(superuser)
    response = client.post(
        reverse("workdays:override_create"),
        {"date": "2026-03-07", "kind": "day_off", "name": "Trùng"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ngày 07/03/2026 đã có điều chỉnh" in html
    assert CalendarOverride.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "", "kind": "day_off", "name": "A"}, "Trường này là bắt buộc."),
        ({"date": "31/02/2026", "kind": "day_off", "name": "A"}, "Nhập một ngày hợp lệ."),
        ({"date": "1999-01-04", "kind": "day_off", "name": "A"}, "2000"),
        ({"date": "2026-03-07", "kind": "holiday", "name": "A"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"date": "2026-03-07", "kind": "day_off", "name": ""}, "Trường này là bắt buộc."),
    ],
)
def test_invalid_form_input_is_explained_in_vietnamese(client, superuser, data, message):
    client.force_login(superuser)
    response = client.post(reverse("workdays:override_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_superuser_edits_an_override(client, superuser):
    override = _override(superuser)
    client.force_login(superuser)
    url = reverse("workdays:override_edit", args=[override.pk])
    assert 'value="Làm bù cho ngày 02/01/2026"' in client.get(url).content.decode()
    response = client.post(url, {"date": "2026-03-14", "kind": "working_day", "name": "Sửa"})
    assert response.status_code == 302
    override.refresh_from_db()
    assert (override.date, override.name) == (d(2026, 3, 14), "Sửa")


def test_superuser_deletes_an_override_after_confirming(client, superuser):
    override = _override(superuser)
    client.force_login(superuser)
    url = reverse("workdays:override_delete", args=[override.pk])
    page = client.get(url).content.decode()
    assert "data-confirm=" in page and "Thứ Bảy 07/03/2026" in page
    assert CalendarOverride.objects.exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert AuditEntry.objects.filter(action="workdays.override.delete").exists()


def test_missing_override_is_404(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("workdays:override_edit", args=[999])).status_code == 404
    assert client.post(reverse("workdays:override_delete", args=[999])).status_code == 404
