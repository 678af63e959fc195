"""Dossier pages: queues and list, detail with the step forms, printed forms, files.

Views are thin: they fetch through ``visible_to`` (404 for "missing" and "not yours"),
check the person's right on the step (403), parse the form and call the action.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coquan.core.access import get_visible_or_404, roles_in
from coquan.onestop import actions, deadlines, evaluation, pdf, presenters, queues, workflow
from coquan.onestop.choices import RESOLVED_STATUSES
from coquan.onestop.forms import (
    ApproveForm,
    DossierFilterForm,
    ExtendForm,
    FeeForm,
    ForwardForm,
    NoteForm,
    PaymentForm,
    ReasonForm,
    ResubmitForm,
    SupplementForm,
    lines,
)
from coquan.onestop.models import Dossier, DossierExtension, DossierFile, Procedure
from coquan.onestop.permissions import DossierAccess
from coquan.onestop.portal_forms import RATING_FIELDS, DeskRatingForm
from coquan.onestop.views.common import PAGE_SIZE, apply_errors, keep_query, scoped_agency

STEPS = (
    "accept_online",
    "return_online",
    "refuse_online",
    "forward",
    "return",
    "request_supplement",
    "resubmit",
    "extend",
    "request_fees",
    "record_payment",
    "stop",
    "approve",
    "return_result",
)
DETAIL_RELATED = (
    "procedure",
    "agency",
    "current_step",
    "assignee_unit",
    "assignee_user",
    "received_by",
    "created_by",
)


def _filter(queryset, form):
    if not form.is_valid():
        return queryset
    data = form.cleaned_data
    if data.get("code"):
        queryset = queryset.filter(dossier_code__icontains=data["code"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("procedure"):
        queryset = queryset.filter(procedure__code=data["procedure"])
    if data.get("received_from"):
        queryset = queryset.filter(created_at__date__gte=data["received_from"])
    if data.get("received_to"):
        queryset = queryset.filter(created_at__date__lte=data["received_to"])
    return queryset


@login_required
def dossier_list(request):
    """The person's queues of dossiers, with counts, filters and pages (constant queries)."""
    agency = scoped_agency(request)
    if agency is None:
        return render(request, "onestop/dossier_list.html", {"agency": None})
    user = request.user
    now = timezone.now()
    ctx = queues.Context(user, roles_in(user, agency), now, deadlines.due_soon_until(now))
    tabs = queues.queues_for(ctx.roles)
    queue = queues.pick(tabs, request.GET.get("queue"))
    base = Dossier.objects.visible_to(user).for_agency(agency)
    procedures = (
        Procedure.objects.visible_to(user)
        .for_agency(agency)
        .published()
        .order_by("code")
        .values_list("code", "name")
    )
    form = DossierFilterForm(request.GET or None, procedures=procedures)
    dossiers = queues.apply(_filter(base, form), queue, ctx).order_by(*queue.ordering).for_list()
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"dossier": d, "pending": deadlines.pending_state(d, now)} for d in page.object_list]
    counts = queues.counts(base, tabs, ctx)
    context = {
        "agency": agency,
        "tabs": [(tab, counts.get(tab.key, 0)) for tab in tabs],
        "queue": queue,
        "filter_form": form,
        "filtered": any(request.GET.get(name) for name in form.fields),
        "page": page,
        "rows": rows,
        "page_query": keep_query(request, "page"),
        "soon": ctx.soon,
        "now": now,
    }
    return render(request, "onestop/dossier_list.html", context)


def _people(agency):
    from coquan.accounts.models import User
    from coquan.org.models import Membership

    members = Membership.objects.active_on(timezone.localdate()).filter(agency=agency)
    return User.objects.filter(pk__in=members.values("user_id")).order_by("full_name", "username")


def _units(agency):
    from coquan.org.models import Unit

    return Unit.objects.filter(agency=agency, valid_to__isnull=True).order_by("name")


def _step_form(name: str, dossier, data=None, files=None):
    kwargs = {"prefix": name}
    if name == "forward":
        return ForwardForm(
            data, units=_units(dossier.agency), people=_people(dossier.agency), **kwargs
        )
    if name in ("return", "stop", "refuse_online"):
        return ReasonForm(data, **kwargs)
    if name in ("request_supplement", "return_online"):
        return SupplementForm(data, **kwargs)
    if name == "resubmit":
        return ResubmitForm(data, files, papers=list(dossier.components.all()), **kwargs)
    if name == "extend":
        return ExtendForm(data, **kwargs)
    if name == "approve":
        return ApproveForm(data, **kwargs)
    if name == "request_fees":
        return FeeForm(data, **kwargs)
    if name == "record_payment":
        return PaymentForm(data, **kwargs)
    return NoteForm(data, **kwargs)


def _offered(dossier, access: DossierAccess) -> list[str]:
    """The steps whose form the page shows: allowed by the status, the guards that do not
    depend on input, and the person's right."""
    offered = []
    for name in STEPS:
        if not workflow.is_allowed(dossier, name) or not access.can(name):
            continue
        if name == "forward" and workflow.next_step(dossier) is None:
            continue
        if name == "approve" and (
            workflow.next_step(dossier) is not None or dossier.licence_document_id is not None
        ):
            continue
        if name == "return" and workflow.previous_step(dossier) is None:
            continue
        if name == "resubmit" and not dossier.is_accepted:
            continue
        if name == "extend" and DossierExtension.objects.filter(dossier=dossier).exists():
            continue
        offered.append(name)
    return offered


def _detail_context(request, dossier, bound: dict | None = None) -> dict:
    access = DossierAccess(request.user, dossier)
    bound = bound or {}
    legs = list(
        dossier.transfers.select_related(
            "from_step", "from_unit", "from_user", "to_step", "to_unit", "to_user"
        ).order_by("seq")
    )
    step_forms = [
        (name, workflow.TRANSITIONS[name].label, bound.get(name) or _step_form(name, dossier))
        for name in _offered(dossier, access)
    ]
    scores = evaluation.scores_of(dossier)
    can_record_rating = (
        access.is_desk and dossier.status in RESOLVED_STATUSES and scores["rating"] is None
    )
    return {
        "rating": scores["rating"],
        "fees": dossier.fees.select_related("requested_by", "recorded_by"),
        "portal_messages": dossier.portal_messages.all(),
        "score_rows": [
            (number, evaluation.INDICATOR_LABELS[number], value)
            for number, value in scores["indicators"].items()
        ],
        "rating_form": DeskRatingForm(prefix="rating") if can_record_rating else None,
        "rating_fields": "channel " + RATING_FIELDS,
        "dossier": dossier,
        "agency": dossier.agency,
        "papers": dossier.components.all(),
        "files": dossier.files.select_related("uploaded_by"),
        "legs": [
            {
                "leg": leg,
                "giver": presenters.giver(leg, dossier),
                "receiver": presenters.receiver(leg, dossier),
            }
            for leg in legs
        ],
        "changes": dossier.status_changes.select_related("changed_by", "step"),
        "supplements": dossier.supplements.select_related("requested_by", "step"),
        "extension": DossierExtension.objects.filter(dossier=dossier)
        .select_related("requested_by")
        .first(),
        "steps": dossier.procedure.steps.select_related("responsible_unit"),
        "pending": deadlines.pending_state(dossier),
        "forms": pdf.available_forms(dossier),
        "step_forms": step_forms,
        "time_limit": presenters.time_limit_text(
            dossier.procedure.time_limit, dossier.procedure.time_unit
        ),
        "lookup_path": presenters.lookup_path(dossier.dossier_code) if dossier.dossier_code else "",
    }


def _get(request, pk: int) -> Dossier:
    return get_visible_or_404(Dossier.objects.select_related(*DETAIL_RELATED), request.user, pk=pk)


@login_required
def dossier_detail(request, pk: int):
    dossier = _get(request, pk)
    return render(request, "onestop/dossier_detail.html", _detail_context(request, dossier))


def _call(name: str, user, dossier, data: dict):
    if name == "accept_online":
        return actions.accept_online(user, dossier=dossier, note=data["note"])
    if name == "return_online":
        return actions.return_online(
            user, dossier=dossier, items=lines(data["items"]), note=data["note"]
        )
    if name == "refuse_online":
        return actions.refuse_online(user, dossier=dossier, reason=data["reason"])
    if name == "forward":
        return actions.forward(user, dossier=dossier, **data)
    if name == "return":
        return actions.return_to_previous(user, dossier=dossier, reason=data["reason"])
    if name == "stop":
        return actions.stop(user, dossier=dossier, reason=data["reason"])
    if name == "request_supplement":
        return actions.request_supplement(
            user, dossier=dossier, items=lines(data["items"]), note=data["note"]
        )
    if name == "resubmit":
        return actions.resubmit(
            user,
            dossier=dossier,
            received_components=data["components"],
            files=data["files"],
            note=data["note"],
        )
    if name == "extend":
        return actions.extend(user, dossier=dossier, **data)
    if name == "approve":
        return actions.approve(user, dossier=dossier, result_note=data["result_note"])
    if name == "request_fees":
        return actions.request_fees(user, dossier=dossier, **data)
    if name == "record_payment":
        return actions.record_payment(user, dossier=dossier, **data)
    return actions.return_result(user, dossier=dossier, note=data["note"])


SUCCESS = {
    "accept_online": gettext_lazy("The online dossier was accepted; print the receipt (form 01)."),
    "return_online": gettext_lazy(
        "The online dossier was returned to the applicant to complete it (form 02)."
    ),
    "refuse_online": gettext_lazy("The online dossier was refused (form 03)."),
    "forward": gettext_lazy("The dossier was handed over."),
    "return": gettext_lazy("The dossier was returned to the previous step."),
    "request_supplement": gettext_lazy(
        "The supplement request (form 02) is ready; the clock is stopped."
    ),
    "resubmit": gettext_lazy("The completed dossier was recorded; the time limit restarts today."),
    "extend": gettext_lazy("The new appointment was recorded; print the apology letter (form 04)."),
    "stop": gettext_lazy("Processing was stopped; print the refusal (form 03)."),
    "request_fees": gettext_lazy("The fees were requested; the clock is paused until payment."),
    "record_payment": gettext_lazy("The payment was recorded; the clock runs again."),
    "approve": gettext_lazy("The result was approved and handed to the desk."),
    "return_result": gettext_lazy("The result was returned to the applicant."),
}


@login_required
@require_POST
def dossier_step(request, pk: int, step: str):
    """One step on a dossier (the forms of the detail page post here)."""
    if step not in STEPS:
        raise Http404
    dossier = _get(request, pk)
    DossierAccess(request.user, dossier).require(step)
    form = _step_form(step, dossier, request.POST, request.FILES)
    if form.is_valid():
        try:
            _call(step, request.user, dossier, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, str(SUCCESS[step]))
            return redirect("onestop:dossier_detail", pk=dossier.pk)
    messages.error(request, _("The step was not taken: correct the form below."))
    context = _detail_context(request, dossier, bound={step: form})
    context["open_step"] = step
    return render(request, "onestop/dossier_detail.html", context, status=400)


@login_required
def dossier_form(request, pk: int, number: str):
    """A printed form (01–05) of the dossier as a PDF."""
    dossier = _get(request, pk)
    try:
        data = pdf.render_form(number, dossier, request)
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pdf")
    name = dossier.dossier_code or f"ho-so-{dossier.pk}"
    response["Content-Disposition"] = f'inline; filename="mau-{number}-{name}.pdf"'
    return response


@login_required
def dossier_file(request, pk: int, file_pk: int):
    """Download a file of a dossier the person may see."""
    dossier = _get(request, pk)
    stored = DossierFile.objects.filter(dossier=dossier, pk=file_pk).first()
    if stored is None or not default_storage.exists(stored.file.name):
        raise Http404
    return FileResponse(
        default_storage.open(stored.file.name, "rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
