"""The registry in a real browser: an officer opens the dashboard, issues a licence,
downloads the 2008 report PDF; the BTS map and the public register; axe-core on each page."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.org.management.commands.seed_demo import DEMO_PASSWORD
from coquan.registry.demo_data import DEMO_EDITOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_registry():
    call_command("registry_seed_demo", stdout=io.StringIO())


def test_officer_dashboard_issue_licence_and_download_report(
    page, live_server, demo_registry, tmp_path
):
    login(page, live_server, DEMO_EDITOR, DEMO_PASSWORD)
    page.get_by_role("link", name="Cơ sở dữ liệu chuyên ngành").first.click()
    page.get_by_label("Năm", exact=True).fill("2008")
    page.get_by_role("button", name="Xem", exact=True).click()
    summary = page.get_by_test_id("report-summary")
    expect(summary).to_contain_text("58,8 máy/100 dân")
    expect(summary).to_contain_text("tăng 46,7% so với kế hoạch")
    assert_accessible(page)

    # Issue a licence: choose the type (the select submits itself), then fill the licence.
    page.get_by_role("link", name="Giấy phép", exact=True).click()
    page.get_by_role("link", name="Cấp giấy phép").click()
    page.get_by_label("Loại giấy phép").select_option(label="Giấy phép xuất bản bản tin")
    expect(page.get_by_role("heading", name="Giấy phép xuất bản bản tin")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Số giấy phép")).fill("98/GP-XBBT")
    page.get_by_label(re.compile(r"^Chủ giấy phép")).fill("Hội Khuyến học tỉnh Bắc Giang")
    page.get_by_label(re.compile(r"^Ngày cấp")).fill("15/01/2009")
    page.get_by_label("Tên bản tin").fill("Bản tin Khuyến học")
    page.get_by_label("Kỳ hạn xuất bản").select_option("quý")
    page.get_by_label("Số lượng mỗi kỳ").fill("500")
    page.get_by_role("button", name="Cấp phép").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("98/GP-XBBT")
    expect(page.get_by_test_id("licence-history")).to_contain_text("Cấp phép")
    expect(page.get_by_text("Đã cấp giấy phép 98/GP-XBBT.")).to_be_visible()
    assert_accessible(page)

    # Download the 2008 report.
    page.get_by_role("link", name="Tổng quan và báo cáo").click()
    page.get_by_label("Năm", exact=True).fill("2008")
    page.get_by_role("button", name="Xem", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Báo cáo (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "bao-cao-2008.pdf"
    path = tmp_path / "bao-cao-2008.pdf"
    download.save_as(path)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    text = re.sub(r"\s+", " ", text)
    assert "cấp 97 giấy phép xuất bản bản tin" in text
    assert "58,8 máy/100 dân" in text


def test_bts_map_and_public_register(page, live_server, demo_registry):
    login(page, live_server, DEMO_EDITOR, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/registry/bts/map/")
    expect(page.get_by_test_id("bts-map")).to_have_attribute("data-loaded", "24")
    expect(page.locator("#bts-map-status")).to_have_text("Có 24 trạm trên bản đồ.")
    expect(page.locator("#bts-map path.leaflet-interactive")).to_have_count(24)
    assert_accessible(page)

    # Every other main page of the registry passes axe-core too.
    for path, heading in [
        ("/registry/licences/", "Sổ quản lý giấy phép"),
        ("/registry/bts/", "Trạm BTS"),
        ("/registry/bts/import/", "Nhập Trạm BTS từ tệp"),
        ("/registry/agents/", "Đại lý Internet"),
        ("/registry/inspections/", "Thanh tra"),
        ("/registry/appraisals/", "Thẩm định dự án"),
        ("/registry/indicators/?year=2008", "Chỉ tiêu thông tin và truyền thông 2008"),
        ("/registry/indicators/values/?year=2008", "Nhập số liệu chỉ tiêu 2008"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)
    page.goto(f"{live_server.url}/registry/inspections/")
    page.get_by_role("link", name="Thanh tra hoạt động đại lý Internet thành phố Bắc Giang").click()
    expect(page.get_by_role("heading", level=3).first).to_contain_text("Đại lý Internet Hoàng Gia")
    assert_accessible(page)

    context = page.context.browser.new_context(locale="vi-VN", bypass_csp=True)
    anonymous = context.new_page()
    anonymous.goto(f"{live_server.url}/registry/public/licences/?q=Nông dân")
    expect(anonymous.get_by_test_id("public-licences")).to_contain_text(
        "Hội Nông dân tỉnh Bắc Giang"
    )
    anonymous.goto(f"{live_server.url}/registry/public/licences/?type=dai-ly-internet")
    table = anonymous.get_by_test_id("public-licences")
    expect(table).to_contain_text("Cá nhân (ẩn tên)")
    expect(table).not_to_contain_text("Nguyễn Văn Bình")
    assert_accessible(anonymous)
    context.close()
