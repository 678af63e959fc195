"""Exchange journeys in a real browser: a clerk receives a real hub package by hand and
sees what it says and that its signature cannot be verified; a hostile file is refused
with a Vietnamese explanation. Accessibility is checked on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coquan.core.testing.browser import assert_accessible, login
from coquan.core.testing.factories import AgencyFactory, make_member
from coquan.exchange.tests.helpers import HOSTILE, SAMPLE_NEW, SAMPLE_RECIPIENT
from coquan.org.choices import RoleCode
from coquan.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def roles():
    """Transactional tests flush the database, data-migration rows included: restore roles."""
    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)


@pytest.fixture
def clerk():
    agency = AgencyFactory(
        organ_id=SAMPLE_RECIPIENT, name="Văn phòng tỉnh ủy Tây Ninh", short_name="VPTU"
    )
    return make_member(agency, "clerk", username="vanthu_vptu", full_name="Hà Văn Thư")


def open_upload(page, live_server):
    page.get_by_role("link", name="Gửi nhận văn bản điện tử").first.click()
    expect(page.get_by_role("heading", level=1, name="Gói tin đã nhận")).to_be_visible()
    page.get_by_role("link", name="Nhận tệp gói tin").click()
    expect(page.get_by_role("heading", level=1, name="Nhận tệp gói tin")).to_be_visible()


def test_clerk_receives_the_hub_sample_by_hand(page, live_server, clerk):
    login(page, live_server, "vanthu_vptu")
    page.get_by_role("link", name="Gửi nhận văn bản điện tử").first.click()
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    assert_accessible(page)

    open_upload(page, live_server)
    assert_accessible(page)
    page.get_by_label("Tệp gói tin").set_input_files(str(SAMPLE_NEW))
    page.get_by_role("button", name="Nhận và kiểm tra").click()

    expect(page.get_by_text("Đã nhận và kiểm tra gói tin.")).to_be_visible()
    expect(page.get_by_test_id("package-subject")).to_have_text("Báo cáo tài chính tỉnh")
    signature = page.get_by_test_id("signature")
    expect(signature).to_contain_text("Chữ ký không kiểm chứng được")
    expect(signature).to_contain_text("bị cắt cụt hoặc hỏng")
    expect(page.get_by_test_id("attachments")).to_contain_text("1896_QD-TTg_m_294779.doc")
    expect(page.get_by_test_id("document-header")).to_contain_text("30/10/2020")
    assert_accessible(page)

    page.get_by_role("link", name="Gói tin đã nhận").first.click()
    table = page.get_by_test_id("packages")
    expect(table).to_contain_text("Báo cáo tài chính tỉnh")
    expect(table).to_contain_text("000.00.11.H53,2020/10/30,2491/STC-BCTC")
    assert_accessible(page)


def test_clerk_uploads_an_xxe_file_and_sees_the_refusal(page, live_server, clerk):
    login(page, live_server, "vanthu_vptu")
    open_upload(page, live_server)
    page.get_by_label("Tệp gói tin").set_input_files(str(HOSTILE / "xxe-file.edxml"))
    page.get_by_role("button", name="Nhận và kiểm tra").click()

    refusal = page.get_by_test_id("refusal")
    expect(refusal).to_contain_text("Bị từ chối và lưu cách ly")
    expect(refusal).to_contain_text("khai báo kiểu tài liệu (DOCTYPE)")
    expect(page.get_by_role("alert").first).to_contain_text("Gói tin bị từ chối")
    expect(page.get_by_text("root:")).to_have_count(0)
    assert_accessible(page)
