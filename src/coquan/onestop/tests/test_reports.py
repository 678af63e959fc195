"""The standard report (§3.10) and the dossier register (form 06) on fixed cases whose
numbers a person can check by hand, built through the real actions.

The scenario (BTS procedure, 5 working days, received before 15:00 so counting starts the
next working day; Tết 2026 is 16–20/02), reported for March 2026, seen on 10/04/2026:

=====  =====================  ==============  ==========================================
Name   Accepted               Appointment     What happens
=====  =====================  ==============  ==========================================
A      Thu 26/02 09:00        Thu 05/03       approved Wed 04/03 → early (carried over)
B      Mon 23/02 09:00        Mon 02/03       approved Fri 27/02 → resolved before March
J      Tue 24/02 09:00        Tue 03/03       still in progress → late (carried over)
C      Mon 02/03 10:00        Mon 09/03       approved Mon 09/03 16:00 → on time
D      Tue 03/03 10:00        Tue 10/03       approved Wed 11/03 09:00 → late
E      Mon 16/03 10:00 online Mon 23/03       still in progress on 31/03 → late
F      Tue 31/03 10:00        Tue 07/04       still in progress → in time
G      Wed 04/03 10:00        —               supplement asked Thu 05/03 → paused
H      Thu 05/03 10:00        Thu 12/03       stopped Fri 06/03 → paused, in time
I      Wed 01/04 10:00        —               after the period
K      refused at the desk 10/03              never accepted: not counted
=====  =====================  ==============  ==========================================

March: carried over 2 (A, J); received 6 (online 1: E; direct 5); resolved 3 (early A, on
time C, late D); in progress 3 (in time F; late E, J); paused 2 (G, H, in time).
2 + 6 = 3 + 3 + 2.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import AgencyFactory, make_member
from coquan.onestop import actions, deadlines, reports
from coquan.onestop.choices import (
    PAUSED_STATUSES,
    RESOLVED_STATUSES,
    Channel,
    PendingState,
)
from coquan.onestop.models import Dossier
from coquan.onestop.tests.conftest import at

MARCH = reports.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
SEEN = at(2026, 4, 10, 10)


def _run(office, dossier, done, *, start):
    dossier = actions.forward(office.desk, dossier=dossier, assignee_user=office.officer, at=start)
    dossier = actions.forward(office.officer, dossier=dossier, at=start + dt.timedelta(hours=1))
    dossier = actions.forward(
        office.unit_leader,
        dossier=dossier,
        assignee_user=office.leader,
        at=start + dt.timedelta(hours=2),
    )
    return actions.approve(office.leader, dossier=dossier, result_note="GP", at=done)


def build_scenario(office) -> dict:
    d = {}
    d["A"] = office.accept(at(2026, 2, 26, 9))
    d["A"] = _run(office, d["A"], at(2026, 3, 4, 15), start=at(2026, 2, 27, 8))
    d["B"] = office.accept(at(2026, 2, 23, 9))
    d["B"] = _run(office, d["B"], at(2026, 2, 27, 15), start=at(2026, 2, 24, 8))
    d["J"] = office.accept(at(2026, 2, 24, 9))
    d["C"] = office.accept(at(2026, 3, 2, 10))
    d["C"] = _run(office, d["C"], at(2026, 3, 9, 16), start=at(2026, 3, 3, 8))
    d["D"] = office.accept(at(2026, 3, 3, 10))
    d["D"] = _run(office, d["D"], at(2026, 3, 11, 9), start=at(2026, 3, 4, 8))
    d["E"] = office.accept(at(2026, 3, 16, 10), channel=Channel.ONLINE)
    d["F"] = office.accept(at(2026, 3, 31, 10))
    d["G"] = office.accept(at(2026, 3, 4, 10))
    d["G"] = actions.forward(
        office.desk, dossier=d["G"], assignee_user=office.officer, at=at(2026, 3, 4, 14)
    )
    d["G"] = actions.request_supplement(
        office.officer, dossier=d["G"], items=["Bản vẽ móng"], at=at(2026, 3, 5, 9)
    )
    d["H"] = office.accept(at(2026, 3, 5, 10))
    d["H"] = actions.forward(
        office.desk, dossier=d["H"], assignee_user=office.officer, at=at(2026, 3, 5, 14)
    )
    d["H"] = actions.stop(
        office.officer, dossier=d["H"], reason="Không đủ điều kiện", at=at(2026, 3, 6, 9)
    )
    d["I"] = office.accept(at(2026, 4, 1, 10))
    d["K"] = actions.refuse_reception(
        office.desk,
        agency=office.agency,
        procedure=office.procedure,
        reason="Sai thẩm quyền",
        at=at(2026, 3, 10, 9),
        **office.applicant(),
    )
    return d


@pytest.fixture
def scenario(office):
    return build_scenario(office)


EXPECTED_MARCH = {
    "carried_over": 2,
    "online": 1,
    "direct": 5,
    "postal": 0,
    "early": 1,
    "on_time": 1,
    "late": 1,
    "withdrawn": 0,
    "progress_in_time": 1,
    "progress_late": 2,
    "paused_in_time": 2,
    "paused_late": 0,
}


@pytest.mark.django_db
def test_the_appointments_of_the_scenario_are_those_a_person_computes(office, scenario):
    due = {name: d.due_at for name, d in scenario.items() if d.due_at}
    assert due["A"] == at(2026, 3, 5, 17)
    assert due["B"] == at(2026, 3, 2, 17)
    assert due["J"] == at(2026, 3, 3, 17)
    assert due["C"] == at(2026, 3, 9, 17)
    assert due["D"] == at(2026, 3, 10, 17)
    assert due["E"] == at(2026, 3, 23, 17)
    assert due["F"] == at(2026, 4, 7, 17)
    assert due["H"] == at(2026, 3, 12, 17)
    assert "G" not in due  # the clock stopped
    assert [scenario[n].timeliness for n in "ABCD"] == ["early", "early", "on_time", "late"]


@pytest.mark.django_db
def test_standard_report_for_march(office, scenario):
    report = reports.build(office.leader, office.agency, MARCH, now=SEEN)
    assert report.total.counts == EXPECTED_MARCH
    total = report.total
    assert (total.received_total, total.received_in_period) == (8, 6)
    assert (total.resolved_total, total.progress_total, total.paused_total) == (3, 3, 2)
    assert total.received_total == total.resolved_total + total.progress_total + total.paused_total
    assert str(total.on_time_rate) == "66.7"  # (1 + 1) / 3
    assert str(total.online_share) == "16.7"  # 1 / 6
    # One procedure: one row equal to the total.
    assert [row.code for row in report.rows] == ["1.005129"]
    assert report.rows[0].counts == EXPECTED_MARCH


@pytest.mark.django_db
def test_report_while_the_period_runs_uses_now(office, scenario):
    # Seen on Fri 20/03 12:00 for March: E (due 23/03) is still in time, F not yet received;
    # J is late; D was resolved on 11/03.
    report = reports.build(office.leader, office.agency, MARCH, now=at(2026, 3, 20, 12))
    counts = report.total.counts
    assert (counts["progress_in_time"], counts["progress_late"]) == (2, 1)


@pytest.mark.django_db
def test_february_and_april(office, scenario):
    february = reports.build(
        office.leader,
        office.agency,
        reports.Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        now=SEEN,
    )
    # A, B, J received in February; B resolved early (27/02); A and J in progress at the
    # end of February, in time (appointments 05/03 and 03/03).
    assert february.total.counts["direct"] == 3
    assert february.total.counts["early"] == 1
    assert february.total.counts["progress_in_time"] == 2
    april = reports.build(
        office.leader,
        office.agency,
        reports.Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        now=SEEN,
    )
    # Carried over from March: E, F, J (in progress) and G (paused). H was stopped in March.
    assert april.total.counts["carried_over"] == 4
    assert april.total.counts["direct"] == 1  # I
    # Seen on 10/04: E and J late, F (07/04) late, I (due 08/04) late.
    assert april.total.counts["progress_late"] == 4
    assert april.total.paused_total == 1


@pytest.mark.django_db
def test_the_sql_agrees_with_the_per_dossier_rules_of_deadlines(office, scenario):
    """The counts equal a per-dossier computation with ``deadlines.pending_state`` and the
    stored classification (a period that ends in the past is seen at its end)."""
    end = MARCH.ends_at
    expected = {"resolved": 0, "in_time": 0, "overdue": 0, "paused": 0}
    for dossier in Dossier.objects.accepted().filter(received_at__lt=end):
        done = dossier.result_ready_at
        if done and done < MARCH.starts_at:
            continue
        if dossier.stopped_at and dossier.stopped_at < MARCH.starts_at:
            continue
        if done and done < end:
            assert dossier.status in RESOLVED_STATUSES
            assert dossier.timeliness == deadlines.classify(done, dossier.due_at)
            expected["resolved"] += 1
            continue
        state = deadlines.pending_state(dossier, end)
        if dossier.status in PAUSED_STATUSES:
            expected["paused"] += 1
        else:
            expected[{PendingState.IN_TIME: "in_time", PendingState.OVERDUE: "overdue"}[state]] += 1
    total = reports.build(office.leader, office.agency, MARCH, now=SEEN).total
    assert expected == {
        "resolved": total.resolved_total,
        "in_time": total.progress_in_time,
        "overdue": total.progress_late,
        "paused": total.paused_total,
    }


@pytest.mark.django_db
def test_classification_at_return_moves_the_resolution(office, scenario, settings):
    settings.COQUAN_ONESTOP_CLASSIFY_AT = "returned"
    # Only C is returned, on Tue 10/03 09:00: it is classified then, after its appointment
    # (Mon 09/03 17:00), so late. A, B and D, approved but not returned, count in progress
    # (B now carried over from February too).
    actions.return_result(office.desk, dossier=scenario["C"], at=at(2026, 3, 10, 9))
    report = reports.build(office.leader, office.agency, MARCH, now=SEEN)
    counts = report.total.counts
    assert report.total.resolved_total == 1 and counts["late"] == 1
    assert counts["carried_over"] == 3
    assert report.total.progress_total == 6


@pytest.mark.django_db
def test_rows_by_unit_sector_and_agency(office, scenario):
    for group_by, label in (
        ("unit", "Phòng Bưu chính, Viễn thông"),
        ("sector", "Viễn thông và Internet"),
        ("agency", "Sở Thông tin và Truyền thông"),
    ):
        report = reports.build(office.leader, office.agency, MARCH, group_by=group_by, now=SEEN)
        assert [row.label for row in report.rows] == [label]
        assert report.rows[0].counts == EXPECTED_MARCH


@pytest.mark.django_db
def test_new_version_of_a_procedure_adds_to_the_same_row(office, scenario):
    draft = actions.new_version(office.admin, procedure=office.procedure)
    actions.update_procedure(office.admin, procedure=draft, name="Cấp phép trạm BTS (2026)")
    newer = actions.publish_procedure(office.admin, procedure=draft)
    office.accept(at(2026, 3, 20, 10), procedure=newer)
    report = reports.build(office.leader, office.agency, MARCH, now=SEEN)
    assert len(report.rows) == 1
    assert report.rows[0].label == "Cấp phép trạm BTS (2026)"
    assert report.rows[0].direct == 6


@pytest.mark.django_db
def test_province_view_adds_the_agencies_under_it(office, scenario):
    province = AgencyFactory(organ_id="000.00.00.H06", name="UBND tỉnh", short_name="UBND")
    office.agency.parent = province
    office.agency.save(update_fields=["parent"])
    chief = make_member(province, "leader", username="province_leader")
    own = reports.build(chief, province, MARCH, now=SEEN)
    assert own.rows == [] and own.total.received_total == 0
    tree = reports.build(chief, province, MARCH, group_by="agency", tree=True, now=SEEN)
    assert [row.code for row in tree.rows] == ["000.00.14.H06"]
    assert tree.total.counts == EXPECTED_MARCH
    # The department's leader does not open the province's report.
    with pytest.raises(reports.PermissionDenied):
        reports.build(office.leader, province, MARCH, tree=True)


@pytest.mark.django_db
def test_only_leaders_and_desk_officers_open_reports(office, scenario, settings):
    for person in (office.officer, office.unit_leader, office.admin, office.outsider):
        with pytest.raises(reports.PermissionDenied):
            reports.build(person, office.agency, MARCH)
    assert reports.build(office.desk, office.agency, MARCH, now=SEEN).total.received_total == 8
    settings.COQUAN_ONESTOP_REPORT_ROLES = ("unit_leader",)
    assert reports.can_view_reports(office.unit_leader, office.agency)
    assert not reports.can_view_reports(office.leader, office.agency)


def test_a_period_must_be_in_order():
    with pytest.raises(reports.ValidationError):
        reports.Period(dt.date(2026, 3, 31), dt.date(2026, 3, 1))


@pytest.mark.django_db
def test_report_is_one_query_over_dossiers(office, scenario, django_assert_max_num_queries):
    for _ in range(3):
        office.accept(at(2026, 3, 25, 10))
    with django_assert_max_num_queries(8):
        reports.build(office.leader, office.agency, MARCH, now=SEEN)


# --- files ------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.mark.django_db
def test_xlsx_reads_back(office, scenario):
    report = reports.build(office.leader, office.agency, MARCH, now=SEEN)
    sheet = load_workbook(io.BytesIO(reports.render_xlsx(report))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert values[2][0] == "Kỳ báo cáo: từ 01/03/2026 đến 31/03/2026"
    header = values[6]
    assert header[3] == "Tổng số" and header[4] == "Kỳ trước chuyển sang"
    procedure_row, total_row = values[7], values[8]
    assert procedure_row[2] == "1.005129"
    # Received 8 (2 + 6: online 1, direct 5, postal 0); resolved 3 (1, 1, 1, 0);
    # in progress 3 (1, 2); paused 2 (2, 0).
    figures = [8, 2, 6, 1, 5, 0, 3, 1, 1, 1, 0, 3, 1, 2, 2, 2, 0]
    assert procedure_row[3:] == figures
    assert total_row[1] == "Tổng cộng" and total_row[3:] == figures


@pytest.mark.django_db
def test_pdf_reads_back(office, scenario):
    report = reports.build(office.leader, office.agency, MARCH, now=SEEN)
    text = pdf_text(reports.render_pdf(report))
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH" in text.upper()
    assert "từ 01/03/2026 đến 31/03/2026" in text
    # The name wraps in its cell; the figures follow the start of the name on its line.
    assert "Cấp phép xây dựng công 8 2 6 1 5 0 3 1 1 1 0 3 1 2 2 2 0" in " ".join(text.split())
    assert "Tổng cộng 8 2 6 1 5 0 3 1 1 1 0 3 1 2 2 2 0" in " ".join(text.split())
    assert "Tỷ lệ đúng hạn: 66,7 %. Tỷ lệ trực tuyến: 16,7 %." in text


@pytest.mark.django_db
def test_register_form_06(office, scenario):
    register = reports.build_register(office.desk, office.agency, MARCH)
    codes = [row[1] for row in register.rows]
    # Accepted in March, in order of acceptance: C, D, G, H, E, F.
    assert codes == [scenario[n].dossier_code for n in "CDGHEF"]
    c = register.rows[0]
    assert c[0] == "1" and c[2] == "Cấp phép xây dựng công trình trạm BTS"
    assert c[4] == "Công ty Cổ phần Viễn thông Kinh Bắc"
    assert c[7] == "10:00 02/03/2026" and c[8] == "17:00 09/03/2026"
    assert c[9] == "08:00 03/03/2026" and c[10] == "16:00 09/03/2026" and c[11] == ""
    assert c[12] == "Đúng hạn"
    sheet = load_workbook(io.BytesIO(reports.render_register_xlsx(register))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][0] == "SỔ THEO DÕI HỒ SƠ"
    assert rows[4][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert [r[1] for r in rows[6:]] == codes
    text = pdf_text(reports.render_register_pdf(register))
    assert "Mẫu số 06" in text
    for code in codes:
        assert code in text
    flat = " ".join(text.split())
    assert "SỔ THEO DÕI HỒ SƠ" in flat
    assert "10:00 02/03/2026 17:00 09/03/2026 08:00 03/03/2026 16:00 09/03/2026" in flat


@pytest.mark.django_db
def test_register_shows_only_what_the_person_may_see(office, scenario):
    with pytest.raises(reports.PermissionDenied):
        reports.build_register(office.officer, office.agency, MARCH)


# --- pages and API ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_page_and_downloads(client, office, scenario):
    client.force_login(office.leader)
    url = reverse("onestop:report")
    response = client.get(url, {"start": "01/03/2026", "end": "31/03/2026"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="report-chart"' in body
    assert 'data-testid="kpi-received">8<' in body
    xlsx = client.get(reverse("onestop:report_xlsx"), {"start": "01/03/2026", "end": "31/03/2026"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith('bao-cao-mot-cua-20260301-20260331.xlsx"')
    load_workbook(io.BytesIO(xlsx.content))
    pdf = client.get(reverse("onestop:report_pdf"), {"start": "01/03/2026", "end": "31/03/2026"})
    assert pdf.content.startswith(b"%PDF")
    register = client.get(
        reverse("onestop:register"), {"start": "01/03/2026", "end": "31/03/2026", "format": "xlsx"}
    )
    assert register.status_code == 200
    load_workbook(io.BytesIO(register.content))


@pytest.mark.django_db
def test_report_page_bad_input_is_a_clear_error(client, office):
    client.force_login(office.leader)
    response = client.get(reverse("onestop:report"), {"start": "31/03/2026", "end": "01/03/2026"})
    assert response.status_code == 200
    assert "Ngày kết thúc kỳ báo cáo trước ngày bắt đầu." in response.content.decode()
    response = client.get(reverse("onestop:report"), {"start": "hôm qua", "end": "01/03/2026"})
    assert "Hãy nhập ngày theo dạng dd/mm/yyyy." in response.content.decode()
    response = client.get(reverse("onestop:report_xlsx"), {"start": "x", "end": "y"})
    assert response.status_code == 400
    response = client.get(reverse("onestop:report"), {"group_by": "nonsense"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_report_api(api_client, office, scenario):
    api_client.force_authenticate(office.leader)
    response = api_client.get(
        "/api/v1/onestop/reports/standard/",
        {"agency": office.agency.organ_id, "start": "2026-03-01", "end": "2026-03-31"},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    total = data["total"]
    assert total["received_total"] >= 8  # seen now (after April): F, E, J late
    assert total["carried_over"] == 2 and total["early"] == 1 and total["paused_total"] == 2
    assert data["rows"][0]["code"] == "1.005129"
    bad = api_client.get(
        "/api/v1/onestop/reports/standard/",
        {"agency": office.agency.organ_id, "start": "2026-03-31", "end": "2026-03-01"},
    )
    assert bad.status_code == 400
    assert "end" in bad.json()["error"]["details"]
    register = api_client.get(
        "/api/v1/onestop/reports/register/",
        {"agency": office.agency.organ_id, "start": "2026-03-01", "end": "2026-03-31"},
    )
    assert register.status_code == 200 and register.content.startswith(b"%PDF")
    api_client.force_authenticate(office.officer)
    denied = api_client.get(
        "/api/v1/onestop/reports/standard/",
        {"agency": office.agency.organ_id, "start": "2026-03-01", "end": "2026-03-31"},
    )
    assert denied.status_code == 403


# --- access matrix ----------------------------------------------------------------------------

REPORT_ROLES = ("leader",)
PERIOD = {"start": "01/03/2026", "end": "31/03/2026"}


def _web(name, **params):
    def url(world):
        query = urlencode({"agency": world.agency.pk, **PERIOD, **params})
        return f"{reverse(name)}?{query}"

    return url


def _api(path, **params):
    def url(world):
        query = urlencode(
            {"agency": world.agency.organ_id, "start": "2026-03-01", "end": "2026-03-31", **params}
        )
        return f"/api/v1/onestop/reports/{path}/?{query}"

    return url


REPORT_ENDPOINTS = [
    Endpoint("report", _web("onestop:report"), roles=REPORT_ROLES),
    Endpoint("report-xlsx", _web("onestop:report_xlsx"), roles=REPORT_ROLES),
    Endpoint("report-pdf", _web("onestop:report_pdf"), roles=REPORT_ROLES),
    Endpoint("register-pdf", _web("onestop:register"), roles=REPORT_ROLES),
    Endpoint("register-xlsx", _web("onestop:register", format="xlsx"), roles=REPORT_ROLES),
    Endpoint("api-report", _api("standard"), roles=REPORT_ROLES, api=True),
    Endpoint("api-register", _api("register", file="xlsx"), roles=REPORT_ROLES, api=True),
    Endpoint("report-desk", _web("onestop:report"), roles=("desk_officer",)),
    Endpoint("api-report-desk", _api("standard"), roles=("desk_officer",), api=True),
]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint,actor", access_matrix_params(REPORT_ENDPOINTS))
def test_report_access_matrix(client, api_client, world, endpoint, actor):
    check_access(api_client if endpoint.api else client, world, endpoint, actor)


@pytest.mark.django_db
def test_register_and_report_page_queries_are_constant(client, office, scenario):
    client.force_login(office.desk)
    params = {"start": "01/03/2026", "end": "31/03/2026"}
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(name, extra=None):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), {**params, **(extra or {})})
        assert response.status_code == 200
        return len(queries)

    before = (count("onestop:register", {"format": "xlsx"}), count("onestop:report"))
    for day in (9, 10, 11, 12):
        office.accept(at(2026, 3, day, 10))
    after = (count("onestop:register", {"format": "xlsx"}), count("onestop:report"))
    assert before == after
