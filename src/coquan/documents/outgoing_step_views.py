"""The steps of an outgoing document as forms: send for review, ask for opinions, review,
give an opinion, check the form, approve, send back, sign, issue, recall, draft an update or
a replacement (the page then opens the new draft), withdraw.

Each step is one ``StepSpec`` (its form, the action it calls, its texts). The detail page
shows the forms of the steps the person may take now (``OutgoingAccess.available``); each
form posts to its own URL, which is also a full page (shown again with the errors when the
input is refused).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.core.access import get_visible_or_404
from coquan.documents import actions
from coquan.documents import outgoing_workflow as workflow
from coquan.documents.forms import EmptyForm
from coquan.documents.models import OutgoingDocument
from coquan.documents.outgoing_forms import (
    CommentForm,
    OpinionForm,
    ReasonForm,
    RejectForm,
    RequestOpinionsForm,
    RevisionForm,
    SubmitForm,
)
from coquan.documents.outgoing_permissions import OutgoingAccess
from coquan.documents.step_views import StepSpec
from coquan.documents.views import apply_errors


def _run_submit(request, document, form):
    data = form.cleaned_data
    return actions.submit(
        request.user,
        document=document,
        reviewer=data.get("reviewer"),
        skip_review=data.get("skip_review", False),
        opinions=form.targets(),
        opinion_due_days=data.get("opinion_due_days") or 3,
        sequential=data.get("sequential", False),
        form_check=data.get("form_check", False),
        checker=data.get("checker"),
    )


def _run_request(request, document, form):
    data = form.cleaned_data
    return actions.request_opinions(
        request.user,
        document=document,
        targets=form.targets(),
        due_days=data["due_days"],
        sequential=data.get("sequential", False),
        note=data.get("note", ""),
    )


def _comment(action):
    def run(request, document, form):
        return action(request.user, document=document, comment=form.cleaned_data.get("comment", ""))

    return run


def _simple(action):
    return lambda request, document, form: action(request.user, document=document)


STEPS: dict[str, StepSpec] = {
    spec.name: spec
    for spec in (
        StepSpec(
            "submit",
            gettext_lazy("Send for review"),
            gettext_lazy("Send for review"),
            gettext_lazy("The draft was sent for review."),
            lambda request, doc, access, *a, **kw: SubmitForm(
                *a, agency=doc.agency, initial={"form_check": True, "opinion_due_days": 3}, **kw
            ),
            _run_submit,
        ),
        StepSpec(
            "review",
            gettext_lazy("Review"),
            gettext_lazy("Agree and pass on"),
            gettext_lazy("The draft was passed on."),
            lambda request, doc, access, *a, **kw: CommentForm(*a, **kw),
            _comment(actions.review),
            style="success",
        ),
        StepSpec(
            "opinion",
            gettext_lazy("Give an opinion"),
            gettext_lazy("Send the opinion"),
            gettext_lazy("The opinion was sent."),
            lambda request, doc, access, *a, **kw: OpinionForm(*a, **kw),
            lambda request, doc, form: actions.give_opinion(
                request.user,
                document=doc,
                text=form.cleaned_data["text"],
                files=form.cleaned_data.get("files") or [],
            ),
            multipart=True,
        ),
        StepSpec(
            "check",
            gettext_lazy("Check the form"),
            gettext_lazy("The form is correct"),
            gettext_lazy("The form check was recorded."),
            lambda request, doc, access, *a, **kw: CommentForm(*a, **kw),
            _comment(actions.check_form),
            style="success",
        ),
        StepSpec(
            "approve",
            gettext_lazy("Approve"),
            gettext_lazy("Approve the draft"),
            gettext_lazy("The draft was approved."),
            lambda request, doc, access, *a, **kw: CommentForm(*a, **kw),
            _comment(actions.approve),
            style="success",
        ),
        StepSpec(
            "sign",
            gettext_lazy("Sign"),
            gettext_lazy("Sign digitally"),
            gettext_lazy("The document was signed."),
            lambda request, doc, access, *a, **kw: EmptyForm(*a, **kw),
            _simple(actions.sign),
            confirm=gettext_lazy("Sign this document with your digital signature?"),
            style="success",
        ),
        StepSpec(
            "issue",
            gettext_lazy("Number and issue"),
            gettext_lazy("Number, seal and issue"),
            gettext_lazy("The document was issued."),
            lambda request, doc, access, *a, **kw: EmptyForm(*a, **kw),
            _simple(actions.issue),
            confirm=gettext_lazy("Give the next number, apply the agency's signature and issue?"),
            style="success",
        ),
        StepSpec(
            "request_opinions",
            gettext_lazy("Ask for opinions"),
            gettext_lazy("Ask"),
            gettext_lazy("The opinions were requested."),
            lambda request, doc, access, *a, **kw: RequestOpinionsForm(
                *a, agency=doc.agency, initial={"due_days": 3}, **kw
            ),
            _run_request,
            style="outline-primary",
        ),
        StepSpec(
            "reject",
            gettext_lazy("Send back"),
            gettext_lazy("Send back"),
            gettext_lazy("The draft was sent back."),
            lambda request, doc, access, *a, **kw: RejectForm(*a, **kw),
            lambda request, doc, form: actions.reject(
                request.user,
                document=doc,
                comment=form.cleaned_data["comment"],
                back_to=form.cleaned_data["back_to"],
            ),
            style="outline-danger",
        ),
        StepSpec(
            "recall",
            gettext_lazy("Recall"),
            gettext_lazy("Recall the document"),
            gettext_lazy("The document was recalled."),
            lambda request, doc, access, *a, **kw: ReasonForm(*a, **kw),
            lambda request, doc, form: actions.recall(
                request.user, document=doc, reason=form.cleaned_data["reason"]
            ),
            confirm=gettext_lazy("Recall this issued document? Recall notices will be sent."),
            style="outline-danger",
        ),
        StepSpec(
            "revise",
            gettext_lazy("Update or replace"),
            gettext_lazy("Draft the new document"),
            gettext_lazy("The draft of the update or replacement was created."),
            lambda request, doc, access, *a, **kw: RevisionForm(*a, **kw),
            lambda request, doc, form: actions.create_revision(
                request.user,
                document=doc,
                kind=form.cleaned_data["kind"],
                subject=form.cleaned_data.get("subject", ""),
                description=form.cleaned_data.get("description", ""),
                main_file=form.cleaned_data.get("main_file"),
            ),
            multipart=True,
            style="outline-primary",
        ),
        StepSpec(
            "withdraw",
            gettext_lazy("Withdraw the draft"),
            gettext_lazy("Withdraw"),
            gettext_lazy("The draft was withdrawn."),
            lambda request, doc, access, *a, **kw: ReasonForm(*a, required=False, **kw),
            lambda request, doc, form: actions.withdraw(
                request.user, document=doc, reason=form.cleaned_data.get("reason", "")
            ),
            confirm=gettext_lazy("Withdraw this draft? It cannot be sent again."),
            style="outline-danger",
        ),
    )
}


def _build(spec, request, document, access, data=None, files=None):
    return spec.build(request, document, access, data, files, prefix=spec.name)


def forms_for(request, document, access) -> list[dict]:
    """The forms of the steps ``access`` allows now, in order, for the detail page."""
    available = access.available()
    return [
        {
            "spec": spec,
            "form": _build(spec, request, document, access),
            "url": reverse("documents:outgoing_step", args=[document.pk, name]),
        }
        for name, spec in STEPS.items()
        if name in available
    ]


@login_required
def step_view(request, pk: int, step: str):
    """One step as a full page; POST runs the step's action and returns to the document."""
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    document = get_visible_or_404(
        OutgoingDocument.objects.select_related("agency", "document_type"), request.user, pk=pk
    )
    access = OutgoingAccess(request.user, document)
    access.can_see = True
    if not getattr(access, f"can_{step}")():
        raise PermissionDenied(_("You may not do this on this document."))
    detail = reverse("documents:outgoing_detail", args=[document.pk])
    if not workflow.is_allowed(document, step):
        messages.error(
            request,
            _("“%(step)s” is not possible while the document is “%(status)s”.")
            % {"step": spec.title, "status": document.get_status_display()},
        )
        return redirect(detail)
    if request.method == "POST":
        form = _build(spec, request, document, access, request.POST, request.FILES)
        if form.is_valid():
            try:
                result = spec.run(request, document, form)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, spec.success)
                if isinstance(result, OutgoingDocument) and result.pk != document.pk:
                    detail = reverse("documents:outgoing_detail", args=[result.pk])
                return redirect(detail)
    else:
        form = _build(spec, request, document, access)
    context = {
        "document": document,
        "spec": spec,
        "form": form,
        "url": reverse("documents:outgoing_step", args=[document.pk, step]),
    }
    return render(request, "documents/outgoing_step.html", context)
