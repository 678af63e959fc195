"""``GET /api/v1/me/``: the current person, memberships and the active agency."""

from __future__ import annotations

import datetime as dt

from rest_framework.test import APIClient

from coquan.accounts import actions
from coquan.core.testing.factories import AgencyFactory, PositionFactory, UnitFactory
from coquan.org.models import Membership, Role


def _add_membership(user, agency, *roles, unit=None, position=None, **dates):
    membership = Membership.objects.create(
        user=user, agency=agency, unit=unit, position=position, **dates
    )
    membership.roles.set(Role.objects.filter(code__in=roles))
    return membership


def test_me_describes_the_person_and_their_memberships(clerk, agency, unit):
    position = PositionFactory(agency=agency, name="Văn thư")
    Membership.objects.filter(user=clerk).update(position=position)
    raw = actions.create_token(clerk, name="Tôi").raw
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    body = api.get("/api/v1/me/").json()
    assert body["username"] == "vanthu"
    assert body["full_name"] == "Trần Thị Hoa"
    assert body["email"] == "vanthu@example.gov.vn"
    assert body["second_factor_required"] is False
    [membership] = body["memberships"]
    assert membership["agency"]["organ_id"] == "000.00.12.H10"
    assert membership["agency"]["name"] == "Sở Thông tin và Truyền thông tỉnh Bắc Giang"
    assert membership["unit"] == {"id": unit.pk, "code": "CNTT", "name": unit.name}
    assert membership["position"]["name"] == "Văn thư"
    assert membership["roles"] == ["clerk"]
    assert body["active_agency"]["organ_id"] == "000.00.12.H10"


def test_me_lists_only_active_memberships_and_honours_x_agency(clerk, agency):
    second = AgencyFactory(organ_id="000.00.01.H10", name="UBND tỉnh Bắc Giang")
    _add_membership(clerk, second, "leader")
    ended = AgencyFactory(organ_id="000.00.31.H10", name="UBND huyện Yên Thế")
    _add_membership(
        clerk, ended, "officer", start_date=dt.date(2009, 1, 1), end_date=dt.date(2025, 6, 30)
    )
    api = APIClient()
    api.force_authenticate(clerk)
    body = api.get("/api/v1/me/").json()
    organs = [m["agency"]["organ_id"] for m in body["memberships"]]
    assert organs == ["000.00.01.H10", "000.00.12.H10"]
    assert body["active_agency"]["organ_id"] == "000.00.01.H10"  # first by organ_id
    chosen = api.get("/api/v1/me/", HTTP_X_AGENCY="000.00.12.H10").json()
    assert chosen["active_agency"]["organ_id"] == "000.00.12.H10"
    refused = api.get("/api/v1/me/", HTTP_X_AGENCY="000.00.31.H10").json()
    assert refused["active_agency"]["organ_id"] == "000.00.01.H10"


def test_me_has_a_constant_number_of_queries(clerk, agency, django_assert_max_num_queries):
    raw = actions.create_token(clerk, name="Tôi").raw
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    api.get("/api/v1/me/")
    with django_assert_max_num_queries(6) as few:
        api.get("/api/v1/me/")
    for number in range(5):
        other = AgencyFactory(organ_id=f"000.{number:02d}.20.H10")
        _add_membership(clerk, other, "officer", "leader", unit=UnitFactory(agency=other))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get("/api/v1/me/").json()
    assert len(body["memberships"]) == 6


def test_me_requires_a_signed_in_person(db):
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
