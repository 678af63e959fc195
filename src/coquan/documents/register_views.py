"""Pages of the incoming registers and the handling report (issue 3, part 8).

Who: the agency's clerks, leaders and administrators (others get 403). The page shows a
paginated preview; ``&format=pdf`` / ``&format=xlsx`` download the whole book of the
period. Rows come from ``visible_to``: secret documents only for people granted them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import has_role
from coquan.documents import incoming_register as registers
from coquan.documents import register_export
from coquan.documents.views import PAGE_SIZE, _keep_query, scoped_agency

READER_ROLES = ("clerk", "leader", "admin")


def require_reader(user, agency) -> None:
    if agency is None or not has_role(user, agency, *READER_ROLES):
        raise PermissionDenied(_("Only the agency's clerks and leaders open the registers."))


def download(book, output: str, filename: str) -> HttpResponse:
    if output == "pdf":
        response = HttpResponse(register_export.render_pdf(book), content_type="application/pdf")
    else:
        response = HttpResponse(
            register_export.render_xlsx(book), content_type=register_export.XLSX_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{output}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _period(form) -> registers.Period:
    data = form.cleaned_data
    return registers.Period(data["date_from"], data["date_to"], data["book"])


@login_required
def incoming_register(request, kind: str):
    """Sổ đăng ký văn bản đến (``kind=register``) or Sổ theo dõi giải quyết (``tracking``)."""
    if kind not in registers.KINDS:
        raise Http404
    agency = scoped_agency(request)
    require_reader(request.user, agency)
    form = registers.RangeForm(request.GET)
    valid = form.is_valid()
    output = request.GET.get("format")
    title, columns = registers.KINDS[kind]
    context = {
        "agency": agency,
        "kind": kind,
        "title": title,
        "columns": columns,
        "form": form,
        "page": None,
        "rows": [],
        "page_query": _keep_query(request, "page"),
        "export_query": _keep_query(request, "page", "format"),
    }
    if not valid:
        return render(request, "documents/incoming_register.html", context, status=400)
    period = _period(form)
    if output in ("pdf", "xlsx"):
        book = registers.build(request.user, agency, kind, period)
        name = "so-dang-ky-van-ban-den" if kind == "register" else "so-theo-doi-giai-quyet"
        return download(book, output, f"{name}-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}")
    documents = registers.documents_for(
        request.user, agency, period.date_from, period.date_to, period.book
    )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context["page"] = page
    context["rows"] = [registers.row_for(kind, doc, today) for doc in page.object_list]
    return render(request, "documents/incoming_register.html", context)


@login_required
def handling_report(request):
    """Handling report per unit or person for a period: on screen and as XLSX."""
    agency = scoped_agency(request)
    require_reader(request.user, agency)
    form = registers.RangeForm(request.GET)
    context = {
        "agency": agency,
        "form": form,
        "columns": registers.REPORT_COLUMNS,
        "rows": [],
        "total": None,
        "export_query": _keep_query(request, "format"),
    }
    if not form.is_valid():
        return render(request, "documents/handling_report.html", context, status=400)
    period = _period(form)
    group = form.cleaned_data["group"]
    rows, total = registers.handling_report(request.user, agency, period, group)
    if request.GET.get("format") == "xlsx":
        book = registers.report_book(agency, period, group, rows, total)
        return download(
            book, "xlsx", f"bao-cao-giai-quyet-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}"
        )
    context.update({"rows": rows, "total": total, "group": group})
    return render(request, "documents/handling_report.html", context)
