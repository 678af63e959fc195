"""Licence pages: the register, issuing, one licence and its lifecycle steps, and the public
register (no sign-in, no personal data)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.core.access import get_visible_or_404
from coquan.core.views import apply_action_errors, paginate, submit_action
from coquan.registry import actions, extra_fields, workflow
from coquan.registry.choices import HolderKind
from coquan.registry.filtersets import LicenceFilter
from coquan.registry.forms import (
    LicenceAmendForm,
    LicenceIssueForm,
    LicenceRenewForm,
    LicenceStepForm,
    LicenceTypeChoiceForm,
)
from coquan.registry.models import Licence, LicenceType
from coquan.registry.permissions import can_edit
from coquan.registry.views_common import (
    registry_agency,
    require_edit,
    style_filter_form,
)


@login_required
def licence_list(request):
    """The licence register of the active agency, filtered and paginated."""
    agency = registry_agency(request)
    queryset = (
        Licence.objects.visible_to(request.user)
        .for_agency(agency)
        .select_related("licence_type")
        .order_by("-issue_date", "-pk")
    )
    filterset = style_filter_form(LicenceFilter(request.GET or None, queryset=queryset))
    page, keep = paginate(request, filterset.qs)
    return render(
        request,
        "registry/licence_list.html",
        {
            "agency": agency,
            "filter": filterset,
            "page": page,
            "keep": keep,
            "can_edit": can_edit(request.user, agency),
            "tab": "licences",
        },
    )


@login_required
def licence_issue(request):
    """Issue a licence: choose the type (its extra fields), then fill in the licence."""
    agency = registry_agency(request)
    require_edit(request, agency)
    type_code = request.POST.get("type") or request.GET.get("type")
    licence_type = LicenceType.objects.active().filter(code=type_code).first()
    chooser = LicenceTypeChoiceForm(initial={"type": licence_type.code if licence_type else None})
    form = None
    if licence_type is not None:
        form = LicenceIssueForm(
            request.POST or None,
            licence_type=licence_type,
            initial={"holder_kind": HolderKind.ORGANISATION},
        )
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("extra_")}
            try:
                licence = actions.issue_licence(
                    request.user,
                    agency=agency,
                    licence_type=licence_type,
                    extra=form.extra(),
                    **data,
                )
            except ValidationError as exc:
                apply_action_errors(form, exc)
            else:
                messages.success(
                    request, _("Licence %(number)s was issued.") % {"number": licence.number}
                )
                return redirect("registry:licence_detail", pk=licence.pk)
    return render(
        request,
        "registry/licence_issue.html",
        {
            "agency": agency,
            "chooser": chooser,
            "form": form,
            "licence_type": licence_type,
            "tab": "licences",
        },
    )


def _licence(request, pk) -> Licence:
    return get_visible_or_404(
        Licence.objects.select_related("licence_type", "agency"), request.user, pk=pk
    )


@login_required
def licence_detail(request, pk):
    """One licence: its data, extra fields and history; the steps the person may take."""
    licence = _licence(request, pk)
    editable = can_edit(request.user, licence.agency)
    return render(
        request,
        "registry/licence_detail.html",
        {
            "licence": licence,
            "agency": licence.agency,
            "extra_rows": extra_fields.display_rows(
                licence.licence_type.field_schema, licence.extra
            ),
            "events": licence.events.select_related("actor").order_by("recorded_at", "pk"),
            "steps": workflow.allowed_steps(licence.status) if editable else [],
            "can_edit": editable,
            "tab": "licences",
        },
    )


STEP_TITLES = {
    "amend": gettext_lazy("Amend licence %(number)s"),
    "renew": gettext_lazy("Renew licence %(number)s"),
    "suspend": gettext_lazy("Suspend licence %(number)s"),
    "reinstate": gettext_lazy("Reinstate licence %(number)s"),
    "revoke": gettext_lazy("Revoke licence %(number)s"),
}
STEP_DONE = {
    "amend": gettext_lazy("The licence was amended."),
    "renew": gettext_lazy("The licence was renewed."),
    "suspend": gettext_lazy("The licence was suspended."),
    "reinstate": gettext_lazy("The licence is valid again."),
    "revoke": gettext_lazy("The licence was revoked."),
}
STEP_CONFIRM = {
    "suspend": gettext_lazy("Suspend this licence?"),
    "revoke": gettext_lazy("Revoke this licence for good? This cannot be undone."),
}


def _step_form(step, licence, data):
    if step == "amend":
        initial = {
            "holder_kind": licence.holder_kind,
            "holder_name": licence.holder_name,
            "holder_id_number": licence.holder_id_number,
            "holder_address": licence.holder_address,
            "conditions": licence.conditions,
            "dossier_ref": licence.dossier_ref,
            "outgoing_document_ref": licence.outgoing_document_ref,
            **extra_fields.initial_from_extra(licence.extra),
        }
        return LicenceAmendForm(data, licence_type=licence.licence_type, initial=initial)
    if step == "renew":
        return LicenceRenewForm(data)
    return LicenceStepForm(data, reason_required=step in ("suspend", "revoke"))


def _run_step(request, step, licence, form):
    data = dict(form.cleaned_data)
    if step == "amend":
        changes = {k: v for k, v in data.items() if not k.startswith("extra_")}
        changes["extra"] = form.extra()
        reason, document_ref = changes.pop("reason", ""), changes.pop("document_ref", "")
        return actions.amend_licence(
            request.user, licence=licence, reason=reason, document_ref=document_ref, **changes
        )
    function = {
        "renew": actions.renew_licence,
        "suspend": actions.suspend_licence,
        "reinstate": actions.reinstate_licence,
        "revoke": actions.revoke_licence,
    }[step]
    return function(request.user, licence=licence, **data)


@login_required
def licence_step(request, pk, step):
    """Amend, renew, suspend, reinstate or revoke a licence (a form, then the action)."""
    if step not in workflow.MANUAL_STEPS:
        raise Http404
    licence = _licence(request, pk)
    require_edit(request, licence.agency)
    form = _step_form(step, licence, request.POST or None)
    possible = workflow.allowed(step, licence.status)
    done = submit_action(
        request,
        form,
        lambda: _run_step(request, step, licence, form),
        success=lambda result: STEP_DONE[step],
        then=lambda result: redirect("registry:licence_detail", pk=licence.pk),
    )
    if done:
        return done
    return render(
        request,
        "registry/licence_step.html",
        {
            "licence": licence,
            "agency": licence.agency,
            "form": form,
            "step": step,
            "possible": possible,
            "title": STEP_TITLES[step] % {"number": licence.number},
            "confirm": STEP_CONFIRM.get(step, ""),
            "danger": step in ("suspend", "revoke"),
            "tab": "licences",
        },
    )


def public_licences(request):
    """The public register of valid licences: open to everyone, without sign-in.

    Deliberately outside ``visible_to`` (anonymous people may read it): it lists only
    licences in force (``Licence.objects.public()``) and shows only the agency, type,
    number, dates and — for organisations only — the holder's name. A person holder's name,
    address and ID number are never shown, and a search by name matches organisations only.
    """
    queryset = (
        Licence.objects.public()
        .select_related("licence_type", "agency")
        .only(
            "number",
            "holder_kind",
            "holder_name",
            "issue_date",
            "expiry_date",
            "licence_type__name",
            "agency__name",
            "agency__organ_id",
        )
        .order_by("-issue_date", "-pk")
    )
    types = LicenceType.objects.active()
    wanted_type = request.GET.get("type", "")
    if wanted_type:
        queryset = queryset.filter(licence_type__code=wanted_type)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        queryset = queryset.filter(
            Q(number__icontains=query)
            | (Q(holder_kind=HolderKind.ORGANISATION) & Q(holder_name__icontains=query))
        )
    page, keep = paginate(request, queryset)
    return render(
        request,
        "registry/public_licences.html",
        {
            "page": page,
            "keep": keep,
            "types": types,
            "wanted_type": wanted_type,
            "query": query,
            "list_url": reverse("registry:public_licences"),
        },
    )
