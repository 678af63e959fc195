"""The incoming-document API: same actions and permissions as the pages, structured errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coquan.documents import actions
from coquan.documents.choices import IncomingStatus, Secrecy
from coquan.documents.models import Attachment, IncomingDocument
from coquan.documents.tests import samples
from coquan.documents.tests.samples import pdf_upload, upload

LIST = "/api/v1/incoming-documents/"


def url(doc, suffix=""):
    return f"{LIST}{doc.pk}/{suffix}"


def register_payload(office, **overrides):
    data = {
        "document_type": office.doc_type().pk,
        "code_number": "7816",
        "code_notation": "VPCP-TTĐT",
        "issued_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "issuer_name": "Văn phòng Chính phủ",
        "issuer_organ_id": "000.00.00.G22",
        "subject": "V/v đẩy mạnh chuyển đổi số",
        "urgency": 1,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_paper_document_from_registration_to_done_through_the_api(api_client, office):
    api_client.force_authenticate(office.clerk)
    payload = register_payload(office, files=[pdf_upload("scan.pdf")])
    response = api_client.post(LIST, payload, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["arrival_number"] == 1 and body["status"] == "registered"
    assert body["attachments"][0]["mime_type"] == "application/pdf"
    assert "present" in body["available_steps"]
    doc = IncomingDocument.objects.get(pk=body["id"])

    response = api_client.post(url(doc, "present/"), {"leader": office.leader.pk}, format="json")
    assert response.json()["status"] == "presented"

    api_client.force_authenticate(office.leader)
    response = api_client.post(
        url(doc, "assign/"),
        {
            "lead_user": office.officer.pk,
            "co_handler_units": [office.other_unit.pk],
            "due_days": 4,
            "instruction": "Chủ trì tham mưu",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["lead_user"]["id"] == office.officer.pk

    api_client.force_authenticate(office.officer)
    assert api_client.post(url(doc, "start/")).json()["status"] == "in_progress"
    response = api_client.post(
        url(doc, "opinions/"),
        {"text": "Dự thảo trả lời", "files": [upload("du-thao.docx", samples.docx_bytes())]},
        format="multipart",
    )
    assert response.status_code == 201 and response.json()["kind"] == "opinion"
    response = api_client.post(url(doc, "complete/"), {"result_note": "Xong"}, format="json")
    body = response.json()
    assert body["status"] == "done"
    assert [s["kind"] for s in body["steps"]] == [
        "registered",
        "presented",
        "assigned",
        "assigned",
        "started",
        "opinion",
        "done",
    ]

    api_client.force_authenticate(office.leader)
    response = api_client.post(url(doc, "reopen/"), {"reason": "Bổ sung"}, format="json")
    assert response.json()["status"] == "in_progress"


@pytest.mark.django_db
def test_list_queue_filters_and_constant_queries(api_client, office, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office.register(code_number="0")
    api_client.force_authenticate(office.clerk)
    api_client.get(LIST + "?queue=to_present")
    with CaptureQueriesContext(connection) as few:
        api_client.get(LIST + "?queue=to_present")
    for i in range(1, 30):
        office.register(code_number=str(i), urgency=3 if i == 4 else 0)
    with django_assert_max_num_queries(len(few)):
        response = api_client.get(LIST + "?queue=to_present")
    body = response.json()
    assert body["count"] == 30 and len(body["results"]) == 25
    assert body["results"][0]["urgency"] == 3  # urgent ones first
    assert "result_note" not in body["results"][0]  # lists carry no bodies
    response = api_client.get(LIST + "?urgency=3")
    assert response.json()["count"] == 1
    response = api_client.get(LIST + "?ordering=arrival_number&page=2")
    assert [r["arrival_number"] for r in response.json()["results"]] == list(range(26, 31))
    response = api_client.get(LIST + "?queue=nonsense")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_duplicate_answers_409_with_the_earlier_document(api_client, office):
    api_client.force_authenticate(office.clerk)
    first = api_client.post(LIST, register_payload(office), format="json").json()
    response = api_client.post(LIST, register_payload(office), format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate"
    assert error["details"]["duplicates"] == [{"id": first["id"], "arrival_number": 1}]
    response = api_client.post(
        LIST, register_payload(office, confirm_duplicate=True), format="json"
    )
    assert response.status_code == 201 and response.json()["arrival_number"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"issued_date": (timezone.localdate() + dt.timedelta(days=2)).isoformat()}, "issued_date"),
        ({"subject": ""}, "subject"),
        ({"files": [upload("hop-dong.pdf", samples.EXE_BYTES)]}, "files"),
        ({"files": [upload("../../etc/shadow.docx", b"not really a docx")]}, "files"),
    ],
    ids=["future", "missing-subject", "exe-as-pdf", "traversal-name"],
)
def test_bad_registration_is_a_structured_error_and_stores_nothing(
    api_client, office, overrides, field
):
    api_client.force_authenticate(office.clerk)
    response = api_client.post(LIST, register_payload(office, **overrides), format="multipart")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["details"]
    assert IncomingDocument.objects.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.django_db
def test_oversized_file_is_refused(api_client, office, settings):
    settings.COQUAN_MAX_UPLOAD_BYTES = 50
    api_client.force_authenticate(office.clerk)
    response = api_client.post(
        LIST, register_payload(office, files=[pdf_upload()]), format="multipart"
    )
    assert response.status_code == 400
    assert "vượt giới hạn" in response.json()["error"]["details"]["files"][0]


@pytest.mark.django_db
def test_illegal_step_and_forbidden_step(api_client, office):
    doc = office.register()
    api_client.force_authenticate(office.leader)
    response = api_client.post(url(doc, "complete/"), {"result_note": "x"}, format="json")
    assert response.status_code == 400
    assert "Không thể" in response.json()["error"]["details"]["non_field_errors"][0]
    response = api_client.post(url(doc, "present/"), {"leader": office.leader.pk}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
def test_upload_new_version_and_download(api_client, office):
    doc = office.register(files=[pdf_upload()])
    original = doc.attachments.get()
    api_client.force_authenticate(office.clerk)
    response = api_client.post(
        url(doc, "attachments/"),
        {"file": upload("ban-chinh-xac.pdf", samples.PDF_BYTES + b"%v2"), "replaces": original.pk},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version"] == 2 and body["replaces"] == original.pk
    download = api_client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).endswith(b"%v2")
    response = api_client.post(
        url(doc, "attachments/"), {"file": upload("x.pdf", samples.EXE_BYTES)}, format="multipart"
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_secret_documents_are_absent_from_api_lists_counts_and_downloads(api_client, office):
    secret = office.register(secrecy=Secrecy.SECRET, files=[pdf_upload()])
    office.register(code_number="2")
    attachment = secret.attachments.get()
    download = reverse(
        "api:incoming-document-download", kwargs={"pk": secret.pk, "attachment_pk": attachment.pk}
    )
    for user in (office.leader, office.officer, office.outsider):
        api_client.force_authenticate(user)
        body = api_client.get(LIST).json()
        assert all(row["id"] != secret.pk for row in body["results"])
        assert body["count"] == (1 if user == office.leader else 0)
        assert api_client.get(url(secret)).status_code == 404
        assert api_client.get(download).status_code == 404
        response = api_client.post(url(secret, "start/"))
        assert response.status_code == 404
    api_client.force_authenticate(office.clerk)
    assert api_client.get(LIST).json()["count"] == 2
    assert api_client.get(download).status_code == 200


@pytest.mark.django_db
def test_document_types_of_the_agency(api_client, office):
    api_client.force_authenticate(office.officer)
    body = api_client.get("/api/v1/document-types/").json()
    assert len(body) == 29
    assert {"code": "quy-dinh", "abbreviation": "QyĐ"}.items() <= next(
        t for t in body if t["code"] == "quy-dinh"
    ).items()


@pytest.mark.django_db
def test_refuse_and_return_through_the_api(api_client, office):
    doc = office.register()
    actions.present(office.clerk, document=doc, leader=office.leader)
    api_client.force_authenticate(office.leader)
    response = api_client.post(url(doc, "return/"), {"reason": "Sai thẩm quyền"}, format="json")
    assert response.json()["status"] == IncomingStatus.RETURNED
    api_client.force_authenticate(office.clerk)
    response = api_client.post(url(doc, "refuse/"), {"reason": "Gửi nhầm"}, format="json")
    assert response.json()["status"] == IncomingStatus.REFUSED
