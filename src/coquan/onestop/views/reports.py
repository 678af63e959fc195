"""Report pages: the standard report (§3.10) on screen with a chart, as XLSX and PDF.

Open to the agency's leaders and desk officers (``reports.report_roles``); a report of the
agencies under it (the province-level view) needs the same role in the upper agency.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from coquan.onestop import reports
from coquan.onestop.forms import StyledForm, date_field
from coquan.onestop.views.common import apply_errors, keep_query, scoped_agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodForm(StyledForm):
    start = date_field(pgettext_lazy("period", "From"))
    end = date_field(pgettext_lazy("period", "To"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            try:
                data["period"] = reports.Period(data["start"], data["end"])
            except ValidationError as exc:
                apply_errors(self, exc)
        return data


class ReportForm(PeriodForm):
    group_by = forms.ChoiceField(
        label=gettext_lazy("Rows"), choices=list(reports.GROUPS.items()), initial="procedure"
    )
    tree = forms.BooleanField(
        label=gettext_lazy("Include the agencies under this one"), required=False
    )


def period_form(form_class, request):
    """The form bound to the query string over the defaults (the current month to date,
    rows per procedure)."""
    default = reports.Period.month_to_date()
    data = {
        "start": default.start.strftime("%d/%m/%Y"),
        "end": default.end.strftime("%d/%m/%Y"),
        "group_by": "procedure",
    }
    data.update({key: value for key, value in request.GET.items() if value != ""})
    return form_class(data)


def _report(request):
    """(agency, form, report or None) for the request."""
    agency = scoped_agency(request)
    reports.require_reports(request.user, agency)
    form = period_form(ReportForm, request)
    report = None
    if form.is_valid():
        report = reports.build(
            request.user,
            agency,
            form.cleaned_data["period"],
            group_by=form.cleaned_data["group_by"],
            tree=form.cleaned_data["tree"],
        )
    return agency, form, report


@login_required
def report(request):
    agency, form, report = _report(request)
    context = {
        "agency": agency,
        "form": form,
        "report": report,
        "columns": reports.columns(),
        "blocks": reports._block_spans(),
        "query": keep_query(request),
        "has_children": agency.children.exists(),
    }
    return render(request, "onestop/reports/standard.html", context, status=200)


def _download(request, render, content_type, extension):
    _agency, form, report = _report(request)
    if report is None:
        return HttpResponse(
            " ".join(str(e) for errors in form.errors.values() for e in errors)
            or _("The period is not valid."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(render(report), content_type=content_type)
    name = reports.file_name("bao-cao-mot-cua", report.period, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_xlsx(request):
    return _download(request, reports.render_xlsx, XLSX, "xlsx")


@login_required
def report_pdf(request):
    return _download(request, reports.render_pdf, "application/pdf", "pdf")


@login_required
def register(request):
    """Form 06 (sổ theo dõi hồ sơ) of a period: ``format=pdf`` (default) or ``xlsx``."""
    agency = scoped_agency(request)
    reports.require_reports(request.user, agency)
    form = period_form(PeriodForm, request)
    if not form.is_valid():
        return HttpResponse(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    period = form.cleaned_data["period"]
    register = reports.build_register(request.user, agency, period)
    if request.GET.get("format") == "xlsx":
        data, content_type, extension = reports.render_register_xlsx(register), XLSX, "xlsx"
    else:
        data, content_type = reports.render_register_pdf(register), "application/pdf"
        extension = "pdf"
    response = HttpResponse(data, content_type=content_type)
    name = reports.file_name("so-theo-doi-ho-so", period, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
