"""Org-tree import: all rows checked first, all or nothing, row-level report, bad files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from coquan.accounts.models import User
from coquan.audit.models import AuditEntry
from coquan.org import actions, importing
from coquan.org.models import Membership, Position, Unit
from coquan.org.tests.conftest import PAST

pytestmark = pytest.mark.django_db

HEADER = (
    "kind,code,name,parent_code,valid_from,username,full_name,email,unit_code,position,roles,"
    "start_date\n"
)
GOOD_CSV = (
    HEADER
    + """\
person,,,,,nguyenvana,Nguyễn Văn A,a@example.gov.vn,VP-TH,Chuyên viên,clerk;officer,01/07/2025
unit,VP-TH,Tổ Tổng hợp,VP,01/07/2025,,,,,,,
unit,VP,Văn phòng Sở,,01/07/2025,,,,,,,
unit,CNTT,Phòng Công nghệ thông tin,,,,,,,,,
person,,,,,tranthib,Trần Thị B,,CNTT,Trưởng phòng,unit_leader,
"""
)


def upload(content: bytes | str, name: str = "org.csv") -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(admin, agency, content, name="org.csv"):
    table = importing.read_table(upload(content, name))
    return actions.import_org_tree(admin, agency=agency, table=table, filename=name)


def row_errors(admin, agency, content, name="org.csv"):
    with pytest.raises(importing.ImportRowErrors) as exc_info:
        run_import(admin, agency, content, name)
    return [(e.row, e.column, e.message) for e in exc_info.value.row_errors]


def test_good_csv_imports_everything_in_any_order(agency, admin):
    before = AuditEntry.objects.count()
    counts = run_import(admin, agency, GOOD_CSV)
    assert counts == {"units": 3, "people": 2, "positions": 2}
    vp = Unit.objects.get(agency=agency, code="VP")
    team = Unit.objects.get(agency=agency, code="VP-TH")
    assert team.parent == vp and team.valid_from == dt.date(2025, 7, 1)
    a = Membership.objects.get(user__username="nguyenvana")
    assert a.unit == team and a.position.name == "Chuyên viên"
    assert a.role_codes() == {"clerk", "officer"}
    assert a.start_date == dt.date(2025, 7, 1)
    assert a.user.email == "a@example.gov.vn" and not a.user.has_usable_password()
    assert Membership.objects.get(user__username="tranthib").role_codes() == {"unit_leader"}
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "org.import"
    assert entry.after == {"file": "org.csv", "units": 3, "people": 2, "positions": 2}


def test_good_xlsx_imports_everything(agency, admin):
    actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng", valid_from=PAST)
    actions.create_position(admin, agency=agency, name="Chuyên viên")
    rows = [
        ["Loại", "Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Hiệu lực từ"],
        ["unit", "TCHC", '=HYPERLINK("http://x","Tổ chức")', "VP", dt.datetime(2025, 7, 1)],
        ["đơn vị", 101, "Tổ 101", "TCHC", "02/07/2025"],
    ]
    data = xlsx_bytes(rows)
    counts = run_import(admin, agency, data, "to-chuc.xlsx")
    assert counts["units"] == 2
    tchc = Unit.objects.get(agency=agency, code="TCHC")
    assert tchc.name == '=HYPERLINK("http://x","Tổ chức")'  # stored as text, never evaluated
    assert tchc.valid_from == dt.date(2025, 7, 1)
    assert Unit.objects.get(agency=agency, code="101").parent == tchc
    people = [
        ["kind", "username", "full_name", "unit_code", "position", "roles"],
        ["person", "lethic", "Lê Thị C", "101", "chuyên viên", "officer"],
    ]
    run_import(admin, agency, xlsx_bytes(people), "nguoi.xlsx")
    membership = Membership.objects.get(user__username="lethic")
    assert membership.position.name == "Chuyên viên"
    assert Position.objects.filter(agency=agency).count() == 1


def test_one_bad_row_imports_nothing_and_names_row_and_column(agency, admin):
    bad = GOOD_CSV + "unit,PKT,Phòng Kế toán,,31/02/2025,,,,,,,\n"
    errors = row_errors(admin, agency, bad)
    assert errors == [(7, "valid_from", "Ngày 31/02/2025 không hợp lệ: hãy dùng dạng dd/mm/yyyy.")]
    assert not Unit.objects.filter(agency=agency).exists()
    assert not User.objects.filter(username__in=["nguyenvana", "tranthib"]).exists()
    assert not AuditEntry.objects.filter(action="org.import").exists()


def test_every_kind_of_row_error_is_reported(agency, admin):
    actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng")
    old = actions.create_unit(admin, agency=agency, code="CU", name="Cũ", valid_from=PAST)
    actions.close_unit(admin, unit=old, valid_to=PAST)
    content = (
        "kind,code,name,parent_code,username,full_name,email,unit_code,roles\n"
        "unit,vp,Trùng với CSDL,,,,,,\n"  # 2: code exists in the database
        "unit,A,A,B,,,,,\n"  # 3: loop A -> B -> A
        "unit,B,B,A,,,,,\n"  # 4
        "unit,C,C,KHONGCO,,,,,\n"  # 5: unknown parent
        "unit,C,C lần hai,,,,,,\n"  # 6: repeated in the file
        "unit,D,D,CU,,,,,\n"  # 7: parent closed
        "person,,,,quantri,Trùng tài khoản,,,\n"  # 8: username taken
        "person,,,,moi1,Người Một,khong-email,ZZ,boss;clerk\n"  # 9: email, unit, role
        "person,,,,MOI1,Người Lặp,,,\n"  # 10: repeated username
        "person,,,,,,,,\n"  # skipped: empty apart from kind? no: kind only
        "robot,,,,,,,,\n"  # 12: unknown kind
        "unit,=1+1,,,,,,,\n"  # 13: bad code, missing name
    )
    errors = row_errors(admin, agency, content)
    by_row: dict[int, set[str]] = {}
    for row, column, _message in errors:
        by_row.setdefault(row, set()).add(column)
    assert by_row[2] == {"code"}
    assert by_row[3] == {"parent_code"} and by_row[4] == {"parent_code"}
    assert by_row[5] == {"parent_code"}
    assert by_row[6] == {"code"}
    assert by_row[7] == {"parent_code"}
    assert by_row[8] == {"username"}
    assert by_row[9] == {"email", "unit_code", "roles"}
    assert by_row[10] == {"username"}
    assert by_row[11] == {"username", "full_name"}
    assert by_row[12] == {"kind"}
    assert by_row[13] == {"code", "name"}
    messages = " ".join(m for _r, _c, m in errors)
    assert "đã có ở dòng 5" in messages and "vòng lặp" in messages and "boss" in messages
    assert Unit.objects.filter(agency=agency).count() == 2


def test_header_problems_are_reported_on_row_one(agency, admin):
    errors = row_errors(admin, agency, "code,name,mystery\nVP,Văn phòng,x\n")
    assert (1, "mystery", "Cột không đúng mẫu.") in errors
    assert (1, "kind", "Thiếu cột kind (loại).") in errors
    errors = row_errors(admin, agency, "kind,code,code\nunit,A,B\n")
    assert errors == [(1, "code", "Cột này xuất hiện hai lần.")]
    errors = row_errors(admin, agency, "kind,code\nunit,A\n")
    assert errors == [(2, "name", "Dòng loại này cần có cột name.")]


def test_semicolon_separated_csv_with_bom(agency, admin):
    content = "\ufeffkind;code;name;roles\nunit;VP;Văn phòng;\n"
    assert run_import(admin, agency, content)["units"] == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("org.txt", b"kind\nunit", "Kiểu tệp không được hỗ trợ"),
        ("org", b"kind\nunit", "Kiểu tệp không được hỗ trợ"),
        ("org.csv", "kind,code,name\nunit,VP,Đoàn Văn\n".encode("cp1258"), "UTF-8"),
        ("org.csv", b"\x00\x01binary", "không phải là tệp văn bản CSV"),
        ("org.csv", b"", "không có dữ liệu"),
        ("org.csv", b"kind,code,name\n", "không có dòng dữ liệu"),
        ("org.csv", b'kind,code,name\nunit,"VP,Van\n', "sai định dạng"),
        ("org.xlsx", b"PK\x03\x04 not really a zip", "Không đọc được tệp Excel"),
        ("org.xlsx", b"kind,code\nunit,VP\n", "không phải là tệp Excel"),
    ],
)
def test_unreadable_files_get_a_clear_message(name, content, message):
    with pytest.raises(importing.ImportFileError) as exc_info:
        importing.read_table(upload(content, name))
    assert message in " ".join(exc_info.value.messages)


def test_oversized_upload_is_refused(settings, agency, admin):
    settings.COQUAN_MAX_UPLOAD_BYTES = 100
    with pytest.raises(importing.ImportFileError) as exc_info:
        importing.read_table(upload(GOOD_CSV))
    assert "Tệp quá lớn" in " ".join(exc_info.value.messages)


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    content = "kind,code,name\n" + "".join(f"unit,U{i},Đơn vị {i}\n" for i in range(5))
    with pytest.raises(importing.ImportFileError):
        importing.read_table(upload(content))


def test_template_imports_cleanly(agency, admin):
    counts = run_import(admin, agency, importing.template_csv())
    assert counts == {"units": 2, "people": 1, "positions": 1}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.binary(max_size=400) | st.text(max_size=400).map(lambda t: ("kind,code,name\n" + t).encode())
)
def test_any_input_gives_a_result_or_a_clear_error(agency, admin, data):
    try:
        table = importing.read_table(upload(data))
        importing.build_plan(agency, table)
    except (importing.ImportFileError, importing.ImportRowErrors) as exc:
        assert exc.messages


# --- Through the page ----------------------------------------------------------------------------


def test_import_page_shows_row_level_report(client, agency, admin):
    client.force_login(admin)
    bad = GOOD_CSV.replace("clerk;officer", "clerk;sếp")
    response = client.post("/org/import/", {"file": upload(bad)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "<td>2</td><td>roles</td>" in html
    assert "Vai trò không hợp lệ: sếp" in html
    assert not Unit.objects.filter(agency=agency).exists()


def test_import_page_success_and_bad_files(client, agency, admin, settings):
    client.force_login(admin)
    response = client.post("/org/import/", {"file": upload(GOOD_CSV)})
    assert response.status_code == 302
    assert Unit.objects.filter(agency=agency).count() == 3
    response = client.post("/org/import/", {"file": upload(b"x", "org.pdf")})
    assert "Kiểu tệp không được hỗ trợ" in response.content.decode()
    settings.COQUAN_MAX_UPLOAD_BYTES = 10
    response = client.post("/org/import/", {"file": upload(GOOD_CSV)})
    assert response.status_code == 200 and "Tệp quá lớn" in response.content.decode()
    response = client.post("/org/import/", {})
    assert response.status_code == 200 and "Trường này là bắt buộc." in response.content.decode()


def test_template_download(client, admin):
    client.force_login(admin)
    response = client.get("/org/import/template.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.startswith("kind,code,name,parent_code,valid_from,username")
