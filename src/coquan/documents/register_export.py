"""Printing a register book (sổ) as PDF and XLSX: the pieces every book shares.

Decree 30/2020 App. IV books all look alike: a cover header (agency, title, year, first and
last dates, first and last numbers, book), a table whose columns are numbered (1)…(n), one
row per document. A ``Book`` carries that; ``render_pdf`` prints it with WeasyPrint (A4
landscape, Noto Serif for the Vietnamese letters, the stylesheet under templates/ so it is
packaged) and ``render_xlsx`` writes it with openpyxl. The incoming registers
(``incoming_register``) and the handling report use them; any other book can.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STYLESHEET = Path(__file__).resolve().parent / "templates" / "documents" / "pdf" / "register.css"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Book:
    """A printable book: header lines, numbered columns, rows of strings."""

    agency_name: str
    title: str
    lines: list[str]
    columns: tuple
    rows: list[list[str]] = field(default_factory=list)
    widths: tuple = ()
    empty_text: str = ""
    sheet_name: str = "1"
    nowrap: tuple = ()


def render_pdf(book: Book) -> bytes:
    import weasyprint

    html = render_to_string("documents/register_pdf.html", {"book": book})
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET))
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet])


def render_xlsx(book: Book) -> bytes:
    """One sheet: the header lines, the numbered columns, one row per document."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(book.sheet_name)[:31]
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=11)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = [book.agency_name.upper(), book.title.upper(), *book.lines]
    for index, line in enumerate(header, start=1):
        sheet.cell(row=index, column=1, value=line).font = bold if index <= 2 else normal
    start = len(header) + 2
    for column, label in enumerate(book.columns, start=1):
        cell = sheet.cell(row=start, column=column, value=str(label))
        cell.font, cell.border, cell.alignment = bold, border, wrap
        number = sheet.cell(row=start + 1, column=column, value=f"({column})")
        number.font, number.border = normal, border
        number.alignment = Alignment(horizontal="center")
    for offset, values in enumerate(book.rows, start=start + 2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=offset, column=column, value=value)
            cell.font, cell.border, cell.alignment = normal, border, wrap
    for column, width in enumerate(book.widths, start=1):
        sheet.column_dimensions[sheet.cell(row=start, column=column).column_letter].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
