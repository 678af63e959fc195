"""Sổ đăng ký văn bản đến, Sổ theo dõi giải quyết (Decree 30/2020 App. IV) and the handling
report: pages, PDF (read back with pdftotext), XLSX (read back with openpyxl), API, access."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from coquan.documents import actions
from coquan.documents.choices import Secrecy, Urgency
from coquan.documents.models import IncomingDocument

pytestmark = pytest.mark.django_db

REGISTER = reverse("documents:incoming_register", args=["register"])
TRACKING = reverse("documents:incoming_register", args=["tracking"])
REPORT = reverse("documents:handling_report")
API = "/api/v1/incoming-registers/"


def pdf_text(content: bytes) -> str:
    """The text of a PDF, read back with poppler's pdftotext, whitespace collapsed."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


def xlsx_values(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _assign(office, doc, *, lead_user=None, lead_unit=None, due):
    doc = actions.present(office.clerk, document=doc, leader=office.leader)
    return actions.assign(
        office.leader, document=doc, lead_user=lead_user, lead_unit=lead_unit, due_date=due
    )


@pytest.fixture
def handled(office):
    """Four ordinary documents in every state, and one secret document."""
    today = timezone.localdate()
    first = office.register(subject="V/v đề nghị cung cấp số liệu đầu tư", code_number="15")
    first = _assign(office, first, lead_user=office.officer, due=today + dt.timedelta(days=5))
    first = actions.start_handling(office.officer, document=first)
    first = actions.complete(office.officer, document=first, result_note="Đã gửi số liệu")
    second = office.register(
        subject="V/v kiểm tra công tác văn thư", urgency=Urgency.URGENT, code_number="22"
    )
    second = _assign(office, second, lead_unit=office.other_unit, due=today + dt.timedelta(days=3))
    # Overdue: the deadline was yesterday (set directly: the action refuses past deadlines).
    IncomingDocument.objects.filter(pk=second.pk).update(due_date=today - dt.timedelta(days=1))
    third = office.register(subject="V/v mời họp giao ban quý IV", code_number="31")
    fourth = office.register(subject="V/v góp ý dự thảo quy chế", code_number="88")
    fourth = _assign(office, fourth, lead_user=office.officer, due=today + dt.timedelta(days=2))
    fourth = actions.start_handling(office.officer, document=fourth)
    fourth = actions.complete(office.officer, document=fourth, result_note="Đã góp ý")
    # Done late: finished two days after its deadline.
    IncomingDocument.objects.filter(pk=fourth.pk).update(due_date=today - dt.timedelta(days=2))
    secret = office.register(
        subject="Kế hoạch bảo vệ bí mật", secrecy=Secrecy.SECRET, code_number="7"
    )
    return first, second, third, fourth, secret


def test_the_register_lists_the_ten_columns_in_arrival_order(client, office, handled):
    client.force_login(office.clerk)
    response = client.get(REGISTER)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row[1] for row in rows] == ["1", "2", "3", "4"]
    first = rows[0]
    today = timezone.localdate()
    assert first[0] == today.strftime("%d/%m/%Y")
    assert first[2] == "Bộ Khoa học và Công nghệ"
    assert first[3] == "15/BKHCN-CĐS"
    assert first[4] == (today - dt.timedelta(days=2)).strftime("%d/%m/%Y")
    assert first[5] == "Công văn: V/v đề nghị cung cấp số liệu đầu tư"
    assert first[6] == "Đỗ Chuyên Viên"
    assert first[7] == today.strftime("%d/%m/%Y") and first[8] == ""
    assert rows[1][9] == "Khẩn" and rows[1][6] == "Phòng Kế hoạch - Tài chính"
    html = response.content.decode()
    assert "Sổ đăng ký văn bản đến" in html and "(10)" in html
    assert "bảo vệ bí mật" not in html


def test_the_tracking_book_shows_deadline_progress_and_reply(client, office, handled):
    client.force_login(office.leader)
    rows = client.get(TRACKING).context["rows"]
    assert [len(row) for row in rows] == [7] * 4
    first, second, third, fourth = rows
    assert first[1].startswith("Công văn số 15/BKHCN-CĐS ngày ")
    assert first[1].endswith(", Bộ Khoa học và Công nghệ")
    assert first[4].startswith("Hoàn thành ngày") and "muộn" not in first[4]
    assert "quá hạn" in second[4]
    assert third[3] == "" and third[4] == "Đã vào sổ"
    assert "muộn" in fourth[4]
    assert "Đã góp ý" in fourth[6]


def test_the_pdf_and_xlsx_carry_the_same_rows(client, office, handled):
    client.force_login(office.clerk)
    pdf = client.get(REGISTER + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "private, no-store"
    text = pdf_text(pdf.content)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text
    assert "Từ số 1 đến số 4" in text
    assert "15/BKHCN-CĐS" in text and "V/v góp ý dự thảo quy chế" in text
    assert "bảo vệ bí mật" not in text
    values = xlsx_values(client.get(REGISTER + "?format=xlsx").content)
    assert values[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    header = next(i for i, row in enumerate(values) if row[0] == "Ngày đến")
    assert values[header][:3] == ["Ngày đến", "Số đến", "Tác giả"]
    assert values[header + 1][9] == "(10)"
    assert [row[1] for row in values[header + 2 :]] == ["1", "2", "3", "4"]
    tracking = pdf_text(client.get(TRACKING + "?format=pdf").content)
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in tracking and "quá hạn" in tracking


def test_the_secret_book_is_apart_and_only_for_people_granted(client, office, handled):
    client.force_login(office.clerk)  # the clerk who registered it holds a grant
    rows = client.get(REGISTER + "?book=incoming_secret").context["rows"]
    assert [row[5] for row in rows] == ["Công văn: Kế hoạch bảo vệ bí mật"]
    assert rows[0][9] == "Tối mật"
    client.force_login(office.leader)  # not granted: the secret book is empty for them
    assert client.get(REGISTER + "?book=incoming_secret").context["rows"] == []
    text = pdf_text(client.get(REGISTER + "?book=incoming_secret&format=pdf").content)
    assert "bảo vệ bí mật" not in text and "Sổ mật" in text
    report = client.get(REPORT).context["total"]
    assert report.received == 4  # the secret document is not counted for the leader


def test_the_handling_report_counts_per_unit_and_person(client, office, handled):
    client.force_login(office.leader)
    response = client.get(REPORT + "?group=person")
    rows = {row.label: row.as_list()[1:] for row in response.context["rows"]}
    # received, on time, late, open, overdue
    assert rows["Đỗ Chuyên Viên"] == [2, 1, 1, 0, 0]
    assert rows["Chưa có người chủ trì"] == [2, 0, 0, 2, 1]
    units = {row.label: row.as_list()[1:] for row in client.get(REPORT).context["rows"]}
    assert units["Phòng Kế hoạch - Tài chính"] == [1, 0, 0, 1, 1]
    assert units["Giao trực tiếp cho cá nhân"] == [2, 1, 1, 0, 0]
    assert units["Chưa giao"] == [1, 0, 0, 1, 0]
    assert client.get(REPORT).context["total"].as_list()[1:] == [4, 1, 1, 2, 1]
    values = xlsx_values(client.get(REPORT + "?group=person&format=xlsx").content)
    assert values[1][0] == "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN"
    assert ["Đỗ Chuyên Viên", 2, 1, 1, 0, 0] in values
    assert ["Tổng cộng", 4, 1, 1, 2, 1] in values


def test_the_period_filters_by_arrival_date(client, office, handled):
    client.force_login(office.clerk)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.get(REGISTER + f"?date_from={tomorrow}&date_to={tomorrow}")
    assert response.context["rows"] == []
    assert "Không có văn bản nào đến trong khoảng thời gian này" in response.content.decode()


@pytest.mark.parametrize(
    "query, field",
    [
        ("date_from=31/02/2026", "date_from"),
        ("date_from=10/05/2026&date_to=01/05/2026", "date_to"),
        ("date_from=01/01/2020&date_to=31/12/2026", "date_to"),
        ("book=outgoing", "book"),
    ],
)
def test_bad_periods_get_a_clear_error(client, office, query, field):
    client.force_login(office.clerk)
    response = client.get(REGISTER + "?" + query)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    api = client.get(API + "register/?" + query)
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "invalid"
    assert field in api.json()["error"]["details"]


def test_unknown_book_kind_is_404(client, office):
    client.force_login(office.clerk)
    assert client.get("/documents/incoming/books/nope/").status_code == 404


@pytest.mark.parametrize(
    "who, status",
    [("clerk", 200), ("leader", 200), ("unit_leader", 403), ("officer", 403), ("outsider", 404)],
)
def test_access_matrix(client, office, who, status):
    client.force_login(getattr(office, who))
    query = f"?agency={office.agency.pk}"
    for url in (REGISTER, TRACKING, REPORT, REGISTER + query + "&format=pdf"):
        if "?" not in url:
            url += query
        assert client.get(url).status_code == status, url
    for path in ("register/", "tracking/", "handling/", "register/?output=xlsx"):
        sep = "&" if "?" in path else "?"
        response = client.get(API + path + sep + query.lstrip("?"))
        assert response.status_code == status, path


def test_anonymous_people_are_sent_to_log_in(client):
    assert client.get(REGISTER).status_code == 302
    assert client.get(API + "register/").status_code in (401, 403)


def test_the_api_gives_rows_pdf_xlsx_and_the_report(client, office, handled):
    client.force_login(office.clerk)
    body = client.get(API + "register/").json()
    assert body["count"] == 4
    assert [r["arrival_number"] for r in body["results"]] == [1, 2, 3, 4]
    assert len(body["results"][0]["cells"]) == 10
    tracking = client.get(API + "tracking/?page_size=2").json()
    assert tracking["count"] == 4 and len(tracking["results"][0]["cells"]) == 7
    pdf = client.get(API + "tracking/?output=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "SỔ THEO DÕI GIẢI QUYẾT" in pdf_text(pdf.content)
    xlsx = client.get(API + "register/?output=xlsx")
    assert xlsx_values(xlsx.content)[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    report = client.get(API + "handling/?group=person").json()
    # The clerk holds the grant of the secret document, so the report counts it for them.
    assert report["total"]["received"] == 5 and report["total"]["done_late"] == 1
    bad = client.get(API + "handling/?output=pdf")
    assert bad.status_code == 400 and "output" in bad.json()["error"]["details"]


def test_pages_and_endpoints_run_a_constant_number_of_queries(
    client, office, django_assert_max_num_queries
):
    office.register()
    client.force_login(office.clerk)
    urls = [REGISTER, TRACKING, REPORT, API + "register/", API + "tracking/", API + "handling/"]
    budgets = {}
    for url in urls:
        with django_assert_max_num_queries(30) as few:
            client.get(url)
        budgets[url] = len(few.captured_queries)
    for index in range(5):
        doc = office.register(subject=f"Văn bản số {index}", code_number=str(100 + index))
        _assign(office, doc, lead_user=office.officer, due=timezone.localdate())
    for url in urls:
        with django_assert_max_num_queries(budgets[url]):
            client.get(url)
