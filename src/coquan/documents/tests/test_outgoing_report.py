"""The outgoing handling report (issue 4, part 7): counts, waiting steps, access, PDF/XLSX, API."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coquan.core.testing.factories import make_member
from coquan.documents import actions, outgoing_report
from coquan.documents.choices import TaskKind, TaskState
from coquan.documents.models import ChainTask, OutgoingDocument

pytestmark = pytest.mark.django_db

PAGE = reverse("documents:outgoing_report")
API = "/api/v1/outgoing-report/"


def _world(dept, extra: int = 0):
    """Documents of the CNTT unit (drafter: officer) in every state, and one of BCVT."""
    issued = dept.advance(dept.draft(subject="Đã ban hành"), "issued")
    # Two days from draft to issue.
    OutgoingDocument.objects.filter(pk=issued.pk).update(
        created_at=issued.issued_at - dt.timedelta(days=2)
    )
    opinion = dept.advance(dept.draft(subject="Chờ ý kiến"), "in_review", opinions=[dept.officer2])
    actions.review(dept.unit_leader, document=opinion, comment="Đồng ý")
    ChainTask.objects.filter(
        document=opinion, kind=TaskKind.OPINION, state=TaskState.PENDING
    ).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    dept.advance(dept.draft(subject="Chờ xem xét"), "in_review")
    dept.advance(dept.draft(subject="Chờ ký"), "approved")
    dept.advance(dept.draft(subject="Chờ phát hành"), "signed")
    dept.draft(subject="Dự thảo")
    for index in range(extra):
        dept.draft(subject=f"Dự thảo thêm {index}")
    # A draft of the other unit, by officer2 (its own row).
    dept.draft(actor=dept.officer2, subject="Dự thảo phòng BCVT")
    return issued


def _today_report(user, dept, group="unit"):
    today = timezone.localdate()
    return outgoing_report.build(user, dept.agency, today - dt.timedelta(days=10), today, group)


def test_counts_per_unit_and_totals(dept):
    _world(dept)
    report = _today_report(dept.leader, dept)
    rows = {row.name: row.values for row in report.rows}
    assert set(rows) == {"Phòng Công nghệ thông tin", "Phòng Bưu chính, Viễn thông"}
    unit = rows["Phòng Công nghệ thông tin"]
    assert unit["created"] == 6
    assert unit["issued"] == 1 and unit["average_days"] == 2.0
    assert unit["at_drafter"] == 1  # the draft
    assert unit["review"] == 1  # waits for the unit leader
    assert unit["opinion"] == 1 and unit["overdue_opinions"] == 1
    assert unit["form_check"] == 0 and unit["approval"] == 0
    assert unit["to_sign"] == 1 and unit["to_issue"] == 1
    other = rows["Phòng Bưu chính, Viễn thông"]
    assert other["created"] == 1 and other["at_drafter"] == 1 and other["issued"] == 0
    assert report.totals["created"] == unit["created"] + 1
    assert report.totals["average_days"] == 2.0


def test_per_person(dept):
    _world(dept)
    report = _today_report(dept.clerk, dept, group="person")
    names = [row.name for row in report.rows]
    assert names == sorted(names, key=str.lower)
    assert {"Đỗ Đức Đạt", "Vũ Thị Ý Kiến"} == set(names)


def test_the_period_limits_created_and_issued_but_not_what_waits_now(dept):
    _world(dept)
    today = timezone.localdate()
    report = outgoing_report.build(
        dept.leader, dept.agency, today - dt.timedelta(days=400), today - dt.timedelta(days=40)
    )
    unit = next(r for r in report.rows if r.name == "Phòng Công nghệ thông tin").values
    assert unit["created"] == 0 and unit["issued"] == 0 and unit["average_days"] == ""
    assert unit["to_sign"] == 1 and unit["overdue_opinions"] == 1


def test_secret_documents_count_only_for_people_allowed(dept):
    dept.advance(dept.draft(subject="Mật", secrecy="confidential"), "issued")
    other_leader = make_member(dept.agency, "leader", username="pgd_khac")
    assert _today_report(dept.leader, dept).totals["issued"] == 1  # its signer
    assert _today_report(other_leader, dept).totals["issued"] == 0


def test_a_constant_number_of_queries(dept):
    _world(dept)
    with CaptureQueriesContext(connection) as small:
        _today_report(dept.leader, dept)
    for index in range(4):
        dept.draft(actor=dept.unit_leader, subject=f"Thêm {index}")
    extra = dept.draft(actor=dept.officer2, subject="Thêm ý kiến")
    actions.submit(dept.officer2, document=extra, form_check=True)
    with CaptureQueriesContext(connection) as large:
        report = _today_report(dept.leader, dept, group="person")
    assert len(large) == len(small) <= 4
    assert len(report.rows) == 3


def test_bad_periods_are_refused():
    today = timezone.localdate()
    for first, last in (
        (today, today - dt.timedelta(days=1)),
        (today - dt.timedelta(days=400), today),
    ):
        with pytest.raises(ValueError):
            outgoing_report.check_period(first, last)


# --- Page, files, API ---------------------------------------------------------------------------


def test_the_page_with_pdf_and_xlsx(client, dept):
    _world(dept)
    client.force_login(dept.clerk)
    response = client.get(PAGE)
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="report-table"' in body
    assert "Phòng Công nghệ thông tin" in body and "Yêu cầu góp ý quá hạn" in body

    response = client.get(PAGE + "?group=person&format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐI"
    people = {row[0]: row for row in values[5:]}
    assert people["Đỗ Đức Đạt"][2] == 1 and people["Đỗ Đức Đạt"][3] == 2.0
    assert values[-1][0] == "Tổng cộng"

    response = client.get(PAGE + "?format=pdf")
    assert response["Content-Type"] == "application/pdf" and response.content[:4] == b"%PDF"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "Phòng Công nghệ thông tin" in text


def test_a_bad_period_shows_the_form_again(client, dept):
    client.force_login(dept.leader)
    response = client.get(PAGE + "?date_from=10/05/2026&date_to=01/05/2026&format=xlsx")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ngày đầu không được sau ngày cuối" in body
    response = client.get(PAGE + "?date_from=hôm-qua&date_to=01/05/2026")
    assert response.status_code == 200 and "dd/mm/yyyy" in response.content.decode()


def test_only_clerks_and_leaders(client, dept):
    for person in (dept.officer, dept.unit_leader, dept.admin):
        client.force_login(person)
        assert client.get(PAGE).status_code == 403
    client.force_login(dept.outsider)
    assert client.get(PAGE + f"?agency={dept.agency.pk}").status_code == 404


def test_the_api(api_client, dept):
    _world(dept)
    today = timezone.localdate()
    query = f"?date_from={today - dt.timedelta(days=10)}&date_to={today}"
    api_client.force_authenticate(dept.leader)
    response = api_client.get(API + query)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["group"] == "unit" and body["date_to"] == str(today)
    unit = next(r for r in body["rows"] if r["name"] == "Phòng Công nghệ thông tin")
    assert unit["id"] == dept.unit.pk and unit["issued"] == 1 and unit["average_days"] == 2.0
    assert unit["overdue_opinions"] == 1 and body["totals"]["to_sign"] == 1
    bad = api_client.get(API + f"?date_from={today}&date_to={today - dt.timedelta(days=3)}")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    missing = api_client.get(API)
    assert missing.status_code == 400 and "date_from" in missing.json()["error"]["details"]
    api_client.force_authenticate(dept.officer)
    assert api_client.get(API + query).status_code == 403
