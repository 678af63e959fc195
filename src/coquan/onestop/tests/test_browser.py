"""The demo journey in a real browser: the desk receives a BTS permit dossier (receipt PDF
downloadable), the officer asks for a supplement, the desk records the completed dossier,
the three steps are passed, the leader approves, the desk returns the result; the public
lookup shows the progress without personal data. Accessibility is checked on every page."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
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


def test_bts_permit_from_desk_to_result(page, live_server):
    call_command("onestop_seed_demo")

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
    expect(page.get_by_test_id("status")).to_contain_text("Đã xử lý xong")
    expect(page.get_by_test_id("timeliness")).to_be_visible()
    assert_accessible(page)

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
