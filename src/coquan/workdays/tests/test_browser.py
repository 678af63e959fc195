"""The working-day calendar in a real browser: the 2026 year view, the deadline calculator
(htmx), and a superuser adding and removing a make-up Saturday through the forms."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.core.testing.factories import AgencyFactory, UserFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cell(page, iso_date):
    return page.locator(f'table.calendar-month td[data-date="{iso_date}"]')


def test_member_sees_tet_2026_and_computes_a_deadline(page, live_server):
    make_member(AgencyFactory(), "officer", username="chuyenvien_lich", full_name="Lê Văn An")
    login(page, live_server, "chuyenvien_lich")
    page.get_by_role("link", name="Lịch ngày làm việc").first.click()
    page.goto(f"{live_server.url}/calendar/?year=2026")

    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch ngày làm việc 2026")
    for day in range(16, 21):
        cell = _cell(page, f"2026-02-{day}")
        expect(cell).to_have_class(re.compile(r"\bday-off\b"))
        expect(cell).to_have_attribute("title", re.compile("Tết"))
    expect(_cell(page, "2026-02-17")).to_contain_text("Ngày lễ: Tết Nguyên Đán")
    expect(
        page.get_by_role("cell", name="Ngày Giỗ Tổ Hùng Vương (nghỉ bù)", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("link", name="Thêm điều chỉnh")).to_have_count(0)
    assert_accessible(page)

    # The deadline calculator answers in place (htmx) and skips Tết.
    page.get_by_label("Thời điểm tiếp nhận").fill("2026-02-13T16:00")
    page.get_by_label("Số ngày làm việc").fill("1")
    page.get_by_role("button", name="Tính hạn").click()
    result = page.get_by_test_id("deadline-result")
    expect(result).to_contain_text("17:00, Thứ Ba 24/02/2026")
    expect(result).to_contain_text("Tết Nguyên Đán")
    expect(page).to_have_url(re.compile(r"/calendar/\?year=2026$"))
    assert_accessible(page)


def test_superuser_adds_and_removes_a_make_up_saturday(page, live_server):
    UserFactory(username="quantri_lich", full_name="Quản trị hệ thống", is_superuser=True)
    login(page, live_server, "quantri_lich")
    page.goto(f"{live_server.url}/calendar/?year=2026")
    expect(_cell(page, "2026-03-07")).to_have_class("day-weekend")

    page.get_by_role("link", name="Thêm điều chỉnh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm điều chỉnh")
    assert_accessible(page)
    page.get_by_label("Ngày").fill("2026-03-07")
    page.get_by_label("Loại").select_option("working_day")
    page.get_by_label("Tên").fill("Làm bù cho ngày 02/01/2026")
    page.get_by_label("Ghi chú").fill("Thông báo giả định của Bộ Nội vụ")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("alert")).to_contain_text("Đã thêm điều chỉnh cho ngày 07/03/2026.")
    saturday = _cell(page, "2026-03-07")
    expect(saturday).to_have_class("day-makeup")
    expect(saturday).to_have_attribute("title", "Ngày làm bù: Làm bù cho ngày 02/01/2026")
    row = page.locator('tr[data-date="2026-03-07"]')
    expect(row).to_contain_text("Làm bù cho ngày 02/01/2026")
    expect(row).to_contain_text("Thông báo giả định của Bộ Nội vụ")
    assert_accessible(page)

    # A duplicate date is refused with a clear message.
    page.get_by_role("link", name="Thêm điều chỉnh").click()
    page.get_by_label("Ngày").fill("2026-03-07")
    page.get_by_label("Tên").fill("Trùng ngày")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Ngày 07/03/2026 đã có điều chỉnh")).to_be_visible()
    assert_accessible(page)

    # Delete it again, confirming in the dialog.
    page.goto(f"{live_server.url}/calendar/?year=2026")
    page.get_by_role("link", name="Xóa 07/03/2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("07/03/2026")
    assert_accessible(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xóa").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã xóa điều chỉnh của ngày 07/03/2026")
    expect(_cell(page, "2026-03-07")).to_have_class("day-weekend")
