"""Outbox and delivery (issue 5 part 4), statuses back (part 6), local transport (part 5).

Two agencies of the same deployment: Sở TT&TT issues through the real documents actions,
Sở Tài chính receives through the real receive pipeline (local transport).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coquan.core.testing.factories import make_member
from coquan.documents import actions as documents
from coquan.documents.tests.conftest import make_dept
from coquan.exchange import outbox
from coquan.exchange.actions import (
    answer_recall,
    install_agency_key,
    register_package,
)
from coquan.exchange.models import (
    DeliveryAttempt,
    OutboxMessage,
    ReceivedPackage,
    RecipientStatus,
    Route,
)
from coquan.exchange.pipeline import status_content
from coquan.exchange.tests.helpers import key_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept(db):
    dept = make_dept()
    for agency in (dept.agency, dept.partner):
        key_pem, cert_pem = key_pair(agency.organ_id)
        install_agency_key(None, agency=agency, private_key_pem=key_pem, certificate_pem=cert_pem)
    return dept


@pytest.fixture
def partner_clerk(dept):
    return make_member(dept.partner, "clerk", username="vt_stc", full_name="Phan Văn Thư")


@pytest.fixture
def issued(dept):
    return dept.advance(dept.draft(subject="V/v kế hoạch chuyển đổi số"), "issued")


def test_an_issued_document_arrives_once_and_statuses_flow_back(
    dept, issued, partner_clerk, settings
):
    delivery = issued.deliveries.get()
    assert delivery.state == "queued"
    counts = outbox.run_until_idle()
    assert counts == {"delivered": 2}  # the document, then the status 01 back
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 1
    received = ReceivedPackage.objects.get(agency=dept.partner, kind="document")
    assert received.state == "parsed" and received.signature_status == "valid"
    assert received.document_id == outbox.document_id_of(issued)
    assert received.attachments.count() == 1
    message = OutboxMessage.objects.get(delivery=delivery)
    assert len(message.sha256) == 64 and bytes(message.content).startswith(b"<?xml")
    assert [s.code for s in RecipientStatus.objects.filter(delivery=delivery)] == ["01"]

    # Redelivery of the same bytes: the first receipt is returned, nothing new.
    from coquan.exchange.transports import LocalTransport

    LocalTransport(dept.partner).send(message, bytes(message.content))
    assert ReceivedPackage.objects.filter(agency=dept.partner, kind="document").count() == 1

    # The clerk registers (03); a leader assigns (04), handling starts (05) and ends (06).
    document, _status = register_package(partner_clerk, package=received)
    leader = make_member(dept.partner, "leader", username="gd_stc")
    officer = make_member(dept.partner, "officer", username="cv_stc")
    document = documents.present(partner_clerk, document=document, leader=leader)
    document = documents.assign(leader, document=document, lead_user=officer, due_days=5)
    document = documents.start_handling(officer, document=document)
    document = documents.complete(officer, document=document, result_note="Đã triển khai")
    documents.reopen(
        leader, document=document, reason="Bổ sung"
    )  # back to in progress: no second 05
    assert outbox.run_until_idle() == {"delivered": 4}
    timeline = list(
        RecipientStatus.objects.filter(delivery=delivery).values_list("code", flat=True)
    )
    assert timeline == ["01", "03", "04", "05", "06"]
    assert document.arrival_number == 1
    from coquan.documents.models import IncomingDocument

    assert IncomingDocument.objects.filter(agency=dept.partner).count() == 1


def test_statuses_04_05_06_name_the_person_who_acted(dept, issued, partner_clerk):
    """StaffInfo of 04/05/06 is the leader who assigned and the officer who handled, not the
    system (the documents action's actor reaches the status through the post_save hook)."""
    from coquan.exchange.edxml import parse_package
    from coquan.exchange.models import OutgoingStatus

    outbox.run_until_idle()
    received = ReceivedPackage.objects.get(agency=dept.partner, kind="document")
    document, _status = register_package(partner_clerk, package=received)
    leader = make_member(
        dept.partner, "leader", username="gd_stc", full_name="Hoàng Văn Lãnh", email="lanh@stc.vn"
    )
    officer = make_member(
        dept.partner, "officer", username="cv_stc", full_name="Bùi Thị Xử Lý", email="xl@stc.vn"
    )
    document = documents.present(partner_clerk, document=document, leader=leader)
    document = documents.assign(leader, document=document, lead_user=officer, due_days=5)
    document = documents.start_handling(officer, document=document)
    documents.complete(officer, document=document, result_note="Đã triển khai")

    rows = {row.status_code: row for row in OutgoingStatus.objects.filter(package=received)}
    assert set(rows) == {"01", "03", "04", "05", "06"}
    staff = {code: parse_package(status_content(row)).staff_info for code, row in rows.items()}
    assert staff["01"].staff == "Hệ thống CoQuan"  # on arrival nobody has acted yet
    assert staff["03"].staff == "Phan Văn Thư"
    assert (staff["04"].staff, staff["04"].email) == ("Hoàng Văn Lãnh", "lanh@stc.vn")
    assert (staff["05"].staff, staff["05"].email) == ("Bùi Thị Xử Lý", "xl@stc.vn")
    assert (staff["06"].staff, staff["06"].email) == ("Bùi Thị Xử Lý", "xl@stc.vn")
    assert rows["04"].created_by == leader and rows["06"].created_by == officer

    outbox.run_until_idle()  # on the sender's timeline too
    reported = dict(
        RecipientStatus.objects.filter(delivery=issued.deliveries.get()).values_list(
            "code", "staff"
        )
    )
    assert reported["04"] == "Hoàng Văn Lãnh" and reported["06"] == "Bùi Thị Xử Lý"


def test_a_refused_recipient_and_a_recall_are_reported(dept, issued, partner_clerk):
    outbox.run_until_idle()
    received = ReceivedPackage.objects.get(agency=dept.partner, kind="document")
    register_package(partner_clerk, package=received)
    documents.recall(dept.clerk, document=issued, reason="Ban hành nhầm")
    outbox.run_until_idle()
    recall = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=1)
    assert recall.state == "parsed"
    answer_recall(partner_clerk, package=recall, accept=True)
    outbox.run_until_idle()
    recall_delivery = issued.deliveries.get(kind="recall")
    assert recall_delivery.state == "delivered"
    codes = set(
        RecipientStatus.objects.filter(delivery=recall_delivery).values_list("code", flat=True)
    )
    assert codes == {"15"}  # a 01 answering the recall carries the same DocumentId: no new row
    received.refresh_from_db()
    assert received.state == "recalled"
    assert received.error_params["recall_reason"] == "Ban hành nhầm"


def test_failures_retry_with_back_off_then_the_delivery_is_undeliverable(dept, settings):
    settings.COQUAN_EXCHANGE_MAX_ATTEMPTS = 3
    settings.COQUAN_EXCHANGE_RETRY_BASE_SECONDS = 10
    # The recipient is only reachable through a node that is down (nothing listens there).
    Route.objects.create(
        organ_id=dept.partner.organ_id, transport="http", endpoint="http://127.0.0.1:9/inbox/"
    )
    document = dept.advance(dept.draft(), "issued")
    delivery = document.deliveries.get()
    assert outbox.run_once() == {"pending": 1}
    message = OutboxMessage.objects.get(delivery=delivery)
    wait = message.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=8) < wait <= dt.timedelta(seconds=10)
    assert outbox.run_once() == {}  # not due yet
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox.run_once() == {"pending": 1}
    message.refresh_from_db()
    wait = message.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=18) < wait <= dt.timedelta(seconds=20)  # doubled
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox.run_once() == {"failed": 1}
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.attempts == 3
    assert "127.0.0.1:9" in delivery.last_error
    assert DeliveryAttempt.objects.filter(message=message, ok=False).count() == 3
    # The clerk sends it again once the directory is fixed.
    Route.objects.filter(organ_id=dept.partner.organ_id).delete()
    documents.requeue_delivery(dept.clerk, delivery=delivery)
    assert outbox.run_until_idle() == {"delivered": 2}
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.last_error == ""


def test_a_waiting_delivery_task_is_not_queued_twice(settings):
    """Each receipt asks for a delivery on commit; while a ``deliver_outbox`` task is
    waiting and due, no second one is queued (it will take every due message). A running
    one or one due later does not count: a new one is queued then."""
    from django_tasks_db.models import DBTaskResult

    from coquan.exchange.tasks import enqueue_delivery

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mine = DBTaskResult.objects.filter(task_path="coquan.exchange.tasks.deliver_outbox")
    enqueue_delivery()
    enqueue_delivery()
    enqueue_delivery()
    assert mine.count() == 1
    mine.update(status="RUNNING")
    enqueue_delivery()
    enqueue_delivery()
    assert mine.filter(status="READY").count() == 1
    mine.filter(status="READY").update(run_after=timezone.now() + dt.timedelta(minutes=5))
    enqueue_delivery()
    assert mine.filter(status="READY").count() == 2


@pytest.mark.django_db(transaction=True)
def test_run_worker_delivers_through_the_self_rescheduling_task(settings):
    """``coquan exchange_deliver --enqueue`` then ``coquan run_worker --batch`` (database
    queue, as in production): the task delivers and schedules its next run."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from coquan.documents.tests.conftest import ensure_reference_data

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COQUAN_EXCHANGE_POLL_SECONDS = 60
    ensure_reference_data()
    dept = make_dept()
    for agency in (dept.agency, dept.partner):
        key_pem, cert_pem = key_pair(agency.organ_id)
        install_agency_key(None, agency=agency, private_key_pem=key_pem, certificate_pem=cert_pem)
    document = dept.advance(dept.draft(), "issued")
    call_command("exchange_deliver", "--enqueue", verbosity=0)
    call_command("run_worker", "--batch", "--no-startup-delay", "--worker-id", "w", verbosity=0)
    assert document.deliveries.get().state == "delivered"
    assert RecipientStatus.objects.get().code == "01"
    # Other apps queue their own tasks on the same commits (search index, notifications).
    first, later = DBTaskResult.objects.filter(
        task_path="coquan.exchange.tasks.deliver_outbox"
    ).order_by("enqueued_at")
    assert first.status == "SUCCESSFUL" and later.status == "READY"
    assert later.run_after > timezone.now() + dt.timedelta(seconds=50)
