"""Org journeys in a real browser: an agency administrator builds the org tree and staff,
imports a file with an error, and a person with two agencies switches between them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.core.testing.factories import AgencyFactory, make_member
from coquan.org.choices import RoleCode
from coquan.org.models import Membership, Role, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def roles():
    """Transactional tests flush the database, data-migration rows included: restore roles."""
    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)


@pytest.fixture
def agency_admin():
    agency = AgencyFactory(
        organ_id="000.00.14.H06", name="Sở Thông tin và Truyền thông", short_name="STTTT"
    )
    return make_member(agency, "admin", username="quantri_so", full_name="Trần Thị Quản Trị")


def test_admin_adds_a_unit_and_a_person(page, live_server, agency_admin):
    login(page, live_server, "quantri_so")
    page.goto(f"{live_server.url}/org/units/")
    expect(page.get_by_role("heading", level=1, name="Đơn vị")).to_be_visible()
    expect(page.get_by_text("Chưa có đơn vị nào.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Thêm đơn vị").click()
    page.get_by_role("textbox", name="Mã", exact=True).fill("CNTT")
    page.get_by_role("textbox", name="Tên", exact=True).fill("Phòng Công nghệ thông tin")
    assert_accessible(page)
    page.locator("main form").get_by_role("button", name=re.compile("^Lưu")).click()
    expect(page.get_by_role("alert").filter(has_text="Đã tạo đơn vị")).to_be_visible()
    tree = page.get_by_test_id("unit-tree")
    expect(tree.get_by_role("link", name="Phòng Công nghệ thông tin", exact=True)).to_be_visible()

    page.locator(".nav-tabs").get_by_role("link", name="Cán bộ").click()
    page.get_by_role("link", name="Thêm cán bộ").click()
    page.get_by_role("textbox", name="Họ và tên").fill("Nguyễn Văn Bình")
    page.get_by_role("textbox", name="Tên đăng nhập").fill("nguyenvanbinh")
    page.get_by_role("textbox", name="Thư điện tử").fill("binh@example.gov.vn")
    page.get_by_role("combobox", name="Đơn vị", exact=True).select_option(
        label="CNTT — Phòng Công nghệ thông tin"
    )
    page.get_by_role("checkbox", name="Chuyên viên", exact=True).check()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert").filter(has_text="Đã thêm Nguyễn Văn Bình")).to_be_visible()
    row = page.get_by_test_id("member-list").get_by_role("row").filter(has_text="Nguyễn Văn Bình")
    expect(row).to_contain_text("Phòng Công nghệ thông tin")
    expect(row).to_contain_text("Chuyên viên")
    assert_accessible(page)

    membership = Membership.objects.get(user__username="nguyenvanbinh")
    assert membership.unit == Unit.objects.get(code="CNTT")
    assert membership.role_codes() == {"officer"}


def test_import_with_an_error_shows_the_row_report(page, live_server, agency_admin):
    login(page, live_server, "quantri_so")
    page.goto(f"{live_server.url}/org/import/")
    expect(page.get_by_role("heading", level=1, name="Nhập cơ cấu tổ chức")).to_be_visible()
    assert_accessible(page)
    content = (
        "kind,code,name,parent_code,valid_from\n"
        "unit,VP,Văn phòng,,01/07/2025\n"
        "unit,TH,Tổ Tổng hợp,KHONGCO,01/07/2025\n"
    ).encode()
    page.get_by_label("Tệp (.csv hoặc .xlsx)").set_input_files(
        files=[{"name": "co-cau.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    report = page.get_by_test_id("import-errors")
    expect(report).to_contain_text("Tệp có 1 lỗi; chưa có dữ liệu nào được nhập.")
    row = report.get_by_role("row").filter(has_text="parent_code")
    expect(row).to_contain_text("3")
    expect(row).to_contain_text("Không có đơn vị cấp trên mã KHONGCO.")
    assert_accessible(page)
    assert not Unit.objects.exists()


def test_person_with_two_agencies_switches_in_the_header(page, live_server):
    first = AgencyFactory(organ_id="000.00.14.H06", name="Sở Thông tin và Truyền thông")
    second = AgencyFactory(organ_id="000.00.03.H06", name="Sở Tài chính")
    user = make_member(first, "officer", username="hai_co_quan", full_name="Lê Thị Hai")
    make_member(second, "clerk", user=user)
    login(page, live_server, "hai_co_quan")
    dashboard_agency = page.get_by_test_id("dashboard-agency")
    expect(dashboard_agency).to_have_text("Sở Tài chính")  # the first by organ_id
    page.locator("#agency-switch").select_option(label="Sở Thông tin và Truyền thông")
    page.locator("form", has=page.locator("#agency-switch")).get_by_role("button").click()
    expect(dashboard_agency).to_have_text("Sở Thông tin và Truyền thông")
    expect(page.locator("#agency-switch option:checked")).to_have_text(
        "Sở Thông tin và Truyền thông"
    )
    assert_accessible(page)


def test_history_pages_are_accessible(page, live_server, agency_admin):
    from coquan.org import actions

    agency = agency_admin.memberships.get().agency
    unit = actions.create_unit(agency_admin, agency=agency, code="A", name="Phòng A")
    actions.create_unit(agency_admin, agency=agency, code="B", name="Phòng B")
    membership = actions.add_person(
        agency_admin, agency=agency, username="cb", full_name="Cán Bộ", roles=["clerk"]
    )
    login(page, live_server, "quantri_so")
    page.goto(f"{live_server.url}/org/units/{unit.pk}/")
    expect(page.get_by_role("heading", level=1, name="Phòng A")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/org/units/{unit.pk}/close/")
    expect(page.get_by_role("checkbox", name="B — Phòng B")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/org/people/{membership.pk}/")
    expect(page.get_by_role("checkbox", name="Văn thư")).to_be_checked()
    assert_accessible(page)
    page.goto(f"{live_server.url}/org/people/{membership.pk}/end/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert").filter(has_text="Đã cho Cán Bộ thôi công tác")).to_be_visible()
    assert_accessible(page)
