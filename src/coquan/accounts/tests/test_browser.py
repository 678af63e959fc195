"""The accounts journeys in a real browser (Playwright + Debian Chromium), with axe checks."""

from __future__ import annotations

import base64
import binascii

import pytest
from playwright.sync_api import expect

from coquan.accounts.models import ApiToken, hash_token
from coquan.accounts.tests.conftest import code_for
from coquan.core.testing.browser import assert_accessible, login
from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member
from coquan.org.choices import RoleCode
from coquan.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_clerk():
    """A clerk of the Department of Information and Communications, as in the demo data."""
    agency = AgencyFactory(
        organ_id="000.00.12.H10", name="Sở Thông tin và Truyền thông tỉnh Bắc Giang"
    )
    office = UnitFactory(agency=agency, code="VP", name="Văn phòng Sở")
    return make_member(
        agency, "clerk", unit=office, username="vanthu.stttt", full_name="Nguyễn Thị Lan"
    )


def test_sign_in_through_the_login_page_reaches_the_dashboard(page, live_server, demo_clerk):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1, name="Đăng nhập CoQuan")).to_be_visible()
    assert_accessible(page)
    login(page, live_server, "vanthu.stttt")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("Sở Thông tin và Truyền thông tỉnh Bắc Giang").first).to_be_visible()


def test_wrong_password_shows_a_vietnamese_error(page, live_server, demo_clerk):
    login(page, live_server, "vanthu.stttt", password="khong-dung-mat-khau")
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    assert_accessible(page)


def test_create_a_token_see_it_once_then_revoke_it(page, live_server, demo_clerk):
    login(page, live_server, "vanthu.stttt")
    page.goto(f"{live_server.url}/accounts/tokens/")
    expect(page.get_by_test_id("no-tokens")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Tên", exact=False).first.fill("Đồng bộ cổng dịch vụ công")
    page.get_by_role("button", name="Tạo mã truy cập").click()
    raw_box = page.get_by_label("Mã truy cập mới của bạn")
    expect(raw_box).to_be_visible()
    raw = raw_box.input_value()
    assert ApiToken.objects.get(user=demo_clerk).key_hash == hash_token(raw)
    assert_accessible(page)

    # Shown once: a fresh visit lists only the prefix.
    page.goto(f"{live_server.url}/accounts/tokens/")
    expect(page.get_by_test_id("raw-token")).to_have_count(0)
    expect(page.get_by_test_id("token-table")).to_contain_text(raw[:11])
    assert raw not in page.content()

    # Revoke, accepting the confirmation.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã thu hồi mã truy cập")
    expect(page.get_by_test_id("token-row")).to_contain_text("Đã thu hồi")
    assert ApiToken.objects.get(user=demo_clerk).revoked_at is not None


def test_enrol_an_authenticator_and_sign_in_with_a_code(page, live_server, demo_clerk):
    login(page, live_server, "vanthu.stttt")
    page.goto(f"{live_server.url}/accounts/two-step/")
    expect(page.get_by_test_id("otp-qr")).to_be_visible()
    assert_accessible(page)

    # The person types the key shown under the QR code into their app; so does the test.
    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    key = binascii.hexlify(base64.b32decode(secret + "=" * (-len(secret) % 8))).decode()
    wrong = f"{(int(code_for(key)) + 1) % 1000000:06d}"
    page.get_by_label("Mã xác thực").fill(wrong)
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.get_by_text("Mã không đúng hoặc đã hết hạn.")).to_be_visible()
    assert_accessible(page)
    assert page.get_by_test_id("otp-secret").inner_text().replace(" ", "") == secret
    page.get_by_label("Mã xác thực").fill(code_for(key))
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Tôi đã lưu các mã").click()
    expect(page).to_have_url(f"{live_server.url}/")

    # Next sign-in: password, then the code.
    page.get_by_role("button", name="Nguyễn Thị Lan").click()
    page.get_by_role("button", name="Đăng xuất").click()
    login(page, live_server, "vanthu.stttt")
    expect(page.get_by_role("heading", level=1, name="Nhập mã xác thực một lần")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mã xác thực").fill(code_for(key, steps_ahead=1))
    page.get_by_role("button", name="Xác thực").click()
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/two-step/")
    expect(page.get_by_test_id("otp-enabled")).to_be_visible()
    assert_accessible(page)


def test_lockout_page_says_when_to_retry(page, live_server, demo_clerk, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(page, live_server, "vanthu.stttt", password="khong-dung-mat-khau")
    expect(page.get_by_role("heading", level=1, name="Tạm khóa đăng nhập")).to_be_visible()
    expect(page.get_by_test_id("retry-at")).to_contain_text("Vui lòng thử lại sau 15 phút")
    assert_accessible(page)


def test_password_and_policy_pages_are_accessible(page, live_server, demo_clerk):
    # Role rows come from a data migration that the flush after a transactional test removes.
    for code, _label in RoleCode.choices:
        Role.objects.get_or_create(code=code)
    demo_clerk.is_superuser = True
    demo_clerk.save(update_fields=["is_superuser"])
    login(page, live_server, "vanthu.stttt")
    page.goto(f"{live_server.url}/accounts/password/")
    expect(page.get_by_role("heading", level=1, name="Đổi mật khẩu")).to_be_visible()
    page.get_by_label("Mật khẩu cũ").fill("Mat-khau-thu-nghiem-2026")
    page.locator("#id_new_password1").fill("1234567890")
    page.get_by_label("Xác nhận mật khẩu mới").fill("1234567890")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_text("Mật khẩu này hoàn toàn là số.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/accounts/two-step/policy/")
    row = page.locator('tr[data-role="leader"]')
    row.get_by_role("button", name="Bắt buộc").click()
    expect(page.locator('tr[data-role="leader"]')).to_contain_text("Bắt buộc")
    expect(page.locator('tr[data-role="leader"]').get_by_role("button")).to_contain_text(
        "Bỏ bắt buộc"
    )
    assert_accessible(page)
