"""The registry's landing page (dashboard), the annual report downloads and the year's plan.

The dashboard shows, for a year, the same sections and figures as the annual report (both
come from ``report.build_report_data``), the chart, and what needs attention: the licences
expiring within the largest reminder threshold (``COQUAN_LICENCE_REMINDER_DAYS``, 30 days by
default) and overdue inspection follow-ups.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.views import submit_action
from coquan.registry import actions
from coquan.registry.choices import LicenceStatus
from coquan.registry.forms import PlanForm
from coquan.registry.models import AnnualPlan, IndicatorValue, Licence, Violation
from coquan.registry.models.indicators import MAX_YEAR, MIN_YEAR
from coquan.registry.permissions import can_edit
from coquan.registry.reminders import warning_days
from coquan.registry.report import build_report_data, report_sections, report_title
from coquan.registry.views_common import (
    registry_agency,
    require_edit,
    year_param,
)

#: How many of the licences expiring soon the home page lists (the rest: the filtered list).
EXPIRING_SHOWN = 10
KEY_FIGURES = (
    "subscribers",
    "phone_density",
    "revenue",
    "revenue_vs_plan",
    "computers",
    "postal_points",
)


def _default_year(request, agency) -> int:
    latest = (
        IndicatorValue.objects.visible_to(request.user)
        .filter(agency=agency, area__isnull=True)
        .aggregate(year=Max("year"))["year"]
    )
    return year_param(request, latest)


@login_required
def home(request):
    """The registry dashboard of the active agency for one year (``?year=``)."""
    from coquan.registry.render import chart_description
    from coquan.registry.report import number

    agency = registry_agency(request)
    year = _default_year(request, agency)
    data = build_report_data(agency, year)
    rows = {row["code"]: row for row in data["indicators"]}
    figures = []
    for code in KEY_FIGURES:
        row = rows.get(code)
        if row is not None:
            value = number(row["value"], row["decimals"]) if row["value"] is not None else "—"
            figures.append({"name": row["name"], "unit": row["unit"], "value": value})
    licences = Licence.objects.visible_to(request.user).for_agency(agency)
    today = timezone.localdate()
    expiry_days = warning_days()
    expiring = licences.expiring_within(expiry_days, today)
    soonest = list(
        expiring.select_related("licence_type")
        .only("number", "holder_name", "expiry_date", "licence_type__name")
        .order_by("expiry_date", "pk")[:EXPIRING_SHOWN]
    )
    for licence in soonest:
        licence.days_left = (licence.expiry_date - today).days
    overdue = Violation.objects.visible_to(request.user).filter(
        agency=agency, resolved_on__isnull=True, follow_up_due__lt=today
    )
    return render(
        request,
        "registry/home.html",
        {
            "agency": agency,
            "year": year,
            "years": range(min(year, today.year) - 5, today.year + 1),
            "data": data,
            "title": report_title(data),
            "sections": report_sections(data),
            "chart_alt": chart_description(data),
            "figures": figures,
            "valid_licences": licences.filter(status=LicenceStatus.VALID).count(),
            "expiring_count": expiring.count(),
            "expiring": soonest,
            "expiry_days": expiry_days,
            "overdue_follow_ups": overdue.count(),
            "can_edit": can_edit(request.user, agency),
            "tab": "home",
        },
    )


def _report_year(year: int) -> int:
    from django.http import Http404

    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_pdf(request, year):
    """The annual report of ``year`` as a PDF."""
    from coquan.registry.render import report_pdf as render_pdf

    agency = registry_agency(request)
    data = build_report_data(agency, _report_year(year))
    return _download(render_pdf(data), "application/pdf", f"bao-cao-{year}.pdf")


@login_required
def report_docx(request, year):
    """The annual report of ``year`` as a Word document."""
    from coquan.registry.render import report_docx as render_docx

    agency = registry_agency(request)
    data = build_report_data(agency, _report_year(year))
    return _download(
        render_docx(data),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"bao-cao-{year}.docx",
    )


@login_required
def report_chart(request, year):
    """The report's chart as a PNG (the dashboard's image)."""
    from coquan.registry.render import chart_png

    agency = registry_agency(request)
    data = build_report_data(agency, _report_year(year))
    response = HttpResponse(chart_png(data), content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
def plan_edit(request, year):
    """Write the work programme of ``year`` (closes the report of the year before)."""
    agency = registry_agency(request)
    require_edit(request, agency)
    year = _report_year(year)
    plan = AnnualPlan.objects.visible_to(request.user).filter(agency=agency, year=year).first()
    form = PlanForm(request.POST or None, initial={"items": plan.items if plan else ""})
    done = submit_action(
        request,
        form,
        lambda: actions.save_annual_plan(
            request.user, agency=agency, year=year, items=form.cleaned_data["items"]
        ),
        success=_("The work programme was saved."),
        then=lambda result: redirect(reverse("registry:home") + f"?year={year - 1}"),
    )
    if done:
        return done
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "agency": agency,
            "title": _("Work programme for %(year)d") % {"year": year},
            "cancel_url": reverse("registry:home") + f"?year={year - 1}",
            "tab": "home",
        },
    )
