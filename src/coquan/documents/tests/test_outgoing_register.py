"""Sổ đăng ký văn bản đi (Decree 30/2020 App. IV) as a page, a PDF and an XLSX file."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from coquan.documents import actions, numbering
from coquan.documents.choices import Secrecy, SeriesScope

pytestmark = pytest.mark.django_db

REGISTER = reverse("documents:outgoing_register")


@pytest.fixture
def issued(dept):
    first = dept.advance(dept.draft(subject="V/v báo cáo hạ tầng", copies=3), "issued")
    second = dept.advance(dept.draft(subject="V/v kế hoạch năm"), "issued")
    actions.recall(dept.clerk, document=second, reason="Ban hành nhầm")
    dept.advance(dept.draft(secrecy=Secrecy.SECRET, subject="Văn bản mật"), "issued")
    return first, second


def test_the_register_lists_the_ten_columns_in_number_order(client, dept, issued):
    client.force_login(dept.clerk)
    series = numbering.default_series(dept.agency, SeriesScope.GENERAL)
    response = client.get(REGISTER + f"?series={series.pk}")
    rows = response.context["rows"]
    assert [row[0] for row in rows] == ["01/STTTT-CNTT", "02/STTTT-CNTT"]
    first = rows[0]
    assert first[1] == timezone.localdate().strftime("%d/%m/%Y")
    assert first[2] == "Công văn: V/v báo cáo hạ tầng"
    assert first[3] == "Giám đốc Lê Văn Quyết"
    assert "Sở Tài chính" in first[4] and "Lưu: VT, CNTT." in first[4]
    assert "Phòng Công nghệ thông tin" in first[5] and first[6] == "3"
    assert first[8] == ""  # signed on paper
    assert rows[1][9].startswith("Thu hồi ngày") or "thu hồi" in rows[1][9].lower()
    html = response.content.decode()
    assert "Sổ đăng ký văn bản đi" in html and "(10)" in html


def test_the_register_pdf_and_xlsx_carry_the_same_rows(client, dept, issued):
    from openpyxl import load_workbook

    client.force_login(dept.clerk)
    series = numbering.default_series(dept.agency, SeriesScope.GENERAL)
    pdf = client.get(REGISTER + f"?series={series.pk}&format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text
    assert "01/STTTT-CNTT" in text and "02/STTTT-CNTT" in text
    assert "Từ số 01 đến số 02" in text
    xlsx = client.get(REGISTER + f"?series={series.pk}&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    numbers = [row[0] for row in values if row[0] and str(row[0]).endswith("/STTTT-CNTT")]
    assert numbers == ["01/STTTT-CNTT", "02/STTTT-CNTT"]
    assert values[7][:3] == [
        "Số, ký hiệu văn bản",
        "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung",
    ]


def test_the_secret_register_is_apart(client, dept, issued):
    client.force_login(dept.clerk)
    secret = numbering.default_series(dept.agency, SeriesScope.SECRET)
    rows = client.get(REGISTER + f"?series={secret.pk}").context["rows"]
    assert [row[0] for row in rows] == ["01/STTTT-CNTT"]
    assert "Tối mật" in rows[0][9]


def test_officers_do_not_open_the_register(client, dept):
    client.force_login(dept.officer)
    assert client.get(REGISTER).status_code == 403


def test_the_register_page_has_a_constant_number_of_queries(
    client, dept, django_assert_max_num_queries
):
    dept.advance(dept.draft(), "issued")
    client.force_login(dept.clerk)
    with django_assert_max_num_queries(25) as few:
        client.get(REGISTER)
    for index in range(4):
        dept.advance(dept.draft(subject=f"Văn bản {index}"), "issued")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(REGISTER)
    assert len(response.context["rows"]) == 5
