"""Searching through the UI: header box with keyboard autocomplete, results, saved search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.core.testing.factories import PASSWORD
from coquan.search.tests.conftest import GOLDEN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def indexed(desk):
    for key, values in GOLDEN.items():
        desk.docs[key] = desk.register(**values)
    return desk


def test_header_autocomplete_by_keyboard_then_results_and_saved_search(page, live_server, indexed):
    login(page, live_server, "vt_search")
    box = page.get_by_role("combobox", name="Tìm văn bản")
    box.click()
    box.press_sequentially("05/QĐ-UB", delay=30)
    listbox = page.get_by_role("listbox", name="Gợi ý")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option").first
    expect(option).to_contain_text("05/QĐ-UBND")
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "app-search-option-1")
    assert_accessible(page)
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/documents/incoming/{indexed.docs['licence'].pk}/$"))

    # Without choosing a suggestion, Enter runs the search.
    box = page.get_by_role("combobox", name="Tìm văn bản")
    box.fill("dong da")
    expect(page.get_by_role("listbox", name="Gợi ý")).to_be_visible()
    box.press("Escape")  # closes the suggestions, keeps the text
    expect(page.get_by_role("listbox", name="Gợi ý")).to_have_count(0)
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=dong\+da"))
    hit = page.get_by_test_id("hit")
    expect(hit).to_have_count(1)
    expect(hit.locator("mark")).to_have_text(["Đống", "Đa"])
    assert_accessible(page)

    # Narrow by a facet, save the search, find it in the list.
    page.get_by_role("combobox", name="Tìm văn bản").fill("QĐ-UBND")
    page.get_by_role("combobox", name="Tìm văn bản").press("Enter")
    expect(page.get_by_test_id("result-count")).to_have_text("2 kết quả")
    page.get_by_test_id("facet-type").get_by_role("link", name="Quyết định (cá biệt)").click()
    expect(page.get_by_test_id("active-filters")).to_contain_text("Loại văn bản: quyet-dinh")
    page.get_by_label("Tên tìm kiếm cần lưu").fill("Quyết định của tỉnh")
    page.get_by_role("button", name="Lưu tìm kiếm này").click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu tìm kiếm")).to_be_visible()
    expect(page.get_by_test_id("saved-table")).to_contain_text("Quyết định của tỉnh")
    assert_accessible(page)
    page.get_by_role("link", name="Quyết định của tỉnh").click()
    expect(page.get_by_test_id("result-count")).to_have_text("2 kết quả")


def test_the_search_box_works_without_javascript(browser, live_server, indexed):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("vt_search")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    box = page.get_by_role("combobox", name="Tìm văn bản")
    box.fill("quyet dinh cap phep")
    box.press("Enter")
    expect(page.get_by_test_id("hit")).to_have_count(1)
    expect(page.get_by_test_id("hit")).to_contain_text("05/QĐ-UBND")
    context.close()
