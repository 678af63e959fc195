"""Audit journeys in a real browser: an agency administrator reads and filters the log and
opens one entry; a superuser runs the chain check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coquan.audit.services import append
from coquan.audit.tests.helpers import rename_unit
from coquan.core.testing.browser import assert_accessible, login
from coquan.core.testing.factories import AgencyFactory, UnitFactory, UserFactory, make_member
from coquan.org.choices import RoleCode
from coquan.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def roles():
    """Transactional tests flush the database, data-migration rows included: restore roles."""
    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)


@pytest.fixture
def agency():
    return AgencyFactory(
        organ_id="000.00.14.H06", name="Sở Thông tin và Truyền thông", short_name="STTTT"
    )


@pytest.fixture
def agency_admin(agency):
    return make_member(agency, "admin", username="quantri_so", full_name="Trần Thị Quản Trị")


def test_admin_filters_the_log_and_opens_an_entry(page, live_server, agency, agency_admin):
    unit = UnitFactory(agency=agency, code="CNTT", name="Phòng Công nghệ thông tin")
    rename_unit(agency_admin, agency=agency, unit=unit, name="Phòng Chuyển đổi số")
    append(
        action="documents.incoming.register",
        actor=agency_admin,
        agency=agency,
        summary="Vào sổ văn bản đến số 12/2026",
    )
    append(action="test.elsewhere", agency=AgencyFactory(name="Sở Y tế"), summary="Sở khác")

    login(page, live_server, "quantri_so")
    page.get_by_role("link", name="Nhật ký hệ thống").first.click()
    expect(page.get_by_role("heading", level=1, name="Nhật ký hệ thống")).to_be_visible()
    table = page.get_by_test_id("audit-entries")
    expect(table).to_contain_text("Vào sổ văn bản đến số 12/2026")
    expect(table).not_to_contain_text("Sở khác")
    assert_accessible(page)

    page.get_by_role("textbox", name="Mã thao tác").fill("test.unit.rename")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(table.get_by_role("row")).to_have_count(2)  # the header and one entry
    expect(table).to_contain_text("Đổi tên đơn vị CNTT thành Phòng Chuyển đổi số")
    expect(table).not_to_contain_text("Vào sổ văn bản")
    expect(page.get_by_role("textbox", name="Mã thao tác")).to_have_value("test.unit.rename")
    assert_accessible(page)

    table.get_by_role("link", name=re.compile(r"^#\d+$")).click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile(r"^Mục nhật ký #\d+$"))
    ).to_be_visible()
    diff = page.get_by_test_id("audit-diff")
    expect(diff.get_by_role("row").filter(has_text="Phòng Chuyển đổi số")).to_contain_text("đã đổi")
    expect(page.get_by_test_id("hash-status")).to_have_text("Mã băm khớp với nội dung")
    assert_accessible(page)

    page.get_by_role("link", name="Quay lại nhật ký hệ thống").click()
    expect(page.get_by_role("heading", level=1, name="Nhật ký hệ thống")).to_be_visible()


def test_superuser_runs_the_chain_check(page, live_server, agency):
    UserFactory(username="quantri_he_thong", is_superuser=True, is_staff=True)
    for i in range(3):
        append(action="test.browser", agency=agency, summary=f"Mục {i}")
    login(page, live_server, "quantri_he_thong")
    page.goto(f"{live_server.url}/audit/")
    page.get_by_role("button", name="Kiểm tra chuỗi").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("Chuỗi nhật ký toàn vẹn")
    expect(page.get_by_test_id("audit-entries")).to_contain_text("audit.chain.verify")
    assert_accessible(page)
