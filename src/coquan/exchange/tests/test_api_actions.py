"""The clerk's package actions and the sender's reconciliation through the API (issue 5).

The same actions as the pages (register, refuse, answer a recall, retry a delivery), with
the same permissions. Both agencies are on this deployment (local transport); the
documents are issued through the real documents actions and received through the real
pipeline, as in test_sender_views.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import make_member
from coquan.documents import actions as documents
from coquan.documents.models import DocumentType, IncomingDocument
from coquan.exchange import outbox
from coquan.exchange.models import (
    OutboxMessage,
    OutgoingStatus,
    ReceivedPackage,
    RecipientStatus,
    Route,
)
from coquan.exchange.tests.helpers import issue_unreachable
from coquan.exchange.tests.test_outbox import dept, partner_clerk  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

PACKAGES = "/api/v1/exchange/packages/"
DELIVERIES = "/api/v1/exchange/deliveries/"


def _as(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def _received(dept, subject="V/v kế hoạch chuyển đổi số"):  # noqa: F811
    document = dept.advance(dept.draft(subject=subject), "issued")
    outbox.run_until_idle()
    package = ReceivedPackage.objects.get(agency=dept.partner, subject=subject, kind="document")
    return document, package


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    return response.json()["error"]


# --- register -------------------------------------------------------------------------------------


def test_register_through_the_api_and_the_sender_sees_03(
    api_client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    document, package = _received(dept)
    api = _as(api_client, partner_clerk)
    response = api.post(f"{PACKAGES}{package.pk}/register/", {}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    incoming = IncomingDocument.objects.get(pk=body["incoming_document_id"])
    assert incoming.agency == dept.partner and incoming.channel == "electronic"
    assert incoming.edxml_document_id == package.document_id
    assert body["arrival_number"] == incoming.arrival_number == 1
    assert incoming.document_type.name == "Công văn"  # matched from TypeName
    assert body["package"]["state"] == "registered"
    assert sorted(s["status_code"] for s in body["package"]["statuses"]) == ["01", "03"]
    assert AuditEntry.objects.filter(action="exchange.package.register").count() == 1

    outbox.run_until_idle()
    delivery = document.deliveries.get()
    assert "03" in delivery.recipient_statuses.values_list("code", flat=True)

    # Twice: 400 with the action's message, nothing more written.
    error = _error(api.post(f"{PACKAGES}{package.pk}/register/", {}, format="json"), 400)
    assert error["code"] == "invalid"
    assert error["details"]["non_field_errors"] == [
        "Chỉ có thể vào sổ văn bản mới đã nhận và chưa bị từ chối."
    ]
    assert IncomingDocument.objects.filter(agency=dept.partner).count() == 1
    assert OutgoingStatus.objects.filter(package=package).count() == 2


def test_register_with_a_type_the_agency_does_not_use_writes_nothing(
    api_client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    _document, package = _received(dept)
    foreign = DocumentType.objects.create(
        agency=dept.agency, code="cv-rieng", name="Công văn riêng của Sở TT&TT"
    )
    api = _as(api_client, partner_clerk)
    url = f"{PACKAGES}{package.pk}/register/"
    for wrong in (foreign.pk, 999999):
        error = _error(api.post(url, {"document_type": wrong}, format="json"), 400)
        assert error["details"]["document_type"] == ["Cơ quan không sử dụng loại văn bản này."]
    error = _error(api.post(url, {"confirm_duplicate": "perhaps"}, format="json"), 400)
    assert "confirm_duplicate" in error["details"]
    package.refresh_from_db()
    assert package.state == "parsed"
    assert not IncomingDocument.objects.exists()
    assert list(package.statuses.values_list("status_code", flat=True)) == ["01"]
    assert not AuditEntry.objects.filter(action="exchange.package.register").exists()

    chosen = DocumentType.objects.available_to(dept.partner).get(name="Tờ trình")
    response = api.post(url, {"document_type": chosen.pk}, format="json")
    assert response.status_code == 201
    assert IncomingDocument.objects.get().document_type == chosen


def test_a_suspected_duplicate_is_409_until_confirmed(
    api_client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    _document, package = _received(dept)
    by_hand = documents.register_incoming(
        partner_clerk,
        agency=dept.partner,
        document_type=DocumentType.objects.available_to(dept.partner).get(name="Công văn"),
        subject="Bản giấy",
        issued_date=package.promulgation_date,
        issuer_name=package.sender_name,
        code_number=package.code_number,
        code_notation=package.code_notation,
        edxml_document_id=package.document_id,
    )
    api = _as(api_client, partner_clerk)
    url = f"{PACKAGES}{package.pk}/register/"
    error = _error(api.post(url, {}, format="json"), 409)
    assert error["code"] == "duplicate"
    assert error["message"].startswith("Văn bản này có vẻ đã được vào sổ (số đến 1).")
    assert error["details"]["duplicates"] == [{"id": by_hand.pk, "arrival_number": 1}]
    package.refresh_from_db()
    assert package.state == "parsed"
    assert IncomingDocument.objects.count() == 1
    assert list(package.statuses.values_list("status_code", flat=True)) == ["01"]

    response = api.post(url, {"confirm_duplicate": True}, format="json")
    assert response.status_code == 201
    assert response.json()["arrival_number"] == 2


# --- refuse ---------------------------------------------------------------------------------------


def test_refuse_through_the_api_shows_in_the_senders_reconciliation(
    api_client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    document, package = _received(dept)
    api = _as(api_client, partner_clerk)
    url = f"{PACKAGES}{package.pk}/refuse/"
    missing = _error(api.post(url, {}, format="json"), 400)
    assert missing["details"]["reason"]
    blank = _error(api.post(url, {"reason": "   "}, format="json"), 400)
    assert blank["details"]["reason"] == ["Hãy nêu lý do từ chối văn bản."]
    too_long = _error(api.post(url, {"reason": "x" * 401}, format="json"), 400)
    assert too_long["details"]["reason"]
    package.refresh_from_db()
    assert package.state == "parsed"
    assert list(package.statuses.values_list("status_code", flat=True)) == ["01"]

    response = api.post(url, {"reason": "Không thuộc thẩm quyền"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "refused"
    assert sorted(s["status_code"] for s in body["statuses"]) == ["01", "02"]
    assert AuditEntry.objects.filter(action="exchange.package.refuse").count() == 1
    # Refused: neither refused again nor registered.
    assert _error(api.post(url, {"reason": "Lần nữa"}, format="json"), 400)
    assert _error(api.post(f"{PACKAGES}{package.pk}/register/", {}, format="json"), 400)
    assert not IncomingDocument.objects.exists()

    outbox.run_until_idle()
    sender = _as(api_client, dept.clerk)
    rows = sender.get(DELIVERIES, {"problem": "refused"}).json()
    assert rows["count"] == 1
    row = rows["results"][0]
    assert row["document_id"] == document.pk and row["organ_id"] == dept.partner.organ_id
    assert row["latest_status"]["code"] == "02"
    assert "Không thuộc thẩm quyền" in row["latest_status"]["description"]
    assert row["latest_status"]["label"]


# --- recall ---------------------------------------------------------------------------------------


def test_recalls_accepted_and_refused_through_the_api(
    api_client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    first, first_package = _received(dept, "V/v thứ nhất")
    second, _second_package = _received(dept, "V/v thứ hai")
    api = _as(api_client, partner_clerk)
    registered = api.post(f"{PACKAGES}{first_package.pk}/register/", {}, format="json")
    incoming = IncomingDocument.objects.get(pk=registered.json()["incoming_document_id"])
    documents.recall(dept.clerk, document=first, reason="Ban hành nhầm")
    documents.recall(dept.clerk, document=second, reason="Sai số liệu")
    outbox.run_until_idle()
    recalls = {
        p.subject: p
        for p in ReceivedPackage.objects.filter(agency=dept.partner, business_doc_type=1)
    }
    first_url = f"{PACKAGES}{recalls['V/v thứ nhất'].pk}/recall-answer/"
    second_url = f"{PACKAGES}{recalls['V/v thứ hai'].pk}/recall-answer/"

    unknown = _error(api.post(first_url, {"decision": "maybe"}, format="json"), 400)
    assert unknown["details"]["decision"] == ["Câu trả lời không hợp lệ: chọn accept hoặc refuse."]
    assert _error(api.post(first_url, {}, format="json"), 400)["details"]["decision"]
    no_reason = _error(api.post(second_url, {"decision": "refuse"}, format="json"), 400)
    assert no_reason["details"]["reason"] == ["Nêu lý do từ chối thu hồi."]
    assert set(
        ReceivedPackage.objects.filter(business_doc_type=1).values_list("state", flat=True)
    ) == {"parsed"}
    assert not OutgoingStatus.objects.filter(status_code__in=["15", "16"]).exists()

    accepted = api.post(first_url, {"decision": "accept"}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "registered"
    refused = api.post(
        second_url, {"decision": "refuse", "reason": "Đã triển khai thực hiện"}, format="json"
    )
    assert refused.status_code == 200, refused.content
    assert refused.json()["state"] == "refused"
    # Answered once.
    assert _error(api.post(first_url, {"decision": "refuse", "reason": "x"}, format="json"), 400)
    assert OutgoingStatus.objects.filter(status_code__in=["15", "16"]).count() == 2

    incoming.refresh_from_db()
    assert incoming.status == "recalled"
    first_package.refresh_from_db()
    assert first_package.state == "recalled"
    outbox.run_until_idle()
    codes = {
        d.document_id: set(d.recipient_statuses.values_list("code", flat=True))
        for d in [first.deliveries.get(kind="recall"), second.deliveries.get(kind="recall")]
    }
    assert codes == {first.pk: {"15"}, second.pk: {"16"}}
    sender = _as(api_client, dept.clerk)
    refused_rows = sender.get(DELIVERIES, {"problem": "refused"}).json()["results"]
    assert [(r["document_id"], r["kind"], r["latest_status"]["code"]) for r in refused_rows] == [
        (second.pk, "recall", "16")
    ]


# --- the sender's reconciliation -----------------------------------------------------------------


def test_reconciliation_lists_a_failed_delivery_and_sends_it_again(
    api_client,
    dept,  # noqa: F811
    settings,
):
    document, ran = issue_unreachable(dept, settings, attempts=1)
    assert ran == {"failed": 1}
    api = _as(api_client, dept.clerk)

    body = api.get(DELIVERIES, {"problem": "failed"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    delivery = document.deliveries.get()
    assert row["id"] == delivery.pk and row["document_id"] == document.pk
    assert row["number_and_notation"] == document.number_and_notation
    assert row["subject"] == document.subject
    assert row["name"] == "Sở Tài chính" and row["organ_id"] == dept.partner.organ_id
    assert (row["kind"], row["state"], row["attempts"]) == ("send", "failed", 1)
    assert "Connection refused" in row["last_error"]
    assert row["latest_status"] is None and row["updated_at"]
    assert api.get(DELIVERIES).json()["count"] == 1  # no problem: all three
    assert api.get(DELIVERIES, {"problem": "refused"}).json()["count"] == 0
    error = _error(api.get(DELIVERIES, {"problem": "lost"}), 400)
    assert error["code"] == "invalid"
    assert error["details"]["problem"] == [
        "Loại vấn đề không hợp lệ: chọn failed, stuck hoặc refused."
    ]

    Route.objects.all().delete()  # the directory is fixed
    response = api.post(f"{DELIVERIES}{delivery.pk}/retry/")
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["attempts"]) == ("queued", 0)
    delivery.refresh_from_db()
    assert delivery.state == "queued" and delivery.attempts == 0
    assert AuditEntry.objects.filter(action="documents.delivery.requeue").count() == 1
    assert outbox.run_until_idle() == {"delivered": 2}
    assert api.get(DELIVERIES).json()["count"] == 0

    # Delivered: nothing to retry (400, nothing written).
    error = _error(api.post(f"{DELIVERIES}{delivery.pk}/retry/"), 400)
    assert error["details"]["non_field_errors"]
    assert AuditEntry.objects.filter(action__startswith="exchange.delivery").count() == 0


def test_retry_makes_a_waiting_delivery_due_now(
    api_client,
    dept,  # noqa: F811
    settings,
):
    document, _ran = issue_unreachable(dept, settings, attempts=5)
    delivery = document.deliveries.get()
    message = OutboxMessage.objects.get(delivery=delivery)
    assert message.state == "pending" and message.next_attempt_at > timezone.now()
    # Waiting for over 30 minutes: stuck.
    type(delivery).objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )
    api = _as(api_client, dept.clerk)
    stuck = api.get(DELIVERIES, {"problem": "stuck"}).json()
    assert [r["id"] for r in stuck["results"]] == [delivery.pk]
    response = api.post(f"{DELIVERIES}{delivery.pk}/retry/")
    assert response.status_code == 200, response.content
    message.refresh_from_db()
    assert message.next_attempt_at <= timezone.now()
    assert AuditEntry.objects.filter(action="exchange.delivery.retry").count() == 1


def test_the_list_costs_the_same_queries_for_one_or_many_deliveries(
    api_client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    from coquan.exchange.actions import refuse_package

    def refused_one(subject):
        _document, package = _received(dept, subject)
        refuse_package(partner_clerk, package=package, reason="Gửi nhầm")
        outbox.run_until_idle()

    refused_one("V/v một")
    api = _as(api_client, dept.clerk)
    with CaptureQueriesContext(connection) as one:
        assert api.get(DELIVERIES).json()["count"] == 1
    for number in range(4):
        refused_one(f"V/v số {number}")
    with CaptureQueriesContext(connection) as five:
        body = api.get(DELIVERIES).json()
    assert body["count"] == 5
    assert all(r["latest_status"]["code"] == "02" for r in body["results"])
    assert len(five) == len(one)


# --- who may -------------------------------------------------------------------------------------


def test_only_the_agencys_clerks_act_on_its_packages_and_deliveries(
    api_client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
    settings,
):
    _document, package = _received(dept)
    failed_document, _ran = issue_unreachable(
        dept, settings, attempts=1, subject="V/v không gửi được"
    )
    delivery = failed_document.deliveries.get()
    assert delivery.state == "failed"
    partner_officer = make_member(dept.partner, "officer", username="cv_stc_api")
    partner_admin = make_member(dept.partner, "admin", username="qt_stc_api")
    package_actions = [
        (f"{PACKAGES}{package.pk}/register/", {}),
        (f"{PACKAGES}{package.pk}/refuse/", {"reason": "Gửi nhầm"}),
        (f"{PACKAGES}{package.pk}/recall-answer/", {"decision": "accept"}),
    ]
    for user in (dept.outsider, partner_officer, dept.clerk):  # other agencies, no role
        api = _as(api_client, user)
        for url, data in package_actions:
            assert api.post(url, data, format="json").status_code == 404, (user, url)
    # The agency's administrator may refuse but not register (a clerk's work).
    api = _as(api_client, partner_admin)
    assert _error(api.post(package_actions[0][0], {}, format="json"), 403)["code"]
    api_client.force_authenticate(None)
    for url, data in package_actions:
        assert api_client.post(url, data, format="json").status_code in (401, 403)
    assert api_client.get(DELIVERIES).status_code in (401, 403)
    assert api_client.post(f"{DELIVERIES}{delivery.pk}/retry/").status_code in (401, 403)

    retry = f"{DELIVERIES}{delivery.pk}/retry/"
    for user in (dept.outsider, dept.officer, partner_clerk):
        assert _as(api_client, user).post(retry).status_code == 404, user
    assert _as(api_client, dept.officer).get(DELIVERIES).status_code == 403
    assert _as(api_client, partner_clerk).get(DELIVERIES).json()["count"] == 0
    # Another agency named by X-Agency: 404.
    response = _as(api_client, dept.clerk).get(DELIVERIES, HTTP_X_AGENCY=dept.partner.organ_id)
    assert response.status_code == 404
    assert _as(api_client, dept.clerk).post(f"{DELIVERIES}0/retry/").status_code == 404
    delivery.refresh_from_db()
    package.refresh_from_db()
    assert delivery.state == "failed" and package.state == "parsed"
    assert not IncomingDocument.objects.exists()
    assert set(RecipientStatus.objects.values_list("code", flat=True)) == {"01"}  # received

    # The issuing agency's administrator may send it again.
    response = _as(api_client, dept.admin).post(retry)
    assert response.status_code == 200
