"""Inspection pages (plan, findings, violations, closure) and project appraisal pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import get_visible_or_404
from coquan.core.views import apply_action_errors, paginate, submit_action
from coquan.registry import actions
from coquan.registry.choices import InspectionStatus
from coquan.registry.filtersets import AppraisalFilter, InspectionFilter
from coquan.registry.forms import (
    AppraisalForm,
    CloseInspectionForm,
    FindingForm,
    InspectionForm,
    ResolveForm,
    ViolationForm,
)
from coquan.registry.models import (
    Inspection,
    InspectionFinding,
    InternetAgent,
    Licence,
    ProjectAppraisal,
    Violation,
)
from coquan.registry.permissions import can_edit
from coquan.registry.views_common import (
    registry_agency,
    require_edit,
    style_filter_form,
)


def _form_page(request, form, agency, title, cancel_url, tab, **extra):
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "agency": agency,
            "title": title,
            "cancel_url": cancel_url,
            "tab": tab,
            **extra,
        },
    )


# --- Inspections -------------------------------------------------------------------------------


@login_required
def inspection_list(request):
    agency = registry_agency(request)
    queryset = (
        Inspection.objects.visible_to(request.user)
        .for_agency(agency)
        .annotate(finding_count=Count("findings", distinct=True))
        .order_by("-start_date", "-pk")
    )
    filterset = style_filter_form(InspectionFilter(request.GET or None, queryset=queryset))
    page, keep = paginate(request, filterset.qs)
    return render(
        request,
        "registry/inspection_list.html",
        {
            "agency": agency,
            "filter": filterset,
            "page": page,
            "keep": keep,
            "can_edit": can_edit(request.user, agency),
            "tab": "inspections",
        },
    )


@login_required
def inspection_create(request):
    agency = registry_agency(request)
    require_edit(request, agency)
    form = InspectionForm(request.POST or None, initial={"start_date": timezone.localdate()})
    done = submit_action(
        request,
        form,
        lambda: actions.plan_inspection(request.user, agency=agency, **form.cleaned_data),
        success=_("The inspection was planned."),
        then=lambda inspection: redirect("registry:inspection_detail", pk=inspection.pk),
    )
    if done:
        return done
    return _form_page(
        request,
        form,
        agency,
        _("Plan an inspection"),
        reverse("registry:inspection_list"),
        "inspections",
    )


def _inspection(request, pk) -> Inspection:
    return get_visible_or_404(Inspection.objects.select_related("agency"), request.user, pk=pk)


@login_required
def inspection_detail(request, pk):
    """One inspection: plan, findings with their violations and follow-up deadlines."""
    inspection = _inspection(request, pk)
    findings = inspection.findings.select_related("licence", "internet_agent").prefetch_related(
        Prefetch("violations", queryset=Violation.objects.order_by("pk"))
    )
    return render(
        request,
        "registry/inspection_detail.html",
        {
            "inspection": inspection,
            "agency": inspection.agency,
            "findings": findings,
            "is_open": inspection.status != InspectionStatus.CLOSED,
            "can_edit": can_edit(request.user, inspection.agency),
            "today": timezone.localdate(),
            "tab": "inspections",
        },
    )


@login_required
def inspection_edit(request, pk):
    inspection = _inspection(request, pk)
    require_edit(request, inspection.agency)
    initial = {
        name: getattr(inspection, name)
        for name in ("subject", "scope", "decision_ref", "team", "start_date", "end_date")
    }
    form = InspectionForm(request.POST or None, initial=initial)
    done = submit_action(
        request,
        form,
        lambda: actions.update_inspection(request.user, inspection=inspection, **form.cleaned_data),
        success=_("The inspection was saved."),
        then=lambda result: redirect("registry:inspection_detail", pk=inspection.pk),
    )
    if done:
        return done
    return _form_page(
        request,
        form,
        inspection.agency,
        _("Edit inspection"),
        reverse("registry:inspection_detail", args=[inspection.pk]),
        "inspections",
    )


@login_required
def finding_create(request, pk):
    inspection = _inspection(request, pk)
    require_edit(request, inspection.agency)
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        licence_number, agent_number = data.pop("licence_number"), data.pop("agent_number")
        licence = agent = None
        if licence_number:
            licence = (
                Licence.objects.visible_to(request.user)
                .for_agency(inspection.agency)
                .filter(number__iexact=licence_number.strip())
                .first()
            )
            if licence is None:
                form.add_error("licence_number", _("No licence with this number."))
        if agent_number:
            agent = (
                InternetAgent.objects.visible_to(request.user)
                .for_agency(inspection.agency)
                .filter(registration_number__iexact=agent_number.strip())
                .first()
            )
            if agent is None:
                form.add_error("agent_number", _("No internet agent with this number."))
        if not form.errors:
            try:
                actions.record_finding(
                    request.user,
                    inspection=inspection,
                    licence=licence,
                    internet_agent=agent,
                    **data,
                )
            except ValidationError as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(request, _("The finding was recorded."))
                return redirect("registry:inspection_detail", pk=inspection.pk)
    return _form_page(
        request,
        form,
        inspection.agency,
        _("Record a finding"),
        reverse("registry:inspection_detail", args=[inspection.pk]),
        "inspections",
        subtitle=inspection.subject,
    )


@login_required
def violation_create(request, pk):
    finding = get_visible_or_404(
        InspectionFinding.objects.select_related("inspection__agency"), request.user, pk=pk
    )
    inspection = finding.inspection
    require_edit(request, inspection.agency)
    form = ViolationForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    done = submit_action(
        request,
        form,
        lambda: actions.record_violation(request.user, finding=finding, **form.cleaned_data),
        success=_("The violation was recorded."),
        then=lambda result: redirect("registry:inspection_detail", pk=inspection.pk),
    )
    if done:
        return done
    return _form_page(
        request,
        form,
        inspection.agency,
        _("Record a violation"),
        reverse("registry:inspection_detail", args=[inspection.pk]),
        "inspections",
        subtitle=finding.entity_name,
    )


@login_required
def violation_resolve(request, pk):
    violation = get_visible_or_404(
        Violation.objects.select_related("finding__inspection__agency"), request.user, pk=pk
    )
    inspection = violation.finding.inspection
    require_edit(request, inspection.agency)
    form = ResolveForm(request.POST or None, initial={"resolved_on": timezone.localdate()})
    done = submit_action(
        request,
        form,
        lambda: actions.resolve_violation(request.user, violation=violation, **form.cleaned_data),
        success=_("The follow-up was recorded as done."),
        then=lambda result: redirect("registry:inspection_detail", pk=inspection.pk),
    )
    if done:
        return done
    return _form_page(
        request,
        form,
        inspection.agency,
        _("Follow-up done"),
        reverse("registry:inspection_detail", args=[inspection.pk]),
        "inspections",
        subtitle=violation.description,
    )


@login_required
def inspection_close(request, pk):
    inspection = _inspection(request, pk)
    require_edit(request, inspection.agency)
    form = CloseInspectionForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    done = submit_action(
        request,
        form,
        lambda: actions.close_inspection(request.user, inspection=inspection, **form.cleaned_data),
        success=_("The inspection was closed."),
        then=lambda result: redirect("registry:inspection_detail", pk=inspection.pk),
    )
    if done:
        return done
    return _form_page(
        request,
        form,
        inspection.agency,
        _("Close the inspection"),
        reverse("registry:inspection_detail", args=[inspection.pk]),
        "inspections",
        subtitle=inspection.subject,
        confirm=_("Close this inspection? Its plan and findings can no longer change."),
    )


# --- Project appraisals --------------------------------------------------------------------------


@login_required
def appraisal_list(request):
    agency = registry_agency(request)
    queryset = (
        ProjectAppraisal.objects.visible_to(request.user)
        .for_agency(agency)
        .order_by("-submitted_on", "-pk")
    )
    filterset = style_filter_form(AppraisalFilter(request.GET or None, queryset=queryset))
    page, keep = paginate(request, filterset.qs)
    return render(
        request,
        "registry/appraisal_list.html",
        {
            "agency": agency,
            "filter": filterset,
            "page": page,
            "keep": keep,
            "can_edit": can_edit(request.user, agency),
            "tab": "appraisals",
        },
    )


@login_required
def appraisal_create(request):
    agency = registry_agency(request)
    require_edit(request, agency)
    form = AppraisalForm(request.POST or None, initial={"submitted_on": timezone.localdate()})
    done = submit_action(
        request,
        form,
        lambda: actions.record_appraisal(request.user, agency=agency, **form.cleaned_data),
        success=_("The project appraisal was recorded."),
        then=lambda result: redirect("registry:appraisal_list"),
    )
    if done:
        return done
    return _form_page(
        request,
        form,
        agency,
        _("Record a project appraisal"),
        reverse("registry:appraisal_list"),
        "appraisals",
    )


@login_required
def appraisal_edit(request, pk):
    appraisal = get_visible_or_404(
        ProjectAppraisal.objects.select_related("agency"), request.user, pk=pk
    )
    require_edit(request, appraisal.agency)
    initial = {name: getattr(appraisal, name) for name in AppraisalForm.base_fields}
    form = AppraisalForm(request.POST or None, initial=initial)
    done = submit_action(
        request,
        form,
        lambda: actions.update_appraisal(request.user, appraisal=appraisal, **form.cleaned_data),
        success=_("The project appraisal was saved."),
        then=lambda result: redirect("registry:appraisal_list"),
    )
    if done:
        return done
    return _form_page(
        request,
        form,
        appraisal.agency,
        _("Edit project appraisal"),
        reverse("registry:appraisal_list"),
        "appraisals",
        subtitle=appraisal.name,
    )
