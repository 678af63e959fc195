"""``/api/v1/audit/entries/``: read-only, scoped by ``visible_to``, filterable, paginated."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from coquan.audit import services
from coquan.audit.services import append
from coquan.audit.tests.helpers import rename_unit
from coquan.core.testing.factories import AgencyFactory, UnitFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/entries/"


@pytest.fixture
def agency():
    return AgencyFactory(name="Sở Thông tin và Truyền thông", organ_id="000.00.12.H10")


@pytest.fixture
def other():
    return AgencyFactory(name="Sở Tài chính")


@pytest.fixture
def admin(agency):
    return make_member(agency, "admin", username="quantri_api")


@pytest.fixture
def signed_in(api_client, admin):
    api_client.force_login(admin)
    return api_client


def at(monkeypatch, moment: dt.datetime) -> None:
    aware = timezone.make_aware(moment)
    monkeypatch.setattr(services, "timezone", SimpleNamespace(now=lambda: aware))


def actions(response) -> list[str]:
    return [item["action"] for item in response.json()["results"]]


def test_list_is_scoped_and_leaves_out_the_bodies(signed_in, agency, other, admin):
    append(action="test.mine", actor=admin, agency=agency, summary="Của tôi", after={"a": 1})
    append(action="test.theirs", agency=other)
    append(action="accounts.login_failed", summary="ai_do")
    response = signed_in.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["results"]
    assert item["action"] == "test.mine"
    assert item["actor"] == admin.pk and item["actor_name"] == "quantri_api"
    assert item["agency"] == agency.pk and item["agency_organ_id"] == "000.00.12.H10"
    assert len(item["entry_hash"]) == 64
    assert "before" not in item and "after" not in item


def test_detail_has_before_and_after(signed_in, agency, admin):
    unit = UnitFactory(agency=agency, code="VP", name="Văn phòng")
    rename_unit(admin, agency=agency, unit=unit, name="Văn phòng Sở")
    seq = signed_in.get(URL, {"action": "test.unit.rename"}).json()["results"][0]["seq"]
    detail = signed_in.get(f"{URL}{seq}/").json()
    assert detail["before"] == {"name": "Văn phòng", "code": "VP"}
    assert detail["after"] == {"name": "Văn phòng Sở", "code": "VP"}
    assert detail["object_type"] == "org.unit" and detail["object_id"] == str(unit.pk)


def test_superuser_reads_every_agency(api_client, agency, other):
    append(action="test.a", agency=agency)
    append(action="test.b", agency=other)
    api_client.force_login(UserFactory(username="root_api", is_superuser=True))
    assert {"test.a", "test.b"} <= set(actions(api_client.get(URL)))
    assert actions(api_client.get(URL, {"agency": other.pk})) == ["test.b"]


def test_filters(signed_in, agency, admin, monkeypatch):
    clerk = make_member(agency, "clerk", username="vanthu_api")
    at(monkeypatch, dt.datetime(2026, 2, 13, 16, 0))
    append(
        action="documents.incoming.register",
        actor=clerk,
        agency=agency,
        object_type="x.doc",
        object_id="7",
    )
    at(monkeypatch, dt.datetime(2026, 2, 23, 9, 0))
    append(
        action="documents.incoming.assign",
        actor=admin,
        agency=agency,
        object_type="x.doc",
        object_id="7",
    )
    append(action="test.other", actor=admin, agency=agency, object_type="x.task", object_id="7")

    def listed(**params):
        response = signed_in.get(URL, params)
        assert response.status_code == 200, response.content
        return actions(response)

    assert listed(action="documents.incoming.assign") == ["documents.incoming.assign"]
    assert listed(action="documents.") == [
        "documents.incoming.assign",
        "documents.incoming.register",
    ]
    assert listed(actor=clerk.pk) == ["documents.incoming.register"]
    assert listed(actor_name="quantri_api") == ["test.other", "documents.incoming.assign"]
    assert listed(object_type="x.doc", object_id="7") == [
        "documents.incoming.assign",
        "documents.incoming.register",
    ]
    assert listed(since="2026-02-14", action="documents.") == ["documents.incoming.assign"]
    assert listed(until="2026-02-13", action="documents.") == ["documents.incoming.register"]
    assert listed(until="2026-02-13T15:59:00+07:00", action="documents.") == []
    assert listed(since="2026-02-13T16:00:00+07:00", until="2026-02-13T16:00:00+07:00") == [
        "documents.incoming.register"
    ]


def test_bad_filter_gets_a_structured_error(signed_in):
    response = signed_in.get(URL, {"since": "13/02/2026"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "since" in error["details"]
    assert signed_in.get(URL, {"actor": "abc"}).status_code == 400


def test_pagination(signed_in, agency):
    for i in range(30):
        append(action="test.page", agency=agency, summary=str(i))
    first = signed_in.get(URL, {"action": "test.page"}).json()
    assert first["count"] == 30 and len(first["results"]) == 25 and first["next"]
    assert first["results"][0]["seq"] > first["results"][-1]["seq"]  # newest first
    second = signed_in.get(URL, {"action": "test.page", "page": 2}).json()
    assert len(second["results"]) == 5
    small = signed_in.get(URL, {"action": "test.page", "page_size": 10}).json()
    assert len(small["results"]) == 10


def test_list_query_count_is_constant(signed_in, agency, django_assert_max_num_queries):
    for _ in range(3):
        append(action="test.few", agency=agency)
    signed_in.get(URL)
    with django_assert_max_num_queries(8) as few:
        signed_in.get(URL)
    for _ in range(60):
        append(action="test.many", agency=agency)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = signed_in.get(URL)
    assert len(response.json()["results"]) == 25


def test_other_agency_and_unknown_entries_are_not_found(signed_in, other):
    entry = append(action="test.theirs", agency=other)
    response = signed_in.get(f"{URL}{entry.seq}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert signed_in.get(URL, {"agency": other.pk}).status_code == 404


def test_member_without_admin_role_is_refused(api_client, agency):
    append(action="test.a", agency=agency)
    api_client.force_login(make_member(agency, "clerk", "leader"))
    response = api_client.get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_api_is_read_only(signed_in, agency):
    entry = append(action="test.a", agency=agency, summary="gốc")
    assert signed_in.post(URL, {"action": "forged"}, format="json").status_code == 405
    assert signed_in.patch(f"{URL}{entry.seq}/", {"summary": "x"}, format="json").status_code == 405
    assert signed_in.delete(f"{URL}{entry.seq}/").status_code == 405
    assert services.verify().ok
