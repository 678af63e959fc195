"""The procedure catalogue pages: list and detail for every member of the agency; create,
edit drafts, new versions, publish, import and export for its administrators."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coquan.core.access import get_visible_or_404
from coquan.onestop import actions, catalogue_io
from coquan.onestop.actions.procedures import publication_errors
from coquan.onestop.choices import ProcedureState
from coquan.onestop.forms import ComponentFormSet, ImportForm, ProcedureForm, StepFormSet
from coquan.onestop.models import Procedure
from coquan.onestop.permissions import can_manage_procedures, require_procedure_admin
from coquan.onestop.views.common import PAGE_SIZE, apply_errors, keep_query, scoped_agency
from coquan.org.models import Unit

STATES = {
    "current": (ProcedureState.PUBLISHED, ProcedureState.DRAFT),
    "published": (ProcedureState.PUBLISHED,),
    "draft": (ProcedureState.DRAFT,),
    "retired": (ProcedureState.RETIRED,),
}


@login_required
def procedure_list(request):
    """The agency's catalogue: current versions by default, searchable, 25 per page."""
    agency = scoped_agency(request)
    context = {"agency": agency}
    if agency is not None:
        state = request.GET.get("state", "current")
        if state not in STATES and state != "all":
            state = "current"
        procedures = Procedure.objects.visible_to(request.user).for_agency(agency)
        if state != "all":
            procedures = procedures.filter(state__in=STATES[state])
        query = request.GET.get("q", "").strip()[:100]
        if query:
            procedures = procedures.filter(Q(name__icontains=query) | Q(code__icontains=query))
        procedures = procedures.order_by("sector_code", "name", "-version")
        context.update(
            {
                "state": state,
                "query": query,
                "page": Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page")),
                "page_query": keep_query(request, "page"),
                "can_manage": can_manage_procedures(request.user, agency),
            }
        )
    return render(request, "onestop/procedure_list.html", context)


@login_required
def procedure_detail(request, pk: int):
    procedure = get_visible_or_404(
        Procedure.objects.select_related("agency", "published_by"), request.user, pk=pk
    )
    versions = Procedure.objects.filter(agency=procedure.agency, code=procedure.code).order_by(
        "-version"
    )
    can_manage = can_manage_procedures(request.user, procedure.agency)
    context = {
        "procedure": procedure,
        "components": procedure.components.all(),
        "steps": procedure.steps.select_related("responsible_unit"),
        "versions": versions,
        "can_manage": can_manage,
        "problems": publication_errors(procedure) if procedure.is_draft and can_manage else [],
        "has_draft": versions.filter(state=ProcedureState.DRAFT).exists(),
    }
    return render(request, "onestop/procedure_detail.html", context)


def _units(agency):
    return Unit.objects.filter(agency=agency, valid_to__isnull=True).order_by("name")


def _formsets(request, agency, procedure=None):
    data = request.POST if request.method == "POST" else None
    component_initial = step_initial = None
    if procedure is not None and data is None:
        component_initial = [
            {
                "name": c.name,
                "paper_form": c.paper_form,
                "count": c.count,
                "template_name": c.template_name,
                "required": c.required,
                "applies_to": c.applies_to,
            }
            for c in procedure.components.all()
        ]
        step_initial = [
            {
                "name": s.name,
                "responsible_unit": s.responsible_unit_id,
                "responsible_role": s.responsible_role,
                "time_budget": s.time_budget,
            }
            for s in procedure.steps.all()
        ]
    components = ComponentFormSet(data, prefix="components", initial=component_initial)
    steps = StepFormSet(
        data, prefix="steps", initial=step_initial, form_kwargs={"units": _units(agency)}
    )
    return components, steps


def _procedure_values(form) -> dict:
    data = dict(form.cleaned_data)
    if form.fields["code"].disabled:
        data.pop("code", None)
    return data


@login_required
def procedure_create(request):
    """A new procedure (version 1, draft) with its components and steps."""
    agency = scoped_agency(request)
    require_procedure_admin(request.user, agency)
    form = ProcedureForm(request.POST or None)
    components, steps = _formsets(request, agency)
    if request.method == "POST" and form.is_valid() and components.is_valid() and steps.is_valid():
        try:
            procedure = actions.create_procedure(
                request.user,
                agency=agency,
                components=components.rows(),
                steps=steps.rows(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft procedure was created."))
            return redirect("onestop:procedure_detail", pk=procedure.pk)
    context = {"agency": agency, "form": form, "components": components, "steps": steps}
    return render(request, "onestop/procedure_form.html", context)


@login_required
def procedure_edit(request, pk: int):
    """Edit a draft version (published versions start a new version instead)."""
    procedure = get_visible_or_404(Procedure.objects.select_related("agency"), request.user, pk=pk)
    require_procedure_admin(request.user, procedure.agency)
    if not procedure.is_draft:
        messages.error(request, _("Published versions do not change: start a new version."))
        return redirect("onestop:procedure_detail", pk=procedure.pk)
    initial = {
        name: getattr(procedure, name)
        for name in ProcedureForm.base_fields
        if hasattr(procedure, name)
    }
    form = ProcedureForm(request.POST or None, initial=initial, fixed_code=True)
    components, steps = _formsets(request, procedure.agency, procedure)
    if request.method == "POST" and form.is_valid() and components.is_valid() and steps.is_valid():
        try:
            actions.update_procedure(
                request.user,
                procedure=procedure,
                components=components.rows(),
                steps=steps.rows(),
                **_procedure_values(form),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("onestop:procedure_detail", pk=procedure.pk)
    context = {
        "agency": procedure.agency,
        "procedure": procedure,
        "form": form,
        "components": components,
        "steps": steps,
    }
    return render(request, "onestop/procedure_form.html", context)


@login_required
@require_POST
def procedure_publish(request, pk: int):
    procedure = get_visible_or_404(Procedure, request.user, pk=pk)
    try:
        procedure = actions.publish_procedure(request.user, procedure=procedure)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Version %(version)d is published.") % {"version": procedure.version}
        )
    return redirect("onestop:procedure_detail", pk=procedure.pk)


@login_required
@require_POST
def procedure_new_version(request, pk: int):
    procedure = get_visible_or_404(Procedure, request.user, pk=pk)
    try:
        draft = actions.new_version(request.user, procedure=procedure)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("onestop:procedure_detail", pk=procedure.pk)
    messages.success(request, _("Version %(version)d was started.") % {"version": draft.version})
    return redirect("onestop:procedure_edit", pk=draft.pk)


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def procedure_export(request, pk: int):
    """One version as a catalogue file (every member may export)."""
    procedure = get_visible_or_404(Procedure.objects.select_related("agency"), request.user, pk=pk)
    data = catalogue_io.export_catalogue(procedure.agency, [procedure])
    return _json_download(data, f"thu-tuc-{procedure.code}-v{procedure.version}.json")


@login_required
def catalogue_export(request):
    """The published catalogue of the agency as one file."""
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
    data = catalogue_io.export_catalogue(agency, procedures)
    return _json_download(data, f"danh-muc-thu-tuc-{agency.organ_id}.json")


@login_required
def procedure_import(request):
    """Import a catalogue file: new draft versions, or published at once."""
    agency = scoped_agency(request)
    require_procedure_admin(request.user, agency)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > catalogue_io.MAX_BYTES:
                raise ValidationError({"file": _("The file is larger than 5 MB.")})
            entries = catalogue_io.parse(upload.read(), agency)
            created = actions.import_catalogue(
                request.user, agency=agency, entries=entries, publish=form.cleaned_data["publish"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(count)d procedure(s) imported.") % {"count": len(created)},
            )
            return redirect("onestop:procedure_list")
    return render(request, "onestop/procedure_import.html", {"agency": agency, "form": form})
