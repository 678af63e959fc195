"""Rendering the annual report: a chart (matplotlib), a PDF (WeasyPrint), a DOCX (python-docx).

All three take the data of ``report.build_report_data`` and the sections of
``report.report_sections``, so they state the same figures as the dashboard. The chart is a
static PNG embedded in both documents (no script). The PDF uses the Noto fonts (Vietnamese
diacritics); the DOCX names Times New Roman, the font Decree 30/2020 prescribes, which Word
substitutes where it is missing.
"""

from __future__ import annotations

import base64
import io
import logging
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.registry.report import number, report_sections, report_title

STATIC_DIR = Path(__file__).resolve().parent / "static" / "registry"

# WeasyPrint reports every layout step at INFO; a report download is not worth seven lines.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _floats(values) -> list[float]:
    return [float(Decimal(v)) if v is not None else 0.0 for v in values]


def chart_png(data: dict) -> bytes:
    """Two panels: the year's revenue against the plan, and telephone subscribers by year."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = {row["code"]: row for row in data["indicators"]}

    def value(code):
        row = rows.get(code)
        return float(Decimal(row["value"])) if row and row["value"] is not None else 0.0

    with matplotlib.rc_context({"font.family": ["Noto Sans", "DejaVu Sans"], "font.size": 8}):
        figure = Figure(figsize=(8, 3.2), dpi=150)
        FigureCanvasAgg(figure)
        left, right = figure.subplots(1, 2)
        labels = [_("Postal"), _("Telecom"), _("Total"), _("Plan")]
        amounts = [
            value("postal_revenue"),
            value("telecom_revenue"),
            value("revenue"),
            value("revenue_plan"),
        ]
        bars = left.bar(labels, amounts, color=["#6c8ebf", "#6c8ebf", "#1f4e79", "#a5a5a5"])
        left.bar_label(bars, labels=[number(a, 1) for a in amounts], padding=2)
        left.set_title(_("Revenue %(year)d (billion VND)") % {"year": data["year"]})
        left.margins(y=0.15)
        years = data["series"]["years"]
        subscribers = _floats(data["series"]["subscribers"])
        right.bar(
            range(len(years)),
            [s / 1000 for s in subscribers],
            tick_label=[str(y) for y in years],
            color="#1f4e79",
        )
        right.set_title(_("Telephone subscribers (thousands)"))
        for axis in (left, right):
            axis.spines[["top", "right"]].set_visible(False)
            axis.tick_params(axis="x", labelrotation=0)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_description(data: dict) -> str:
    """The chart's text alternative (alt text in HTML, description in the documents)."""
    rows = {row["code"]: row for row in data["indicators"]}

    def figure(code):
        row = rows.get(code)
        return number(Decimal(row["value"]), row["decimals"]) if row and row["value"] else "—"

    return _(
        "Chart: revenue %(revenue)s billion VND against a plan of %(plan)s billion VND; "
        "telephone subscribers by year, %(subscribers)s in %(year)d."
    ) % {
        "revenue": figure("revenue"),
        "plan": figure("revenue_plan"),
        "subscribers": figure("subscribers"),
        "year": data["year"],
    }


def _context(data: dict, chart: bytes | None) -> dict:
    return {
        "data": data,
        "title": report_title(data),
        "sections": report_sections(data),
        "chart_uri": ("data:image/png;base64," + base64.b64encode(chart).decode() if chart else ""),
        "chart_alt": chart_description(data),
        "generated": timezone.localtime(),
    }


def report_pdf(data: dict) -> bytes:
    """The annual report as a PDF (A4, Noto Serif)."""
    from weasyprint import CSS, HTML

    html = render_to_string("registry/report_pdf.html", _context(data, chart_png(data)))
    stylesheet = CSS(filename=str(STATIC_DIR / "report.css"))
    return HTML(string=html, base_url=str(STATIC_DIR)).write_pdf(stylesheets=[stylesheet])


def report_docx(data: dict) -> bytes:
    """The annual report as a Word document (same sections, tables and chart as the PDF)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    context = _context(data, None)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for section in document.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(2)

    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = data["agency"]["name"].upper()
    right.text = _("SOCIALIST REPUBLIC OF VIETNAM") + "\n" + _("Independence - Freedom - Happiness")
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.bold = True
                run.font.size = Pt(12)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("REPORT").upper() + "\n" + context["title"])
    run.bold = True
    run.font.size = Pt(14)

    for number_, section in enumerate(context["sections"], start=1):
        document.add_heading(f"{number_}. {section.title}", level=2)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for item in section.items:
            document.add_paragraph(item, style="List Bullet")
        if section.table:
            table = document.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            heads = (
                _("Indicator"),
                _("Unit"),
                str(data["year"]),
                str(data["year"] - 1),
            )
            for cell, text in zip(table.rows[0].cells, heads, strict=True):
                cell.text = text
            for row in section.table:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
        if section.code == "telecom":
            document.add_picture(io.BytesIO(chart_png(data)), width=Cm(16))
            document.add_paragraph(context["chart_alt"])
    footer = document.add_paragraph(
        _("Generated by CoQuan from the registers and indicators on %(day)s.")
        % {"day": context["generated"].strftime("%d/%m/%Y")}
    )
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
