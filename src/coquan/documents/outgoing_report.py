"""The outgoing handling report (báo cáo tình hình xử lý văn bản đi), per unit or person.

For a period (from/to, dates of the agency's time zone) and one agency, one row per drafting
unit (or per drafter):

- **drafts created** in the period, **issued** in the period and the **average time from
  draft to issue** (creation → issue) of the documents issued in the period;
- what is **waiting now**, at each step: with the drafter (draft or sent back), review by
  the unit leader, opinions, form check by the office, approval by the signer (pending chain
  tasks of the current round), signature (approved), issue (signed);
- **overdue opinion requests** now: pending opinion tasks on the row's documents whose
  deadline has passed.

Rows follow the document (its drafting unit or its drafter), so a unit's row tells how the
unit's own drafts are moving, including the opinions it waits for from others.

Who: the agency's clerks and leaders. Counts cover the agency's non-secret documents and the
secret documents the person may see (``visible_to``); secret documents of others are
left out. Three queries whatever the number of documents: one aggregate over documents, one
over pending tasks, one for the names.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.documents.choices import OutgoingStatus, Secrecy, TaskKind, TaskState
from coquan.documents.models import ChainTask, OutgoingDocument

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STYLESHEET = (
    Path(__file__).resolve().parent / "templates" / "documents" / "pdf" / "outgoing_register.css"
)

GROUPS = ("unit", "person")
#: The longest period a report covers (a year, leap day included).
MAX_DAYS = 366

#: (key, label) of the columns after the name, in order.
COLUMNS = (
    ("created", gettext_lazy("Drafts created")),
    ("issued", gettext_lazy("Issued")),
    ("average_days", gettext_lazy("Average days from draft to issue")),
    ("at_drafter", gettext_lazy("Now with the drafter")),
    ("review", gettext_lazy("Now waiting for review")),
    ("opinion", gettext_lazy("Now waiting for opinions")),
    ("form_check", gettext_lazy("Now waiting for the form check")),
    ("approval", gettext_lazy("Now waiting for approval")),
    ("to_sign", gettext_lazy("Now waiting for signature")),
    ("to_issue", gettext_lazy("Now waiting for issue")),
    ("overdue_opinions", gettext_lazy("Overdue opinion requests")),
)
COUNT_KEYS = [key for key, _label in COLUMNS if key != "average_days"]
TASK_KEYS = {
    TaskKind.REVIEW: "review",
    TaskKind.OPINION: "opinion",
    TaskKind.FORM_CHECK: "form_check",
    TaskKind.APPROVAL: "approval",
}


def _empty_values() -> dict:
    return {**dict.fromkeys(COUNT_KEYS, 0), "average_days": ""}


@dataclass
class ReportRow:
    key: int | None
    name: str
    values: dict = field(default_factory=_empty_values)

    def cells(self) -> list:
        return [self.values.get(key, 0) for key, _label in COLUMNS]


@dataclass
class Report:
    agency: object
    date_from: dt.date
    date_to: dt.date
    group: str
    rows: list[ReportRow] = field(default_factory=list)
    totals: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return _("Report on the handling of outgoing documents")

    @property
    def group_label(self) -> str:
        return _("Drafting unit") if self.group == "unit" else _("Drafter")

    @property
    def columns(self):
        return COLUMNS

    def total_cells(self) -> list:
        return [self.totals.get(key, 0) for key, _label in COLUMNS]


def check_period(date_from, date_to) -> None:
    """Refuse an impossible period (``ValueError`` with a message for the person)."""
    if date_from is None or date_to is None:
        raise ValueError(_("Choose the first and the last day of the period."))
    if date_from > date_to:
        raise ValueError(_("The first day must not be after the last day."))
    if (date_to - date_from).days >= MAX_DAYS:
        raise ValueError(_("A report covers at most one year."))


def _bounds(date_from, date_to):
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min), zone)
    end = timezone.make_aware(
        dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min), zone
    )
    return start, end


def documents_in_scope(user, agency):
    """The agency's documents counted for ``user``: non-secret ones and secret ones they see."""
    visible_secret = OutgoingDocument.objects.visible_to(user).filter(agency=agency)
    return OutgoingDocument.objects.filter(agency=agency).filter(
        Q(secrecy=Secrecy.NONE) | Q(pk__in=visible_secret.values("pk"))
    )


def build(user, agency, date_from, date_to, group: str = "unit", today=None) -> Report:
    """The report (three queries). ``group``: ``unit`` (drafting unit) or ``person``."""
    check_period(date_from, date_to)
    if group not in GROUPS:
        raise ValueError(_("Group by unit or by person."))
    today = today or timezone.localdate()
    start, end = _bounds(date_from, date_to)
    key = "drafting_unit_id" if group == "unit" else "drafter_id"
    waiting = (
        OutgoingStatus.DRAFT,
        OutgoingStatus.RETURNED,
        OutgoingStatus.IN_REVIEW,
        OutgoingStatus.APPROVED,
        OutgoingStatus.SIGNED,
    )
    created = Q(created_at__gte=start, created_at__lt=end)
    issued = Q(issued_at__gte=start, issued_at__lt=end)
    scope = documents_in_scope(user, agency)
    relevant = scope.filter(created | issued | Q(status__in=waiting))
    duration = ExpressionWrapper(F("issued_at") - F("created_at"), output_field=DurationField())
    aggregates = (
        relevant.order_by()
        .values(key)
        .annotate(
            created=Count("pk", filter=created),
            issued=Count("pk", filter=issued),
            average=Avg(duration, filter=issued),
            at_drafter=Count(
                "pk", filter=Q(status__in=(OutgoingStatus.DRAFT, OutgoingStatus.RETURNED))
            ),
            to_sign=Count("pk", filter=Q(status=OutgoingStatus.APPROVED)),
            to_issue=Count("pk", filter=Q(status=OutgoingStatus.SIGNED)),
        )
    )
    rows: dict[int | None, ReportRow] = {}
    for item in aggregates:
        row = rows.setdefault(item[key], ReportRow(item[key], ""))
        average = item["average"]
        if average is not None and not isinstance(average, dt.timedelta):
            average = dt.timedelta(microseconds=average)  # SQLite returns microseconds
        row.values.update(
            {
                name: item[name]
                for name in ("created", "issued", "at_drafter", "to_sign", "to_issue")
            }
        )
        row.values["average_days"] = (
            round(average.total_seconds() / 86400, 1) if average is not None else ""
        )
        row.values["_average"] = average
    tasks = (
        ChainTask.objects.filter(
            state=TaskState.PENDING,
            round=F("document__round"),
            document__status=OutgoingStatus.IN_REVIEW,
            document__in=scope.values("pk"),
        )
        .order_by()
        .values(f"document__{key}", "kind")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(kind=TaskKind.OPINION, deadline__lt=today)),
        )
    )
    for item in tasks:
        row = rows.setdefault(item[f"document__{key}"], ReportRow(item[f"document__{key}"], ""))
        name = TASK_KEYS.get(item["kind"])
        if name:
            row.values[name] = row.values.get(name, 0) + item["n"]
        row.values["overdue_opinions"] = row.values.get("overdue_opinions", 0) + item["overdue"]
    _name_rows(rows, group)
    report = Report(agency=agency, date_from=date_from, date_to=date_to, group=group)
    report.rows = sorted(
        (r for r in rows.values() if any(r.values.get(k) for k in COUNT_KEYS)),
        key=lambda r: (r.key is None, r.name.lower()),
    )
    report.totals = _totals(report.rows)
    return report


def _name_rows(rows: dict, group: str) -> None:
    ids = [key for key in rows if key is not None]
    if group == "unit":
        from coquan.org.models import Unit

        names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
        missing = _("(no unit)")
    else:
        from coquan.accounts.models import User

        names = {
            user.pk: user.get_full_name() or user.get_username()
            for user in User.objects.filter(pk__in=ids)
        }
        missing = "—"
    for key, row in rows.items():
        row.name = names.get(key, missing) if key is not None else missing


def _totals(rows) -> dict:
    totals = {key: sum(r.values.get(key, 0) or 0 for r in rows) for key in COUNT_KEYS}
    weighted = [
        (r.values["_average"], r.values["issued"]) for r in rows if r.values.get("_average")
    ]
    issued = sum(n for _avg, n in weighted)
    if issued:
        seconds = sum(avg.total_seconds() * n for avg, n in weighted) / issued
        totals["average_days"] = round(seconds / 86400, 1)
    else:
        totals["average_days"] = ""
    return totals


def _values(values: dict) -> dict:
    result = {key: values.get(key, 0) for key in COUNT_KEYS}
    result["average_days"] = (
        values.get("average_days") if values.get("average_days") != "" else None
    )
    return result


def as_data(report: Report) -> dict:
    """The report as plain data (the API's body)."""
    return {
        "agency": report.agency.pk,
        "date_from": report.date_from,
        "date_to": report.date_to,
        "group": report.group,
        "rows": [
            {
                "id": row.key,
                "name": row.name,
                **_values(row.values),
            }
            for row in report.rows
        ],
        "totals": _values(report.totals),
    }


def _date(value) -> str:
    return formats.date_format(value, "d/m/Y")


def render_pdf(report: Report) -> bytes:
    """A4 landscape (the register's stylesheet), Noto Serif."""
    import weasyprint

    html = render_to_string(
        "documents/outgoing_report_pdf.html",
        {"report": report, "date_from": _date(report.date_from), "date_to": _date(report.date_to)},
    )
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET))
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet])


def render_xlsx(report: Report) -> bytes:
    """One sheet: title, period, the header row, one row per unit/person and the totals."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    sheet = book.active
    sheet.title = _("Report")[:31]
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=11)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = [
        report.agency.name.upper(),
        report.title.upper(),
        _("From %(first)s to %(last)s")
        % {"first": _date(report.date_from), "last": _date(report.date_to)},
    ]
    for index, line in enumerate(header, start=1):
        sheet.cell(row=index, column=1, value=line).font = bold if index <= 2 else normal
    start = len(header) + 2
    labels = [report.group_label, *[str(label) for _key, label in COLUMNS]]
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=start, column=column, value=label)
        cell.font, cell.border, cell.alignment = bold, border, wrap
    lines = [[row.name, *row.cells()] for row in report.rows]
    lines.append([_("Total of the report"), *report.total_cells()])
    for offset, values in enumerate(lines, start=start + 1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=offset, column=column, value=value if value != "" else None)
            cell.border, cell.alignment = border, wrap
            cell.font = bold if offset == start + len(lines) else normal
    sheet.column_dimensions["A"].width = 36
    for column in range(2, len(labels) + 1):
        sheet.column_dimensions[sheet.cell(row=start, column=column).column_letter].width = 14
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
