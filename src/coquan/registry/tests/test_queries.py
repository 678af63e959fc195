"""Every list page and list API runs a constant number of SQL queries (DESIGN.md §10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coquan.registry import actions

pytestmark = pytest.mark.django_db


def fill(dept, start: int, count: int) -> None:
    """``count`` rows in every register (numbers from ``start``)."""
    for n in range(start, start + count):
        licence = dept.issue(
            number=f"{n:03d}/GP-XBBT",
            issue_date=dt.date(2025, 1 + n % 12, 3),
            # Some expire within the reminder thresholds (home card, ``expiring`` filter).
            expiry_date=timezone.localdate() + dt.timedelta(days=n % 45),
        )
        actions.create_bts_station(
            dept.officer,
            agency=dept.agency,
            operator="Viettel",
            code=f"BGG{n:03d}",
            address=f"Số {n}",
            commune=dept.commune if n % 2 else f"Xã {n}",
            latitude="21.2",
            longitude="106.1",
            station_type="type1",
        )
        actions.create_internet_agent(
            dept.officer,
            agency=dept.agency,
            name=f"Đại lý {n}",
            registration_number=f"{n}/ĐK",
            owner_name="Chủ",
            address="Số 1",
            commune=dept.commune if n % 2 else "",
            registered_on=dt.date(2025, 1, 1),
        )
        inspection = actions.plan_inspection(
            dept.officer,
            agency=dept.agency,
            subject=f"Thanh tra {n}",
            start_date=dt.date(2025, 2, 1),
        )
        actions.record_finding(
            dept.officer,
            inspection=inspection,
            entity_kind="other",
            entity_name=f"Đối tượng {n}",
            finding="Đúng quy định",
            licence=licence,
        )
        actions.record_appraisal(
            dept.officer,
            agency=dept.agency,
            name=f"Dự án {n}",
            field="it" if n % 2 else "telecom",
            investment_before=1000,
            submitted_on=dt.date(2025, 1, 2),
        )
        actions.set_indicator_values(
            dept.officer, agency=dept.agency, year=2000 + n, values={"subscribers": n + 1}
        )


WEB_LISTS = [
    "/registry/licences/",
    "/registry/licences/?expiring=30",
    "/registry/public/licences/",
    "/registry/bts/",
    "/registry/bts/map/points.json",
    "/registry/agents/",
    "/registry/inspections/",
    "/registry/appraisals/",
    "/registry/indicators/?year=2005",
    "/registry/indicators/subscribers/",
    "/registry/?year=2025",
]
API_LISTS = [
    "/api/v1/registry/licences/",
    "/api/v1/registry/licences/?expiring=30",
    "/api/v1/registry/bts-stations/",
    "/api/v1/registry/indicator-values/",
    "/api/v1/registry/indicators/",
    "/api/v1/registry/licence-types/",
    "/api/v1/registry/report/2025/",
]
# The dashboard also computes the year's report (values, seven register aggregates, plan)
# and lists the licences expiring soon (a count and the ten soonest).
MAX_QUERIES = {"/registry/?year=2025": 23}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize("url", WEB_LISTS + API_LISTS)
def test_list_query_count_does_not_grow_with_rows(client, dept, url, django_assert_max_num_queries):
    fill(dept, 0, 2)
    client.force_login(dept.reader)
    client.get(url)  # warm caches (content types, sessions)
    small = _count(client, url)
    fill(dept, 2, 28)
    with django_assert_max_num_queries(MAX_QUERIES.get(url, 14)):
        response = client.get(url)
    assert response.status_code == 200
    assert _count(client, url) == small, url
