"""The catalogue as XLSX: a round trip keeps every field, every problem is listed with its
sheet and row, and nothing is written when any row is wrong."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member
from coquan.onestop import catalogue_io, catalogue_xlsx
from coquan.onestop.models import Procedure
from coquan.onestop.tests.conftest import make_procedure


def _workbook(office) -> bytes:
    procedures = Procedure.objects.filter(agency=office.agency, state="published").order_by("code")
    return catalogue_xlsx.export_workbook(office.agency, procedures)


def _edit(content: bytes, sheet: str, cell: str, value) -> bytes:
    book = load_workbook(io.BytesIO(content))
    book[sheet][cell] = value
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _other_agency():
    other = AgencyFactory(organ_id="000.00.20.H06", name="Sở Khoa học", short_name="SKHCN")
    UnitFactory(agency=other, code="BCVT", name="Phòng Viễn thông")
    admin = make_member(other, "admin", username="other_admin")
    return other, admin


@pytest.mark.django_db
def test_export_then_import_keeps_every_field(office):
    make_procedure(office.admin, office.agency, office.telecom, code="1.000002", name="Đại lý")
    content = _workbook(office)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Thủ tục", "Thành phần hồ sơ", "Các bước"]
    header = [c.value for c in book["Thủ tục"][1]]
    assert header[:3] == ["STT", "Mã thủ tục", "Tên thủ tục"]
    assert book["Thủ tục"]["B2"].value == "1.000002"
    assert book["Thành phần hồ sơ"].max_row == 1 + 8  # 4 papers per procedure
    assert book["Các bước"]["C2"].value == "BCVT"
    other, admin = _other_agency()
    created = catalogue_xlsx.import_workbook(admin, agency=other, content=content, publish=True)
    assert [p.code for p in created] == ["1.000002", "1.005129"]
    source = catalogue_io.export_catalogue(
        office.agency, Procedure.objects.filter(agency=office.agency).order_by("code")
    )["procedures"]
    copied = catalogue_io.export_catalogue(
        other, Procedure.objects.filter(agency=other).order_by("code")
    )["procedures"]
    assert copied == source


@pytest.mark.django_db
def test_every_problem_is_listed_with_its_row_and_nothing_is_written(office):
    content = _workbook(office)
    content = _edit(content, "Thủ tục", "J2", "một trăm")  # fee
    content = _edit(content, "Thủ tục", "L2", "năm")  # time limit
    content = _edit(content, "Thành phần hồ sơ", "F3", "có lẽ")  # mandatory
    content = _edit(content, "Thành phần hồ sơ", "A4", "9.999999")  # unknown procedure
    content = _edit(content, "Các bước", "C3", "KHONGCO")  # unknown unit
    other, admin = _other_agency()
    with pytest.raises(catalogue_xlsx.ValidationError) as caught:
        catalogue_xlsx.import_workbook(admin, agency=other, content=content)
    problems = caught.value.message_dict["file"]
    assert problems == [
        "Trang “Thủ tục”, dòng 2: Lệ phí (đồng) phải là số nguyên.",
        "Trang “Thành phần hồ sơ”, dòng 3: Bắt buộc phải là “có” hoặc “không”.",
        "Trang “Thành phần hồ sơ”, dòng 4: không có thủ tục mã “9.999999” trong trang “Thủ tục”.",
        "Trang “Thủ tục”, dòng 2 (1.005129): “năm” không phải là số.",
        "Trang “Thủ tục”, dòng 2 (1.005129), bước 2: cơ quan không có đơn vị mã KHONGCO.",
    ]
    assert not Procedure.objects.filter(agency=other).exists()


@pytest.mark.django_db
def test_rules_of_the_import_action_name_the_row(office):
    # A second procedure of the file is wrong for the action (unknown time unit): the first,
    # valid one is not written either.
    make_procedure(office.admin, office.agency, office.telecom, code="1.000002", name="Đại lý")
    content = _edit(_workbook(office), "Thủ tục", "M3", "tuần")
    other, admin = _other_agency()
    with pytest.raises(catalogue_xlsx.ValidationError) as caught:
        catalogue_xlsx.import_workbook(admin, agency=other, content=content)
    problems = caught.value.message_dict["file"]
    assert len(problems) == 1
    assert problems[0].startswith("Trang “Thủ tục”, dòng 3 (1.005129): ")
    assert not Procedure.objects.filter(agency=other).exists()


@pytest.mark.django_db
def test_not_a_workbook(office):
    for content in (b"%PDF-1.4 not a workbook", b"PK\x03\x04 broken zip"):
        with pytest.raises(catalogue_xlsx.ValidationError) as caught:
            catalogue_xlsx.import_workbook(office.admin, agency=office.agency, content=content)
        assert caught.value.message_dict["file"] == ["Tệp không phải là bảng tính Excel (.xlsx)."]
    book = load_workbook(io.BytesIO(_workbook(office)))
    del book["Các bước"]
    output = io.BytesIO()
    book.save(output)
    with pytest.raises(catalogue_xlsx.ValidationError) as caught:
        catalogue_xlsx.import_workbook(
            office.admin, agency=office.agency, content=output.getvalue()
        )
    assert caught.value.message_dict["file"] == ["Bảng tính không có trang “Các bước”."]


@pytest.mark.django_db
def test_import_page_lists_the_problems(client, office):
    other, admin = _other_agency()
    client.force_login(admin)
    content = _edit(_workbook(office), "Thủ tục", "J2", -5)
    upload = SimpleUploadedFile("danh-muc.xlsx", content)
    response = client.post(reverse("onestop:procedure_import_xlsx"), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Chưa nhập gì: có 1 lỗi cần sửa." in body
    assert "Trang “Thủ tục”, dòng 2: Lệ phí (đồng) phải là số nguyên." in body
    upload = SimpleUploadedFile("danh-muc.xlsx", _workbook(office))
    response = client.post(
        reverse("onestop:procedure_import_xlsx"), {"file": upload, "publish": "on"}
    )
    assert response.status_code == 302
    assert Procedure.objects.get(agency=other).state == "published"


@pytest.mark.django_db
def test_export_download(client, office):
    client.force_login(office.officer)
    response = client.get(reverse("onestop:catalogue_export_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('danh-muc-thu-tuc-000.00.14.H06.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book["Thủ tục"]["C2"].value == "Cấp phép xây dựng công trình trạm BTS"


def _setup(world):
    if "procedure" not in world.objects:
        admin = make_member(world.agency, "admin", username="xlsx_setup_admin")
        unit = UnitFactory(agency=world.agency, code="BCVT", name="Phòng Viễn thông")
        world.objects["procedure"] = make_procedure(admin, world.agency, unit)


def _upload(world):
    procedures = Procedure.objects.filter(agency=world.agency, state="published")
    content = catalogue_xlsx.export_workbook(world.agency, procedures)  # → a new version
    return {"file": SimpleUploadedFile("c.xlsx", content)}


ENDPOINTS = [
    Endpoint(
        "export-xlsx",
        lambda w: f"{reverse('onestop:catalogue_export_xlsx')}?agency={w.agency.pk}",
        setup=_setup,
    ),
    Endpoint(
        "import-xlsx-form",
        lambda w: f"{reverse('onestop:procedure_import_xlsx')}?agency={w.agency.pk}",
        roles=("admin",),
        setup=_setup,
    ),
    Endpoint(
        "import-xlsx-post",
        lambda w: f"{reverse('onestop:procedure_import_xlsx')}?agency={w.agency.pk}",
        method="post",
        roles=("admin",),
        setup=_setup,
        data=_upload,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint,actor", access_matrix_params(ENDPOINTS))
def test_access_matrix(client, world, endpoint, actor):
    response = check_access(client, world, endpoint, actor)
    if endpoint.allowed(actor) and endpoint.method == "post":
        assert response.status_code == 302, response.content[-2000:]
