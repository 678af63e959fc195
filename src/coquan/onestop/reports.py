"""The standard report of the one-stop shop (standards §3.10) for a period, per agency,
unit, sector or procedure, on screen, as XLSX and as PDF.

The counts come from **one SQL query**: the accepted dossiers of the agencies in scope,
grouped by (agency, procedure), with one conditional count per column (``COUNT(*) FILTER
(WHERE …)`` on PostgreSQL, ``CASE`` on SQLite). Rows for units, sectors and agencies are
sums of those few group rows (one per procedure version), never a loop over dossiers.

Definitions (period = ``start`` 00:00 to the end of ``end``, local time; ``as_of`` = the
end of the period, or now while it runs). A dossier's **finish** is the moment it is
classified (``result_ready_at``, or ``returned_at`` when ``COQUAN_ONESTOP_CLASSIFY_AT`` is
``"returned"``: ``deadlines.classify_at``), or its stop (``stopped_at``).

- In scope: accepted before the end of the period and not finished before its start.
- **Received**: *carried over* = accepted before the start; in the period by channel:
  *online*, *direct*, *postal*.
- **Resolved**: finished (classified) in the period, split by the ``timeliness`` the
  actions stored with ``deadlines.classify`` (early / on time / late: the single
  definition); *withdrawn* (status 7) counts here too.
- **Paused**: stopped (status 8) in the period, or waiting for a supplement or fees
  (statuses 5, 6) since before the end; *late* when the pause began after the deadline.
- **In progress**: the rest, i.e. not finished at the end of the period: *in time* /
  *late* against ``as_of`` as ``deadlines.pending_state`` does (late = ``as_of`` after
  ``due_at``).

So each dossier in scope is in exactly one of resolved / in progress / paused, and
carried over + received in the period = resolved + in progress + paused.

Approximation: the report reads the dossiers as they stand now. A dossier now paused for a
supplement asked after the period is counted in progress with its clock stopped (in time);
the statuses 5/6 of the past are not rebuilt from the history.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from coquan.core.access import has_role
from coquan.onestop import deadlines, presenters
from coquan.onestop.choices import Channel, DossierStatus, Timeliness

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STYLESHEETS = (
    Path(__file__).parent / "templates" / "onestop" / "pdf" / "forms.css",
    Path(__file__).parent / "templates" / "onestop" / "pdf" / "reports.css",
)

# The columns of §3.10, in order: (key, block, label).
RECEIVED = "received"
RESOLVED = "resolved"
PROGRESS = "in_progress"
PAUSED = "paused"
BLOCKS = OrderedDict(
    [
        (RECEIVED, pgettext_lazy("report block", "Received")),
        (RESOLVED, pgettext_lazy("report block", "Resolved")),
        (PROGRESS, pgettext_lazy("report block", "In progress")),
        (PAUSED, pgettext_lazy("report block", "Paused")),
    ]
)
COUNTERS = (
    ("carried_over", RECEIVED, pgettext_lazy("report column", "Carried over")),
    ("online", RECEIVED, pgettext_lazy("report column", "Online")),
    ("direct", RECEIVED, pgettext_lazy("report column", "Direct")),
    ("postal", RECEIVED, pgettext_lazy("report column", "Postal")),
    ("early", RESOLVED, pgettext_lazy("report column", "Early")),
    ("on_time", RESOLVED, pgettext_lazy("report column", "On time")),
    ("late", RESOLVED, pgettext_lazy("report column", "Late")),
    ("withdrawn", RESOLVED, pgettext_lazy("report column", "Withdrawn")),
    ("progress_in_time", PROGRESS, pgettext_lazy("report column", "In time")),
    ("progress_late", PROGRESS, pgettext_lazy("report column", "Late")),
    ("paused_in_time", PAUSED, pgettext_lazy("report column", "In time")),
    ("paused_late", PAUSED, pgettext_lazy("report column", "Late")),
)
COUNTER_KEYS = tuple(key for key, _block, _label in COUNTERS)
TOTALS = (
    ("received_total", RECEIVED),
    ("resolved_total", RESOLVED),
    ("progress_total", PROGRESS),
    ("paused_total", PAUSED),
)

GROUPS = OrderedDict(
    [
        ("procedure", pgettext_lazy("report rows", "Procedure")),
        ("unit", pgettext_lazy("report rows", "Unit in charge")),
        ("sector", pgettext_lazy("report rows", "Sector")),
        ("agency", pgettext_lazy("report rows", "Agency")),
    ]
)

# Roles that open the reports of their agency (and of the agencies under it).
DEFAULT_REPORT_ROLES = ("leader", "desk_officer")


def report_roles() -> tuple[str, ...]:
    return tuple(getattr(settings, "COQUAN_ONESTOP_REPORT_ROLES", DEFAULT_REPORT_ROLES))


def can_view_reports(user, agency) -> bool:
    return agency is not None and has_role(user, agency, *report_roles())


def require_reports(user, agency) -> None:
    if not can_view_reports(user, agency):
        raise PermissionDenied(_("Only the agency's leaders and desk officers open the reports."))


# --- period and scope -------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValidationError(
                {"end": _("The end of the period is before its start.")}, code="bad_period"
            )
        if (self.end - self.start).days > 366 * 5:
            raise ValidationError(
                {"end": _("A report covers at most five years.")}, code="bad_period"
            )

    @property
    def starts_at(self) -> dt.datetime:
        return _local_midnight(self.start)

    @property
    def ends_at(self) -> dt.datetime:
        """The first instant after the period."""
        return _local_midnight(self.end + dt.timedelta(days=1))

    def label(self) -> str:
        return _("from %(start)s to %(end)s") % {
            "start": formats.date_format(self.start, "d/m/Y"),
            "end": formats.date_format(self.end, "d/m/Y"),
        }

    @classmethod
    def month_to_date(cls, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today.replace(day=1), today)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def agency_tree_ids(agency) -> list[int]:
    """``agency`` and every agency under it (``Agency.parent``), one query per level."""
    from coquan.org.models import Agency

    ids, level = [agency.pk], [agency.pk]
    for _depth in range(6):
        level = list(Agency.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        level = [pk for pk in level if pk not in ids]
        if not level:
            break
        ids += level
    return ids


def scope_agency_ids(user, agency, *, tree: bool = False) -> list[int]:
    """The agencies a report about ``agency`` covers: the agency itself, or with ``tree``
    the agencies under it too (the province-level view). Checks the person's role."""
    require_reports(user, agency)
    return agency_tree_ids(agency) if tree else [agency.pk]


# --- the query --------------------------------------------------------------------------------


def finish_field() -> str:
    """The moment a dossier counts as resolved (the moment it is classified)."""
    return "returned_at" if deadlines.classify_at() == "returned" else "result_ready_at"


def conditions(period: Period, now: dt.datetime | None = None) -> tuple[Q, dict[str, Q]]:
    """The scope filter and one condition per counter (see the module's docstring).

    Written in positive form with the NULL cases spelled out (no ``~Q`` on nullable
    columns), so the database evaluates short conditions and Django compiles them fast."""
    p0, p1 = period.starts_at, period.ends_at
    now = now or timezone.now()
    as_of = min(p1, now)
    done = finish_field()
    scope = (
        Q(received_at__lt=p1)
        & (Q(**{f"{done}__isnull": True}) | Q(**{f"{done}__gte": p0}))
        & (Q(stopped_at__isnull=True) | Q(stopped_at__gte=p0))
    )
    waiting_statuses = (DossierStatus.SUPPLEMENT, DossierStatus.FINANCIAL)
    resolved = Q(**{f"{done}__lt": p1})
    open_ = Q(**{f"{done}__isnull": True}) | Q(**{f"{done}__gte": p1})  # not resolved
    not_stopped = Q(stopped_at__isnull=True) | Q(stopped_at__gte=p1)
    stopped = open_ & Q(stopped_at__lt=p1)
    waiting = open_ & not_stopped & Q(status__in=waiting_statuses, paused_at__lt=p1)
    withdrawn = open_ & not_stopped & Q(status=DossierStatus.WITHDRAWN)
    running = (
        open_
        & not_stopped
        & (
            ~Q(status__in=(*waiting_statuses, DossierStatus.WITHDRAWN))
            | Q(status__in=waiting_statuses, paused_at__isnull=True)
            | Q(status__in=waiting_statuses, paused_at__gte=p1)
        )
    )
    stopped_late = stopped & Q(stopped_at__gt=F("due_at"))
    waiting_late = waiting & Q(paused_at__gt=F("due_at"))
    in_period = Q(received_at__gte=p0)
    counters = {
        "carried_over": Q(received_at__lt=p0),
        "online": in_period & Q(channel=Channel.ONLINE),
        "direct": in_period & Q(channel=Channel.DIRECT),
        "postal": in_period & Q(channel=Channel.POSTAL),
        "early": resolved & Q(timeliness=Timeliness.EARLY),
        "on_time": resolved & Q(timeliness=Timeliness.ON_TIME),
        "late": resolved & Q(timeliness=Timeliness.LATE),
        "withdrawn": withdrawn,
        "progress_in_time": running & (Q(due_at__isnull=True) | Q(due_at__gte=as_of)),
        "progress_late": running & Q(due_at__lt=as_of),
        # "> due_at" is false when due_at is NULL (a supplement stops the clock).
        "paused_in_time": (
            (stopped & (Q(due_at__isnull=True) | Q(stopped_at__lte=F("due_at"))))
            | (waiting & (Q(due_at__isnull=True) | Q(paused_at__lte=F("due_at"))))
        ),
        "paused_late": stopped_late | waiting_late,
    }
    return scope, counters


def grouped_counts(agency_ids, period: Period, now=None):
    """One row per (agency, procedure version) with the counters: the only query over
    dossiers."""
    from coquan.onestop.models import Dossier

    scope, counters = conditions(period, now)
    return (
        Dossier.objects.filter(agency_id__in=agency_ids, received_at__isnull=False)
        .filter(scope)
        .values("agency_id", "procedure_id")
        .order_by()
        .annotate(**{key: Count("pk", filter=condition) for key, condition in counters.items()})
    )


# --- rows -------------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class ReportRow:
    key: str
    label: str
    code: str = ""
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTER_KEYS, 0))

    def add(self, values: dict) -> None:
        for key in COUNTER_KEYS:
            self.counts[key] += values[key]

    def __getattr__(self, name):
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    @property
    def received_in_period(self) -> int:
        return self.online + self.direct + self.postal

    @property
    def received_total(self) -> int:
        return self.carried_over + self.received_in_period

    @property
    def resolved_total(self) -> int:
        return self.early + self.on_time + self.late + self.withdrawn

    @property
    def progress_total(self) -> int:
        return self.progress_in_time + self.progress_late

    @property
    def paused_total(self) -> int:
        return self.paused_in_time + self.paused_late

    @property
    def on_time_rate(self) -> Decimal | None:
        """(early + on time) / resolved, in per cent with one decimal."""
        return _rate(self.early + self.on_time, self.early + self.on_time + self.late)

    @property
    def online_share(self) -> Decimal | None:
        return _rate(self.online, self.received_in_period)

    def values(self) -> list[int]:
        """Every figure in the printed order: each block's total, then its columns."""
        result = []
        for total_key, block in TOTALS:
            result.append(getattr(self, total_key))
            if block == RECEIVED:
                result += [self.carried_over, self.received_in_period]
            result += [
                self.counts[key]
                for key, b, _label in COUNTERS
                if b == block and key != "carried_over"
            ]
        return result

    def as_dict(self) -> dict:
        data = {"key": self.key, "label": self.label, "code": self.code, **self.counts}
        data.update({name: getattr(self, name) for name, _block in TOTALS})
        data["received_in_period"] = self.received_in_period
        rate, share = self.on_time_rate, self.online_share
        data["on_time_rate"] = None if rate is None else str(rate)
        data["online_share"] = None if share is None else str(share)
        return data


def columns() -> list[tuple[str, str]]:
    """(block, label) of each printed figure, matching ``ReportRow.values``."""
    result = []
    for _total, block in TOTALS:
        result.append((block, str(pgettext_lazy("report column", "Total"))))
        if block == RECEIVED:
            result += [
                (block, str(pgettext_lazy("report column", "Carried over"))),
                (block, _("In the period")),
            ]
        result += [
            (b, str(label)) for key, b, label in COUNTERS if b == block and key != "carried_over"
        ]
    return result


@dataclass
class Report:
    agency: object
    period: Period
    group_by: str
    tree: bool
    rows: list[ReportRow]
    total: ReportRow
    generated_at: dt.datetime

    @property
    def title(self) -> str:
        return _("Report on the handling of administrative procedure dossiers")

    @property
    def group_label(self) -> str:
        return str(GROUPS[self.group_by])

    def chart(self, width: int = 660) -> list[dict]:
        """Stacked bars per row (early, on time, late, in progress) for the server-rendered
        SVG chart: each part's ``x`` and ``w`` in a bar of ``width`` units for the largest
        row."""
        largest = max([r.resolved_total + r.progress_total for r in self.rows] or [0]) or 1
        bars = []
        for row in self.rows:
            parts, x = [], 0.0
            for key, value in (
                ("early", row.early),
                ("on_time", row.on_time),
                ("late", row.late),
                ("progress", row.progress_total),
            ):
                if value:
                    w = round(width * value / largest, 1)
                    parts.append({"key": key, "count": value, "x": x, "w": w})
                    x = round(x + w, 1)
            bars.append({"row": row, "parts": parts})
        return bars


def _units_in_charge(procedure_ids) -> dict[int, object]:
    """{procedure id: the unit of its first step that names one}, in one query."""
    from coquan.onestop.models import ProcedureStep

    units: dict[int, object] = {}
    steps = (
        ProcedureStep.objects.filter(procedure_id__in=procedure_ids, responsible_unit__isnull=False)
        .select_related("responsible_unit")
        .only("procedure_id", "order", "responsible_unit__name", "responsible_unit__code")
        .order_by("procedure_id", "order", "pk")
    )
    for step in steps:
        units.setdefault(step.procedure_id, step.responsible_unit)
    return units


def _row_key(group_by: str, procedure, agencies: dict, units: dict) -> tuple[str, str, str]:
    """(key, label, code) of the row a procedure version adds to."""
    if group_by == "agency":
        agency = agencies[procedure.agency_id]
        return (agency.organ_id, agency.name, agency.organ_id)
    if group_by == "sector":
        key = f"{procedure.agency_id}:{procedure.sector_code}"
        return (key, procedure.sector_name or procedure.sector_code or "—", procedure.sector_code)
    if group_by == "unit":
        unit = units.get(procedure.pk)
        if unit is None:
            agency = agencies[procedure.agency_id]
            return (f"agency:{agency.pk}", _("Leaders of %(agency)s") % {"agency": agency.name}, "")
        return (f"unit:{unit.pk}", unit.name, unit.code)
    return (f"{procedure.agency_id}:{procedure.code}", procedure.name, procedure.code)


def build(
    user, agency, period: Period, *, group_by: str = "procedure", tree: bool = False, now=None
) -> Report:
    """The standard report about ``agency`` (and the agencies under it with ``tree``)."""
    from coquan.onestop.models import Procedure
    from coquan.org.models import Agency

    if group_by not in GROUPS:
        raise ValidationError({"group_by": _("Unknown grouping.")}, code="bad_group")
    agency_ids = scope_agency_ids(user, agency, tree=tree)
    groups = list(grouped_counts(agency_ids, period, now))
    procedure_ids = {g["procedure_id"] for g in groups}
    procedures = {
        p.pk: p
        for p in Procedure.objects.filter(pk__in=procedure_ids).only(
            "agency_id", "code", "version", "name", "sector_code", "sector_name"
        )
    }
    units = _units_in_charge(procedure_ids) if group_by == "unit" else {}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids).only("organ_id", "name")}
    rows: dict[str, ReportRow] = {}
    total = ReportRow(key="total", label=pgettext("report", "Total"))
    # Latest versions first, so a row is labelled with the newest name of the procedure.
    for group in sorted(groups, key=lambda g: -procedures[g["procedure_id"]].version):
        key, label, code = _row_key(group_by, procedures[group["procedure_id"]], agencies, units)
        row = rows.setdefault(key, ReportRow(key=key, label=label, code=code))
        row.add(group)
        total.add(group)
    ordered = sorted(rows.values(), key=lambda r: (r.code or "~", r.label))
    return Report(
        agency=agency,
        period=period,
        group_by=group_by,
        tree=tree,
        rows=ordered,
        total=total,
        generated_at=timezone.localtime(now) if now else timezone.localtime(),
    )


# --- files ------------------------------------------------------------------------------------


def render_pdf(report: Report) -> bytes:
    """A4 landscape: the agency header of the forms, the title, the table of §3.10."""
    from weasyprint import CSS, HTML

    with translation.override("vi"):
        html = render_to_string(
            "onestop/reports/standard_pdf.html",
            {
                "report": report,
                "agency": report.agency,
                "desk": presenters.desk_label(),
                "columns": columns(),
                "blocks": _block_spans(),
            },
        )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(p)) for p in STYLESHEETS])


def _block_spans() -> list[tuple[str, int]]:
    spans: OrderedDict[str, int] = OrderedDict()
    for block, _label in columns():
        spans[block] = spans.get(block, 0) + 1
    return [(str(BLOCKS[block]), span) for block, span in spans.items()]


def render_xlsx(report: Report) -> bytes:
    """One sheet: title lines, two header rows (blocks, columns), one row per group, the
    total. Figures are numbers, so the sheet can be summed again."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    with translation.override("vi"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Report")[:31]
        bold = Font(name="Times New Roman", bold=True, size=12)
        normal = Font(name="Times New Roman", size=11)
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        lines = [
            report.agency.name.upper(),
            report.title.upper(),
            _("Period: %(period)s") % {"period": report.period.label()},
            _("Rows: %(group)s") % {"group": report.group_label},
        ]
        for index, line in enumerate(lines, start=1):
            sheet.cell(row=index, column=1, value=line).font = bold if index <= 2 else normal
        top = len(lines) + 2
        sheet.cell(row=top, column=1, value=pgettext("report", "No.")).font = bold
        sheet.cell(row=top, column=2, value=report.group_label).font = bold
        sheet.cell(row=top, column=3, value=pgettext("report", "Code")).font = bold
        for col in (1, 2, 3):
            sheet.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        column = 4
        for label, span in _block_spans():
            cell = sheet.cell(row=top, column=column, value=label)
            cell.font, cell.alignment = bold, center
            sheet.merge_cells(
                start_row=top, start_column=column, end_row=top, end_column=column + span - 1
            )
            column += span
        for offset, (_block, label) in enumerate(columns()):
            cell = sheet.cell(row=top + 1, column=4 + offset, value=label)
            cell.font, cell.alignment = bold, center
        body = [(str(n), row) for n, row in enumerate(report.rows, start=1)]
        body.append(("", report.total))
        for number, (index, row) in enumerate(body, start=top + 2):
            sheet.cell(row=number, column=1, value=index)
            sheet.cell(row=number, column=2, value=row.label)
            sheet.cell(row=number, column=3, value=row.code)
            for offset, value in enumerate(row.values()):
                sheet.cell(row=number, column=4 + offset, value=value)
            font = bold if row is report.total else normal
            for col in range(1, 4 + len(columns())):
                cell = sheet.cell(row=number, column=col)
                cell.font, cell.border = font, border
        for col in range(1, 4 + len(columns())):
            for r in (top, top + 1):
                sheet.cell(row=r, column=col).border = border
        sheet.column_dimensions["A"].width = 6
        sheet.column_dimensions["B"].width = 48
        sheet.column_dimensions["C"].width = 16
        output = io.BytesIO()
        book.save(output)
    return output.getvalue()


# --- form 06: the dossier register --------------------------------------------------------

REGISTER_COLUMNS = (
    pgettext_lazy("form 06", "No."),
    pgettext_lazy("form 06", "Dossier code"),
    pgettext_lazy("form 06", "Administrative procedure"),
    pgettext_lazy("form 06", "Number of sets"),
    pgettext_lazy("form 06", "Person or organisation"),
    pgettext_lazy("form 06", "Address, telephone"),
    pgettext_lazy("form 06", "Agency in charge"),
    pgettext_lazy("form 06", "Dossier received"),
    pgettext_lazy("form 06", "Appointment for the result"),
    pgettext_lazy("form 06", "Sent to the processing unit"),
    pgettext_lazy("form 06", "Result received from the processing unit"),
    pgettext_lazy("form 06", "Result returned to the applicant"),
    pgettext_lazy("form 06", "Note"),
)


@dataclass
class Register:
    agency: object
    period: Period
    rows: list[list[str]]

    @property
    def title(self) -> str:
        return _("Register of dossiers")

    @property
    def columns(self) -> list[str]:
        return [str(label) for label in REGISTER_COLUMNS]


def register_dossiers(user, agency, period: Period):
    """The dossiers accepted by ``agency`` in ``period`` that ``user`` may see, in the order
    of acceptance, with the first hand-over to a processing step: one query."""
    from django.db.models import OuterRef, Subquery

    from coquan.onestop.choices import TransferKind
    from coquan.onestop.models import Dossier, DossierTransfer

    require_reports(user, agency)
    sent = (
        DossierTransfer.objects.filter(dossier_id=OuterRef("pk"), kind=TransferKind.FORWARD)
        .order_by("seq")
        .values("handed_at")[:1]
    )
    return (
        Dossier.objects.visible_to(user)
        .for_agency(agency)
        .filter(received_at__gte=period.starts_at, received_at__lt=period.ends_at)
        .select_related("procedure", "agency")
        .annotate(sent_at=Subquery(sent))
        .order_by("received_at", "pk")
    )


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "H:i d/m/Y") if value else ""


def register_row(number: int, dossier) -> list[str]:
    """The 13 columns of form 06 for one dossier."""
    notes = []
    if dossier.timeliness:
        notes.append(str(dossier.get_timeliness_display()))
    elif dossier.status not in (DossierStatus.ACCEPTED, DossierStatus.IN_PROGRESS):
        notes.append(str(dossier.get_status_display()))
    if dossier.original_due_at and dossier.due_at and dossier.original_due_at != dossier.due_at:
        notes.append(_("first appointment %(date)s") % {"date": _moment(dossier.original_due_at)})
    contact = "\n".join(v for v in (dossier.applicant_address, dossier.applicant_phone) if v)
    return [
        str(number),
        dossier.dossier_code or "",
        dossier.procedure.name,
        str(dossier.set_count),
        dossier.applicant_name,
        contact,
        dossier.procedure.competent_authority or dossier.agency.name,
        _moment(dossier.received_at),
        _moment(dossier.due_at or dossier.original_due_at),
        _moment(dossier.sent_at),
        _moment(dossier.result_ready_at),
        _moment(dossier.returned_at),
        "; ".join(notes),
    ]


def build_register(user, agency, period: Period) -> Register:
    with translation.override("vi"):
        rows = [
            register_row(n, d)
            for n, d in enumerate(register_dossiers(user, agency, period).iterator(), start=1)
        ]
    return Register(agency=agency, period=period, rows=rows)


def render_register_pdf(register: Register) -> bytes:
    from weasyprint import CSS, HTML

    with translation.override("vi"):
        html = render_to_string(
            "onestop/reports/register_pdf.html",
            {"register": register, "agency": register.agency, "desk": presenters.desk_label()},
        )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(p)) for p in STYLESHEETS])


def render_register_xlsx(register: Register) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    with translation.override("vi"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Form 06")[:31]
        bold = Font(name="Times New Roman", bold=True, size=12)
        normal = Font(name="Times New Roman", size=11)
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        wrap = Alignment(wrap_text=True, vertical="top")
        lines = [
            register.agency.name.upper(),
            register.title.upper(),
            _("Period: %(period)s") % {"period": register.period.label()},
        ]
        for index, line in enumerate(lines, start=1):
            sheet.cell(row=index, column=1, value=line).font = bold if index <= 2 else normal
        top = len(lines) + 2
        for column, label in enumerate(register.columns, start=1):
            cell = sheet.cell(row=top, column=column, value=label)
            cell.font, cell.border, cell.alignment = bold, border, wrap
            number = sheet.cell(row=top + 1, column=column, value=f"({column})")
            number.font, number.border = normal, border
            number.alignment = Alignment(horizontal="center")
        for offset, values in enumerate(register.rows, start=top + 2):
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=offset, column=column, value=value)
                cell.font, cell.border, cell.alignment = normal, border, wrap
        widths = (6, 24, 40, 8, 28, 30, 28, 16, 16, 16, 16, 16, 20)
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[sheet.cell(row=top, column=column).column_letter].width = width
        output = io.BytesIO()
        book.save(output)
    return output.getvalue()


def file_name(prefix: str, period: Period, extension: str) -> str:
    return f"{prefix}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"


__all__ = [
    "BLOCKS",
    "COUNTERS",
    "GROUPS",
    "Period",
    "Report",
    "ReportRow",
    "build",
    "can_view_reports",
    "conditions",
    "render_pdf",
    "render_xlsx",
]
