"""BTS import: 5,000 rows with invalid ones — valid rows imported, each invalid row reported
with its reason; a fatal problem (unreadable file, wrong columns, oversized) imports nothing."""

from __future__ import annotations

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coquan.audit.models import AuditEntry
from coquan.registry import actions
from coquan.registry.models import BtsStation
from coquan.registry.tests.conftest import xlsx_file

pytestmark = pytest.mark.django_db

HEADER = [
    "Doanh nghiệp",
    "Mã trạm",
    "Địa chỉ",
    "Xã, phường",
    "Vĩ độ",
    "Kinh độ",
    "Loại trạm",
    "Chiều cao (m)",
    "Số giấy phép",
    "Ngày cấp phép",
    "Trạng thái",
]
OPERATORS = ["Viettel", "VNPT", "MobiFone", "Vietnamobile"]


def generate(count: int, seed: int = 8):
    """``count`` data rows; about one in twenty is broken in one of six ways.

    Returns the rows and {spreadsheet row number: expected words in the reason}.
    """
    rng = random.Random(seed)
    rows, broken = [], {}
    for n in range(count):
        number = n + 2  # the header is row 1
        row = [
            OPERATORS[n % 4],
            f"BG{n:05d}",
            f"Thôn {n % 97}, xã {n % 211}",
            "UBND xã Tân Tiến" if n % 3 == 0 else f"Xã số {n % 50}",
            round(21.0 + rng.random() * 0.6, 6),
            round(105.9 + rng.random() * 0.9, 6),
            "loại 1" if n % 2 else "Loại 2 (cột trên công trình)",
            30 + n % 20,
            f"{n}/GPXD",
            "15/03/2008",
            "Đang phát sóng",
        ]
        fault = n % 20 == 7 and n % 6
        if fault == 1:
            row[4] = 48.5  # outside Vietnam
            broken[number] = "Vĩ độ"
        elif fault == 2:
            row[1] = ""
            broken[number] = "Mã trạm"
        elif fault == 3:
            row[6] = "loại 9"
            broken[number] = "Loại trạm"
        elif fault == 4:
            row[5] = "một trăm lẻ sáu"
            broken[number] = "Kinh độ"
        elif fault == 5:
            row[1] = f"BG{n - 1:05d}"  # the same station as the row above
            row[0] = OPERATORS[(n - 1) % 4]
            broken[number] = "Mã trạm"
        elif n == 3:
            row[9] = "31/02/2008"
            broken[number] = "Ngày cấp phép"
        rows.append(row)
    return rows, broken


def test_five_thousand_rows_import_the_valid_and_report_each_invalid(client, dept):
    actions.create_bts_station(
        dept.officer,
        agency=dept.agency,
        operator="Viettel",
        code="BG00000",
        address="Có sẵn",
        latitude="21.1",
        longitude="106.1",
        station_type="type1",
    )
    rows, broken = generate(5000)
    broken[2] = "đã có trong sổ"  # row 2 repeats the station already in the register
    client.force_login(dept.officer)
    response = client.post(
        reverse("registry:bts_import") + f"?agency={dept.agency.pk}",
        {"file": xlsx_file([HEADER, *rows], "tram-bts.xlsx")},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result.total == 5000
    assert result.created == 5000 - len(broken)
    assert BtsStation.objects.filter(agency=dept.agency).count() == 1 + result.created
    reported = {}
    for error in result.errors:
        reported.setdefault(error.row, []).append(f"{error.column}: {error.message}")
    assert set(reported) == set(broken)
    for row, words in broken.items():
        assert any(words in text for text in reported[row]), (row, reported[row])
    page = response.content.decode()
    assert "Các dòng bị từ chối và lý do" in page
    assert "Vĩ độ" in page and "Giá trị phải từ 6.0 đến 23.5." in page
    # Communes matching an agency of the directory are linked, others kept as text.
    assert BtsStation.objects.filter(commune=dept.commune).count() > 1000
    assert BtsStation.objects.filter(commune_name="Xã số 1").exists()
    # One audit entry for the whole import.
    entry = AuditEntry.objects.get(action="registry.bts.import")
    assert entry.after == {"created": result.created, "refused_rows": len(broken)}


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            lambda: xlsx_file([["operator", "code", "lat", "lon"], ["Viettel", "X1", 21, 106]]),
            "Dòng tiêu đề không đúng mẫu",
        ),
        (
            lambda: SimpleUploadedFile("tram.xlsx", b"PK\x03\x04 not really a workbook"),
            "Không đọc được tệp Excel",
        ),
        (lambda: SimpleUploadedFile("tram.xlsx", b"just text"), "không phải là tệp Excel"),
        (lambda: SimpleUploadedFile("tram.pdf", b"%PDF-1.4"), "Kiểu tệp không được hỗ trợ"),
        (lambda: xlsx_file([HEADER]), "Tệp không có dòng dữ liệu nào"),
    ],
)
def test_fatal_file_problems_import_nothing(client, dept, upload, message):
    client.force_login(dept.officer)
    response = client.post(reverse("registry:bts_import"), {"file": upload()})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["result"] is None
    assert not BtsStation.objects.exists()
    assert not AuditEntry.objects.filter(action="registry.bts.import").exists()


def test_oversized_file_imports_nothing(client, dept, settings):
    rows, _broken = generate(300)
    upload = xlsx_file([HEADER, *rows])
    settings.COQUAN_MAX_UPLOAD_BYTES = upload.size - 1
    client.force_login(dept.officer)
    response = client.post(reverse("registry:bts_import"), {"file": upload})
    assert "Tệp quá lớn" in response.content.decode()
    assert not BtsStation.objects.exists()


def test_api_import_reports_rows_and_refuses_fatal_files(api_client, dept):
    api_client.force_login(dept.officer)
    rows, broken = generate(200)
    response = api_client.post(
        "/api/v1/registry/bts-stations/import/",
        {"file": xlsx_file([HEADER, *rows])},
        format="multipart",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["created"] == 200 - len(broken)
    assert {e["row"] for e in body["errors"]} == set(broken)
    assert all(e["message"] for e in body["errors"])
    bad = api_client.post(
        "/api/v1/registry/bts-stations/import/",
        {"file": xlsx_file([["code"], ["X"]])},
        format="multipart",
    )
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["code"] == "invalid"
    assert "file" in error["details"]
    assert BtsStation.objects.count() == 200 - len(broken)


def test_template_download_is_a_valid_import_file(client, dept):
    client.force_login(dept.officer)
    template = client.get(reverse("registry:bts_import_template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = SimpleUploadedFile("mau.xlsx", template.content)
    response = client.post(reverse("registry:bts_import"), {"file": upload})
    assert response.context["result"].created == 1
    station = BtsStation.objects.get()
    assert station.status == "permitted" and station.station_type == "type1"
