"""Registry API behaviour: same actions and rules as the pages, structured errors, pages."""

from __future__ import annotations

import datetime as dt

import pytest

from coquan.audit.models import AuditEntry
from coquan.registry.models import BtsStation, IndicatorValue, Licence

pytestmark = pytest.mark.django_db
A = "/api/v1/registry"


def test_issue_amend_and_steps_through_the_api(api_client, dept):
    api_client.force_login(dept.officer)
    response = api_client.post(
        f"{A}/licences/",
        {
            "licence_type": "ban-tin",
            "number": "12/GP-XBBT",
            "holder_name": "Sở Y tế",
            "issue_date": "2026-03-02",
            "extra": {"title": "Bản tin Y tế", "frequency": "tháng", "copies": 300},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    licence_id = response.json()["id"]
    assert response.json()["status"] == "valid"
    patch = api_client.patch(
        f"{A}/licences/{licence_id}/", {"conditions": "Nộp lưu chiểu"}, format="json"
    )
    assert patch.json()["conditions"] == "Nộp lưu chiểu"
    refused = api_client.post(f"{A}/licences/{licence_id}/suspend/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["details"] == {"reason": ["Hãy nêu lý do."]}
    api_client.post(f"{A}/licences/{licence_id}/suspend/", {"reason": "Vi phạm"}, format="json")
    detail = api_client.get(f"{A}/licences/{licence_id}/").json()
    assert detail["status"] == "suspended"
    assert [e["kind"] for e in detail["events"]] == ["issued", "amended", "suspended"]
    entries = AuditEntry.objects.filter(object_type="registry.licence", object_id=str(licence_id))
    assert entries.count() == 3


def test_validation_errors_are_structured_and_write_nothing(api_client, dept):
    api_client.force_login(dept.officer)
    response = api_client.post(
        f"{A}/licences/",
        {
            "licence_type": "ban-tin",
            "number": "13/GP-XBBT",
            "holder_name": "Sở Y tế",
            "issue_date": "2026-03-02",
            "extra": {"frequency": "hằng giờ"},
        },
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert any("Tên bản tin" in m for m in error["details"]["extra"])
    unknown_type = api_client.post(
        f"{A}/licences/", {"licence_type": "khong-co", "number": "1"}, format="json"
    )
    assert unknown_type.status_code == 400
    assert "licence_type" in unknown_type.json()["error"]["details"]
    station = api_client.post(
        f"{A}/bts-stations/",
        {
            "operator": "Viettel",
            "code": "X1",
            "address": "Số 1",
            "latitude": "91",
            "longitude": "106",
            "station_type": "type1",
        },
        format="json",
    )
    assert station.status_code == 400 and "latitude" in station.json()["error"]["details"]
    assert not Licence.objects.exists() and not BtsStation.objects.exists()


def test_reader_cannot_write_and_other_agency_rows_are_404(api_client, dept):
    licence = dept.issue()
    api_client.force_login(dept.reader)
    assert api_client.get(f"{A}/licences/{licence.pk}/").status_code == 200
    denied = api_client.post(f"{A}/licences/{licence.pk}/revoke/", {"reason": "x"}, format="json")
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "permission_denied"
    api_client.force_login(dept.outsider)
    assert api_client.get(f"{A}/licences/{licence.pk}/").status_code == 404
    assert api_client.get(f"{A}/licences/").json()["count"] == 0
    licence.refresh_from_db()
    assert licence.status == "valid"


def test_lists_are_paginated_and_filtered(api_client, dept):
    for n in range(30):
        dept.issue(number=f"{n:02d}/GP-XBBT", issue_date=dt.date(2025 + n % 2, 3, 1))
    api_client.force_login(dept.reader)
    page = api_client.get(f"{A}/licences/").json()
    assert page["count"] == 30 and len(page["results"]) == 25 and page["next"]
    filtered = api_client.get(f"{A}/licences/", {"year": 2025}).json()
    assert filtered["count"] == 15
    assert api_client.get(f"{A}/licences/", {"q": "07/GP"}).json()["count"] == 1


def test_indicator_values_through_the_api(api_client, dept):
    api_client.force_login(dept.officer)
    response = api_client.post(
        f"{A}/indicator-values/",
        {"year": 2008, "values": {"subscribers": "950000", "population": "1616000"}},
        format="json",
    )
    assert response.status_code == 200
    assert set(response.json()["changed"]) >= {"subscribers", "population", "phone_density"}
    values = api_client.get(
        f"{A}/indicator-values/", {"year": 2008, "indicator": "phone_density", "area": "province"}
    ).json()["results"]
    assert len(values) == 1 and values[0]["source"] == "formula"
    assert values[0]["value"].startswith("58.78")
    value = IndicatorValue.objects.get(indicator__code="subscribers")
    history = api_client.get(f"{A}/indicator-values/{value.pk}/history/").json()
    assert history[0]["new_value"] == "950000.000000" and history[0]["source"] == "api"
    wrong = api_client.post(
        f"{A}/indicator-values/", {"year": 2008, "values": {"phone_density": "1"}}, format="json"
    )
    assert wrong.status_code == 400
    assert "phone_density" in wrong.json()["error"]["details"]


def test_report_year_out_of_range_is_404(api_client, dept):
    api_client.force_login(dept.reader)
    assert api_client.get(f"{A}/report/1800/").status_code == 404
    assert api_client.get(f"{A}/report/2008/", {"agency": "000.00.15.H97"}).status_code == 403
