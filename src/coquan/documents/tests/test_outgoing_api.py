"""The outgoing-document API: the whole lifecycle with the pages' actions and permissions."""

from __future__ import annotations

import pytest

from coquan.documents import actions
from coquan.documents.choices import OutgoingStatus
from coquan.documents.models import OutgoingDocument, OutgoingSeries
from coquan.documents.tests import samples

pytestmark = pytest.mark.django_db

LIST = "/api/v1/outgoing-documents/"


def url(doc_id, suffix=""):
    return f"{LIST}{doc_id}/{suffix}"


def test_a_reply_from_draft_to_issued_through_the_api(api_client, dept):
    api_client.force_authenticate(dept.officer)
    response = api_client.post(
        LIST,
        {
            "document_type": dept.doc_type().pk,
            "subject": "V/v cung cấp số liệu viễn thông",
            "signer": dept.leader.pk,
            "recipients": [
                {"kind": "agency", "id": dept.partner.pk},
                {"kind": "unit", "id": dept.other_unit.pk, "purpose": "info"},
                {"kind": "text", "text": "Lưu: VT, CNTT."},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    doc_id = body["id"]
    assert body["status"] == "draft" and body["version"] == 1
    assert [r["kind"] for r in body["recipients"]] == ["agency", "unit", "text"]
    assert "submit" in body["available_steps"]

    response = api_client.post(
        url(doc_id, "files/"),
        {"file": samples.draft_pdf_upload(), "kind": "main"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "main" and response.json()["is_current"]

    response = api_client.post(
        url(doc_id, "submit/"), {"opinion_units": [dept.other_unit.pk]}, format="json"
    )
    assert response.json()["status"] == "in_review"
    kinds = [(t["kind"], t["state"]) for t in response.json()["tasks"]]
    assert kinds[0] == ("review", "pending") and kinds[-1] == ("approval", "waiting")

    api_client.force_authenticate(dept.unit_leader)
    assert (
        api_client.post(url(doc_id, "review/"), {"comment": "Đạt"}, format="json").status_code
        == 200
    )
    api_client.force_authenticate(dept.officer2)
    response = api_client.post(url(doc_id, "opinion/"), {"text": "Nhất trí"}, format="json")
    assert response.status_code == 200
    api_client.force_authenticate(dept.clerk)
    api_client.post(url(doc_id, "check/"), {}, format="json")
    api_client.force_authenticate(dept.leader)
    assert (
        api_client.post(url(doc_id, "approve/"), {}, format="json").json()["status"] == "approved"
    )
    assert api_client.post(url(doc_id, "sign/"), format="json").json()["status"] == "signed"
    api_client.force_authenticate(dept.clerk)
    body = api_client.post(url(doc_id, "issue/"), format="json").json()
    assert body["status"] == "issued" and body["number_and_notation"] == "01/STTTT-CNTT"
    assert [(d["organ_id"], d["state"]) for d in body["deliveries"]] == [
        ("000.00.15.H06", "queued")
    ]
    verification = api_client.get(url(doc_id, "verification/")).json()
    assert verification["ok"] is True and verification["reason"] == "valid"
    assert len(verification["signatures"]) == 2
    main = next(f for f in body["files"] if f["kind"] == "main" and f["is_current"])
    download = api_client.get(main["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content)[:5] == b"%PDF-"
    issued = api_client.get(LIST + "?queue=issued").json()
    assert [row["id"] for row in issued["results"]] == [doc_id]


def test_bad_input_gets_structured_errors_and_changes_nothing(api_client, dept):
    doc = dept.advance(dept.draft(), "in_review")
    api_client.force_authenticate(dept.leader)
    response = api_client.post(url(doc.pk, "sign/"), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "Không thể “Ký”" in error["details"]["non_field_errors"][0]
    assert OutgoingDocument.objects.get(pk=doc.pk).status == OutgoingStatus.IN_REVIEW

    api_client.force_authenticate(dept.officer)
    response = api_client.post(
        LIST, {"document_type": dept.doc_type().pk, "subject": "", "signer": 999999}, format="json"
    )
    assert response.status_code == 400 and "subject" in response.json()["error"]["details"]
    response = api_client.post(
        LIST,
        {"document_type": dept.doc_type().pk, "subject": "V/v thử", "signer": 999999},
        format="json",
    )
    assert response.status_code == 400 and "signer" in response.json()["error"]["details"]
    assert OutgoingDocument.objects.count() == 1


def test_issuing_twice_and_editing_an_issued_document_are_refused(api_client, dept):
    doc = dept.advance(dept.draft(), "issued")
    api_client.force_authenticate(dept.clerk)
    response = api_client.post(url(doc.pk, "issue/"), format="json")
    assert response.status_code == 400
    api_client.force_authenticate(dept.officer)
    response = api_client.patch(url(doc.pk), {"subject": "Sửa"}, format="json")
    assert response.status_code == 400
    assert "đã khóa" in response.json()["error"]["details"]["non_field_errors"][0]
    doc.refresh_from_db()
    assert doc.code_number == "01" and doc.version == 1


def test_a_draft_is_404_for_people_off_its_chain(api_client, dept):
    doc = dept.draft()
    for person in (dept.officer2, dept.leader, dept.outsider):
        api_client.force_authenticate(person)
        assert api_client.get(url(doc.pk)).status_code == 404
    api_client.force_authenticate(dept.unit_leader)
    assert api_client.get(url(doc.pk)).status_code == 200


def test_list_queries_stay_constant(api_client, dept, django_assert_max_num_queries):
    for index in range(3):
        dept.draft(subject=f"Dự thảo {index}")
    api_client.force_authenticate(dept.officer)
    with django_assert_max_num_queries(20) as few:
        api_client.get(LIST + "?queue=my_drafts")
    for index in range(3, 15):
        dept.draft(subject=f"Dự thảo {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api_client.get(LIST + "?queue=my_drafts")
    assert response.json()["count"] == 15


def test_unknown_queue_is_a_clear_error(api_client, dept):
    api_client.force_authenticate(dept.officer)
    response = api_client.get(LIST + "?queue=bogus")
    assert response.status_code == 400 and "queue" in response.json()["error"]["details"]


def test_series_api_for_administrators(api_client, dept):
    api_client.force_authenticate(dept.admin)
    response = api_client.post(
        "/api/v1/outgoing-series/",
        {
            "name": "Sổ quyết định",
            "scope": "types",
            "document_types": [dept.doc_type("quyet-dinh").pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    series_id = response.json()["id"]
    response = api_client.patch(
        f"/api/v1/outgoing-series/{series_id}/", {"is_active": False}, format="json"
    )
    assert response.json()["is_active"] is False
    assert OutgoingSeries.objects.get().is_active is False
    api_client.force_authenticate(dept.clerk)
    assert api_client.get("/api/v1/outgoing-series/").status_code == 403


def test_reject_and_withdraw_through_the_api(api_client, dept):
    doc = actions.submit(dept.officer, document=dept.draft())
    api_client.force_authenticate(dept.unit_leader)
    response = api_client.post(url(doc.pk, "reject/"), {"comment": ""}, format="json")
    assert response.status_code == 400
    response = api_client.post(url(doc.pk, "reject/"), {"comment": "Bổ sung căn cứ"}, format="json")
    assert response.json()["status"] == "returned"
    api_client.force_authenticate(dept.officer)
    response = api_client.post(url(doc.pk, "withdraw/"), {"reason": "Thôi"}, format="json")
    assert response.json()["status"] == "withdrawn"


def test_replying_to_an_incoming_document_you_cannot_see_reads_as_unknown(api_client, dept):
    from django.utils import timezone

    hidden = actions.register_incoming(
        dept.clerk,
        agency=dept.agency,
        document_type=dept.doc_type(),
        subject="Văn bản chưa giao cho ai",
        issued_date=timezone.localdate(),
        issuer_name="Sở Nội vụ",
    )
    api_client.force_authenticate(dept.officer)
    response = api_client.post(
        LIST,
        {"document_type": dept.doc_type().pk, "subject": "V/v trả lời", "reply_to": hidden.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"]["reply_to"] == [
        f"Không tìm thấy các mã: {hidden.pk}"
    ]
    assert not OutgoingDocument.objects.exists()
