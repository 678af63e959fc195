"""A paper document goes from registration to done through the UI, by three people."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member
from coquan.documents.choices import IncomingStatus, StepKind
from coquan.documents.models import IncomingDocument
from coquan.documents.tests import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    agency = AgencyFactory(
        organ_id="000.00.14.H06", name="Sở Thông tin và Truyền thông", short_name="STTTT"
    )
    unit = UnitFactory(agency=agency, code="CNTT", name="Phòng Công nghệ thông tin")
    return {
        "clerk": make_member(agency, "clerk", username="vanthu_so", full_name="Trần Thị Thu"),
        "leader": make_member(agency, "leader", username="giamdoc_so", full_name="Lê Văn Quyết"),
        "officer": make_member(
            agency, "officer", unit=unit, username="chuyenvien_so", full_name="Đỗ Đức Đạt"
        ),
    }


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)


def test_paper_document_from_registration_to_done(page, live_server, people, tmp_path):
    scan = tmp_path / "CV 2491 STC.pdf"
    scan.write_bytes(samples.PDF_BYTES)
    issued = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")

    # 1. The clerk registers the scanned paper document and presents it to the leader.
    login(page, live_server, "vanthu_so")
    page.get_by_role("link", name="Vào sổ văn bản đến").first.click()
    expect(page.get_by_role("heading", level=1, name="Vào sổ văn bản đến")).to_be_visible()
    assert_accessible(page)
    form = page.get_by_test_id("register-form")
    form.get_by_label(re.compile("^Loại văn bản")).select_option(label="Công văn")
    form.get_by_label("Số", exact=True).fill("2491")
    form.get_by_label("Ký hiệu", exact=True).fill("STC-BCTC")
    form.get_by_label(re.compile("^Ngày tháng văn bản")).fill(issued)
    form.get_by_label(re.compile("^Cơ quan ban hành")).fill("Sở Tài chính tỉnh Bắc Giang")
    form.get_by_label(re.compile("^Trích yếu")).fill(
        "V/v hướng dẫn quyết toán kinh phí chuyển đổi số năm 2026"
    )
    form.get_by_label(re.compile("^Độ khẩn")).select_option(label="Khẩn")
    form.get_by_label("Bản quét văn bản và tệp đính kèm").set_input_files(str(scan))
    form.get_by_role("button", name="Vào sổ").click()
    expect(page.get_by_role("alert").filter(has_text="Đã vào sổ với số đến 1.")).to_be_visible()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã vào sổ")
    expect(page.get_by_test_id("attachments")).to_contain_text("CV 2491 STC.pdf")
    assert_accessible(page)
    present = page.locator("form[data-step=present]")
    present.get_by_label(re.compile("^Lãnh đạo")).select_option(label="Lê Văn Quyết")
    present.get_by_role("button", name="Trình").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã trình")

    # 2. The leader finds it in "to assign" and assigns an officer with a deadline.
    switch_user(page, live_server, "giamdoc_so")
    page.get_by_role("link", name="Văn bản đến", exact=True).first.click()
    expect(page.get_by_test_id("count-to_assign")).to_have_text("1")
    table = page.get_by_test_id("incoming-table")
    expect(table).to_contain_text("2491/STC-BCTC")
    assert_accessible(page)
    table.get_by_role("link", name=re.compile("quyết toán kinh phí")).click()
    assign = page.locator("form[data-step=assign]")
    assign.get_by_label(re.compile(r"^Chủ trì \(đơn vị")).select_option(
        label="Đỗ Đức Đạt — Phòng Công nghệ thông tin"
    )
    assign.get_by_label("Hạn xử lý (số ngày làm việc)").fill("5")
    assign.get_by_label("Ý kiến chỉ đạo").fill("Giao phòng CNTT chủ trì, báo cáo trước hạn.")
    assert_accessible(page)
    assign.get_by_role("button", name="Phân công xử lý").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã giao xử lý")
    expect(page.get_by_test_id("lead")).to_contain_text("Đỗ Đức Đạt")

    # 3. The officer handles it and closes it; the timeline shows every step.
    switch_user(page, live_server, "chuyenvien_so")
    page.get_by_role("link", name="Văn bản đến", exact=True).first.click()
    expect(page.get_by_test_id("count-to_handle")).to_have_text("1")
    page.get_by_test_id("incoming-table").get_by_role("link").first.click()
    page.locator("form[data-step=start]").get_by_role("button").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đang xử lý")
    page.locator("[data-step-card=complete] > summary").click()
    complete = page.locator("form[data-step=complete]")
    complete.get_by_label(re.compile("^Kết quả xử lý")).fill(
        "Đã có Công văn 15/STTTT-CNTT trả lời."
    )
    complete.get_by_role("button", name="Hoàn thành").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã hoàn thành")
    timeline = page.get_by_test_id("timeline")
    for text in (
        "Đã vào sổ",
        "Trình lãnh đạo: Lê Văn Quyết",
        "Đã giao xử lý — Chủ trì: Đỗ Đức Đạt",
        "Giao phòng CNTT chủ trì",
        "Bắt đầu xử lý",
        "Đã hoàn thành",
        "Đã có Công văn 15/STTTT-CNTT trả lời.",
    ):
        expect(timeline).to_contain_text(text)
    assert_accessible(page)

    # 4. The clerk opens the register from the list and prints it: the PDF has the row.
    switch_user(page, live_server, "vanthu_so")
    page.get_by_role("link", name="Văn bản đến", exact=True).first.click()
    page.get_by_test_id("register-links").get_by_role("link", name="Sổ văn bản").click()
    expect(page.get_by_role("heading", level=1, name="Sổ đăng ký văn bản đến")).to_be_visible()
    register = page.get_by_test_id("register-table")
    expect(register).to_contain_text("2491/STC-BCTC")
    expect(register).to_contain_text("Đỗ Đức Đạt")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_test_id("register-pdf").click()
    text = subprocess.run(
        ["pdftotext", download.value.path(), "-"], capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text and "2491/STC-BCTC" in text
    assert "Sở Tài chính tỉnh Bắc Giang" in text
    page.get_by_role("link", name="Báo cáo giải quyết").first.click()
    page.get_by_label("Tổng hợp").select_option(label="Theo cá nhân")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("report-table")).to_contain_text("Đỗ Đức Đạt")
    assert_accessible(page)

    doc = IncomingDocument.objects.get()
    assert doc.status == IncomingStatus.DONE
    assert list(doc.steps.values_list("kind", flat=True)) == [
        StepKind.REGISTERED,
        StepKind.PRESENTED,
        StepKind.ASSIGNED,
        StepKind.STARTED,
        StepKind.DONE,
    ]
    assert doc.attachments.get().sha256
