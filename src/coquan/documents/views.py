"""Pages of incoming documents: queues and lists, registration, detail, file download.

Views are thin (DESIGN.md §4): they parse input, fetch through ``visible_to`` (404 for
"missing" and "not yours" alike), call an action and render. Pages about an agency (the
list, the registration form) work on the agency named by ``?agency=<id>`` (one of the
person's own agencies, else 404) or, by default, the active agency. The step forms of the
detail page are in ``step_views``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import get_visible_or_404, has_role, member_agencies, roles_in
from coquan.core.pagination import KeysFirstPaginator
from coquan.core.related import load_related_groups
from coquan.documents import actions, queues, workflow
from coquan.documents.filtersets import IncomingFilter, due_soon_until
from coquan.documents.forms import RegisterForm
from coquan.documents.models import Attachment, IncomingDocument, OutgoingDocument
from coquan.documents.models.attachments import mark_current
from coquan.documents.outgoing_permissions import can_draft
from coquan.documents.permissions import DocumentAccess, can_register
from coquan.org.active import active_agency

PAGE_SIZE = 25

REGISTER_FIELDS = (
    "document_type",
    "code_number",
    "code_notation",
    "issued_date",
    "issuer_name",
    "issuer_organ_id",
    "place",
    "subject",
    "signer_competence",
    "signer_position",
    "signer_name",
    "urgency",
    "secrecy",
    "page_count",
    "due_date",
    "arrival_date",
    "description",
)


def scoped_agency(request):
    """The agency of this page: ``?agency=<id>`` (own agencies only, else 404) or the active one."""
    from coquan.org.models import Agency

    wanted = request.GET.get("agency")
    if wanted:
        try:
            wanted_id = int(wanted)
        except ValueError:
            raise Http404 from None
        if wanted_id not in member_agencies(request.user):
            raise Http404
        return Agency.objects.get(pk=wanted_id)
    return active_agency(request)


def apply_errors(form, exc: ValidationError) -> None:
    """Show an action's ``ValidationError`` on the form fields it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def _keep_query(request, *drop: str) -> str:
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


@login_required
def incoming_list(request):
    """The person's queues of incoming documents, with counts, filters, sorting and pages.

    One tab per queue of the person's roles (``queues``); every count, the page and its
    rows come from a constant number of queries whatever the number of documents.
    """
    agency = scoped_agency(request)
    if agency is None:
        return render(request, "documents/incoming_list.html", {"agency": None})
    user = request.user
    today = timezone.localdate()
    tabs = queues.queues_for(roles_in(user, agency))
    queue = queues.pick(tabs, request.GET.get("queue"))
    base = IncomingDocument.objects.visible_in(user, agency)
    filterset = IncomingFilter(request.GET or None, queryset=base, agency=agency)
    documents = queues.apply(filterset.qs, queue, user, today)
    if not request.GET.get("ordering"):
        documents = documents.order_by(*queue.ordering)
    documents = documents.for_list().with_late_flag(workflow.presentation_late_before(today))
    counts = queues.counts(base, tabs, user, today)
    filtered = any(request.GET.get(name) for name in filterset.filters if name != "ordering")
    paginator = KeysFirstPaginator(documents, PAGE_SIZE)
    if not filtered and not queues.is_capped(queue, counts[queue.key]):
        paginator.count = counts[queue.key]  # the same rows: no second COUNT of the tab
    page = paginator.get_page(request.GET.get("page"))
    agency_param = f"agency={agency.pk}" if request.GET.get("agency") else ""
    context = {
        "agency": agency,
        "tabs": [(tab, counts.get(tab.key, 0)) for tab in tabs],
        "count_cap": queues.COUNT_CAP,
        "queue": queue,
        "agency_param": agency_param,
        "filter": filterset,
        "filtered": filtered,
        "page": page,
        "page_query": _keep_query(request, "page"),
        "today": today,
        "soon_until": due_soon_until(today),
        "can_register": can_register(user, agency),
        "can_read_registers": has_role(user, agency, "clerk", "leader", "admin"),
        "can_manage_types": has_role(user, agency, "admin"),
    }
    return render(request, "documents/incoming_list.html", context)


@login_required
def incoming_create(request):
    """The clerk registers a received document (manual entry and scanned files).

    A suspected duplicate is shown with links to the earlier documents; the clerk confirms
    with a checkbox to register it anyway (files must be chosen again).
    """
    agency = scoped_agency(request)
    if agency is None or not can_register(request.user, agency):
        raise PermissionDenied(_("Only the agency's clerks register incoming documents."))
    limit = filesizeformat(settings.COQUAN_MAX_UPLOAD_BYTES)
    form = RegisterForm(
        request.POST or None, request.FILES or None, agency=agency, max_upload_label=limit
    )
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = actions.register_incoming(
                request.user,
                agency=agency,
                files=data["files"],
                confirm_duplicate=data["confirm_duplicate"],
                **{name: data[name] for name in REGISTER_FIELDS},
            )
        except actions.DuplicateDocument as exc:
            duplicates = IncomingDocument.objects.visible_to(request.user).filter(
                pk__in=[doc.pk for doc in exc.duplicates]
            )
            form.ask_duplicate_confirmation()
            form.add_error(None, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Registered with arrival number %(number)s.")
                % {"number": document.arrival_number},
            )
            return redirect("documents:incoming_detail", pk=document.pk)
    context = {"agency": agency, "form": form, "duplicates": duplicates}
    return render(request, "documents/incoming_form.html", context)


def incoming_for_detail(user, pk: int):
    """The detail page's data: ``(document, timeline steps, files)``, or 404.

    The document with three joins (type, agency, book); the steps and the files as plain
    rows; then every person named (registered by, presented to, lead, each step's actor
    and person, each file's uploader) in one query and the units (lead unit, steps' units)
    in one more (``load_related_groups``). A join of eight tables spent more time being planned than
    the rest of the page's queries together (bench/inbox.py). Overseers see a document
    that is not secret without a visibility query (``visible_without_query``).
    """
    document = get_visible_or_404(
        IncomingDocument.objects.select_related("document_type", "agency", "register_book"),
        user,
        pk=pk,
    )
    steps = list(document.steps.order_by("created_at", "pk"))
    files = mark_current(document.attachments.order_by("uploaded_at", "pk"))
    load_related_groups(
        ([document], ("registered_by", "presented_to", "lead_user", "lead_unit")),
        (steps, ("actor", "user", "unit")),
        (files, ("uploaded_by",)),
    )
    return document, steps, files


@login_required
def incoming_detail(request, pk: int):
    """Metadata, files (current versions and history), the timeline and the step forms."""
    from coquan.documents.step_views import forms_for

    document, steps, attachments = incoming_for_detail(request.user, pk)
    access = DocumentAccess(request.user, document)
    access.can_see = True  # fetched through visible_to just above
    late_before = workflow.presentation_late_before()
    replies = (
        OutgoingDocument.objects.visible_to(request.user)
        .filter(reply_to=document)
        .select_related("document_type")
        .order_by("created_at", "pk")
    )
    context = {
        "replies": replies,
        "can_reply": document.status in ("assigned", "in_progress")
        and can_draft(request.user, document.agency_id),
        "document": document,
        "attachments": attachments,
        "steps": steps,
        "step_forms": forms_for(request, document, access),
        "today": timezone.localdate(),
        "is_late": bool(
            late_before
            and document.status in ("registered", "returned")
            and document.arrival_date < late_before
        ),
    }
    return render(request, "documents/incoming_detail.html", context)


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    """Send a stored file to someone who may see its document (never served directly).

    The document is fetched through ``visible_to``: a secret document's files are 404 for
    everyone without a grant, exactly like a missing file.
    """
    document = get_visible_or_404(IncomingDocument, request.user, pk=pk)
    attachment = Attachment.objects.filter(document=document, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    try:
        handle = default_storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def detail_url(document) -> str:
    return reverse("documents:incoming_detail", args=[document.pk])
