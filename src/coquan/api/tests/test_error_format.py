"""The uniform API error format: {"error": {"code", "message", "details"}} for every error.

Small test-only views (urls_glue.py) raise what real views raise: authentication failures,
404 from the access helper, DRF serializer errors, and Django ValidationError /
PermissionDenied from an action.
"""

from __future__ import annotations

import pytest

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member
from coquan.org.models import Unit

pytestmark = [pytest.mark.urls("coquan.api.tests.urls_glue"), pytest.mark.django_db]

INVALID = "Dữ liệu gửi lên không hợp lệ."


@pytest.fixture
def agency():
    return AgencyFactory(organ_id="000.05.01.H10", name="Sở Thử nghiệm API")


@pytest.fixture
def unit(agency):
    return UnitFactory(agency=agency, code="VP", name="Văn phòng")


@pytest.fixture
def admin(agency):
    return make_member(agency, "admin", username="api_admin")


def _rename(api_client, unit, data):
    return api_client.post(f"/api/test/units/{unit.pk}/rename/", data, format="json")


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]


def test_success_is_plain_data_and_audited(api_client, admin, unit):
    api_client.force_authenticate(admin)
    response = _rename(api_client, unit, {"name": "Văn phòng Sở"})
    assert response.status_code == 200
    assert response.json() == {"id": unit.pk, "name": "Văn phòng Sở"}
    assert AuditEntry.objects.filter(action="test.unit.rename").count() == 1


def test_anonymous_gets_401(api_client, unit):
    response = _rename(api_client, unit, {"name": "X"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    error = _error(response)
    assert error["code"] == "not_authenticated"
    assert error["message"]
    assert error["details"] == {}


def test_bad_token_gets_401(api_client, unit):
    api_client.credentials(HTTP_AUTHORIZATION="Token cq_khong_hop_le")
    response = _rename(api_client, unit, {"name": "X"})
    assert response.status_code == 401
    error = _error(response)
    assert error["code"] not in ("", "not_authenticated")  # the reason the token failed
    assert error["message"]


def test_missing_and_foreign_objects_get_the_same_404(api_client, admin, unit):
    foreign = UnitFactory(agency=AgencyFactory(), code="TT", name="Thanh tra")
    api_client.force_authenticate(admin)
    for pk in (foreign.pk, 999_999):
        response = api_client.post(f"/api/test/units/{pk}/rename/", {"name": "X"}, format="json")
        assert response.status_code == 404
        error = _error(response)
        assert error["code"] == "not_found"
        assert error["details"] == {}
    assert Unit.objects.get(pk=foreign.pk).name == "Thanh tra"


def test_serializer_errors_are_listed_per_field(api_client, admin, unit):
    api_client.force_authenticate(admin)
    response = _rename(api_client, unit, {"name": "x" * 201})
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "invalid"
    assert error["message"] == INVALID
    assert list(error["details"]) == ["name"]
    assert isinstance(error["details"]["name"], list) and error["details"]["name"]


def test_validation_error_from_an_action_is_a_400_and_nothing_is_written(api_client, admin, unit):
    api_client.force_authenticate(admin)
    response = _rename(api_client, unit, {"name": "  "})
    assert response.status_code == 400
    error = _error(response)
    assert error == {
        "code": "invalid",
        "message": INVALID,
        "details": {"name": ["Tên đơn vị không được để trống."]},
    }
    unit.refresh_from_db()
    assert unit.name == "Văn phòng"  # the action's write was rolled back
    assert not AuditEntry.objects.filter(action="test.unit.rename").exists()


def test_non_field_validation_error_goes_to_non_field_errors(api_client, admin, unit, agency):
    UnitFactory(agency=agency, code="TTr", name="Thanh tra")
    api_client.force_authenticate(admin)
    response = _rename(api_client, unit, {"name": "Thanh tra"})
    assert response.status_code == 400
    assert _error(response)["details"] == {
        "non_field_errors": ["Đã có đơn vị cùng tên trong cơ quan."]
    }
    unit.refresh_from_db()
    assert unit.name == "Văn phòng"


def test_permission_denied_from_an_action_is_a_403_and_audited(api_client, agency, unit):
    officer = make_member(agency, "officer", username="api_officer")
    api_client.force_authenticate(officer)
    response = _rename(api_client, unit, {"name": "Phòng mới"})
    assert response.status_code == 403
    error = _error(response)
    assert error["code"] == "permission_denied"
    assert error["message"] == "Bạn không có vai trò cần thiết để thực hiện thao tác này."
    denial = AuditEntry.objects.get(action="permission_denied")
    assert denial.actor_id == officer.pk
    assert denial.summary.startswith("test.unit.rename")
    unit.refresh_from_db()
    assert unit.name == "Văn phòng"


def test_django_permission_denied_in_a_view_keeps_its_message(api_client, admin):
    api_client.force_authenticate(admin)
    response = api_client.get("/api/test/forbidden/")
    assert response.status_code == 403
    assert _error(response)["message"] == (
        "Bạn không có vai trò cần thiết để thực hiện thao tác này."
    )


def test_wrong_method_is_a_405_in_the_same_format(api_client, admin, unit):
    api_client.force_authenticate(admin)
    response = api_client.get(f"/api/test/units/{unit.pk}/rename/")
    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"


def test_malformed_json_is_a_400_in_the_same_format(api_client, admin, unit):
    api_client.force_authenticate(admin)
    response = api_client.post(
        f"/api/test/units/{unit.pk}/rename/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert _error(response)["code"] == "parse_error"
