"""Pages of outgoing documents: queues and lists, drafting and changing, detail, files.

Views are thin (DESIGN.md §4): they parse input, fetch through ``visible_to`` (404 for
"missing" and "not yours" alike), call an action and render. The step forms of the
detail page are in ``outgoing_step_views``; the numbering series in ``series_views``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import get_visible_or_404, roles_in
from coquan.core.pagination import KeysFirstPaginator
from coquan.documents import actions, outgoing_queues, queues
from coquan.documents import files as file_store
from coquan.documents.actions.drafting import FIELD_LABELS
from coquan.documents.actions.outgoing_common import SNAPSHOT_FIELDS
from coquan.documents.choices import (
    OutgoingFileKind,
    RecipientKind,
    RevisionKind,
    SignatureLevel,
    TaskState,
)
from coquan.documents.models import (
    ChainTask,
    IncomingDocument,
    OutgoingDocument,
    OutgoingFile,
)
from coquan.documents.outgoing_filtersets import OutgoingFilter
from coquan.documents.outgoing_forms import DraftForm
from coquan.documents.outgoing_permissions import OutgoingAccess, can_draft
from coquan.documents.views import PAGE_SIZE, _keep_query, apply_errors, scoped_agency


@login_required
def outgoing_list(request):
    """The person's queues of outgoing documents, with counts, filters, sorting and pages."""
    agency = scoped_agency(request)
    if agency is None:
        return render(request, "documents/outgoing_list.html", {"agency": None})
    user = request.user
    today = timezone.localdate()
    tabs = outgoing_queues.queues_for(roles_in(user, agency))
    queue = queues.pick(tabs, request.GET.get("queue"))
    base = OutgoingDocument.objects.visible_to(user).for_agency(agency)
    filterset = OutgoingFilter(request.GET or None, queryset=base, agency=agency)
    documents = queues.apply(filterset.qs, queue, user, today)
    if not request.GET.get("ordering"):
        documents = documents.order_by(*queue.ordering)
    page = KeysFirstPaginator(documents.for_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queues.counts(base, tabs, user, today)
    agency_param = f"agency={agency.pk}" if request.GET.get("agency") else ""
    roles = roles_in(user, agency)
    context = {
        "agency": agency,
        "tabs": [(tab, counts.get(tab.key, 0)) for tab in tabs],
        "queue": queue,
        "agency_param": agency_param,
        "filter": filterset,
        "filtered": any(request.GET.get(name) for name in filterset.filters if name != "ordering"),
        "page": page,
        "page_query": _keep_query(request, "page"),
        "can_draft": can_draft(user, agency),
        "can_open_register": bool({"clerk", "leader", "admin"} & roles),
        "can_open_report": bool({"clerk", "leader"} & roles),
    }
    return render(request, "documents/outgoing_list.html", context)


def _upload_limit() -> str:
    return filesizeformat(settings.COQUAN_MAX_UPLOAD_BYTES)


@login_required
def draft_create(request):
    """An officer (or leader) drafts a document, optionally as the reply to an incoming one."""
    agency = scoped_agency(request)
    if agency is None or not can_draft(request.user, agency):
        raise PermissionDenied(_("Only officers and leaders of the agency draft documents."))
    initial = {}
    reply = None
    if request.GET.get("reply_to", "").isdigit():
        reply = (
            IncomingDocument.objects.visible_to(request.user)
            .for_agency(agency)
            .filter(pk=int(request.GET["reply_to"]))
            .first()
        )
        if reply is not None:
            initial = {"reply_to": reply.pk}
    form = DraftForm(
        request.POST or None,
        request.FILES or None,
        agency=agency,
        user=request.user,
        initial=initial,
        reply=reply,
        max_upload_label=_upload_limit(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = actions.create_draft(
                request.user,
                agency=agency,
                recipients=form.recipients(),
                main_file=form.cleaned_data["main_file"],
                attachments=form.cleaned_data["attachments"],
                **form.metadata(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft document was saved."))
            return redirect("documents:outgoing_detail", pk=document.pk)
    context = {"agency": agency, "form": form, "document": None, "reply": reply}
    return render(request, "documents/outgoing_form.html", context)


def _fetch(request, pk, *related):
    return get_visible_or_404(
        OutgoingDocument.objects.select_related("agency", "document_type", *related),
        request.user,
        pk=pk,
    )


@login_required
def draft_edit(request, pk: int):
    """Change a draft (a new version); after approval this sends it back to the signer."""
    document = _fetch(request, pk, "drafting_unit", "signer")
    access = OutgoingAccess(request.user, document)
    access.can_see = True
    if not access.can_edit():
        raise PermissionDenied(_("You may not do this on this document."))
    if document.is_frozen:
        messages.error(
            request,
            _("The document is “%(status)s”: it is frozen and can no longer be changed.")
            % {"status": document.get_status_display()},
        )
        return redirect("documents:outgoing_detail", pk=document.pk)
    form = DraftForm(
        request.POST or None,
        request.FILES or None,
        agency=document.agency,
        user=request.user,
        document=document,
        initial=DraftForm.initial_for(document),
        max_upload_label=_upload_limit(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_draft(
                request.user,
                document=document,
                changes=form.metadata(),
                recipients=form.recipients(),
                main_file=form.cleaned_data["main_file"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft was saved as a new version."))
            return redirect("documents:outgoing_detail", pk=document.pk)
    context = {"agency": document.agency, "form": form, "document": document, "reply": None}
    return render(request, "documents/outgoing_form.html", context)


def version_diffs(versions) -> list[dict]:
    """Each version with what changed since the one before: [(label, before, after)]."""
    result = []
    previous = None
    for version in versions:
        changes = []
        if previous is not None:
            for key in SNAPSHOT_FIELDS:
                old, new = previous.data.get(key, ""), version.data.get(key, "")
                if old != new:
                    changes.append((FIELD_LABELS.get(key, key), old, new))
        result.append({"version": version, "changes": changes})
        previous = version
    result.reverse()
    return result


def verification_of(document, stored):
    """The pyHanko verification of a signed file (cached by content), or None if unsigned."""
    from coquan.documents.signing import trusted_certificates
    from coquan.documents.signing.verify import Verification, verify_pdf

    if stored is None or stored.signature == SignatureLevel.NONE:
        return None
    try:
        data = file_store.read_bytes(stored.file.name)
    except (FileNotFoundError, OSError):
        return Verification(False, "unreadable", "")
    return verify_pdf(data, trusted_certificates(document.agency))


def revision_chain(user, document) -> dict:
    """The update/replacement chain both ways, for the detail page (two queries at most).

    ``original``: the document this one updates or replaces, with ``original_visible``;
    ``revisions``: the later documents that update or replace this one — the issued ones
    (their number is public in the agency's register) and the drafts this person may see —
    each with ``visible`` (whether to link it); ``replaced_by``/``updated_by``: the issued ones.
    """
    from django.db.models import Exists, OuterRef

    from coquan.documents.choices import ISSUED_OUTGOING

    original = document.revises if document.revises_id else None
    original_visible = bool(
        original is not None
        and OutgoingDocument.objects.visible_to(user).filter(pk=original.pk).exists()
    )
    visible = OutgoingDocument.objects.visible_to(user).filter(pk=OuterRef("pk"))
    revisions = list(
        document.revisions.annotate(visible=Exists(visible))
        .filter(Q(status__in=ISSUED_OUTGOING) | Q(visible=True))
        .order_by("created_at", "pk")
    )
    issued = [r for r in revisions if r.is_issued]
    return {
        "original": original,
        "original_visible": original_visible,
        "revisions": revisions,
        "replaced_by": [r for r in issued if r.revision_kind == RevisionKind.REPLACE],
        "updated_by": [r for r in issued if r.revision_kind == RevisionKind.UPDATE],
    }


@login_required
def outgoing_detail(request, pk: int):
    """Metadata, recipients, files with signature checks, the chain, versions, timeline."""
    from coquan.documents.outgoing_step_views import forms_for

    document = _fetch(
        request,
        pk,
        "drafter",
        "drafting_unit",
        "signer",
        "reply_to",
        "series",
        "register_book",
        "issued_by",
        "revises",
    )
    access = OutgoingAccess(request.user, document)
    access.can_see = True
    files = list(
        OutgoingFile.objects.with_current_flag()
        .filter(document=document)
        .select_related("uploaded_by")
        .order_by("kind", "uploaded_at", "pk")
    )
    current = [f for f in files if f.is_current and f.kind != OutgoingFileKind.OPINION]
    main = next((f for f in current if f.kind == OutgoingFileKind.MAIN), None)
    recipients = list(document.recipients.select_related("agency", "external", "unit", "user"))
    tasks = (
        ChainTask.objects.filter(document=document, round=document.round)
        .select_related("assignee_user", "assignee_unit", "completed_by")
        .order_by("stage", "pk")
    )
    steps = document.steps.select_related("actor", "user", "unit").prefetch_related("files")
    reply_visible = bool(
        document.reply_to_id
        and IncomingDocument.objects.visible_to(request.user)
        .filter(pk=document.reply_to_id)
        .exists()
    )
    context = {
        **revision_chain(request.user, document),
        "document": document,
        "access": access,
        "can_edit": access.can_edit() and not document.is_frozen,
        "files": current,
        "history": [f for f in files if not f.is_current and f.kind != OutgoingFileKind.OPINION],
        "main": main,
        "verification": verification_of(document, main),
        "electronic": [r for r in recipients if r.organ_id and not document.is_secret],
        "internal": [r for r in recipients if r.is_internal],
        "paper": [
            r for r in recipients if not r.is_internal and (not r.organ_id or document.is_secret)
        ],
        "tasks": tasks,
        "steps": steps,
        "versions": version_diffs(
            document.versions.select_related("created_by").order_by("number")
        ),
        "deliveries": document.deliveries.order_by("kind", "name"),
        "receipts": document.internal_receipts.select_related("unit", "user"),
        "reply_visible": reply_visible,
        "step_forms": forms_for(request, document, access),
        "today": timezone.localdate(),
        "pending": TaskState.PENDING,
        "text_kind": RecipientKind.TEXT,
    }
    return render(request, "documents/outgoing_detail.html", context)


@login_required
def outgoing_file_download(request, pk: int, file_pk: int):
    """Send a stored file to someone who may see its document (never served directly)."""
    document = get_visible_or_404(OutgoingDocument, request.user, pk=pk)
    stored = OutgoingFile.objects.filter(document=document, pk=file_pk).first()
    if stored is None:
        raise Http404
    try:
        handle = default_storage.open(stored.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.mime_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
