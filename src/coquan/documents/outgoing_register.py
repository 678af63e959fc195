"""Sổ đăng ký văn bản đi (Decree 30/2020 App. IV): the outgoing register as PDF and XLSX.

When registration is done in the System, the register must still be printed with all its
fields and bound as a book (Art. 16.2.b). One register per series and year; its header
carries the year, the first and last dates and numbers, and the book; its ten columns are
those of App. IV: (1) number and notation, (2) date, (3) type and subject, (4) signer,
(5) recipients, (6) unit or person keeping the archive copy, (7) number of copies,
(8) date sent, (9) signature of receipt (left blank to sign on paper), (10) note.

The rows are the issued (and recalled or replaced) documents of the series in the year, in number
order, read from ``visible_to`` in a constant number of queries (recipients prefetched).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.documents.choices import ISSUED_OUTGOING, OutgoingStatus, RecipientKind
from coquan.documents.models import OutgoingDocument, OutgoingRecipient

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STYLESHEET = (
    Path(__file__).resolve().parent / "templates" / "documents" / "pdf" / "outgoing_register.css"
)

COLUMNS = (
    gettext_lazy("Number and notation of the document"),
    gettext_lazy("Date of the document"),
    gettext_lazy("Type and subject"),
    gettext_lazy("Signer"),
    gettext_lazy("Recipients of the document"),
    gettext_lazy("Unit or person keeping the archive copy"),
    gettext_lazy("Number of copies"),
    gettext_lazy("Date sent"),
    gettext_lazy("Signature of receipt"),
    gettext_lazy("Note"),
)


@dataclass
class Register:
    agency: object
    series: object
    year: int
    rows: list[list[str]] = field(default_factory=list)

    @property
    def first_number(self) -> str:
        return self.rows[0][0].split("/")[0] if self.rows else ""

    @property
    def last_number(self) -> str:
        return self.rows[-1][0].split("/")[0] if self.rows else ""

    @property
    def first_date(self) -> str:
        return self.rows[0][1] if self.rows else ""

    @property
    def last_date(self) -> str:
        return self.rows[-1][1] if self.rows else ""

    @property
    def title(self) -> str:
        return _("Register of outgoing documents")


def documents_for(user, agency, series, year: int):
    """The issued documents of ``series`` in ``year`` that ``user`` may see, by number."""
    recipients = OutgoingRecipient.objects.select_related("agency", "external", "unit", "user")
    return (
        OutgoingDocument.objects.visible_to(user)
        .filter(
            agency=agency,
            register_book__series=series,
            register_book__year=year,
            status__in=ISSUED_OUTGOING,
        )
        .select_related("document_type", "drafting_unit", "drafter")
        .prefetch_related(Prefetch("recipients", queryset=recipients))
        .order_by("register_number")
    )


def _date(value) -> str:
    return formats.date_format(value, "d/m/Y") if value else ""


def row_for(document) -> list[str]:
    """The ten App. IV columns of one issued document."""
    recipients = [
        r.label for r in document.recipients.all() if r.kind != RecipientKind.TEXT or r.text
    ]
    archive = [_("Clerk's office")]
    if document.drafting_unit_id:
        archive.append(document.drafting_unit.name)
    notes = []
    if document.status == OutgoingStatus.RECALLED:
        notes.append(_("Recalled on %(date)s") % {"date": _date(document.recalled_at)})
    if document.status == OutgoingStatus.REPLACED:
        notes.append(str(document.get_status_display()))
    if document.is_secret:
        notes.append(str(document.get_secrecy_display()))
    if document.description:
        notes.append(document.description)
    return [
        document.number_and_notation,
        _date(document.issued_date),
        f"{document.document_type.name}: {document.subject}",
        document.signer_display,
        "; ".join(recipients),
        ", ".join(archive),
        str(document.copies),
        _date(document.issued_at),
        "",
        "; ".join(notes),
    ]


def build(user, agency, series, year: int) -> Register:
    return Register(
        agency=agency,
        series=series,
        year=year,
        rows=[row_for(doc) for doc in documents_for(user, agency, series, year)],
    )


def render_pdf(register: Register) -> bytes:
    """A4 landscape, the App. IV header and columns, Noto Serif (Vietnamese letters)."""
    import weasyprint

    html = render_to_string(
        "documents/outgoing_register_pdf.html", {"register": register, "columns": COLUMNS}
    )
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET))
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet])


def render_xlsx(register: Register) -> bytes:
    """One sheet: the header lines, the ten numbered columns, one row per document."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    sheet = book.active
    sheet.title = str(register.year)
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=11)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = [
        register.agency.name.upper(),
        register.title.upper(),
        _("Year: %(year)s") % {"year": register.year},
        _("From %(first)s to %(last)s")
        % {"first": register.first_date, "last": register.last_date},
        _("From number %(first)s to number %(last)s")
        % {"first": register.first_number, "last": register.last_number},
        _("Book: %(name)s") % {"name": register.series.name},
    ]
    for index, line in enumerate(header, start=1):
        sheet.cell(row=index, column=1, value=line).font = bold if index <= 2 else normal
    start = len(header) + 2
    for column, label in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=start, column=column, value=str(label))
        cell.font, cell.border, cell.alignment = bold, border, wrap
        number = sheet.cell(row=start + 1, column=column, value=f"({column})")
        number.font, number.border = normal, border
        number.alignment = Alignment(horizontal="center")
    for offset, values in enumerate(register.rows, start=start + 2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=offset, column=column, value=value)
            cell.font, cell.border, cell.alignment = normal, border, wrap
    widths = (16, 12, 50, 24, 40, 24, 9, 12, 14, 24)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=start, column=column).column_letter].width = width
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
