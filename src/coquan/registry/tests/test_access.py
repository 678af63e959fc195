"""The access matrix of every registry page and API endpoint (core.testing.access_matrix).

Reading a register: any member of the agency (``roles=()``). Changing it: the editing roles
(admin, leader, unit_leader, officer). Indicator definitions: deployment administrators.
The public licence register: everyone, **anonymous included** (``PublicEndpoint``).
Pages name the agency explicitly (``?agency=<id>``, API ``agency=<organ_id>``) so that a
member of another agency is refused rather than shown their own registry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import make_member
from coquan.registry import actions
from coquan.registry.models import LicenceType
from coquan.registry.tests.conftest import xlsx_file

EDIT = ("admin", "leader", "unit_leader", "officer")
SUPERUSER = ("superuser",)  # not a role: the setup makes "with_role" a superuser


@dataclass
class PublicEndpoint(Endpoint):
    """An endpoint open to everyone, anonymous people included (the public register)."""

    def allowed(self, actor: str) -> bool:
        return True


def objects(world):
    """One row of every register in the world's agency, made through the real actions."""
    if "licence" in world.objects:
        return
    editor = make_member(world.agency, "officer", username="matrix_setup_editor")
    agency = world.agency
    world.objects["licence"] = actions.issue_licence(
        editor,
        agency=agency,
        licence_type=LicenceType.objects.get(code="ban-tin"),
        number="01/GP-XBBT",
        holder_name="Hội Nông dân",
        issue_date=dt.date(2026, 1, 5),
        extra={"title": "Bản tin", "frequency": "quý", "copies": 100},
    )
    world.objects["station"] = actions.create_bts_station(
        editor,
        agency=agency,
        operator="Viettel",
        code="BGG001",
        address="Số 1",
        latitude="21.27",
        longitude="106.19",
        station_type="type1",
        status="on_air",
    )
    world.objects["agent"] = actions.create_internet_agent(
        editor,
        agency=agency,
        name="Đại lý Sao Mai",
        registration_number="01/ĐK",
        owner_name="Lê Thị Mai",
        address="Số 2",
        registered_on=dt.date(2025, 5, 1),
    )
    inspection = actions.plan_inspection(
        editor, agency=agency, subject="Thanh tra đại lý", start_date=dt.date(2026, 2, 2)
    )
    finding = actions.record_finding(
        editor,
        inspection=inspection,
        entity_kind="internet_agent",
        entity_name="Đại lý Sao Mai",
        finding="Không niêm yết nội quy",
    )
    world.objects["inspection"] = inspection
    world.objects["finding"] = finding
    world.objects["violation"] = actions.record_violation(
        editor,
        finding=finding,
        description="Không niêm yết nội quy",
        legal_basis="Nghị định 15/2020/NĐ-CP",
        decided_on=dt.date(2026, 2, 5),
        follow_up_days=5,
    )
    world.objects["appraisal"] = actions.record_appraisal(
        editor,
        agency=agency,
        name="Mạng LAN",
        field="it",
        investment_before=100_000_000,
        submitted_on=dt.date(2026, 1, 2),
    )
    actions.set_indicator_values(
        editor, agency=agency, year=2025, values={"subscribers": 100, "population": 1000}
    )
    from coquan.registry.models import IndicatorValue

    world.objects["value"] = IndicatorValue.objects.get(
        agency=agency, year=2025, indicator__code="subscribers"
    )


def as_superuser(world):
    objects(world)
    if ("with_role", SUPERUSER) not in world.users:
        user = make_member(world.agency, username="matrix_superuser")
        user.is_superuser = True
        user.save()
        world.users[("with_role", SUPERUSER)] = user


def q(world) -> str:
    return f"?agency={world.agency.pk}"


def obj(name):
    return lambda w: w.objects[name].pk


def bts_file(world):
    return {
        "file": xlsx_file(
            [
                ["operator", "code", "address", "latitude", "longitude", "station_type"],
                ["MobiFone", "BGG900", "Số 9", 21.3, 106.2, "loại 2"],
            ]
        )
    }


def agent_file(world):
    return {
        "file": xlsx_file(
            [
                ["name", "registration_number", "owner_name", "address", "registered_on"],
                ["Đại lý Mới", "99/ĐK", "Trần Văn Mới", "Số 3", "01/03/2025"],
            ]
        )
    }


def indicator_file(world):
    return {"file": xlsx_file([["indicator", "year", "value"], ["subscribers", 2024, 90]])}


R = "/registry"
WEB = [
    Endpoint("home", lambda w: f"{R}/" + q(w), setup=objects),
    Endpoint("report_pdf", lambda w: f"{R}/report/2025.pdf" + q(w), setup=objects),
    Endpoint("report_docx", lambda w: f"{R}/report/2025.docx" + q(w), setup=objects),
    Endpoint("report_chart", lambda w: f"{R}/report/2025/chart.png" + q(w), setup=objects),
    Endpoint("plan_form", lambda w: f"{R}/plans/2026/" + q(w), roles=EDIT),
    Endpoint(
        "plan_save",
        lambda w: f"{R}/plans/2026/" + q(w),
        method="post",
        roles=EDIT,
        data=lambda w: {"items": "Xây dựng cơ sở dữ liệu dùng chung"},
    ),
    # Licences
    Endpoint("licence_list", lambda w: f"{R}/licences/" + q(w), setup=objects),
    Endpoint(
        "licence_detail",
        lambda w: f"{R}/licences/{obj('licence')(w)}/",
        setup=objects,
        object_endpoint=True,
    ),
    Endpoint(
        "licence_issue_form", lambda w: f"{R}/licences/new/" + q(w) + "&type=ban-tin", roles=EDIT
    ),
    Endpoint(
        "licence_issue",
        lambda w: f"{R}/licences/new/" + q(w),
        method="post",
        roles=EDIT,
        data=lambda w: {
            "type": "ban-tin",
            "number": "02/GP-XBBT",
            "holder_kind": "org",
            "holder_name": "Sở Y tế",
            "issue_date": "02/03/2026",
            "extra_title": "Bản tin Y tế",
            "extra_frequency": "tháng",
            "extra_copies": "300",
        },
    ),
    Endpoint(
        "licence_step_form",
        lambda w: f"{R}/licences/{obj('licence')(w)}/amend/",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
    ),
    Endpoint(
        "licence_suspend",
        lambda w: f"{R}/licences/{obj('licence')(w)}/suspend/",
        method="post",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=lambda w: {"reason": "Vi phạm"},
    ),
    PublicEndpoint("public_licences", lambda w: f"{R}/public/licences/", setup=objects),
    # BTS stations
    Endpoint("bts_list", lambda w: f"{R}/bts/" + q(w), setup=objects),
    Endpoint("bts_map", lambda w: f"{R}/bts/map/" + q(w), setup=objects),
    Endpoint("bts_points", lambda w: f"{R}/bts/map/points.json" + q(w), setup=objects),
    Endpoint("bts_template", lambda w: f"{R}/bts/import/template.xlsx" + q(w)),
    Endpoint(
        "bts_detail", lambda w: f"{R}/bts/{obj('station')(w)}/", setup=objects, object_endpoint=True
    ),
    Endpoint("bts_create_form", lambda w: f"{R}/bts/new/" + q(w), roles=EDIT),
    Endpoint(
        "bts_create",
        lambda w: f"{R}/bts/new/" + q(w),
        method="post",
        roles=EDIT,
        data=lambda w: {
            "operator": "Viettel",
            "code": "BGG777",
            "address": "Số 7",
            "latitude": "21.3",
            "longitude": "106.2",
            "station_type": "type2",
            "status": "permitted",
        },
    ),
    Endpoint(
        "bts_edit_form",
        lambda w: f"{R}/bts/{obj('station')(w)}/edit/",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
    ),
    Endpoint(
        "bts_edit",
        lambda w: f"{R}/bts/{obj('station')(w)}/edit/",
        method="post",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=lambda w: {
            "operator": "Viettel",
            "code": "BGG001",
            "address": "Số 1 mới",
            "latitude": "21.27",
            "longitude": "106.19",
            "station_type": "type1",
            "status": "dismantled",
        },
    ),
    Endpoint("bts_import_form", lambda w: f"{R}/bts/import/" + q(w), roles=EDIT),
    Endpoint(
        "bts_import", lambda w: f"{R}/bts/import/" + q(w), method="post", roles=EDIT, data=bts_file
    ),
    # Internet agents
    Endpoint("agent_list", lambda w: f"{R}/agents/" + q(w), setup=objects),
    Endpoint(
        "agent_detail",
        lambda w: f"{R}/agents/{obj('agent')(w)}/",
        setup=objects,
        object_endpoint=True,
    ),
    Endpoint("agent_template", lambda w: f"{R}/agents/import/template.xlsx" + q(w)),
    Endpoint("agent_create_form", lambda w: f"{R}/agents/new/" + q(w), roles=EDIT),
    Endpoint(
        "agent_create",
        lambda w: f"{R}/agents/new/" + q(w),
        method="post",
        roles=EDIT,
        data=lambda w: {
            "name": "Đại lý Hoa Mai",
            "registration_number": "05/ĐK",
            "owner_kind": "person",
            "owner_name": "Trần Hoa",
            "address": "Số 5",
            "registered_on": "01/02/2026",
            "status": "active",
        },
    ),
    Endpoint(
        "agent_edit_form",
        lambda w: f"{R}/agents/{obj('agent')(w)}/edit/",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
    ),
    Endpoint(
        "agent_edit",
        lambda w: f"{R}/agents/{obj('agent')(w)}/edit/",
        method="post",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=lambda w: {
            "name": "Đại lý Sao Mai",
            "registration_number": "01/ĐK",
            "owner_kind": "person",
            "owner_name": "Lê Thị Mai",
            "address": "Số 2",
            "registered_on": "01/05/2025",
            "status": "closed",
        },
    ),
    Endpoint("agent_import_form", lambda w: f"{R}/agents/import/" + q(w), roles=EDIT),
    Endpoint(
        "agent_import",
        lambda w: f"{R}/agents/import/" + q(w),
        method="post",
        roles=EDIT,
        data=agent_file,
    ),
    # Inspections
    Endpoint("inspection_list", lambda w: f"{R}/inspections/" + q(w), setup=objects),
    Endpoint(
        "inspection_detail",
        lambda w: f"{R}/inspections/{obj('inspection')(w)}/",
        setup=objects,
        object_endpoint=True,
    ),
    Endpoint("inspection_create_form", lambda w: f"{R}/inspections/new/" + q(w), roles=EDIT),
    Endpoint(
        "inspection_create",
        lambda w: f"{R}/inspections/new/" + q(w),
        method="post",
        roles=EDIT,
        data=lambda w: {"subject": "Thanh tra BTS", "start_date": "02/03/2026"},
    ),
    Endpoint(
        "inspection_edit",
        lambda w: f"{R}/inspections/{obj('inspection')(w)}/edit/",
        method="post",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=lambda w: {"subject": "Thanh tra đại lý (sửa)", "start_date": "02/02/2026"},
    ),
    Endpoint(
        "finding_create",
        lambda w: f"{R}/inspections/{obj('inspection')(w)}/findings/new/",
        method="post",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=lambda w: {
            "entity_kind": "internet_agent",
            "entity_name": "Đại lý Sao Mai",
            "finding": "Đúng quy định",
            "agent_number": "01/ĐK",
        },
    ),
    Endpoint(
        "violation_create",
        lambda w: f"{R}/findings/{obj('finding')(w)}/violations/new/",
        method="post",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=lambda w: {
            "description": "Quá giờ",
            "legal_basis": "Nghị định 15/2020/NĐ-CP",
            "decided_on": "05/02/2026",
            "follow_up_days": "10",
        },
    ),
    Endpoint(
        "violation_resolve",
        lambda w: f"{R}/violations/{obj('violation')(w)}/resolve/",
        method="post",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=lambda w: {"resolved_on": "10/02/2026", "resolution": "Đã niêm yết"},
    ),
    Endpoint(
        "inspection_close",
        lambda w: f"{R}/inspections/{obj('inspection')(w)}/close/",
        method="post",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=lambda w: {"closed_on": "20/02/2026", "conclusion": "Kết thúc"},
    ),
    # Appraisals
    Endpoint("appraisal_list", lambda w: f"{R}/appraisals/" + q(w), setup=objects),
    Endpoint("appraisal_create_form", lambda w: f"{R}/appraisals/new/" + q(w), roles=EDIT),
    Endpoint(
        "appraisal_create",
        lambda w: f"{R}/appraisals/new/" + q(w),
        method="post",
        roles=EDIT,
        data=lambda w: {
            "name": "Cổng thông tin",
            "field": "it",
            "investment_before": "200000000",
            "submitted_on": "02/01/2026",
            "outcome": "pending",
        },
    ),
    Endpoint(
        "appraisal_edit",
        lambda w: f"{R}/appraisals/{obj('appraisal')(w)}/edit/",
        method="post",
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=lambda w: {
            "name": "Mạng LAN",
            "field": "it",
            "investment_before": "100000000",
            "investment_after": "90000000",
            "submitted_on": "02/01/2026",
            "appraised_on": "20/01/2026",
            "outcome": "changed",
        },
    ),
    # Indicators
    Endpoint("indicators", lambda w: f"{R}/indicators/" + q(w) + "&year=2025", setup=objects),
    Endpoint("indicator_history", lambda w: f"{R}/indicators/subscribers/" + q(w), setup=objects),
    Endpoint("indicator_template", lambda w: f"{R}/indicators/import/template.xlsx" + q(w)),
    Endpoint("indicator_values_form", lambda w: f"{R}/indicators/values/" + q(w), roles=EDIT),
    Endpoint(
        "indicator_values",
        lambda w: f"{R}/indicators/values/" + q(w) + "&year=2025",
        method="post",
        roles=EDIT,
        data=lambda w: {"value_subscribers": "120"},
    ),
    Endpoint("indicator_import_form", lambda w: f"{R}/indicators/import/" + q(w), roles=EDIT),
    Endpoint(
        "indicator_import",
        lambda w: f"{R}/indicators/import/" + q(w),
        method="post",
        roles=EDIT,
        data=indicator_file,
    ),
    Endpoint(
        "indicator_create_form",
        lambda w: f"{R}/indicators/new/",
        roles=SUPERUSER,
        setup=as_superuser,
    ),
    Endpoint(
        "indicator_create",
        lambda w: f"{R}/indicators/new/",
        method="post",
        roles=SUPERUSER,
        setup=as_superuser,
        data=lambda w: {
            "code": "broadband_density",
            "name": "Mật độ băng rộng",
            "unit": "%",
            "kind": "formula",
            "formula": "internet_subscribers / population * 100",
            "decimals": "1",
            "section": "telecom",
            "sort_order": "500",
            "is_active": "on",
        },
    ),
    Endpoint(
        "indicator_edit_form",
        lambda w: f"{R}/indicators/subscribers/edit/",
        roles=SUPERUSER,
        setup=as_superuser,
    ),
]


def _json(data):
    return lambda w: data


A = "/api/v1/registry"
API = [
    Endpoint("api_licence_types", lambda w: f"{A}/licence-types/", api=True, anyone_signed_in=True),
    Endpoint(
        "api_licence_type", lambda w: f"{A}/licence-types/ban-tin/", api=True, anyone_signed_in=True
    ),
    Endpoint("api_indicators", lambda w: f"{A}/indicators/", api=True, anyone_signed_in=True),
    Endpoint(
        "api_indicator", lambda w: f"{A}/indicators/subscribers/", api=True, anyone_signed_in=True
    ),
    # Lists are scoped by visible_to: every signed-in person gets their own agencies' rows.
    Endpoint(
        "api_licences", lambda w: f"{A}/licences/", api=True, setup=objects, anyone_signed_in=True
    ),
    Endpoint(
        "api_licence",
        lambda w: f"{A}/licences/{obj('licence')(w)}/",
        api=True,
        setup=objects,
        object_endpoint=True,
    ),
    Endpoint(
        "api_licence_issue",
        lambda w: f"{A}/licences/",
        method="post",
        api=True,
        roles=EDIT,
        data=lambda w: {
            "agency": w.agency.organ_id,
            "licence_type": "tai-lieu-khong-kinh-doanh",
            "number": "05/GP-XBTL",
            "holder_name": "Sở Tư pháp",
            "issue_date": "2026-03-02",
            "extra": {"title": "Tài liệu", "copies": 200},
        },
    ),
    Endpoint(
        "api_licence_amend",
        lambda w: f"{A}/licences/{obj('licence')(w)}/",
        method="patch",
        api=True,
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=_json({"conditions": "Nộp lưu chiểu"}),
    ),
    Endpoint(
        "api_licence_renew",
        lambda w: f"{A}/licences/{obj('licence')(w)}/renew/",
        method="post",
        api=True,
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=_json({"expiry_date": "2099-12-31"}),
    ),
    Endpoint(
        "api_licence_suspend",
        lambda w: f"{A}/licences/{obj('licence')(w)}/suspend/",
        method="post",
        api=True,
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=_json({"reason": "Vi phạm"}),
    ),
    Endpoint(
        "api_licence_revoke",
        lambda w: f"{A}/licences/{obj('licence')(w)}/revoke/",
        method="post",
        api=True,
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=_json({"reason": "Vi phạm"}),
    ),
    Endpoint(
        "api_bts_list",
        lambda w: f"{A}/bts-stations/",
        api=True,
        setup=objects,
        anyone_signed_in=True,
    ),
    Endpoint(
        "api_bts",
        lambda w: f"{A}/bts-stations/{obj('station')(w)}/",
        api=True,
        setup=objects,
        object_endpoint=True,
    ),
    Endpoint(
        "api_bts_create",
        lambda w: f"{A}/bts-stations/",
        method="post",
        api=True,
        roles=EDIT,
        data=lambda w: {
            "agency": w.agency.organ_id,
            "operator": "MobiFone",
            "code": "BGG555",
            "address": "Số 5",
            "latitude": "21.2",
            "longitude": "106.1",
            "station_type": "type1",
        },
    ),
    Endpoint(
        "api_bts_update",
        lambda w: f"{A}/bts-stations/{obj('station')(w)}/",
        method="patch",
        api=True,
        roles=EDIT,
        setup=objects,
        object_endpoint=True,
        data=_json({"status": "dismantled"}),
    ),
    Endpoint(
        "api_bts_import",
        lambda w: f"{A}/bts-stations/import/",
        method="post",
        api=True,
        roles=EDIT,
        data=lambda w: {"agency": w.agency.organ_id, **bts_file(w)},
    ),
    Endpoint(
        "api_values",
        lambda w: f"{A}/indicator-values/",
        api=True,
        setup=objects,
        anyone_signed_in=True,
    ),
    Endpoint(
        "api_value",
        lambda w: f"{A}/indicator-values/{obj('value')(w)}/",
        api=True,
        setup=objects,
        object_endpoint=True,
    ),
    Endpoint(
        "api_value_history",
        lambda w: f"{A}/indicator-values/{obj('value')(w)}/history/",
        api=True,
        setup=objects,
        object_endpoint=True,
    ),
    Endpoint(
        "api_values_set",
        lambda w: f"{A}/indicator-values/",
        method="post",
        api=True,
        roles=EDIT,
        data=lambda w: {
            "agency": w.agency.organ_id,
            "year": 2025,
            "values": {"subscribers": "150"},
        },
    ),
    Endpoint(
        "api_report",
        lambda w: f"{A}/report/2025/?agency={w.agency.organ_id}",
        api=True,
        setup=objects,
    ),
]


@pytest.mark.parametrize("endpoint,actor", access_matrix_params(WEB))
def test_web_access(client, world, endpoint, actor):
    response = check_access(client, world, endpoint, actor)
    if actor == "with_role" and endpoint.method == "post":
        # Allowed form posts really act: a redirect after success (imports show a result).
        if endpoint.name.endswith("_import"):
            assert response.context["result"].created == 1, endpoint.name
        else:
            assert response.status_code == 302, (endpoint.name, response.content[:2000])


@pytest.mark.parametrize("endpoint,actor", access_matrix_params(API))
def test_api_access(api_client, world, endpoint, actor):
    if endpoint.name == "api_bts_import":
        # Multipart upload: the matrix helper sends JSON bodies, so post the file here.
        if endpoint.setup:
            endpoint.setup(world)
        _multipart_check(api_client, world, endpoint, actor)
        return
    response = check_access(api_client, world, endpoint, actor)
    if actor == "with_role" and endpoint.method != "get":
        assert response.status_code in (200, 201), (endpoint.name, response.content)


def _multipart_check(api_client, world, endpoint, actor):
    from coquan.core.testing import access_matrix

    user = access_matrix._actor_user(world, endpoint, actor)
    if user is not None:
        api_client.force_login(user)
    response = api_client.post(endpoint.url(world), endpoint.data(world), format="multipart")
    if endpoint.allowed(actor):
        assert response.status_code == 200, response.content
        assert response.json()["created"] == 1
    else:
        assert response.status_code in (401, 403, 404)


def test_public_register_is_open_to_anonymous_people_explicitly(client, world):
    """Written out on purpose: the public register needs no sign-in (issue 8)."""
    objects(world)
    response = client.get("/registry/public/licences/")
    assert response.status_code == 200
    assert "01/GP-XBBT" in response.content.decode()


def test_an_upload_endpoint_refuses_an_empty_file(client, world):
    objects(world)
    client.force_login(world.users["other_agency"])
    empty = SimpleUploadedFile("a.xlsx", b"", content_type="application/octet-stream")
    response = client.post(f"/registry/bts/import/?agency={world.agency.pk}", {"file": empty})
    assert response.status_code == 404
