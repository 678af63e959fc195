"""BTS stations, internet agents, inspections and project appraisals through their pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coquan.registry import actions
from coquan.registry.models import (
    BtsStation,
    Inspection,
    InternetAgent,
    ProjectAppraisal,
    Violation,
)
from coquan.registry.tests.conftest import xlsx_file

pytestmark = pytest.mark.django_db

STATION = {
    "operator": "Viettel",
    "code": "BGG001",
    "address": "Số 1 Hùng Vương",
    "latitude": "21.2731",
    "longitude": "106.1946",
    "station_type": "type1",
    "height_m": "36",
    "status": "on_air",
}


def test_station_form_refuses_coordinates_outside_vietnam(client, dept):
    client.force_login(dept.officer)
    response = client.post(reverse("registry:bts_create"), {**STATION, "latitude": "48.85"})
    assert response.status_code == 200
    assert "23.5" in response.content.decode()
    assert not BtsStation.objects.exists()
    response = client.post(reverse("registry:bts_create"), {**STATION, "commune": dept.commune.pk})
    station = BtsStation.objects.get()
    assert response["Location"] == reverse("registry:bts_detail", args=[station.pk])
    assert station.commune == dept.commune
    # The same operator and code again: a clear message, nothing written.
    again = client.post(reverse("registry:bts_create"), STATION)
    assert "Doanh nghiệp này đã có trạm mang mã này." in again.content.decode()
    assert BtsStation.objects.count() == 1


def test_database_refuses_coordinates_outside_vietnam_even_past_the_forms(dept):
    with pytest.raises(ValidationError):
        actions.create_bts_station(
            dept.officer, agency=dept.agency, **{**STATION, "longitude": "10.5"}
        )


def test_station_list_filters_and_map_points(client, dept):
    for n, operator in enumerate(["Viettel", "VNPT", "Viettel"]):
        actions.create_bts_station(
            dept.officer,
            agency=dept.agency,
            **{**STATION, "operator": operator, "code": f"BGG{n}"},
        )
    client.force_login(dept.reader)
    page = client.get(reverse("registry:bts_list"), {"operator": "viettel"}).content.decode()
    assert "BGG0" in page and "BGG2" in page and "BGG1" not in page
    points = client.get(reverse("registry:bts_points"), {"operator": "VNPT"}).json()["points"]
    assert [p["label"] for p in points] == ["VNPT BGG1"]
    assert points[0]["lat"] == pytest.approx(21.2731)
    map_page = client.get(reverse("registry:bts_map"), {"operator": "VNPT"}).content.decode()
    assert 'data-points-url="/registry/bts/map/points.json?operator=VNPT"' in map_page
    assert 'data-tile-url=""' in map_page
    assert "vendor/leaflet/leaflet.js" in map_page
    assert "lưới kinh độ, vĩ độ" in map_page


def test_map_uses_the_configured_tile_server(client, dept, settings):
    settings.COQUAN_MAP_TILE_URL = "https://tiles.example.gov.vn/{z}/{x}/{y}.png"
    client.force_login(dept.reader)
    page = client.get(reverse("registry:bts_map")).content.decode()
    assert 'data-tile-url="https://tiles.example.gov.vn/{z}/{x}/{y}.png"' in page


def test_reader_sees_no_edit_buttons_and_gets_403_on_forms(client, dept):
    client.force_login(dept.clerk)
    page = client.get(reverse("registry:bts_list")).content.decode()
    assert reverse("registry:bts_create") not in page
    assert client.get(reverse("registry:bts_create")).status_code == 403


def test_internet_agents_register_edit_and_import(client, dept):
    client.force_login(dept.officer)
    response = client.post(
        reverse("registry:agent_create"),
        {
            "name": "Đại lý Internet Sao Mai",
            "registration_number": "01/ĐK-BG",
            "owner_kind": "person",
            "owner_name": "Lê Thị Mai",
            "address": "Số 12 Hùng Vương",
            "commune_name": "Phường Trần Phú",
            "registered_on": "10/02/2008",
            "status": "active",
            "computers": "15",
        },
    )
    agent = InternetAgent.objects.get()
    assert response["Location"] == reverse("registry:agent_detail", args=[agent.pk])
    upload = xlsx_file(
        [
            ["Tên đại lý", "Số đăng ký", "Loại chủ", "Chủ đại lý", "Địa chỉ", "Ngày đăng ký"],
            [
                "Đại lý Ánh Dương",
                "02/ĐK-BG",
                "Cá nhân",
                "Đỗ Thị Ánh",
                "Thị trấn Thắng",
                "05/05/2008",
            ],
            ["Đại lý Trùng", "01/ĐK-BG", "Cá nhân", "Ai Đó", "Đâu Đó", "05/05/2008"],
            ["Đại lý Tương Lai", "03/ĐK-BG", "Tổ chức", "Công ty X", "Số 1", "05/05/2099"],
        ]
    )
    result = client.post(reverse("registry:agent_import"), {"file": upload}).context["result"]
    assert result.created == 1
    assert {(e.row, e.column) for e in result.errors} == {(3, "Số đăng ký"), (4, "Ngày đăng ký")}
    edit = client.post(
        reverse("registry:agent_edit", args=[agent.pk]),
        {
            "name": agent.name,
            "registration_number": agent.registration_number,
            "owner_kind": "person",
            "owner_name": agent.owner_name,
            "address": agent.address,
            "registered_on": "10/02/2008",
            "status": "closed",
        },
    )
    assert edit.status_code == 302
    agent.refresh_from_db()
    assert agent.status == "closed"
    assert list(InternetAgent.objects.order_by("name").values_list("name", flat=True)) == [
        "Đại lý Internet Sao Mai",
        "Đại lý Ánh Dương",
    ]


def test_inspection_plan_findings_violation_follow_up_and_closure(client, dept):
    agent = actions.create_internet_agent(
        dept.officer,
        agency=dept.agency,
        name="Đại lý Hoàng Gia",
        registration_number="05/ĐK-BG",
        owner_name="Trần Văn Hoàng",
        address="Số 5",
        registered_on=dt.date(2025, 1, 2),
    )
    client.force_login(dept.officer)
    client.post(
        reverse("registry:inspection_create"),
        {"subject": "Thanh tra đại lý Internet", "start_date": "09/02/2026", "team": "A\nB"},
    )
    inspection = Inspection.objects.get()
    assert inspection.status == "planned"
    client.post(
        reverse("registry:finding_create", args=[inspection.pk]),
        {
            "entity_kind": "internet_agent",
            "entity_name": agent.name,
            "finding": "Không niêm yết nội quy.",
            "agent_number": "05/ĐK-BG",
        },
    )
    finding = inspection.findings.get()
    assert finding.internet_agent == agent
    inspection.refresh_from_db()
    assert inspection.status == "in_progress"
    # Decided on Friday 13/02/2026: one working day later skips Tết 2026 (16–20/02).
    client.post(
        reverse("registry:violation_create", args=[finding.pk]),
        {
            "description": "Không niêm yết nội quy",
            "legal_basis": "Nghị định 15/2020/NĐ-CP, Điều 38",
            "sanction": "Phạt tiền",
            "fine_amount": "1500000",
            "decided_on": "13/02/2026",
            "follow_up_days": "1",
        },
    )
    violation = Violation.objects.get()
    assert violation.follow_up_due == dt.date(2026, 2, 23)
    page = client.get(reverse("registry:inspection_detail", args=[inspection.pk])).content
    assert "23/02/2026" in page.decode() and "1.500.000" in page.decode()
    client.post(
        reverse("registry:violation_resolve", args=[violation.pk]),
        {"resolved_on": "20/02/2026", "resolution": "Đã niêm yết"},
    )
    violation.refresh_from_db()
    assert violation.resolved_on == dt.date(2026, 2, 20)
    close = client.post(
        reverse("registry:inspection_close", args=[inspection.pk]),
        {"closed_on": "01/03/2026", "conclusion": "Xử phạt 1 đại lý."},
    )
    assert close.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "closed" and inspection.end_date == dt.date(2026, 3, 1)
    # A closed inspection takes no more findings.
    late = client.post(
        reverse("registry:finding_create", args=[inspection.pk]),
        {"entity_kind": "other", "entity_name": "X", "finding": "Y"},
    )
    assert "đã kết thúc" in late.content.decode()
    assert inspection.findings.count() == 1
    agent_page = client.get(reverse("registry:agent_detail", args=[agent.pk])).content.decode()
    assert "Thanh tra đại lý Internet" in agent_page


def test_project_appraisals_record_and_edit(client, dept):
    client.force_login(dept.officer)
    data = {
        "name": "Cổng thông tin điện tử huyện",
        "field": "it",
        "investment_before": "300000000",
        "submitted_on": "02/03/2008",
        "appraised_on": "01/03/2008",
        "outcome": "approved",
    }
    bad = client.post(reverse("registry:appraisal_create"), data)
    assert bad.status_code == 200 and not ProjectAppraisal.objects.exists()
    client.post(reverse("registry:appraisal_create"), {**data, "appraised_on": "20/03/2008"})
    appraisal = ProjectAppraisal.objects.get()
    client.post(
        reverse("registry:appraisal_edit", args=[appraisal.pk]),
        {
            **data,
            "appraised_on": "20/03/2008",
            "investment_after": "280000000",
            "outcome": "changed",
        },
    )
    appraisal.refresh_from_db()
    assert appraisal.investment_after == 280_000_000
    page = client.get(reverse("registry:appraisal_list"), {"year": 2008}).content.decode()
    assert "300.000.000" in page and "Thông qua có điều chỉnh" in page


def test_plan_page_saves_the_next_years_programme(client, dept):
    client.force_login(dept.leader)
    response = client.post(
        reverse("registry:plan_edit", args=[2009]), {"items": "- Nhiệm vụ một\n- Nhiệm vụ hai"}
    )
    assert response.status_code == 302
    home = client.get(reverse("registry:home"), {"year": 2008}).content.decode()
    assert "Nhiệm vụ một" in home and "Chương trình công tác năm 2009" in home
