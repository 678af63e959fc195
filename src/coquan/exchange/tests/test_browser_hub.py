"""The hub's traffic page in a real browser: a system administrator of a hub opens it from
the menu, narrows it to the undeliverable packages, then to one agency. Accessibility is
checked on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.core.testing.factories import UserFactory
from coquan.exchange.tests.test_hub_traffic import DOWN, HUB, build_traffic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hub(settings, client, downstream):
    settings.COQUAN_EXCHANGE_HUB = True
    settings.COQUAN_EXCHANGE_HUB_ORGAN_ID = HUB
    settings.COQUAN_EXCHANGE_MAX_ATTEMPTS = 1
    build_traffic(client, downstream)
    UserFactory(username="qt_truc", full_name="Quản Trị Trục", is_superuser=True, is_staff=True)


def test_an_administrator_opens_the_hub_traffic_and_filters_it(page, live_server, hub):
    login(page, live_server, "qt_truc")
    page.get_by_role("link", name="Lưu lượng qua trục").click()
    expect(page.get_by_role("heading", level=1, name="Lưu lượng qua trục")).to_be_visible()
    rows = page.get_by_test_id("hub-traffic").locator("tbody tr")
    expect(rows).to_have_count(5)
    expect(page.get_by_test_id("state-counts")).to_contain_text("Không gửi được 2")
    assert_accessible(page)

    page.locator('[data-state="failed"]').click()
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Chuyển tiếp", exact=True)).to_have_value("failed")

    page.get_by_label("Mã định danh cơ quan (nơi gửi hoặc nơi nhận)").fill(DOWN)
    page.get_by_role("button", name="Lọc").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Thu hồi")
    expect(rows.first).to_contain_text("Nút xã Tân Dĩnh")
    expect(rows.first).to_contain_text("Không gửi được")
    assert_accessible(page)

    page.get_by_label("Chuyển tiếp từ ngày").fill("01/01/2020")
    page.get_by_label("Chuyển tiếp đến ngày").fill("31/12/2020")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("empty-state")).to_contain_text(
        "Không có gói tin chuyển tiếp nào khớp với bộ lọc này."
    )
