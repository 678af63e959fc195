"""Pages where an agency's administrator configures the numbering series (sổ văn bản đi)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coquan.documents import actions
from coquan.documents.models import OutgoingSeries, RegisterBook
from coquan.documents.outgoing_forms import SeriesForm
from coquan.documents.outgoing_permissions import can_manage_series
from coquan.documents.views import apply_errors, scoped_agency


def _admin_agency(request):
    agency = scoped_agency(request)
    if agency is None or not can_manage_series(request.user, agency):
        raise PermissionDenied(_("Only the agency's administrators configure numbering series."))
    return agency


@login_required
def series_list(request):
    """The agency's series and, for each, this year's last number."""
    from django.db.models import Max, Q
    from django.utils import timezone

    agency = _admin_agency(request)
    year = timezone.localdate().year
    series = (
        OutgoingSeries.objects.filter(agency=agency)
        .annotate(last_number=Max("books__last_number", filter=Q(books__year=year)))
        .prefetch_related("document_types")
        .order_by("-is_active", "scope", "name")
    )
    books = RegisterBook.objects.filter(agency=agency, series__isnull=False).count()
    context = {"agency": agency, "series": series, "year": year, "books": books}
    return render(request, "documents/series_list.html", context)


def _save(request, agency, series=None):
    initial = None
    if series is not None:
        initial = {
            "name": series.name,
            "scope": series.scope,
            "document_types": list(series.document_types.all()),
            "issuer_abbreviation": series.issuer_abbreviation,
            "is_active": series.is_active,
        }
    form = SeriesForm(request.POST or None, agency=agency, initial=initial or {"is_active": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_series(
                request.user,
                agency=agency,
                series=series,
                name=data["name"],
                scope=data["scope"],
                document_types=list(data["document_types"]),
                issuer_abbreviation=data["issuer_abbreviation"],
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The numbering series was saved."))
            return redirect("documents:series_list")
    context = {"agency": agency, "form": form, "series": series}
    return render(request, "documents/series_form.html", context)


@login_required
def series_create(request):
    return _save(request, _admin_agency(request))


@login_required
def series_edit(request, pk: int):
    agency = _admin_agency(request)
    series = OutgoingSeries.objects.filter(agency=agency, pk=pk).first()
    if series is None:
        raise Http404
    return _save(request, agency, series)


@login_required
def outgoing_register(request):
    """Sổ đăng ký văn bản đi of a series and year: a preview, and the PDF and XLSX to print.

    Who: the agency's clerks, leaders and administrators. ``?series=<id>&year=<yyyy>``;
    ``&format=pdf`` or ``&format=xlsx`` downloads the whole register of the year.
    """
    from django.core.paginator import Paginator
    from django.http import HttpResponse
    from django.utils import timezone

    from coquan.core.access import has_role
    from coquan.documents import outgoing_register as register_module
    from coquan.documents.views import PAGE_SIZE, _keep_query

    agency = scoped_agency(request)
    if agency is None or not has_role(request.user, agency, "clerk", "leader", "admin"):
        raise PermissionDenied(_("Only the agency's clerks and leaders open the registers."))
    all_series = list(OutgoingSeries.objects.filter(agency=agency).order_by("scope", "name"))
    today_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or today_year)
    except ValueError:
        year = today_year
    if not 2000 <= year <= 9999:
        year = today_year
    wanted = request.GET.get("series")
    series = next((s for s in all_series if str(s.pk) == wanted), None)
    if series is None and all_series:
        series = all_series[0]
    output = request.GET.get("format")
    if series is not None and output in ("pdf", "xlsx"):
        register = register_module.build(request.user, agency, series, year)
        filename = f"so-van-ban-di-{year}-{series.pk}.{output}"
        if output == "pdf":
            response = HttpResponse(
                register_module.render_pdf(register), content_type="application/pdf"
            )
        else:
            response = HttpResponse(
                register_module.render_xlsx(register),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
    page = None
    rows = []
    if series is not None:
        documents = register_module.documents_for(request.user, agency, series, year)
        page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [register_module.row_for(doc) for doc in page.object_list]
    context = {
        "agency": agency,
        "all_series": all_series,
        "series": series,
        "year": year,
        "years": list(range(today_year, today_year - 6, -1)),
        "page": page,
        "rows": rows,
        "columns": register_module.COLUMNS,
        "page_query": _keep_query(request, "page"),
    }
    return render(request, "documents/outgoing_register.html", context)


def _report_download(report, output: str):
    from django.http import HttpResponse

    from coquan.documents import outgoing_report as report_module

    name = f"bao-cao-van-ban-di-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}.{output}"
    if output == "pdf":
        response = HttpResponse(report_module.render_pdf(report), content_type="application/pdf")
    else:
        response = HttpResponse(
            report_module.render_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def outgoing_report(request):
    """The outgoing handling report of a period, per unit or person; PDF and XLSX.

    Who: the agency's clerks and leaders. ``?date_from=&date_to=`` (dd/mm/yyyy), ``&group=
    unit|person``, ``&format=pdf|xlsx``. A bad period shows the form again with the error.
    """
    from django.utils import timezone

    from coquan.core.access import has_role
    from coquan.documents import outgoing_report as report_module
    from coquan.documents.outgoing_forms import ReportForm
    from coquan.documents.views import _keep_query

    agency = scoped_agency(request)
    if agency is None or not has_role(request.user, agency, "clerk", "leader"):
        raise PermissionDenied(_("Only the agency's clerks and leaders open the reports."))
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("date_from", today.replace(day=1).strftime("%d/%m/%Y"))
    data.setdefault("date_to", today.strftime("%d/%m/%Y"))
    form = ReportForm(data)
    report = None
    if form.is_valid():
        report = report_module.build(
            request.user,
            agency,
            form.cleaned_data["date_from"],
            form.cleaned_data["date_to"],
            form.cleaned_data["group"],
        )
        output = request.GET.get("format")
        if output in ("pdf", "xlsx"):
            return _report_download(report, output)
    context = {
        "agency": agency,
        "form": form,
        "report": report,
        "query": _keep_query(request, "format"),
    }
    return render(request, "documents/outgoing_report.html", context)
