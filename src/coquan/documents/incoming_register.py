"""Registers and reports of incoming documents (issue 3, part 8; Decree 30/2020 App. IV).

- **Sổ đăng ký văn bản đến** (``register``), ten columns: (1) arrival date, (2) arrival
  number, (3) issuer (tác giả), (4) number and notation, (5) date of the document, (6) type
  and subject, (7) unit or person receiving it, (8) date passed on, (9) signature of receipt
  (blank, signed on paper), (10) note.
- **Sổ theo dõi giải quyết văn bản đến** (``tracking``), seven columns: (1) arrival number,
  (2) type, number, notation, date and issuer, (3) unit or person handling, (4) deadline,
  (5) progress, (6) number and notation of the reply, (7) note.
- **Handling report** per unit or per person for a period: received, done on time, done
  late, still open, overdue (``handling_report``), one aggregate query.

Each book is printed for a date range of arrival and one book kind (ordinary or secret,
Art. 22.4: secret documents have their own book). Rows come from ``visible_to`` so
secret documents appear only for people granted them, in previews, exports and counts.
Every list is a constant number of queries (replies prefetched).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.documents.choices import (
    ISSUED_OUTGOING,
    OPEN_STATUSES,
    BookKind,
    IncomingStatus,
    Secrecy,
    Urgency,
)
from coquan.documents.forms import StyledForm, date_field
from coquan.documents.querysets import HANDLING_STATUSES
from coquan.documents.register_export import Book

REGISTER_COLUMNS = (
    gettext_lazy("Arrival date"),
    gettext_lazy("Arrival number"),
    gettext_lazy("Author"),
    gettext_lazy("Number and notation"),
    gettext_lazy("Date of the document"),
    gettext_lazy("Type and subject"),
    gettext_lazy("Receiving unit or person"),
    gettext_lazy("Date passed on"),
    gettext_lazy("Signature of receipt"),
    gettext_lazy("Note"),
)

TRACKING_COLUMNS = (
    gettext_lazy("Arrival number"),
    gettext_lazy("Type, number, notation, date and issuing agency"),
    gettext_lazy("Receiving unit or person"),
    gettext_lazy("Deadline for handling"),
    gettext_lazy("Progress of handling"),
    gettext_lazy("Number and notation of the reply"),
    gettext_lazy("Note"),
)

REPORT_COLUMNS = (
    gettext_lazy("Unit or person"),
    gettext_lazy("Documents received"),
    gettext_lazy("Done on time"),
    gettext_lazy("Done late"),
    gettext_lazy("Open"),
    gettext_lazy("Overdue"),
)

KINDS = {
    "register": (gettext_lazy("Register of incoming documents"), REGISTER_COLUMNS),
    "tracking": (gettext_lazy("Register of follow-up of incoming documents"), TRACKING_COLUMNS),
}
BOOKS = (
    (BookKind.INCOMING, gettext_lazy("Ordinary book")),
    (BookKind.INCOMING_SECRET, gettext_lazy("Secret book")),
)
GROUPS = (("unit", gettext_lazy("Per unit")), ("person", gettext_lazy("Per person")))

#: Longest range one request may print (a book is printed per year; a little slack).
MAX_RANGE_DAYS = 400


class RangeForm(StyledForm):
    """The period and the book of a register or report (dates as dd/mm/yyyy or ISO)."""

    date_from = date_field(gettext_lazy("From date"), required=False)
    date_to = date_field(gettext_lazy("To date"), required=False)
    book = forms.ChoiceField(label=gettext_lazy("Book"), choices=BOOKS, required=False)
    group = forms.ChoiceField(label=gettext_lazy("Group"), choices=GROUPS, required=False)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        start = data.get("date_from") or today.replace(month=1, day=1)
        end = data.get("date_to") or today
        if "date_from" in self.errors or "date_to" in self.errors:
            return data
        if start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        elif (end - start).days > MAX_RANGE_DAYS:
            self.add_error(
                "date_to",
                _("The period is too long: at most %(days)s days.") % {"days": MAX_RANGE_DAYS},
            )
        data["date_from"], data["date_to"] = start, end
        data["book"] = data.get("book") or BookKind.INCOMING
        data["group"] = data.get("group") or "unit"
        return data


def _bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes [start of ``date_from``, start of the day after ``date_to``)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "d/m/Y")


def documents_for(user, agency, date_from, date_to, book=BookKind.INCOMING):
    """The documents of one book that arrived in the period and ``user`` may see, in order."""
    from coquan.documents.models import IncomingDocument, OutgoingDocument

    start, end = _bounds(date_from, date_to)
    replies = (
        OutgoingDocument.objects.visible_to(user)
        .filter(status__in=ISSUED_OUTGOING)
        .only("id", "reply_to_id", "code_number", "code_notation", "issued_date")
        .order_by("issued_date", "pk")
    )
    return (
        IncomingDocument.objects.visible_to(user)
        .filter(
            agency=agency,
            register_book__kind=book,
            arrival_date__gte=start,
            arrival_date__lt=end,
        )
        .select_related("document_type", "presented_to", "lead_unit", "lead_user")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="issued_replies"))
        .order_by("arrival_date", "arrival_number")
    )


def _notes(document) -> list[str]:
    notes = []
    if document.secrecy != Secrecy.NONE:
        notes.append(str(document.get_secrecy_display()))
    if document.urgency != Urgency.NORMAL:
        notes.append(str(document.get_urgency_display()))
    if document.description:
        notes.append(document.description)
    return notes


def _receiver(document) -> str:
    if document.to_places:
        return document.to_places
    if document.lead_user_id:
        return str(document.lead_user)
    if document.lead_unit_id:
        return document.lead_unit.name
    if document.presented_to_id:
        return str(document.presented_to)
    return ""


def register_row(document) -> list[str]:
    """The ten columns of the Sổ đăng ký văn bản đến for one document."""
    return [
        _date(document.arrival_date),
        str(document.arrival_number),
        document.issuer_name,
        document.number_and_notation,
        _date(document.issued_date),
        f"{document.document_type.name}: {document.subject}",
        _receiver(document),
        _date(document.presented_at or document.assigned_at),
        "",
        "; ".join(_notes(document)),
    ]


def _progress(document, today: dt.date) -> str:
    status = document.status
    if status == IncomingStatus.DONE:
        done_on = (
            timezone.localtime(document.completed_at).date() if document.completed_at else None
        )
        text = _("Done on %(date)s") % {"date": _date(done_on)}
        if done_on and document.due_date and done_on > document.due_date:
            text += " — " + _("late")
        return text
    text = str(document.get_status_display())
    if status in HANDLING_STATUSES and document.due_date and document.due_date < today:
        text += " — " + _("overdue")
    return text


def tracking_row(document, today: dt.date) -> list[str]:
    """The seven columns of the Sổ theo dõi giải quyết văn bản đến for one document."""
    identity = document.document_type.name
    if document.number_and_notation:
        identity += " " + _("no. %(number)s") % {"number": document.number_and_notation}
    identity += " " + _("of %(date)s") % {"date": _date(document.issued_date)}
    identity += ", " + document.issuer_name
    replies = [r.number_and_notation for r in getattr(document, "issued_replies", [])]
    notes = _notes(document)
    if document.result_note:
        notes.append(document.result_note[:300])
    return [
        str(document.arrival_number),
        identity,
        _receiver(document),
        _date(document.due_date),
        _progress(document, today),
        "; ".join(r for r in replies if r),
        "; ".join(notes),
    ]


def row_for(kind: str, document, today: dt.date) -> list[str]:
    return register_row(document) if kind == "register" else tracking_row(document, today)


@dataclass
class Period:
    date_from: dt.date
    date_to: dt.date
    book: str = BookKind.INCOMING


def build(user, agency, kind: str, period: Period, today: dt.date | None = None) -> Book:
    """The whole book of ``kind`` (``register`` or ``tracking``) for the period."""
    today = today or timezone.localdate()
    title, columns = KINDS[kind]
    documents = list(documents_for(user, agency, period.date_from, period.date_to, period.book))
    rows = [row_for(kind, doc, today) for doc in documents]
    first = documents[0].arrival_number if documents else ""
    last = documents[-1].arrival_number if documents else ""
    years = sorted({period.date_from.year, period.date_to.year})
    book_label = dict(BOOKS)[period.book]
    lines = [
        _("Year: %(year)s") % {"year": "–".join(str(y) for y in years)},
        _("From %(first)s to %(last)s")
        % {"first": _date(period.date_from), "last": _date(period.date_to)},
        _("From number %(first)s to number %(last)s") % {"first": first, "last": last},
        _("Book: %(name)s") % {"name": book_label},
    ]
    if kind == "register":
        widths, nowrap = (12, 8, 28, 18, 12, 50, 28, 12, 14, 22), (1, 2, 4, 5, 8)
    else:
        widths, nowrap = (8, 50, 28, 12, 26, 22, 26), (1, 4)
    return Book(
        agency_name=agency.name,
        title=str(title),
        lines=lines,
        columns=columns,
        rows=rows,
        widths=widths,
        nowrap=nowrap,
        empty_text=_("No document arrived in this period."),
        sheet_name=f"{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}",
    )


# --- Handling report ------------------------------------------------------------------------


@dataclass
class ReportRow:
    key: int | None
    label: str
    received: int
    on_time: int
    late: int
    open: int
    overdue: int

    def as_list(self) -> list:
        return [self.label, self.received, self.on_time, self.late, self.open, self.overdue]

    def as_dict(self) -> dict:
        return {
            "id": self.key,
            "name": self.label,
            "received": self.received,
            "done_on_time": self.on_time,
            "done_late": self.late,
            "open": self.open,
            "overdue": self.overdue,
        }


def handling_report(user, agency, period: Period, group: str = "unit", today=None):
    """Counts per lead unit (``group="unit"``) or lead person for documents arrived in the
    period: received, done on time (completed on or before the deadline, or without one),
    done late, still open (not done, not refused), overdue (being handled past the deadline).

    One ``GROUP BY`` query over ``visible_to``; documents without a lead yet form one row.
    Returns the rows (biggest first) and the total row.
    """
    from coquan.documents.models import IncomingDocument

    today = today or timezone.localdate()
    start, end = _bounds(period.date_from, period.date_to)
    done = Q(status=IncomingStatus.DONE)
    on_time = done & (Q(due_date__isnull=True) | Q(completed_at__date__lte=F("due_date")))
    late = done & Q(completed_at__date__gt=F("due_date"))
    if group == "person":
        keys = ("lead_user_id", "lead_user__full_name", "lead_user__username")
    else:
        keys = ("lead_unit_id", "lead_unit__name", "to_person")
    grouped = (
        IncomingDocument.objects.visible_to(user)
        .filter(agency=agency, arrival_date__gte=start, arrival_date__lt=end)
        .annotate(
            to_person=Case(
                When(lead_unit__isnull=True, lead_user__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by()
        .values(*keys)
        .annotate(
            received=Count("pk"),
            on_time=Count("pk", filter=on_time),
            late=Count("pk", filter=late),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=HANDLING_STATUSES, due_date__lt=today)),
        )
    )
    rows = []
    for item in grouped:
        key = item[keys[0]]
        if key is None and group == "unit" and item["to_person"]:
            label = _("Assigned to a person directly")
        elif key is None:
            label = _("Not assigned yet") if group == "unit" else _("No lead person")
        elif group == "person":
            label = item["lead_user__full_name"] or item["lead_user__username"]
        else:
            label = item["lead_unit__name"]
        rows.append(
            ReportRow(
                key,
                label,
                item["received"],
                item["on_time"],
                item["late"],
                item["open"],
                item["overdue"],
            )
        )
    rows.sort(key=lambda r: (r.key is None, -r.received, str(r.label)))
    total = ReportRow(
        None,
        _("Grand total"),
        *(
            sum(getattr(r, f) for r in rows)
            for f in ("received", "on_time", "late", "open", "overdue")
        ),
    )
    return rows, total


def report_book(agency, period: Period, group: str, rows, total) -> Book:
    return Book(
        agency_name=agency.name,
        title=_("Report on the handling of incoming documents"),
        lines=[
            _("From %(first)s to %(last)s")
            % {"first": _date(period.date_from), "last": _date(period.date_to)},
            str(dict(GROUPS)[group]),
        ],
        columns=REPORT_COLUMNS,
        rows=[r.as_list() for r in [*rows, total]],
        widths=(40, 12, 14, 12, 12, 12),
        empty_text=_("No document arrived in this period."),
        sheet_name=f"{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}",
    )
