"""A reply goes from draft to issued through the UI, by the people of the demo office.

The officer drafts the reply from the incoming document assigned to them; the unit leader
asks another unit for its opinion and passes the draft on; that unit's officer gives the
opinion; the office checks the form; the director approves and signs; the clerk numbers,
seals and issues it. The incoming document shows as done, the signed PDF validates with
pyHanko, and every main page passes the axe accessibility checks.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.documents import actions
from coquan.documents import files as file_store
from coquan.documents.actions.outgoing_common import current_main
from coquan.documents.choices import IncomingStatus, OutgoingStatus
from coquan.documents.models import IncomingDocument, OutgoingDocument
from coquan.documents.signing import trusted_certificates
from coquan.documents.signing.verify import verify_pdf
from coquan.documents.tests import samples
from coquan.documents.tests.conftest import ensure_reference_data, make_dept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office():
    ensure_reference_data()
    dept = make_dept()
    incoming = actions.register_incoming(
        dept.clerk,
        agency=dept.agency,
        document_type=dept.doc_type(),
        subject="Đề nghị báo cáo số liệu hạ tầng viễn thông quý I",
        issued_date=timezone.localdate(),
        issuer_name="Sở Tài chính tỉnh Bắc Giang",
        code_number="512",
        code_notation="STC-KHĐT",
    )
    incoming = actions.present(dept.clerk, document=incoming, leader=dept.leader)
    actions.assign(dept.leader, document=incoming, lead_user=dept.officer, due_days=5)
    return dept


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)


def open_card(page, step: str):
    card = page.locator(f"[data-step-card={step}]")
    if card.get_attribute("open") is None:
        card.locator("> summary").click()
    return page.locator(f"form[data-step={step}]")


def test_a_reply_from_draft_to_issued(page, live_server, office, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    draft = tmp_path / "Du thao tra loi STC.pdf"
    draft.write_bytes(samples.draft_pdf_bytes("báo cáo số liệu hạ tầng viễn thông"))

    # 1. The officer drafts the reply from the incoming document assigned to them.
    login(page, live_server, "cv_so")
    page.get_by_role("link", name="Văn bản đến", exact=True).first.click()
    page.get_by_test_id("incoming-table").get_by_role("link").first.click()
    page.get_by_role("link", name="Soạn văn bản trả lời").click()
    expect(page.get_by_role("heading", level=1, name="Dự thảo mới")).to_be_visible()
    expect(page.get_by_test_id("reply-note")).to_contain_text("Đề nghị báo cáo số liệu")
    assert_accessible(page)
    form = page.get_by_test_id("draft-form")
    form.get_by_label(re.compile("^Loại văn bản")).select_option(label="Công văn")
    form.get_by_label(re.compile("^Trích yếu")).fill("V/v báo cáo số liệu hạ tầng viễn thông quý I")
    form.get_by_label("Người ký", exact=True).select_option(label="Lê Văn Quyết")
    form.get_by_label("Cơ quan nhận (liên thông điện tử)").select_option(
        label="Sở Tài chính (000.00.15.H06)"
    )
    form.get_by_label("Nơi nhận khác (mỗi dòng một nơi)").fill(
        "Giám đốc Sở (để b/c);\nLưu: VT, CNTT."
    )
    form.get_by_label(re.compile("^Tệp dự thảo")).set_input_files(str(draft))
    form.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Dự thảo")
    expect(page.get_by_test_id("reply-to")).to_contain_text("Đề nghị báo cáo số liệu")
    assert_accessible(page)
    open_card(page, "submit").get_by_role("button", name="Trình duyệt").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đang xem xét")

    # 2. The unit leader asks the other unit for its opinion, then passes the draft on.
    switch_user(page, live_server, "tp_so")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    expect(page.get_by_test_id("count-to_review")).to_have_text("1")
    page.locator("[data-queue=to_review]").click()
    assert_accessible(page)
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    ask = open_card(page, "request_opinions")
    ask.get_by_label("Đơn vị", exact=True).select_option(label="Phòng Bưu chính, Viễn thông")
    ask.get_by_label(re.compile("ngày làm việc")).fill("2")
    ask.get_by_role("button", name="Gửi xin ý kiến").click()
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Xin ý kiến: Phòng Bưu chính, Viễn thông"
    )
    review = open_card(page, "review")
    review.get_by_label("Ý kiến").fill("Nội dung đạt, đề nghị phòng BCVT cho ý kiến.")
    review.get_by_role("button", name="Đồng ý, chuyển bước tiếp").click()
    expect(page.get_by_test_id("chain")).to_contain_text("Đã hoàn thành")

    # 3. The other unit's officer gives the opinion.
    switch_user(page, live_server, "cv2_so")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    page.locator("[data-queue=to_review]").click()
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    opinion = open_card(page, "opinion")
    opinion.get_by_label(re.compile("^Ý kiến")).fill("Phòng BCVT thống nhất, bổ sung số trạm BTS.")
    opinion.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Phòng BCVT thống nhất")

    # 4. The office checks the form.
    switch_user(page, live_server, "vt_so")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    page.locator("[data-queue=to_review]").click()
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    open_card(page, "check").get_by_role("button", name="Thể thức đúng quy định").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Đã kiểm tra thể thức")

    # 5. The director approves and signs.
    switch_user(page, live_server, "gd_so")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    expect(page.get_by_test_id("count-to_sign")).to_have_text("1")
    page.locator("[data-queue=to_sign]").click()
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    open_card(page, "approve").get_by_role("button", name="Duyệt dự thảo").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã duyệt")
    open_card(page, "sign").get_by_role("button", name="Ký số").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã ký")
    expect(page.get_by_test_id("verification")).to_contain_text("Chữ ký số hợp lệ")
    assert_accessible(page)

    # 6. The clerk numbers, seals and issues it.
    switch_user(page, live_server, "vt_so")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    expect(page.get_by_test_id("count-to_issue")).to_have_text("1")
    page.locator("[data-queue=to_issue]").click()
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    open_card(page, "issue").get_by_role("button", name="Cấp số, ký số cơ quan và ban hành").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã ban hành")
    expect(page.get_by_test_id("number")).to_contain_text("Số: 01/STTTT-CNTT")
    expect(page.get_by_test_id("verification")).to_contain_text("Chữ ký số hợp lệ")
    expect(page.get_by_test_id("deliveries")).to_contain_text("Sở Tài chính")
    expect(page.get_by_test_id("paper-recipients")).to_contain_text("Lưu: VT, CNTT.")
    assert_accessible(page)

    # 7. The incoming document shows as done, with the reply.
    page.get_by_test_id("reply-to").get_by_role("link").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã hoàn thành")
    expect(page.get_by_test_id("replies")).to_contain_text("01/STTTT-CNTT")
    assert_accessible(page)

    doc = OutgoingDocument.objects.get()
    assert doc.status == OutgoingStatus.ISSUED and doc.number_and_notation == "01/STTTT-CNTT"
    assert IncomingDocument.objects.get().status == IncomingStatus.DONE
    data = file_store.read_bytes(current_main(doc).file.name)
    result = verify_pdf(data, trusted_certificates(doc.agency), use_cache=False)
    assert result.ok and [s.signer for s in result.signatures] == [
        "Lê Văn Quyết",
        "Sở Thông tin và Truyền thông",
    ]


def test_a_replacement_through_the_ui_and_the_handling_report(page, live_server, tmp_path):
    """The drafter replaces an issued document from its page; both pages show the chain;
    the replaced original is marked; the clerk opens the handling report from the list."""
    from coquan.documents.choices import DeliveryKind

    ensure_reference_data()
    dept = make_dept()
    original = dept.advance(dept.draft(subject="V/v số liệu hạ tầng (có sai sót)"), "issued")
    page.on("dialog", lambda dialog: dialog.accept())
    replacement = tmp_path / "Thay the.pdf"
    replacement.write_bytes(samples.draft_pdf_bytes("văn bản thay thế"))

    # 1. The drafter opens the issued document and drafts its replacement.
    login(page, live_server, "cv_so")
    page.goto(f"{live_server.url}/documents/outgoing/{original.pk}/")
    form = open_card(page, "revise")
    form.get_by_label("Thay thế", exact=True).check()
    form.get_by_label(re.compile("^Trích yếu")).fill("V/v số liệu hạ tầng (thay thế)")
    form.get_by_label(re.compile("^Tệp dự thảo")).set_input_files(str(replacement))
    form.get_by_role("button", name="Soạn văn bản mới").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Dự thảo")
    expect(page.get_by_test_id("revises")).to_contain_text("01/STTTT-CNTT")
    assert_accessible(page)
    new = OutgoingDocument.objects.get(revises=original)
    assert new.subject == "V/v số liệu hạ tầng (thay thế)"

    # 2. It goes through the chain like any draft; the clerk issues it.
    dept.advance(new, "issued")
    switch_user(page, live_server, "vt_so")
    page.goto(f"{live_server.url}/documents/outgoing/{original.pk}/")
    expect(page.get_by_test_id("document-status")).to_have_text("Đã bị thay thế")
    expect(page.get_by_test_id("replaced-note")).to_contain_text("02/STTTT-CNTT")
    expect(page.get_by_test_id("revisions")).to_contain_text("02/STTTT-CNTT")
    assert_accessible(page)
    page.get_by_test_id("replaced-note").get_by_role("link").click()
    expect(page.get_by_test_id("revises")).to_contain_text("01/STTTT-CNTT")
    expect(page.get_by_test_id("deliveries")).to_contain_text("Thay thế văn bản đã gửi")
    new.refresh_from_db()
    assert list(new.deliveries.values_list("kind", flat=True)) == [DeliveryKind.REPLACE]

    # 3. The clerk opens the handling report from the list.
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    page.get_by_test_id("report-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo tình hình xử lý văn bản đi")
    expect(page.get_by_test_id("report-table")).to_contain_text("Phòng Công nghệ thông tin")
    expect(page.get_by_test_id("report-totals")).to_contain_text("Tổng cộng")
    assert_accessible(page)
