"""The handling steps of an incoming document as forms: present, assign, start, opinion,
add a file, complete, reopen, return, refuse.

Each step is one ``StepSpec`` (its form, the action it calls, its texts). The detail page
shows the forms of the steps the person may take now (``DocumentAccess.available``); each
form posts to its own URL, which is also a full page (shown again with the errors when the
input is refused).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.core.access import get_visible_or_404
from coquan.documents import actions, workflow
from coquan.documents.forms import AddFileForm, AssignForm, EmptyForm, PresentForm, TextForm
from coquan.documents.models import IncomingDocument
from coquan.documents.permissions import DocumentAccess
from coquan.documents.views import apply_errors


def leaders_of(agency):
    """People holding the leader role in ``agency`` today."""
    from coquan.accounts.models import User
    from coquan.org.models import Membership

    memberships = (
        Membership.objects.active_on(timezone.localdate()).for_agency(agency).with_role("leader")
    )
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name")


def assignment_targets(document, access) -> dict:
    """{code: (label, unit or person)} a person may assign this document to.

    A leader picks among the agency's units in force and its people; a unit leader picks
    among the people of the lead unit.
    """
    from coquan.accounts.models import User
    from coquan.org.models import Membership, Unit

    today = timezone.localdate()
    memberships = Membership.objects.active_on(today).for_agency(document.agency_id)
    targets: dict = {}
    if access.is_leader:
        for unit in Unit.objects.for_agency(document.agency_id).active_on(today).order_by("name"):
            targets[f"unit:{unit.pk}"] = (_("Unit: %(name)s") % {"name": unit.name}, unit)
    else:
        memberships = memberships.filter(unit_id=document.lead_unit_id)
    unit_names = dict(memberships.filter(unit__isnull=False).values_list("user_id", "unit__name"))
    people = User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name")
    for person in people:
        unit_name = unit_names.get(person.pk)
        label = f"{person.get_full_name()} — {unit_name}" if unit_name else person.get_full_name()
        targets[f"user:{person.pk}"] = (label, person)
    return targets


def _text_run(field: str, action):
    def run(request, document, form):
        return action(request.user, document=document, **{field: form.cleaned_data["text"]})

    return run


def _run_assign(request, document, form):
    data = form.cleaned_data
    lead = form.resolve([data["lead"]])
    lead_target = lead[0] if lead else None
    is_unit = lead_target is not None and type(lead_target).__name__ == "Unit"
    return actions.assign(
        request.user,
        document=document,
        lead_unit=lead_target if is_unit else None,
        lead_user=None if is_unit else lead_target,
        co_handlers=form.resolve(data["co_handlers"]),
        for_info=form.resolve(data["for_info"]),
        due_days=data.get("due_days"),
        due_date=data.get("due_date"),
        instruction=data.get("instruction", ""),
    )


def _run_add_file(request, document, form):
    replaces = form.cleaned_data.get("replaces") or None
    return actions.add_attachment(
        request.user, document=document, file=form.cleaned_data["file"], replaces=replaces
    )


@dataclass(frozen=True)
class StepSpec:
    name: str
    title: str
    button: str
    success: str
    build: Callable
    run: Callable
    confirm: str = ""
    multipart: bool = False
    style: str = "primary"


def _current_files(document):
    return [a for a in document.attachments.with_current_flag() if a.is_current]


STEPS: dict[str, StepSpec] = {
    spec.name: spec
    for spec in (
        StepSpec(
            "present",
            gettext_lazy("Present to a leader"),
            gettext_lazy("Present"),
            gettext_lazy("The document was presented."),
            lambda request, doc, access, *a, **kw: PresentForm(
                *a, leaders=leaders_of(doc.agency_id), **kw
            ),
            lambda request, doc, form: actions.present(
                request.user,
                document=doc,
                leader=form.cleaned_data["leader"],
                note=form.cleaned_data["note"],
            ),
        ),
        StepSpec(
            "assign",
            gettext_lazy("Assign"),
            gettext_lazy("Assign"),
            gettext_lazy("The document was assigned."),
            lambda request, doc, access, *a, **kw: AssignForm(
                *a, targets=assignment_targets(doc, access), **kw
            ),
            _run_assign,
        ),
        StepSpec(
            "start",
            gettext_lazy("Start handling"),
            gettext_lazy("Start handling"),
            gettext_lazy("Handling started."),
            lambda request, doc, access, *a, **kw: EmptyForm(*a, **kw),
            lambda request, doc, form: actions.start_handling(request.user, document=doc),
        ),
        StepSpec(
            "opinion",
            gettext_lazy("Add an opinion"),
            gettext_lazy("Add the opinion"),
            gettext_lazy("The opinion was added."),
            lambda request, doc, access, *a, **kw: TextForm(
                *a, label=_("Opinion"), with_files=True, **kw
            ),
            lambda request, doc, form: actions.add_opinion(
                request.user,
                document=doc,
                text=form.cleaned_data["text"],
                files=form.cleaned_data.get("files") or [],
            ),
            multipart=True,
        ),
        StepSpec(
            "add_file",
            gettext_lazy("Add a file"),
            gettext_lazy("Add the file"),
            gettext_lazy("The file was added."),
            lambda request, doc, access, *a, **kw: AddFileForm(
                *a, attachments=_current_files(doc), **kw
            ),
            _run_add_file,
            multipart=True,
            style="outline-primary",
        ),
        StepSpec(
            "complete",
            gettext_lazy("Mark as done"),
            gettext_lazy("Mark as done"),
            gettext_lazy("The document is done."),
            lambda request, doc, access, *a, **kw: TextForm(*a, label=_("Result"), **kw),
            _text_run("result_note", actions.complete),
            style="success",
        ),
        StepSpec(
            "reopen",
            gettext_lazy("Reopen"),
            gettext_lazy("Reopen"),
            gettext_lazy("The document was reopened."),
            lambda request, doc, access, *a, **kw: TextForm(*a, label=_("Reason"), **kw),
            _text_run("reason", actions.reopen),
            style="warning",
        ),
        StepSpec(
            "return",
            gettext_lazy("Return to the clerk"),
            gettext_lazy("Return"),
            gettext_lazy("The document was returned to the clerk."),
            lambda request, doc, access, *a, **kw: TextForm(*a, label=_("Reason"), **kw),
            _text_run("reason", actions.return_document),
            confirm=gettext_lazy("Return this document to the clerk?"),
            style="outline-danger",
        ),
        StepSpec(
            "refuse",
            gettext_lazy("Refuse the document"),
            gettext_lazy("Refuse"),
            gettext_lazy("The document was refused."),
            lambda request, doc, access, *a, **kw: TextForm(*a, label=_("Reason"), **kw),
            _text_run("reason", actions.refuse),
            confirm=gettext_lazy("Refuse this document? This cannot be undone."),
            style="outline-danger",
        ),
    )
}


def _build(spec, request, document, access, data=None, files=None):
    return spec.build(request, document, access, data, files, prefix=spec.name)


def forms_for(request, document, access) -> list[dict]:
    """The forms of the steps ``access`` allows now, in workflow order, for the detail page."""
    available = access.available()
    return [
        {
            "spec": spec,
            "form": _build(spec, request, document, access),
            "url": reverse("documents:incoming_step", args=[document.pk, name]),
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
        IncomingDocument.objects.select_related("agency"), request.user, pk=pk
    )
    access = DocumentAccess(request.user, document)
    access.can_see = True
    if not getattr(access, f"can_{step}")():
        raise PermissionDenied(_("You may not do this on this document."))
    detail = reverse("documents:incoming_detail", args=[document.pk])
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
                spec.run(request, document, form)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, spec.success)
                return redirect(detail)
    else:
        form = _build(spec, request, document, access)
    context = {
        "document": document,
        "spec": spec,
        "form": form,
        "url": reverse("documents:incoming_step", args=[document.pk, step]),
    }
    return render(request, "documents/step_form.html", context)
