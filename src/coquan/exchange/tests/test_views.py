"""The exchange pages: list with filters and pagination, detail, upload, downloads, refusal."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coquan.core.testing.factories import AgencyFactory, make_member
from coquan.exchange.actions import receive_package
from coquan.exchange.choices import PackageState
from coquan.exchange.edxml import build_document_package
from coquan.exchange.models import ReceivedPackage
from coquan.exchange.tests.helpers import (
    HOSTILE,
    RECIPIENT,
    SAMPLE_NEW,
    SENDER,
    make_package,
    sample,
    signer_for,
)

pytestmark = pytest.mark.django_db

HOME = "/exchange/"


def receive(agency, number: int = 125, **overrides):
    package = make_package(recipients=(agency.organ_id,), number=str(number), **overrides)
    return receive_package(
        None, agency=agency, raw=build_document_package(package), source="local"
    ).package


def test_empty_list_says_so_in_vietnamese(client, recipient, clerk):
    client.force_login(clerk)
    page = client.get(HOME).content.decode()
    assert "Gói tin đã nhận" in page
    assert "Chưa nhận gói tin nào" in page


def test_list_shows_the_agency_packages_only(client, recipient, clerk):
    mine = receive(recipient, subject="Về việc họp giao ban tháng 3")
    other = AgencyFactory(organ_id="000.02.40.H06", name="UBND xã khác")
    receive(other, subject="Việc của xã khác")
    client.force_login(clerk)
    response = client.get(HOME)
    page = response.content.decode()
    assert "Về việc họp giao ban tháng 3" in page
    assert "Việc của xã khác" not in page
    assert mine.document_id in page
    assert reverse("exchange:package_detail", args=[mine.pk]) in page


def test_filters(client, recipient, clerk):
    receive(recipient, number=1, subject="Kế hoạch chuyển đổi số")
    receive(recipient, number=2, subject="Báo cáo tài chính quý I")
    receive_package(
        clerk, agency=recipient, raw=(HOSTILE / "xxe-file.edxml").read_bytes(), source="web"
    )
    client.force_login(clerk)
    page = client.get(HOME, {"q": "tài chính"}).content.decode()
    assert "Báo cáo tài chính quý I" in page and "Kế hoạch chuyển đổi số" not in page
    response = client.get(HOME, {"state": "quarantined"})
    assert [p.error_code for p in response.context["page"].object_list] == ["doctype"]
    response = client.get(HOME, {"signature": "unverifiable"})
    assert response.context["page"].paginator.count == 2
    response = client.get(HOME, {"date_from": "01/01/2020", "date_to": "31/12/2019"})
    assert "Ngày kết thúc không được trước ngày bắt đầu" in response.content.decode()
    assert "Không có gói tin nào khớp" in client.get(HOME, {"q": "không có"}).content.decode()


def test_list_is_paginated_with_constant_queries(
    client, recipient, clerk, django_assert_max_num_queries
):
    for number in range(3):
        receive(recipient, number=number)
    client.force_login(clerk)
    client.get(HOME)  # warm the session and the role cache
    with django_assert_max_num_queries(12) as small:
        client.get(HOME)
    for number in range(3, 28):
        receive(recipient, number=number)
    for name in ("xxe-file.edxml", "wrong-recipient.edxml"):  # refused rows show why
        receive_package(clerk, agency=recipient, raw=(HOSTILE / name).read_bytes(), source="web")
    receive_package(
        clerk,
        agency=recipient,
        raw=build_document_package(make_package(subject="")),
        source="web",
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(HOME)
    page = response.context["page"]
    assert len(page.object_list) == 25
    assert page.paginator.num_pages == 2
    assert "Gói tin có 1 lỗi" in response.content.decode()
    assert "Trang 1 / 2" in response.content.decode()
    assert len(client.get(HOME, {"page": 2}).context["page"].object_list) == 6


def test_upload_of_the_interop_sample(client, sample_recipient, sample_clerk):
    client.force_login(sample_clerk)
    response = client.post(
        reverse("exchange:upload"),
        {"file": SimpleUploadedFile("hub-sample-new.edxml", sample(SAMPLE_NEW))},
        follow=True,
    )
    page = response.content.decode()
    package = ReceivedPackage.objects.get()
    assert response.redirect_chain[-1][0] == reverse("exchange:package_detail", args=[package.pk])
    assert "Đã nhận và kiểm tra gói tin" in page
    assert "Báo cáo tài chính tỉnh" in page
    assert "Chữ ký không kiểm chứng được" in page
    assert "bị cắt cụt hoặc hỏng" in page  # the certificate is truncated
    assert "1896_QD-TTg_m_294779.doc" in page
    assert "30/10/2020" in page
    assert package.source == "web" and package.received_by == sample_clerk


def test_upload_of_a_hostile_file_shows_the_refusal(client, recipient, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("exchange:upload"),
        {"file": SimpleUploadedFile("x.edxml", (HOSTILE / "xxe-file.edxml").read_bytes())},
        follow=True,
    )
    page = response.content.decode()
    assert "Gói tin bị từ chối" in page
    assert "khai báo kiểu tài liệu (DOCTYPE)" in page
    assert "cách ly" in page
    assert ReceivedPackage.objects.get().state == PackageState.QUARANTINED


def test_upload_larger_than_the_limit(client, recipient, clerk, settings):
    settings.COQUAN_EXCHANGE_MAX_PACKAGE_BYTES = 100
    client.force_login(clerk)
    response = client.post(
        reverse("exchange:upload"),
        {"file": SimpleUploadedFile("x.edxml", b"<a>" * 100)},
        follow=True,
    )
    assert "tối đa 100 byte" in response.content.decode()
    assert ReceivedPackage.objects.get().raw_size == 300


def test_upload_without_a_file(client, recipient, clerk):
    client.force_login(clerk)
    response = client.post(reverse("exchange:upload"), {})
    assert response.status_code == 200
    assert "Trường này là bắt buộc" in response.content.decode()
    assert ReceivedPackage.objects.count() == 0


def test_detail_and_downloads(client, recipient, clerk):
    package = receive(recipient)
    client.force_login(clerk)
    page = client.get(reverse("exchange:package_detail", args=[package.pk])).content.decode()
    assert "V/v triển khai chuyển đổi số cấp xã năm 2026" in page
    assert "Sở Thông tin và Truyền thông tỉnh Bắc Giang" in page
    assert "02/03/2026" in page
    assert "Gói tin không được ký" in page
    assert "cong-van-125.pdf" in page
    assert "Đã đến" in page  # the status 01 built for the sender
    download = client.get(reverse("exchange:attachment_download", args=[package.pk, 1]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    raw = client.get(reverse("exchange:package_raw", args=[package.pk]))
    assert b"".join(raw.streaming_content).startswith(b"<?xml")
    assert raw["Content-Type"] == "application/octet-stream"
    missing = client.get(reverse("exchange:attachment_download", args=[package.pk, 9]))
    assert missing.status_code == 404


def test_other_agency_gets_404(client, recipient):
    package = receive(recipient)
    other = AgencyFactory(organ_id="000.02.40.H06")
    client.force_login(make_member(other, "clerk"))
    assert client.get(reverse("exchange:package_detail", args=[package.pk])).status_code == 404
    url = reverse("exchange:attachment_download", args=[package.pk, 1])
    assert client.get(url).status_code == 404


def test_refuse_from_the_detail_page(client, recipient, clerk):
    package = receive(recipient)
    client.force_login(clerk)
    url = reverse("exchange:package_refuse", args=[package.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Trường này là bắt buộc" in response.content.decode()
    response = client.post(url, {"reason": "Gửi nhầm cơ quan"}, follow=True)
    page = response.content.decode()
    assert "Đã từ chối văn bản" in page
    assert "Gửi nhầm cơ quan" in page
    package.refresh_from_db()
    assert package.state == PackageState.REFUSED
    again = client.post(url, {"reason": "Lần nữa"})
    assert again.status_code == 400
    assert "Chỉ có thể từ chối văn bản đã nhận" in again.content.decode()


def test_signed_package_from_a_known_sender_shows_valid(client, recipient, sender_agency, clerk):
    raw = build_document_package(make_package(), signer=signer_for(SENDER))
    package = receive_package(clerk, agency=recipient, raw=raw, source="web").package
    client.force_login(clerk)
    page = client.get(reverse("exchange:package_detail", args=[package.pk])).content.decode()
    assert "Chữ ký hợp lệ" in page
    assert SENDER in page


def test_admin_sees_the_signing_key_state(client, recipient):
    admin = make_member(recipient, "admin")
    client.force_login(admin)
    page = client.get(HOME).content.decode()
    assert f"exchange_generate_key --agency {RECIPIENT}" in page
