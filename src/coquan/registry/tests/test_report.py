"""The 2008 annual report from the seed's figures: PDF, DOCX, dashboard and API agree.

The seed (the Department's review of 2008) states: 274 LANs, 8 WANs, about 30,000
computers, 231 postal service points of which 46 post offices, 950,000 telephone
subscribers — 58.8 per 100 inhabitants (1.616 million) —, revenue 806.7 billion VND, 46.7 %
above plan, 97 publishing licences, 8 inspections, 11 appraised projects (5 IT, 6 telecom).
"""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from coquan.audit.models import AuditEntry
from coquan.org.models import Agency
from coquan.registry.demo_data import DEMO_AGENCY, DEMO_EDITOR
from coquan.registry.models import Licence
from coquan.registry.render import report_docx, report_pdf
from coquan.registry.report import build_report_data

pytestmark = pytest.mark.django_db

# Phrases of the generated Vietnamese report that carry each seed figure.
SEED_PHRASES = [
    "274 mạng LAN",
    "8 mạng WAN",
    "khoảng 30.000 máy",
    "231 cơ sở bưu điện",
    "46 bưu cục",
    "185 điểm bưu điện văn hoá xã",
    "950.000 thuê bao",
    "1.616.000 người",
    "58,8 máy/100 dân",
    "806,7 tỷ đồng",
    "tăng 46,7% so với kế hoạch",
    "cấp 97 giấy phép xuất bản bản tin",
    "8 cuộc thanh tra",
    "thẩm định 11 dự án",
    "5 dự án về CNTT",
    "6 dự án về viễn thông",
    "khoảng 2,2 tỷ đồng",
    "bưu chính, chuyển phát 40,0 tỷ",
    "viễn thông 766,7 tỷ",
]


@pytest.fixture
def demo(db):
    call_command("registry_seed_demo", stdout=io.StringIO())
    return Agency.objects.get(organ_id=DEMO_AGENCY)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_report_data_counts_come_from_the_registers(demo):
    data = build_report_data(demo, 2008)
    values = {row["code"]: row["value"] for row in data["indicators"]}
    assert values["subscribers"] == "950000"
    assert values["revenue"] == "806.7"
    assert round(float(values["phone_density"]), 1) == 58.8
    assert round(float(values["revenue_vs_plan"]), 1) == 46.7
    assert values["cultural_post_points"] == "185"
    registers = data["registers"]
    assert registers["licences.publishing"] == "97"
    assert registers["inspections.held"] == "8"
    assert (registers["appraisals.total"], registers["appraisals.it"]) == ("11", "5")
    assert registers["appraisals.telecom"] == "6"
    assert registers["appraisals.investment_before"] == "2200000000"
    assert Licence.objects.filter(agency=demo, issue_date__year=2008).count() == 97
    assert data["plan"]["year"] == 2009 and len(data["plan"]["items"]) == 10


def test_pdf_states_every_seed_figure(demo, tmp_path):
    with translation.override("vi"):
        pdf = report_pdf(build_report_data(demo, 2008))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "bao-cao-2008.pdf"
    path.write_bytes(pdf)
    text = flat(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )
    assert "BÁO CÁO" in text and "Tổng kết công tác năm 2008" in text
    for phrase in SEED_PHRASES:
        assert phrase in text, phrase
    assert "Chương trình công tác năm 2009" in text
    assert "Xây dựng cơ sở dữ liệu dùng chung" in text


def test_docx_states_every_seed_figure(demo):
    from docx import Document

    with translation.override("vi"):
        content = report_docx(build_report_data(demo, 2008))
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    text = flat(" ".join(parts))
    for phrase in SEED_PHRASES:
        assert phrase in text, phrase
    assert len(document.inline_shapes) == 1  # the chart
    assert "58,8" in text and "46,7" in text


def test_dashboard_and_downloads_show_the_same_numbers(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=DEMO_EDITOR))
    page = flat(client.get(reverse("registry:home"), {"year": 2008}).content.decode())
    for phrase in SEED_PHRASES:
        assert phrase in page, phrase
    pdf = client.get(reverse("registry:report_pdf", args=[2008]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="bao-cao-2008.pdf"'
    docx = client.get(reverse("registry:report_docx", args=[2008]))
    assert docx.content.startswith(b"PK")
    chart = client.get(reverse("registry:report_chart", args=[2008]))
    assert chart["Content-Type"] == "image/png" and chart.content.startswith(b"\x89PNG")


def test_api_report_data(api_client, demo):
    from django.contrib.auth import get_user_model

    api_client.force_login(get_user_model().objects.get(username=DEMO_EDITOR))
    body = api_client.get("/api/v1/registry/report/2008/").json()
    values = {row["code"]: row for row in body["indicators"]}
    assert values["subscribers"]["value"] == "950000"
    assert values["subscribers"]["previous"] == "518500"
    assert body["registers"]["licences.publishing"] == "97"
    assert body["agency"]["organ_id"] == DEMO_AGENCY
    assert body["series"]["years"] == [2007, 2008]


def test_seed_demo_is_idempotent(demo):
    before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("registry_seed_demo", stdout=out)
    assert "licences: 0" in out.getvalue()
    assert AuditEntry.objects.count() == before
    assert Licence.objects.filter(agency=demo).count() == 98
