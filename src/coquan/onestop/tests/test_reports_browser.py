"""The one-stop report in a real browser: the demo desk officer opens the report from the
menu, sees this month's figures and the chart, and downloads the XLSX, which reads back with
the same figures. Accessibility is checked on the page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from coquan.accounts.models import User
from coquan.core.testing.browser import assert_accessible, login
from coquan.onestop import actions
from coquan.onestop.models import Procedure
from coquan.org.management.commands.seed_demo import DEMO_PASSWORD
from coquan.org.models import Agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_the_report_and_download_xlsx(page, live_server):
    call_command("onestop_seed_demo")
    agency = Agency.objects.get(organ_id="000.00.14.H06")
    desk = User.objects.get(username="motcua")
    procedure = Procedure.objects.get(agency=agency, state="published", name__contains="BTS")
    papers = [c.pk for c in procedure.components.all() if c.required and c.applies_to != "person"]
    for _ in range(2):
        actions.accept_dossier(
            desk,
            agency=agency,
            procedure=procedure,
            received_components=papers,
            at=timezone.now(),
            applicant_type="organisation",
            applicant_name="Công ty Hạ tầng Viễn thông Kinh Bắc",
            applicant_id_number="2400987654",
            applicant_address="Bắc Giang",
        )

    page.context.clear_cookies()
    login(page, live_server, "motcua", DEMO_PASSWORD)
    page.get_by_role("link", name="Báo cáo một cửa").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo một cửa")
    expect(page.get_by_test_id("kpi-received")).to_have_text("2")
    expect(page.get_by_test_id("report-chart")).to_be_visible()
    row = page.locator(f'[data-row="{procedure.code}"]')
    expect(row).to_contain_text("BTS")
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_test_id("report-xlsx").click()
    download = info.value
    assert download.suggested_filename.startswith("bao-cao-mot-cua-")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert rows[1][0] == "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"
    assert rows[7][2] == procedure.code
    assert rows[7][3] == 2  # received in total
    assert rows[-1][1] == "Tổng cộng" and rows[-1][3] == 2
