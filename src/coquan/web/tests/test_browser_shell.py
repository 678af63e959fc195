"""The web shell in a real browser: sign in, role dashboard, agency and language switch,
keyboard use and accessibility (axe-core)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.core.testing.factories import AgencyFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_agency_member():
    """A leader of the province who is also an officer in one of its departments."""
    province = AgencyFactory(organ_id="000.00.00.H10", name="UBND tỉnh Thử nghiệm")
    department = AgencyFactory(organ_id="000.10.01.H10", name="Sở Thông tin Thử nghiệm")
    user = make_member(province, "leader", username="lanhdao_hai_co_quan", full_name="Trần Thị Mai")
    make_member(department, "officer", user=user)
    return user


def _card(page, title):
    return page.locator("section.app-card").filter(
        has=page.get_by_role("heading", level=2, name=title)
    )


def test_sign_in_switch_agency_and_language(page, live_server, two_agency_member):
    login(page, live_server, "lanhdao_hai_co_quan")

    # The role dashboard of the first agency, in Vietnamese.
    expect(page.get_by_role("heading", level=1, name="Trang tổng quan")).to_be_visible()
    expect(page.get_by_test_id("dashboard-agency")).to_have_text("UBND tỉnh Thử nghiệm")
    expect(_card(page, "Lãnh đạo cơ quan")).to_be_visible()
    expect(_card(page, "Công việc của tôi")).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert_accessible(page)

    # Switch agency in the header: the cards follow the roles held there.
    page.get_by_label("Cơ quan đang làm việc").select_option(label="Sở Thông tin Thử nghiệm")
    page.get_by_role("button", name="Chuyển", exact=True).click()
    expect(page.get_by_test_id("dashboard-agency")).to_have_text("Sở Thông tin Thử nghiệm")
    expect(_card(page, "Công việc của tôi")).to_be_visible()
    expect(_card(page, "Lãnh đạo cơ quan")).to_have_count(0)

    # Change the language to English and back.
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi ngôn ngữ").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(_card(page, "My work")).to_be_visible()
    expect(page.get_by_test_id("dashboard-agency")).to_have_text("Sở Thông tin Thử nghiệm")
    assert_accessible(page)

    page.get_by_label("Language").select_option("vi")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1, name="Trang tổng quan")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_skip_link_is_the_first_tab_stop_and_focuses_main(page, live_server, two_agency_member):
    login(page, live_server, "lanhdao_hai_co_quan")
    page.goto(f"{live_server.url}/")
    page.locator("body").focus()

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # visually hidden until it receives focus
    box = skip.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues after the start of the main content, not in the header or menu.
    page.keyboard.press("Tab")
    before_main = page.evaluate(
        "() => ['header', '#app-sidebar'].some("
        "sel => document.querySelector(sel).contains(document.activeElement))"
    )
    assert not before_main


def test_user_menu_works_from_the_keyboard(page, live_server, two_agency_member):
    login(page, live_server, "lanhdao_hai_co_quan")
    menu = page.get_by_role("button", name=re.compile("Trần Thị Mai"))
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    sign_out = page.get_by_role("button", name="Đăng xuất")
    expect(sign_out).to_be_visible()
    sign_out.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_small_screens_get_a_menu_button(page, live_server, two_agency_member):
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, live_server, "lanhdao_hai_co_quan")
    sidebar = page.get_by_role("navigation", name="Điều hướng chính")
    expect(sidebar).to_be_hidden()
    page.get_by_role("button", name="Trình đơn").click()
    expect(sidebar).to_be_visible()
    expect(sidebar.get_by_role("link", name="Trang tổng quan")).to_be_visible()
    assert_accessible(page)


def test_login_and_error_pages_are_accessible(page, live_server, two_agency_member):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert_accessible(page)
    login(page, live_server, "lanhdao_hai_co_quan")
    response = page.goto(f"{live_server.url}/khong-co-trang-nay/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    assert_accessible(page)
