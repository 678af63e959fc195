"""Guaranteed exchange in a real browser: the receiving clerk accepts a recall (15) on the
recall package's page, and the sender's clerk sees each recipient's statuses on the issued
document and the reconciliation page; a registered document recalled shows as such on its
incoming page. Accessibility is checked on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.core.testing.factories import make_member
from coquan.documents import actions as documents
from coquan.documents.tests.conftest import ensure_reference_data, make_dept
from coquan.exchange import outbox
from coquan.exchange.actions import install_agency_key, register_package
from coquan.exchange.models import ReceivedPackage
from coquan.exchange.tests.helpers import key_pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _two_agencies():
    """Sở TT&TT and Sở Tài chính with their keys, and Sở Tài chính's clerk ``vt_stc``."""
    ensure_reference_data()
    dept = make_dept()
    for agency in (dept.agency, dept.partner):
        key_pem, cert_pem = key_pair(agency.organ_id)
        install_agency_key(None, agency=agency, private_key_pem=key_pem, certificate_pem=cert_pem)
    clerk = make_member(dept.partner, "clerk", username="vt_stc", full_name="Phan Văn Thư")
    return dept, clerk


def _recalled_world(*, register: bool):
    dept, clerk = _two_agencies()
    document = dept.advance(dept.draft(subject="V/v kế hoạch chuyển đổi số"), "issued")
    outbox.run_until_idle()
    if register:
        received = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=0)
        register_package(clerk, package=received)
    documents.recall(dept.clerk, document=document, reason="Ban hành nhầm")
    outbox.run_until_idle()
    return dept, document


@pytest.fixture
def world():
    return _recalled_world(register=False)


def test_recall_accepted_by_the_receiver_shows_on_the_sender(page, live_server, world):
    dept, document = world
    recall = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=1)
    login(page, live_server, "vt_stc")
    page.goto(f"{live_server.url}/exchange/packages/{recall.pk}/")
    expect(page.get_by_role("heading", name="Cơ quan gửi thu hồi văn bản này")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Đồng ý thu hồi").check()
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_text("Đã đồng ý thu hồi; nơi gửi sẽ được báo.")).to_be_visible()

    outbox.run_until_idle()  # the worker sends the status 15 back
    page.context.clear_cookies()
    login(page, live_server, dept.clerk.username)
    page.goto(f"{live_server.url}/documents/outgoing/{document.pk}/")
    recipients = page.get_by_test_id("exchange-recipients")
    expect(recipients).to_contain_text("Sở Tài chính")
    expect(recipients).to_contain_text("Đã đến")  # 01 on the document's delivery
    expect(recipients).to_contain_text("15")
    assert_accessible(page)
    page.goto(f"{live_server.url}/exchange/deliveries/")
    expect(page.get_by_test_id("reconciliation-empty")).to_be_visible()
    assert_accessible(page)


def test_an_accepted_recall_shows_on_the_incoming_document(page, live_server):
    from coquan.documents.models import IncomingDocument

    dept, _document = _recalled_world(register=True)
    recall = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=1)
    login(page, live_server, "vt_stc")
    page.goto(f"{live_server.url}/exchange/packages/{recall.pk}/")
    page.get_by_label("Đồng ý thu hồi").check()
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_text("Đã đồng ý thu hồi; nơi gửi sẽ được báo.")).to_be_visible()

    incoming = IncomingDocument.objects.get(agency=dept.partner)
    page.goto(f"{live_server.url}/documents/incoming/{incoming.pk}/")
    expect(page.get_by_test_id("document-status")).to_have_text("Đã thu hồi")
    row = page.locator('[data-testid="timeline"] [data-step-kind="recalled"]')
    expect(row).to_contain_text("Cơ quan gửi thu hồi: Sở Thông tin và Truyền thông")
    expect(row).to_contain_text("Lý do: Ban hành nhầm")
    expect(row).to_contain_text("Phan Văn Thư")
    assert_accessible(page)


def test_a_receiver_removed_by_an_update_accepts_and_its_document_is_cancelled(page, live_server):
    from coquan.documents.models import IncomingDocument
    from coquan.exchange.tests.test_recipient_changes import make_commune, moved_world

    dept, clerk = _two_agencies()
    _original, _revision, incoming, update = moved_world(dept, clerk, make_commune())

    login(page, live_server, "vt_stc")
    page.goto(f"{live_server.url}/exchange/packages/{update.pk}/")
    expect(
        page.get_by_role("heading", name="Cơ quan gửi bỏ cơ quan này khỏi nơi nhận")
    ).to_be_visible()
    expect(page.get_by_test_id("revises")).to_contain_text("bỏ cơ quan của bạn khỏi nơi nhận")
    expect(page.get_by_role("button", name="Vào sổ")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Đồng ý bỏ khỏi nơi nhận").check()
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_text("Đã đồng ý bỏ khỏi nơi nhận; nơi gửi sẽ được báo.")).to_be_visible()
    assert IncomingDocument.objects.get(pk=incoming.pk).status == "recalled"

    page.goto(f"{live_server.url}/documents/incoming/{incoming.pk}/")
    expect(page.get_by_test_id("document-status")).to_have_text("Đã thu hồi")
    assert_accessible(page)
