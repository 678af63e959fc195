"""The agency administrator's page of document types: enable/disable the types of the
decree, rename them or change their abbreviation for the agency, add the agency's own."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.documents import actions
from coquan.documents.actions.types import can_manage_types, types_for_admin
from coquan.documents.forms import StyledForm
from coquan.documents.views import apply_errors, scoped_agency


class TypeForm(StyledForm):
    code = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    abbreviation = forms.CharField(
        label=gettext_lazy("Abbreviation"), max_length=10, required=False
    )
    is_active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)


@login_required
def document_types(request):
    agency = scoped_agency(request)
    if not can_manage_types(request.user, agency):
        raise PermissionDenied(_("Only the agency's administrators configure document types."))
    form = TypeForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = actions.save_document_type(request.user, agency=agency, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved: %(name)s") % {"name": row.name})
            query = f"?agency={agency.pk}" if request.GET.get("agency") else ""
            return redirect(request.path + query)
    context = {"agency": agency, "rows": types_for_admin(agency), "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/document_types.html", context, status=status)
