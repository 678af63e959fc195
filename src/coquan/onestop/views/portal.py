"""The online portal of the one-stop shop (issue 6 part 3), without staff sign-in.

- public: the procedures offered online, generated from the catalogue (published versions
  whose online level is full or partial), each with its papers, fees, time limit and steps;
- applicants (``portal_auth``): register, sign in and out, submit a dossier with files,
  follow their own dossiers (status down to the department, TT 01/2018 Art. 16), answer
  requests to complete them, withdraw them.

An applicant's dossiers are read only through ``Dossier.objects.of_applicant``: another
applicant's dossier answers 404, like a missing one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coquan.onestop import actions, portal_auth, presenters, ratelimit, workflow
from coquan.onestop.actions.common import APPLICANT_FIELDS
from coquan.onestop.choices import RESOLVED_STATUSES, OnlineLevel
from coquan.onestop.models import Dossier, DossierRating, Procedure
from coquan.onestop.portal_auth import applicant_required, get_applicant
from coquan.onestop.portal_forms import (
    RATING_FIELDS,
    AnswerForm,
    RatingForm,
    RegisterForm,
    SignInForm,
    SubmitForm,
    WithdrawForm,
)
from coquan.onestop.views.common import PAGE_SIZE, apply_errors, keep_query

SIGN_IN_RATE = (10, 60)  # failed sign-ins per address per minute


def _online_procedures():
    return (
        Procedure.objects.published()
        .exclude(online_level=OnlineLevel.NONE)
        .select_related("agency")
    )


def _ctx(request, **values) -> dict:
    return {"applicant": get_applicant(request), **values}


def portal_home(request):
    """The procedures one can submit online, searchable by name or code."""
    query = request.GET.get("q", "").strip()[:100]
    procedures = _online_procedures()
    if query:
        procedures = procedures.filter(Q(name__icontains=query) | Q(code__icontains=query))
    procedures = procedures.order_by("agency__name", "sector_code", "name")
    context = _ctx(
        request,
        query=query,
        page=Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page")),
        page_query=keep_query(request, "page"),
    )
    return render(request, "onestop/portal/home.html", context)


def _procedure_or_404(pk: int) -> Procedure:
    procedure = _online_procedures().filter(pk=pk).first()
    if procedure is None:
        raise Http404
    return procedure


def portal_procedure(request, pk: int):
    """One procedure as the catalogue describes it."""
    procedure = _procedure_or_404(pk)
    context = _ctx(
        request,
        procedure=procedure,
        components=procedure.components.all(),
        steps=procedure.steps.select_related("responsible_unit"),
        time_limit=presenters.time_limit_text(procedure.time_limit, procedure.time_unit),
    )
    return render(request, "onestop/portal/procedure.html", context)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def portal_register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            applicant = actions.register_applicant(
                None,
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            portal_auth.login(request, applicant)
            messages.success(request, _("Your account was created; you are signed in."))
            return redirect(_next_url(request, "onestop:portal_dossiers"))
    return render(
        request,
        "onestop/portal/register.html",
        _ctx(request, form=form, next=_next_url(request, "")),
    )


def portal_login(request):
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(request, prefix="onestop-portal-login", limits=SIGN_IN_RATE):
            form.add_error(None, _("Too many attempts. Please wait a minute and try again."))
            status = 429
        else:
            applicant = portal_auth.authenticate(
                form.cleaned_data["email"], form.cleaned_data["password"]
            )
            if applicant is None:
                form.add_error(None, _("The e-mail or the password is wrong."))
            else:
                portal_auth.login(request, applicant)
                return redirect(_next_url(request, "onestop:portal_dossiers"))
    return render(
        request,
        "onestop/portal/login.html",
        _ctx(request, form=form, next=_next_url(request, "")),
        status=status,
    )


@require_POST
def portal_logout(request):
    portal_auth.logout(request)
    messages.info(request, _("You are signed out of the portal."))
    return redirect("onestop:portal_home")


@applicant_required
def portal_submit(request, pk: int):
    """Submit a dossier for one procedure online."""
    procedure = _procedure_or_404(pk)
    applicant = get_applicant(request)
    form = SubmitForm(
        request.POST or None,
        request.FILES or None,
        procedure=procedure,
        initial={
            "applicant_type": "person",
            "applicant_name": applicant.full_name,
            "applicant_email": applicant.email,
            "applicant_phone": applicant.phone,
            "set_count": 1,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = actions.submit_online(
                applicant,
                procedure=procedure,
                attached_components=data["components"],
                files=data["files"],
                set_count=data["set_count"],
                note=data["note"],
                **{name: data[name] for name in APPLICANT_FIELDS},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your dossier was sent. The desk will check it; you will see here when it "
                    "is accepted and its code."
                ),
            )
            return redirect("onestop:portal_dossier", pk=dossier.pk)
    context = _ctx(
        request,
        procedure=procedure,
        form=form,
        max_upload=filesizeformat(settings.COQUAN_MAX_UPLOAD_BYTES),
    )
    return render(
        request, "onestop/portal/submit.html", context, status=400 if form.errors else 200
    )


@applicant_required
def portal_dossiers(request):
    """The applicant's own dossiers (constant queries)."""
    dossiers = (
        Dossier.objects.of_applicant(get_applicant(request))
        .select_related("procedure", "agency")
        .order_by("-created_at", "-pk")
    )
    context = _ctx(
        request,
        page=Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page")),
        page_query=keep_query(request, "page"),
    )
    return render(request, "onestop/portal/dossiers.html", context)


def _own(request, pk: int) -> Dossier:
    dossier = (
        Dossier.objects.of_applicant(get_applicant(request))
        .select_related("procedure", "agency", "current_step", "assignee_unit")
        .filter(pk=pk)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


def _offers(dossier) -> dict:
    answer = workflow.is_allowed(dossier, "answer_online") and (
        dossier.supplements.filter(resolved_at__isnull=True, answered_at__isnull=True).exists()
    )
    rated = DossierRating.objects.filter(dossier=dossier).first()
    return {
        "can_answer": answer,
        "can_withdraw": workflow.is_allowed(dossier, "withdraw"),
        "can_rate": dossier.status in RESOLVED_STATUSES and rated is None,
        "rating": rated,
    }


def _dossier_context(request, dossier, **bound) -> dict:
    offers = _offers(dossier)
    return _ctx(
        request,
        dossier=dossier,
        papers=dossier.components.all(),
        files=dossier.files.all(),
        supplements=dossier.supplements.all(),
        fees=dossier.fees.all(),
        progress=presenters.public_progress(dossier),
        answer_form=bound.get("answer")
        or (
            AnswerForm(papers=list(dossier.components.all()), prefix="answer")
            if offers["can_answer"]
            else None
        ),
        withdraw_form=bound.get("withdraw")
        or (WithdrawForm(prefix="withdraw") if offers["can_withdraw"] else None),
        rate_form=bound.get("rate") or (RatingForm(prefix="rate") if offers["can_rate"] else None),
        rating_fields=RATING_FIELDS,
        **offers,
    )


@applicant_required
def portal_dossier(request, pk: int):
    dossier = _own(request, pk)
    return render(request, "onestop/portal/dossier.html", _dossier_context(request, dossier))


@applicant_required
@require_POST
def portal_answer(request, pk: int):
    dossier = _own(request, pk)
    form = AnswerForm(
        request.POST, request.FILES, papers=list(dossier.components.all()), prefix="answer"
    )
    if form.is_valid():
        try:
            actions.answer_request(
                get_applicant(request),
                dossier=dossier,
                attached_components=form.cleaned_data["components"],
                files=form.cleaned_data["files"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Your answer was sent to the desk."))
            return redirect("onestop:portal_dossier", pk=dossier.pk)
    context = _dossier_context(request, dossier, answer=form)
    return render(request, "onestop/portal/dossier.html", context, status=400)


@applicant_required
@require_POST
def portal_withdraw(request, pk: int):
    dossier = _own(request, pk)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            actions.withdraw(
                get_applicant(request), dossier=dossier, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your dossier was withdrawn."))
            return redirect("onestop:portal_dossier", pk=dossier.pk)
    context = _dossier_context(request, dossier, withdraw=form)
    return render(request, "onestop/portal/dossier.html", context, status=400)


@applicant_required
@require_POST
def portal_rate(request, pk: int):
    """The applicant rates their finished dossier (NĐ 61 Art. 31 criteria)."""
    dossier = _own(request, pk)
    form = RatingForm(request.POST, prefix="rate")
    if form.is_valid():
        try:
            actions.rate_dossier(get_applicant(request), dossier=dossier, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your rating was recorded."))
            return redirect("onestop:portal_dossier", pk=dossier.pk)
    context = _dossier_context(request, dossier, rate=form)
    return render(request, "onestop/portal/dossier.html", context, status=400)
