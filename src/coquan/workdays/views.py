"""Calendar pages: the year view, the deadline calculator, override forms (superusers)."""

from __future__ import annotations

import calendar as pycalendar
import contextlib
import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from coquan.core.access import get_visible_or_404
from coquan.core.actions import record_denial
from coquan.workdays import actions
from coquan.workdays.calendar import MAX_YEAR, MIN_YEAR, DayInfo, DayKind, current_calendar
from coquan.workdays.forms import DeadlineForm, OverrideForm
from coquan.workdays.models import CalendarOverride

MONTH_NAMES = [
    pgettext_lazy("month", "January"),
    pgettext_lazy("month", "February"),
    pgettext_lazy("month", "March"),
    pgettext_lazy("month", "April"),
    pgettext_lazy("month", "May"),
    pgettext_lazy("month", "June"),
    pgettext_lazy("month", "July"),
    pgettext_lazy("month", "August"),
    pgettext_lazy("month", "September"),
    pgettext_lazy("month", "October"),
    pgettext_lazy("month", "November"),
    pgettext_lazy("month", "December"),
]
WEEKDAY_NAMES = [
    pgettext_lazy("weekday", "Monday"),
    pgettext_lazy("weekday", "Tuesday"),
    pgettext_lazy("weekday", "Wednesday"),
    pgettext_lazy("weekday", "Thursday"),
    pgettext_lazy("weekday", "Friday"),
    pgettext_lazy("weekday", "Saturday"),
    pgettext_lazy("weekday", "Sunday"),
]
WEEKDAY_ABBREVIATIONS = [
    pgettext_lazy("weekday abbreviation", "Mon"),
    pgettext_lazy("weekday abbreviation", "Tue"),
    pgettext_lazy("weekday abbreviation", "Wed"),
    pgettext_lazy("weekday abbreviation", "Thu"),
    pgettext_lazy("weekday abbreviation", "Fri"),
    pgettext_lazy("weekday abbreviation", "Sat"),
    pgettext_lazy("weekday abbreviation", "Sun"),
]
KIND_LABELS = {
    DayKind.HOLIDAY: pgettext_lazy("day kind", "Public holiday"),
    DayKind.DAY_OFF: pgettext_lazy("day kind", "Extra day off"),
    DayKind.MAKEUP: pgettext_lazy("day kind", "Make-up working day"),
    DayKind.WEEKEND: pgettext_lazy("day kind", "Weekend"),
    DayKind.WORKING: pgettext_lazy("day kind", "Working day"),
}
KIND_CSS = {
    DayKind.HOLIDAY: "day-off",
    DayKind.DAY_OFF: "day-off",
    DayKind.MAKEUP: "day-makeup",
    DayKind.WEEKEND: "day-weekend",
    DayKind.WORKING: "",
}


def _parse_year(raw: str | None) -> tuple[int, str]:
    """The requested year, or this year and a message explaining why the request was not
    usable."""
    this_year = timezone.localdate().year
    if raw is None or raw.strip() == "":
        return this_year, ""
    try:
        year = int(raw.strip())
    except ValueError:
        return this_year, _("“%(value)s” is not a year. Showing %(year)s instead.") % {
            "value": raw[:20],
            "year": this_year,
        }
    if not MIN_YEAR <= year <= MAX_YEAR:
        return this_year, _(
            "The calendar covers the years %(first)s to %(last)s. Showing %(year)s instead."
        ) % {"first": MIN_YEAR, "last": MAX_YEAR, "year": this_year}
    return year, ""


def describe_day(info: DayInfo) -> str:
    """The text a screen reader hears for a marked day (also its tooltip)."""
    label = str(KIND_LABELS[info.kind])
    name = info.name
    if info.statutory_name and info.source == "override":
        name = _("%(name)s (instead of %(holiday)s)") % {
            "name": name,
            "holiday": info.statutory_name,
        }
    return f"{label}: {name}" if name else label


def weekday_name(day: dt.date) -> str:
    return str(WEEKDAY_NAMES[day.weekday()])


def _month(year: int, month: int, days: dict[dt.date, DayInfo], today: dt.date) -> dict:
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            if day.month != month:
                cells.append(None)
                continue
            info = days[day]
            cells.append(
                {
                    "date": day,
                    "css": KIND_CSS[info.kind],
                    "text": describe_day(info)
                    if info.is_marked or info.kind == DayKind.WEEKEND
                    else "",
                    "marked": info.is_marked,
                    "today": day == today,
                }
            )
        weeks.append(cells)
    return {"number": month, "name": MONTH_NAMES[month - 1], "weeks": weeks}


def _default_calculator_start() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


@login_required
def calendar_view(request):
    """A whole year: 12 month grids, the list of holidays and overrides, the calculator."""
    year, year_error = _parse_year(request.GET.get("year"))
    calendar = current_calendar()
    year_days = calendar.year_days(year)
    by_date = {info.date: info for info in year_days}
    overrides = {
        override.date: override
        for override in CalendarOverride.objects.visible_to(request.user).for_year(year)
    }
    today = timezone.localdate()
    marked = [
        {
            "info": info,
            "weekday": weekday_name(info.date),
            "kind_label": KIND_LABELS[info.kind],
            "css": KIND_CSS[info.kind],
            "override": overrides.get(info.date),
        }
        for info in year_days
        if info.is_marked
    ]
    context = {
        "year": year,
        "year_error": year_error,
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
        "min_year": MIN_YEAR,
        "max_year": MAX_YEAR,
        "months": [_month(year, month, by_date, today) for month in range(1, 13)],
        "weekdays": list(zip(WEEKDAY_ABBREVIATIONS, WEEKDAY_NAMES, strict=True)),
        "marked": marked,
        "working_day_count": sum(info.working for info in year_days),
        "can_edit": request.user.is_superuser,
        "deadline_form": DeadlineForm(
            initial={"start": _default_calculator_start(), "days": 1}, auto_id="calc_%s"
        ),
        "cutoff": calendar.cutoff,
    }
    return render(request, "workdays/calendar.html", context)


@login_required
def deadline_view(request):
    """The deadline calculator: the full page, or the result card for an htmx request."""
    form = DeadlineForm(request.GET or None, auto_id="calc_%s")
    result = None
    if form.is_bound and form.is_valid():
        result = _compute_deadline(form)
    context = {"deadline_form": form, "result": result}
    if request.htmx:
        return render(request, "workdays/partials/deadline_card.html", context)
    return render(request, "workdays/deadline.html", context)


def _compute_deadline(form: DeadlineForm) -> dict | None:
    calendar = current_calendar()
    start = form.cleaned_data["start"]
    days = form.cleaned_data["days"]
    try:
        deadline = calendar.add_working_days(start, days)
        effective = calendar.effective_start(start)
        skipped = []
        day = calendar.local(start).date()
        while day < deadline.date():
            day += dt.timedelta(days=1)
            info = calendar.day_info(day)
            if not info.working and info.kind != DayKind.WEEKEND:
                skipped.append({"info": info, "text": describe_day(info)})
    except ValueError:
        form.add_error(None, _("The deadline falls outside the years the calendar covers."))
        return None
    local_start = calendar.local(start)
    return {
        "start": local_start,
        "days": days.quantize(Decimal(1)) if days == int(days) else days.quantize(Decimal("0.1")),
        "effective": effective,
        "effective_weekday": weekday_name(effective),
        "moved": effective != local_start.date(),
        "deadline": deadline,
        "deadline_weekday": weekday_name(deadline.date()),
        "skipped": skipped,
        "cutoff": calendar.cutoff,
    }


def _require_admin(request, code: str) -> None:
    """403 (and an audit entry) for anyone but a deployment administrator."""
    try:
        actions.require_deployment_admin(request.user)
    except PermissionDenied as exc:
        record_denial(request.user, code, reason=str(exc))
        raise


def _back_to_year(day: dt.date):
    return redirect(f"{reverse('workdays:calendar')}?year={day.year}#overrides")


def _initial_from_query(request) -> dict:
    initial = {}
    with contextlib.suppress(ValueError):
        initial["date"] = dt.date.fromisoformat(request.GET.get("date", ""))
    if request.GET.get("kind") in ("day_off", "working_day"):
        initial["kind"] = request.GET["kind"]
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def override_create(request):
    """Add an override (deployment administrators)."""
    _require_admin(request, "workdays.override.create")
    form = OverrideForm(request.POST or None, initial=_initial_from_query(request))
    if request.method == "POST" and form.is_valid():
        try:
            override = actions.create_override(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The override for %(date)s was added.")
                % {"date": date_format(override.date, "d/m/Y")},
            )
            return _back_to_year(override.date)
    return render(request, "workdays/override_form.html", {"form": form, "override": None})


@login_required
@require_http_methods(["GET", "POST"])
def override_edit(request, pk: int):
    """Change an override (deployment administrators)."""
    _require_admin(request, "workdays.override.update")
    override = get_visible_or_404(CalendarOverride, request.user, pk=pk)
    initial = {
        "date": override.date,
        "kind": override.kind,
        "name": override.name,
        "note": override.note,
    }
    form = OverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            override = actions.update_override(request.user, override=override, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The override for %(date)s was saved.")
                % {"date": date_format(override.date, "d/m/Y")},
            )
            return _back_to_year(override.date)
    return render(request, "workdays/override_form.html", {"form": form, "override": override})


@login_required
@require_http_methods(["GET", "POST"])
def override_delete(request, pk: int):
    """Confirm, then delete an override (deployment administrators)."""
    _require_admin(request, "workdays.override.delete")
    override = get_visible_or_404(CalendarOverride, request.user, pk=pk)
    if request.method == "POST":
        try:
            actions.delete_override(request.user, override=override)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "The override for %(date)s was deleted; the day follows the statutory calendar "
                    "again."
                )
                % {"date": date_format(override.date, "d/m/Y")},
            )
        return _back_to_year(override.date)
    return render(
        request,
        "workdays/override_confirm_delete.html",
        {"override": override, "weekday": weekday_name(override.date)},
    )
