"""The printed forms: text read back with pdftotext, the QR code compared pixel for pixel
with the code of the lookup address (no QR decoder is installed, so the code is decoded by
regenerating it), A5 pages."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageChops

from coquan.onestop import actions, pdf, presenters
from coquan.onestop.tests.conftest import at

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(done.stdout.split())


def pdf_images(data: bytes, tmp_path: Path) -> list[Path]:
    path = tmp_path / "images.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdfimages", "-png", str(path), str(tmp_path / "img")],
        check=True,
        capture_output=True,
    )
    return sorted(tmp_path.glob("img-*.png"))


def page_size_mm(data: bytes, tmp_path: Path) -> tuple[float, float]:
    path = tmp_path / "size.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        ["pdfinfo", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(row for row in done.stdout.splitlines() if row.startswith("Page size"))
    width, height = (float(x) for x in line.split(":")[1].split("pts")[0].split(" x "))
    return round(width / 72 * 25.4), round(height / 72 * 25.4)


def test_receipt_form_01_text_qr_and_size(office, tmp_path, settings):
    settings.COQUAN_PUBLIC_BASE_URL = "https://dichvucong.bacgiang.gov.vn"
    dossier = office.accept(at(2026, 2, 13, 16, 0))
    data = pdf.render_form("01", dossier)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data, tmp_path)
    assert "000.00.14.H06-260213-0001" in text
    assert "02/03/2026" in text  # the appointment, dd/mm/yyyy
    assert "13/02/2026" in text  # received
    assert "Cấp phép xây dựng công trình trạm BTS" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text.upper()
    assert "5 ngày làm việc" in text
    assert "Công ty Cổ phần Viễn thông Kinh Bắc" in text
    assert page_size_mm(data, tmp_path) == (148, 210)  # A5

    url = presenters.lookup_url(dossier.dossier_code)
    assert url == "https://dichvucong.bacgiang.gov.vn/onestop/lookup/000.00.14.H06-260213-0001/"
    # The QR image in the PDF is exactly the QR code of the lookup address.
    images = pdf_images(data, tmp_path)
    assert len(images) == 1
    embedded = Image.open(images[0]).convert("L")
    expected = Image.open(io.BytesIO(pdf.qr_png(url))).convert("L")
    assert embedded.size == expected.size
    assert ImageChops.difference(embedded, expected).getbbox() is None
    other = Image.open(io.BytesIO(pdf.qr_png(url + "x"))).convert("L")
    assert other.size != expected.size or ImageChops.difference(other, expected).getbbox()


def test_lookup_url_falls_back_to_the_request_host(office, rf, settings):
    settings.ALLOWED_HOSTS = ["motcua.example.gov.vn"]
    dossier = office.accept(at(2026, 2, 13, 10, 0))
    request = rf.get("/", HTTP_HOST="motcua.example.gov.vn")
    assert presenters.lookup_url(dossier.dossier_code, request) == (
        f"http://motcua.example.gov.vn/onestop/lookup/{dossier.dossier_code}/"
    )


def test_supplement_form_02_lists_everything_missing(office, tmp_path):
    dossier = actions.request_completion(
        office.desk,
        agency=office.agency,
        procedure=office.procedure,
        received_components=office.components("Đơn"),
        items=["Bản sao hợp đồng thuê vị trí đặt trạm"],
        at=at(2026, 3, 2, 9),
        **office.applicant(),
    )
    assert pdf.available_forms(dossier) == ["02"]
    text = pdf_text(pdf.render_form("02", dossier), tmp_path)
    for item in ("Bản vẽ thiết kế", "Giấy phép thiết lập mạng", "hợp đồng thuê vị trí"):
        assert item in text
    assert "BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text.upper()


def test_refusal_form_03_gives_the_reason(office, tmp_path):
    dossier = actions.refuse_reception(
        office.desk,
        agency=office.agency,
        procedure=office.procedure,
        reason="Vị trí đặt trạm thuộc hành lang an toàn sân bay.",
        at=at(2026, 3, 2, 9),
        **office.applicant(),
    )
    text = pdf_text(pdf.render_form("03", dossier), tmp_path)
    assert "hành lang an toàn sân bay" in text
    assert "TỪ CHỐI" in text.upper()
    with pytest.raises(ValidationError):
        pdf.render_form("01", dossier)


def test_apology_04_and_control_slip_05(office, tmp_path):
    dossier = office.accept(at(2026, 2, 26, 9, 0))  # due Thu 05/03/2026 17:00
    dossier = actions.forward(office.desk, dossier=dossier, at=at(2026, 2, 26, 10))
    dossier = actions.extend(
        office.officer,
        dossier=dossier,
        new_due_date=dt.date(2026, 3, 12),
        reason="Chờ ý kiến Cục Hàng không Việt Nam.",
        at=at(2026, 3, 3, 10),
    )
    text = pdf_text(pdf.render_form("04", dossier), tmp_path)
    assert "12/03/2026" in text and "05/03/2026" in text
    assert "Chờ ý kiến Cục Hàng không Việt Nam" in text
    assert "XIN LỖI" in text.upper()
    slip = pdf_text(pdf.render_form("05", dossier), tmp_path)
    assert "Phòng Bưu chính, Viễn thông" in slip
    assert "KIỂM SOÁT QUÁ TRÌNH" in slip.upper()
    assert "Đúng hạn" in slip  # the desk handed it over the same day
