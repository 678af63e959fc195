"""The demo journey in a real browser: the desk receives a BTS permit dossier (receipt PDF
downloadable), the officer asks for a supplement, the desk records the completed dossier,
the three steps are passed, the leader approves and the licence is drafted as an outgoing
document of the Department's type "Giấy phép"; the leader completes, approves and signs it,
the clerk numbers, seals and issues it (the signed PDF validates with pyHanko); the dossier
is "Đã xử lý xong" with the licence number, the desk returns the result, the citizen rates
it; the public lookup shows the progress without personal data. Accessibility is checked on
every page. The signing keys are the self-signed demo keys of ``make demo`` (a certification
authority cannot exist here); nothing else is faked."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.documents.choices import OutgoingStatus
from coquan.documents.models import OutgoingDocument
from coquan.documents.signing import trusted_certificates
from coquan.documents.signing.verify import verify_pdf
from coquan.documents.tests import samples
from coquan.documents.tests.conftest import ensure_reference_data
from coquan.onestop.choices import DossierStatus
from coquan.onestop.demo import DEMO_AGENCY
from coquan.onestop.models import Dossier
from coquan.org.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICANT = "Công ty Cổ phần Hạ tầng Viễn thông Kinh Bắc"
ID_NUMBER = "2400987654"
ADDRESS = "Số 8 đường Xương Giang, phường Ngô Quyền, Bắc Giang"
PHONE = "0912 345 678"


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, DEMO_PASSWORD)


def open_dossier(page, live_server, dossier_id: int) -> None:
    page.goto(f"{live_server.url}/onestop/dossiers/{dossier_id}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def take_step(page, step: str) -> None:
    card = page.locator(f'[data-step="{step}"]')
    card.locator('button[type="submit"]').click()
    page.wait_for_load_state("networkidle")


def open_card(page, step: str):
    card = page.locator(f"[data-step-card={step}]")
    if card.get_attribute("open") is None:
        card.locator("> summary").click()
    return page.locator(f"form[data-step={step}]")


def test_bts_permit_from_desk_to_result(page, live_server, tmp_path):
    ensure_reference_data()
    call_command("onestop_seed_demo")
    # The demo keys, as ``make demo`` makes them: the Department's seal and the director's.
    call_command("documents_signing_key", DEMO_AGENCY, if_missing=True, stdout=io.StringIO())
    call_command(
        "documents_signing_key", DEMO_AGENCY, user="giamdoc", if_missing=True, stdout=io.StringIO()
    )
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. The desk officer finds the procedure and receives the dossier.
    sign_in(page, live_server, "motcua")
    page.get_by_role("link", name="Bộ phận một cửa").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bộ phận một cửa")
    assert_accessible(page)
    page.get_by_label("Tìm thủ tục (tên hoặc mã)").fill("BTS")
    page.get_by_role("search", name="Tìm thủ tục").get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name=re.compile("trạm BTS")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiếp nhận hồ sơ")
    assert_accessible(page)
    page.get_by_label("Tổ chức", exact=True).check()
    page.get_by_label("Họ tên hoặc tên tổ chức").fill(APPLICANT)
    page.get_by_label("Số định danh").fill(ID_NUMBER)
    page.locator("#id_applicant_address").fill(ADDRESS)
    page.get_by_label("Điện thoại").fill(PHONE)
    boxes = page.locator('input[name="components"]')
    for index in range(boxes.count()):
        box = boxes.nth(index)
        label = page.locator(f'label[for="{box.get_attribute("id")}"]').inner_text()
        if "bắt buộc" in label:
            box.check()
    page.set_input_files(
        'input[name="files"]',
        files=[{"name": "don-de-nghi.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã tiếp nhận hồ sơ 000.00.14.H06-")
    dossier = Dossier.objects.get()
    code = dossier.dossier_code
    expect(page.get_by_test_id("dossier-code")).to_have_text(code)
    expect(page.get_by_test_id("status")).to_contain_text("Được tiếp nhận")
    assert_accessible(page)
    receipt = page.request.get(f"{live_server.url}/onestop/dossiers/{dossier.pk}/forms/01.pdf")
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF-")

    # 2. The desk hands it to the telecom unit's officer.
    page.locator("#id_forward-assignee_user").select_option(label="Ngô Thị Thanh Huyền")
    take_step(page, "forward")
    expect(page.get_by_test_id("status")).to_contain_text("Đang xử lý")

    # 3. The officer finds it in the queue and asks for a supplement: the clock stops.
    sign_in(page, live_server, "chuyenvienvt")
    page.goto(f"{live_server.url}/onestop/dossiers/?queue=to_process")
    expect(page.get_by_test_id("count-to_process")).to_have_text("1")
    assert_accessible(page)
    page.get_by_role("link", name=code).click()
    page.locator("#id_request_supplement-items").fill(
        "Bản vẽ kết cấu móng có chữ ký kỹ sư\nẢnh chụp hiện trạng vị trí đặt trạm"
    )
    take_step(page, "request_supplement")
    expect(page.get_by_test_id("status")).to_contain_text("Yêu cầu bổ sung giấy tờ")
    expect(page.get_by_test_id("appointment")).to_contain_text("Tạm dừng tính thời gian")
    assert_accessible(page)

    # 4. The desk records the completed dossier: the clock restarts.
    sign_in(page, live_server, "motcua")
    open_dossier(page, live_server, dossier.pk)
    page.locator("#id_resubmit-note").fill("Đã nhận đủ bản vẽ và ảnh hiện trạng")
    take_step(page, "resubmit")
    expect(page.get_by_test_id("status")).to_contain_text("Đang xử lý")
    expect(page.get_by_test_id("appointment")).not_to_contain_text("Tạm dừng")

    # 5. Step 1 → step 2 (head of unit) → step 3 (leaders).
    sign_in(page, live_server, "chuyenvienvt")
    open_dossier(page, live_server, dossier.pk)
    take_step(page, "forward")
    sign_in(page, live_server, "truongphongvt")
    open_dossier(page, live_server, dossier.pk)
    page.locator("#id_forward-assignee_user").select_option(label="Đặng Đình Quảng")
    take_step(page, "forward")
    sign_in(page, live_server, "giamdoc")
    open_dossier(page, live_server, dossier.pk)
    page.locator("#id_approve-result_note").fill("Giấy phép xây dựng trạm BTS số 27/GPXD-STTTT")
    take_step(page, "approve")
    # The result is a licence: it is drafted as an outgoing document, the dossier waits.
    expect(page.get_by_test_id("status")).to_contain_text("Đang xử lý")
    expect(page.get_by_test_id("licence")).to_contain_text("dự thảo văn bản đi")
    assert_accessible(page)

    # 5b. The director completes the licence draft (its file), submits, approves and signs.
    page.get_by_test_id("licence").get_by_role("link").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Dự thảo")
    licence_file = tmp_path / "Giay phep xay dung tram BTS.pdf"
    licence_file.write_bytes(samples.draft_pdf_bytes("giấy phép xây dựng trạm BTS"))
    page.get_by_role("link", name="Sửa dự thảo").click()
    form = page.get_by_test_id("draft-form")
    form.get_by_label("Phiên bản mới của tệp dự thảo").set_input_files(str(licence_file))
    form.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Dự thảo")
    open_card(page, "submit").get_by_role("button", name="Trình duyệt").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đang xem xét")
    licence_url = page.url

    # 5c. The office (the clerk) checks the form.
    sign_in(page, live_server, "vanthu")
    page.goto(licence_url)
    open_card(page, "check").get_by_role("button", name="Thể thức đúng quy định").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Đã kiểm tra thể thức")

    # 5d. The director approves and signs with the demo key.
    sign_in(page, live_server, "giamdoc")
    page.goto(licence_url)
    open_card(page, "approve").get_by_role("button", name="Duyệt dự thảo").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã duyệt")
    open_card(page, "sign").get_by_role("button", name="Ký số").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã ký")
    open_dossier(page, live_server, dossier.pk)
    expect(page.get_by_test_id("status")).to_contain_text("Đang xử lý")  # signed ≠ issued

    # 5e. The clerk numbers, seals and issues it from the queue: the dossier is resolved.
    sign_in(page, live_server, "vanthu")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    expect(page.get_by_test_id("count-to_issue")).to_have_text("1")
    page.locator("[data-queue=to_issue]").click()
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    open_card(page, "issue").get_by_role("button", name="Cấp số, ký số cơ quan và ban hành").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã ban hành")
    expect(page.get_by_test_id("verification")).to_contain_text("Chữ ký số hợp lệ")
    assert_accessible(page)
    licence = OutgoingDocument.objects.select_related("register_book", "document_type").get()
    number = licence.number_and_notation
    # The number follows the register book: the next number of the year, in the "GP" form.
    assert licence.status == OutgoingStatus.ISSUED
    assert licence.document_type.abbreviation == "GP"
    assert licence.register_book.year == licence.issued_date.year
    assert licence.register_number == licence.register_book.last_number == 1
    assert number.startswith("01/GP-"), number
    expect(page.get_by_test_id("number")).to_contain_text(f"Số: {number}")
    assert (licence.drafter.username, licence.signer.username, licence.issued_by.username) == (
        "giamdoc",
        "giamdoc",
        "vanthu",
    )
    # The signed PDF, downloaded from the page, validates with pyHanko: signer and seal.
    main_file = (
        page.get_by_test_id("files")
        .locator("li")
        .filter(has_text="Văn bản chính")
        .filter(has_text="Đã có chữ ký của người ký và của cơ quan")
    )
    expect(main_file).to_have_count(1)
    with page.expect_download() as download_info:
        main_file.get_by_role("link").click()
    signed = Path(download_info.value.path()).read_bytes()
    result = verify_pdf(signed, trusted_certificates(licence.agency), use_cache=False)
    assert result.ok, result.message
    assert [s.signer for s in result.signatures] == [
        "Đặng Đình Quảng",
        "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
    ]
    # The dossier, as the desk sees it: resolved, with the licence number.
    sign_in(page, live_server, "motcua")
    open_dossier(page, live_server, dossier.pk)
    expect(page.get_by_test_id("status")).to_contain_text("Đã xử lý xong")
    expect(page.get_by_test_id("licence")).to_have_text(number)
    expect(page.get_by_test_id("timeliness")).to_be_visible()
    assert_accessible(page)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESOLVED and dossier.licence_number == number
    assert dossier.result_ready_at == licence.issued_at

    # 6. The desk returns the result.
    sign_in(page, live_server, "motcua")
    open_dossier(page, live_server, dossier.pk)
    take_step(page, "return_result")
    expect(page.get_by_test_id("status")).to_contain_text("Đã trả kết quả")
    slip = page.get_by_test_id("control-slip")
    expect(slip).to_contain_text("Phòng Bưu chính, Viễn thông")
    history = page.get_by_test_id("history")
    for label in ("Được tiếp nhận", "Yêu cầu bổ sung giấy tờ", "Đã xử lý xong", "Đã trả kết quả"):
        expect(history).to_contain_text(label)
    assert_accessible(page)

    # 6b. The citizen rates the service on the paper form; the desk records it.
    page.get_by_text("Ghi nhận đánh giá của người nộp").click()
    rating = page.get_by_test_id("evaluation")
    for name in ("time_to_result", "information", "staff_attitude", "lawful_result"):
        rating.locator(f'input[name="rating-{name}"][value="satisfied"]').check()
    rating.locator('input[name="rating-bodies_contacted"][value="one_stop"]').check()
    rating.locator("#id_rating-contact_count").fill("1")
    assert_accessible(page)
    rating.get_by_role("button", name="Ghi nhận đánh giá").click()
    expect(page.get_by_test_id("rating")).to_contain_text("Hài lòng")
    expect(rating.locator('[data-indicator="3"]')).to_have_text("1")
    expect(rating.locator('[data-indicator="4"]')).to_have_text("1")
    sign_in(page, live_server, "giamdoc")
    page.goto(f"{live_server.url}/onestop/evaluation/")
    expect(page.get_by_test_id("unit-total")).not_to_have_text("—")
    assert_accessible(page)

    # 7. Anyone follows the dossier with its code, without signing in and without seeing
    # personal data.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/onestop/lookup/")
    assert_accessible(page)
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page).to_have_url(re.compile(re.escape(f"/onestop/lookup/{code}/")))
    expect(page.get_by_test_id("status")).to_have_text("Đã trả kết quả")
    steps = page.get_by_test_id("public-steps")
    expect(steps.locator('li[data-state="done"]')).to_have_count(3)
    expect(steps).to_contain_text("Thẩm định hồ sơ, kiểm tra hiện trường")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED and dossier.licence_number == number
    content = page.content()
    for private in (APPLICANT, ID_NUMBER, ADDRESS, PHONE, "Ngô Thị Thanh Huyền", "Hoàng Văn Dũng"):
        assert private not in content
    assert_accessible(page)


def test_applicant_submits_online_and_follows_the_dossier(page, live_server):
    """The applicant journey on the portal: create an account, find the procedure, submit
    the dossier with a file; the desk accepts it from its "submitted online" queue; the
    applicant sees the code and appointment, and cannot open another applicant's dossier."""
    call_command("onestop_seed_demo")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/onestop/portal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dịch vụ công trực tuyến")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("trạm BTS")).click()
    assert_accessible(page)
    page.get_by_test_id("portal-submit-link").click()
    # Not signed in: the sign-in page, then create an account.
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập cổng dịch vụ công")
    assert_accessible(page)
    page.locator("main form").get_by_role("link", name="Tạo tài khoản").click()
    page.get_by_label("Thư điện tử").fill("dan@example.vn")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn Dân")
    page.locator("#id_password").fill("Mat-khau-2026!")
    page.get_by_label("Nhập lại mật khẩu").fill("Mat-khau-2026!")
    assert_accessible(page)
    page.locator("main form").get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
    assert_accessible(page)
    page.get_by_label("Tổ chức", exact=True).check()
    page.get_by_label("Họ tên hoặc tên tổ chức").fill(APPLICANT)
    page.get_by_label("Số định danh").fill(ID_NUMBER)
    page.locator("#id_applicant_address").fill(ADDRESS)
    boxes = page.locator('input[name="components"]')
    for index in range(boxes.count()):
        box = boxes.nth(index)
        label = page.locator(f'label[for="{box.get_attribute("id")}"]').inner_text()
        if "bắt buộc" in label:
            box.check()
    page.set_input_files(
        'input[name="files"]',
        files=[{"name": "don-de-nghi.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.get_by_test_id("status")).to_contain_text("Mới đăng ký")
    assert_accessible(page)
    dossier = Dossier.objects.get()
    portal_cookies = page.context.cookies()

    # The desk accepts it from its queue.
    sign_in(page, live_server, "motcua")
    page.goto(f"{live_server.url}/onestop/dossiers/?queue=online")
    page.locator(f'a[href="/onestop/dossiers/{dossier.pk}/"]').first.click()
    take_step(page, "accept_online")
    expect(page.get_by_test_id("status")).to_contain_text("Được tiếp nhận")
    dossier.refresh_from_db()
    assert dossier.dossier_code.startswith("000.00.14.H06-")

    # The applicant follows it: the code and the appointment are shown.
    page.context.clear_cookies()
    page.context.add_cookies(portal_cookies)
    page.goto(f"{live_server.url}/onestop/portal/dossiers/")
    page.get_by_role("link", name=dossier.dossier_code).click()
    expect(page.get_by_test_id("dossier-code")).to_have_text(dossier.dossier_code)
    expect(page.get_by_test_id("status")).to_contain_text("Được tiếp nhận")
    expect(page.get_by_test_id("appointment")).not_to_be_empty()
    assert_accessible(page)
    # Another applicant's (or a desk) dossier is not found.
    other = page.goto(f"{live_server.url}/onestop/portal/dossiers/{dossier.pk + 1000}/")
    assert other.status == 404
