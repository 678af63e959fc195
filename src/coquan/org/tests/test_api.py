"""Org API: scoping, filters, writes through the actions, uniform errors, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import make_member
from coquan.org import actions
from coquan.org.models import Membership, Unit
from coquan.org.tests.conftest import PAST

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def api(client, admin):
    client.force_login(admin)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_unit_list_is_scoped_and_filtered(api, agency, other_agency, admin):
    other_admin = make_member(other_agency, "admin")
    actions.create_unit(other_admin, agency=other_agency, code="X", name="Của cơ quan khác")
    vp = actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng", valid_from=PAST)
    old = actions.create_unit(admin, agency=agency, code="OLD", name="Cũ", valid_from=PAST)
    actions.close_unit(admin, unit=old, valid_to=YESTERDAY, successors=[vp])
    body = api.get("/api/v1/units/").json()
    assert {u["code"] for u in body["results"]} == {"VP", "OLD"}
    active = api.get("/api/v1/units/", {"active": "true"}).json()["results"]
    assert [u["code"] for u in active] == ["VP"] and active[0]["is_active"] is True
    closed = api.get("/api/v1/units/", {"active": "false"}).json()["results"]
    assert closed[0]["successors"] == [vp.pk] and closed[0]["valid_to"] == YESTERDAY.isoformat()
    assert api.get("/api/v1/units/", {"agency": other_agency.pk}).json()["count"] == 0


def test_unit_create_duplicate_code_gives_400_with_details(api, agency, admin):
    response = post(api, "/api/v1/units/", {"agency": agency.pk, "code": "VP", "name": "Văn phòng"})
    assert response.status_code == 201
    assert response.json()["code"] == "VP"
    assert AuditEntry.objects.filter(action="org.unit.create").count() == 1
    response = post(api, "/api/v1/units/", {"agency": agency.pk, "code": "vp", "name": "Trùng"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"]["code"] == ["Mã đơn vị vp đã được dùng."]
    response = post(api, "/api/v1/units/", {"agency": agency.pk})
    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"code", "name"}
    response = api.post("/api/v1/units/", "not json", content_type="application/json")
    assert response.status_code == 400 and "error" in response.json()


def test_unit_update_and_close(api, agency, admin):
    unit = actions.create_unit(admin, agency=agency, code="A", name="A", valid_from=PAST)
    successor = actions.create_unit(admin, agency=agency, code="B", name="B", valid_from=PAST)
    response = patch(api, f"/api/v1/units/{unit.pk}/", {"name": "Phòng A"})
    assert response.status_code == 200 and response.json()["name"] == "Phòng A"
    response = post(
        api,
        f"/api/v1/units/{unit.pk}/close/",
        {"valid_to": YESTERDAY.isoformat(), "successors": [successor.pk]},
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    response = post(api, f"/api/v1/units/{unit.pk}/close/", {"valid_to": YESTERDAY.isoformat()})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["non_field_errors"] == ["Đơn vị này đã giải thể."]


def test_clerk_cannot_write_units(client, agency):
    clerk = make_member(agency, "clerk")
    client.force_login(clerk)
    response = post(client, "/api/v1/units/", {"agency": agency.pk, "code": "VP", "name": "VP"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Unit.objects.exists()


def test_agency_directory_and_superuser_writes(client, superuser, agency, admin):
    client.force_login(admin)
    directory = client.get("/api/v1/agencies/", {"q": "Thông tin"}).json()
    assert [a["organ_id"] for a in directory["results"]] == ["000.00.14.H06"]
    response = post(client, "/api/v1/agencies/", {"organ_id": "000.00.99.H06"})
    assert response.status_code == 403
    client.force_login(superuser)
    data = {"organ_id": "H06", "name": "Sở Y tế", "short_name": "SYT", "level": "department"}
    response = post(client, "/api/v1/agencies/", data)
    assert response.status_code == 400
    message = response.json()["error"]["details"]["organ_id"][0]
    assert message.startswith("Mã định danh cơ quan H06 không hợp lệ")
    response = post(client, "/api/v1/agencies/", {**data, "organ_id": "000.00.14.H06"})
    assert response.status_code == 400
    assert "đã được dùng" in response.json()["error"]["details"]["organ_id"][0]
    response = post(client, "/api/v1/agencies/", {**data, "organ_id": "000.00.18.H06"})
    assert response.status_code == 201
    created = response.json()
    response = patch(client, f"/api/v1/agencies/{created['id']}/", {"parent": agency.pk})
    assert response.status_code == 200 and response.json()["parent"] == agency.pk


def test_membership_create_update_end(api, agency, other_agency, admin):
    unit = actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng")
    response = post(
        api,
        "/api/v1/memberships/",
        {
            "agency": agency.pk,
            "person": {"username": "apinew", "full_name": "Người Mới", "email": "m@example.vn"},
            "unit": unit.pk,
            "roles": ["officer"],
        },
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["user"]["username"] == "apinew" and created["roles"] == ["officer"]
    response = post(
        api,
        "/api/v1/memberships/",
        {"agency": agency.pk, "person": {"username": "APINEW", "full_name": "Trùng"}},
    )
    assert response.status_code == 400
    assert "đã có người dùng" in response.json()["error"]["details"]["username"][0]
    response = post(api, "/api/v1/memberships/", {"agency": agency.pk})
    assert response.status_code == 400
    response = post(
        api, "/api/v1/memberships/", {"agency": agency.pk, "roles": ["boss"], "username": "x"}
    )
    assert response.status_code == 400 and "roles" in response.json()["error"]["details"]
    response = patch(api, f"/api/v1/memberships/{created['id']}/", {"roles": ["clerk", "leader"]})
    assert response.status_code == 200 and sorted(response.json()["roles"]) == ["clerk", "leader"]
    response = post(api, f"/api/v1/memberships/{created['id']}/end/", {})
    assert response.status_code == 200
    assert response.json()["end_date"] == timezone.localdate().isoformat()
    assert Membership.objects.get(pk=created["id"]).end_date == timezone.localdate()
    other_admin = make_member(other_agency, "admin")
    api.force_login(other_admin)
    response = post(
        api,
        "/api/v1/memberships/",
        {"agency": other_agency.pk, "username": "apinew", "roles": ["officer"]},
    )
    assert response.status_code == 201
    assert response.json()["user"]["username"] == "apinew"


def test_membership_filters_and_scoping(api, agency, other_agency, admin):
    unit = actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng")
    actions.add_person(admin, agency=agency, username="l1", full_name="Lãnh Đạo", roles=["leader"])
    actions.add_person(admin, agency=agency, username="v1", full_name="Văn Thư", unit=unit)
    make_member(other_agency, "admin", username="ngoai")
    names = {m["user"]["username"] for m in api.get("/api/v1/memberships/").json()["results"]}
    assert names == {"quantri", "l1", "v1"}
    leaders = api.get("/api/v1/memberships/", {"role": "leader"}).json()["results"]
    assert [m["user"]["username"] for m in leaders] == ["l1"]
    in_unit = api.get("/api/v1/memberships/", {"unit": unit.pk}).json()["results"]
    assert [m["user"]["username"] for m in in_unit] == ["v1"]
    assert api.get("/api/v1/memberships/", {"role": "nonsense"}).status_code == 400
    outsider = Membership.objects.get(user__username="ngoai")
    assert api.get(f"/api/v1/memberships/{outsider.pk}/").status_code == 404


def test_api_lists_use_a_constant_number_of_queries(
    api, agency, admin, django_assert_max_num_queries
):
    for i in range(30):
        unit = actions.create_unit(admin, agency=agency, code=f"U{i}", name=f"Đơn vị {i}")
        actions.add_person(
            admin,
            agency=agency,
            username=f"u{i}",
            full_name=f"Người {i}",
            unit=unit,
            roles=["clerk", "officer"],
        )
    for url in ("/api/v1/units/", "/api/v1/memberships/", "/api/v1/agencies/"):
        with django_assert_max_num_queries(7):
            response = api.get(url)
        assert response.status_code == 200
        assert len(response.json()["results"]) <= 25
