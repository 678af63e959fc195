"""The procedure catalogue as XLSX: export for every member, import for the agency's
administrators with the list of every problem (sheet and row), nothing written when any
row is wrong."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.onestop import catalogue_xlsx
from coquan.onestop.forms import StyledForm
from coquan.onestop.models import Procedure
from coquan.onestop.permissions import require_procedure_admin
from coquan.onestop.views.common import scoped_agency


class XlsxImportForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("Catalogue workbook (XLSX)"),
        help_text=gettext_lazy(
            "Sheets “Thủ tục”, “Thành phần hồ sơ” and “Các bước”, as the export writes them."
        ),
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publish the imported procedures"), required=False
    )


@login_required
def catalogue_export_xlsx(request):
    """The published catalogue of the agency as a workbook."""
    agency = scoped_agency(request)
    if agency is None:
        raise PermissionDenied(_("You are not a member of any agency yet."))
    procedures = (
        Procedure.objects.visible_to(request.user)
        .for_agency(agency)
        .published()
        .prefetch_related("components", "steps__responsible_unit")
        .order_by("sector_code", "code")
    )
    response = HttpResponse(
        catalogue_xlsx.export_workbook(agency, procedures),
        content_type=catalogue_xlsx.CONTENT_TYPE,
    )
    name = f"danh-muc-thu-tuc-{agency.organ_id}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def procedure_import_xlsx(request):
    agency = scoped_agency(request)
    require_procedure_admin(request.user, agency)
    form = XlsxImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > catalogue_xlsx.MAX_BYTES:
                raise ValidationError({"file": _("The file is larger than 5 MB.")})
            created = catalogue_xlsx.import_workbook(
                request.user,
                agency=agency,
                content=upload.read(),
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as exc:
            problems = [m for errors in exc.message_dict.values() for m in errors]
        else:
            messages.success(
                request, _("%(count)d procedure(s) imported.") % {"count": len(created)}
            )
            return redirect("onestop:procedure_list")
    context = {"agency": agency, "form": form, "problems": problems}
    status = 400 if problems else 200
    return render(request, "onestop/catalogue/import_xlsx.html", context, status=status)
