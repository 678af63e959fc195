"""The exchange API: receive a package (raw body or multipart), list, detail, refusals."""

from __future__ import annotations

import pytest

from coquan.core.testing.factories import AgencyFactory, make_member
from coquan.exchange.actions import receive_package
from coquan.exchange.edxml import build_document_package
from coquan.exchange.models import ReceivedPackage
from coquan.exchange.tests.helpers import HOSTILE, RECIPIENT, SENDER, make_package

pytestmark = pytest.mark.django_db

URL = "/api/v1/exchange/packages/"


@pytest.fixture
def api(api_client, clerk):
    api_client.force_authenticate(clerk)
    return api_client


def raw_package(**overrides) -> bytes:
    return build_document_package(make_package(**overrides))


def test_receive_a_raw_xml_body(api):
    response = api.post(URL, raw_package(), content_type="application/xml")
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "parsed"
    assert body["document_id"] == "000.00.14.H06,2026/03/02,125/STTTT-CĐS"
    assert body["sender_organ_id"] == SENDER
    assert body["agency"] == RECIPIENT
    assert body["signature"]["status"] == "unverifiable"
    assert body["signature"]["reason"] == "unsigned"
    assert body["attachments"][0]["name"] == "cong-van-125.pdf"
    assert body["statuses"][0]["status_code"] == "01"
    assert body["header"]["subject"] == "V/v triển khai chuyển đổi số cấp xã năm 2026"
    assert ReceivedPackage.objects.get().source == "api"
    # the same package again: 200 with the first receipt
    again = api.post(URL, raw_package(), content_type="application/xml")
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]


def test_receive_a_multipart_file(api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.post(
        URL, {"file": SimpleUploadedFile("goi.edxml", raw_package())}, format="multipart"
    )
    assert response.status_code == 201
    missing = api.post(URL, {"other": "x"}, format="multipart")
    assert missing.status_code == 400
    assert missing.json()["error"]["details"]["file"]


def test_refused_package_gives_400_with_the_problems(api):
    response = api.post(URL, raw_package(subject=""), content_type="application/xml")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith("Gói tin có 1 lỗi")
    assert error["details"]["problems"][0]["path"] == "MessageHeader/Subject"
    assert error["details"]["status_reason"].startswith("Từ chối tiếp nhận: ")
    assert ReceivedPackage.objects.get(pk=error["details"]["package_id"]).state == "quarantined"


def test_hostile_package_gives_400_without_status(api):
    raw = (HOSTILE / "billion-laughs.edxml").read_bytes()
    response = api.post(URL, raw, content_type="application/xml")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "doctype"
    assert "DOCTYPE" in error["message"]
    assert error["details"]["status_reason"] == ""


def test_oversized_body_is_refused_unread(api, settings):
    settings.COQUAN_EXCHANGE_MAX_PACKAGE_BYTES = 1000
    response = api.post(URL, b"<" * 5000, content_type="application/xml")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_large"
    assert ReceivedPackage.objects.get().raw_size == 5000


def test_other_media_types_are_refused(api):
    response = api.post(URL, {"a": 1}, format="json")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_list_and_detail(api, recipient, clerk, django_assert_max_num_queries):
    for number in range(3):
        receive_package(None, agency=recipient, raw=raw_package(number=str(number)), source="local")
    other = AgencyFactory(organ_id="000.02.40.H06")
    receive_package(
        None, agency=other, raw=raw_package(recipients=(other.organ_id,)), source="local"
    )
    with django_assert_max_num_queries(10) as few:
        response = api.get(URL)
    body = response.json()
    assert body["count"] == 3
    assert "header" not in body["results"][0]  # lists never carry the header
    for number in range(3, 28):
        receive_package(None, agency=recipient, raw=raw_package(number=str(number)), source="local")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get(URL).json()
    assert body["count"] == 28 and len(body["results"]) == 25
    assert api.get(URL, {"state": "quarantined"}).json()["count"] == 0
    detail = api.get(f"{URL}{body['results'][0]['id']}/").json()
    assert detail["problems"] == []
    mine = ReceivedPackage.objects.filter(agency=other).get()
    assert api.get(f"{URL}{mine.pk}/").status_code == 404


def test_x_agency_names_the_agency(api, recipient, clerk):
    second = AgencyFactory(organ_id="000.02.40.H06")
    make_member(second, "clerk", user=clerk)
    response = api.post(
        URL,
        raw_package(recipients=(second.organ_id,)),
        content_type="application/xml",
        HTTP_X_AGENCY=second.organ_id,
    )
    assert response.status_code == 201
    assert response.json()["agency"] == second.organ_id
    foreign = AgencyFactory(organ_id="000.03.40.H06")
    response = api.get(URL, HTTP_X_AGENCY=foreign.organ_id)
    assert response.status_code == 404


def test_member_without_role_is_refused(api_client, recipient):
    api_client.force_authenticate(make_member(recipient, "officer"))
    response = api_client.post(URL, raw_package(), content_type="application/xml")
    assert response.status_code == 403
    assert ReceivedPackage.objects.count() == 0
