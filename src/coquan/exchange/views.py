"""Pages of electronic exchange: received packages, one package, manual upload, downloads.

Views are thin (DESIGN.md §4): they parse input, fetch through ``visible_to`` (404 for
"missing" and "not yours" alike), call an action and render. The list and the upload work
on the agency named by ``?agency=<id>`` (one of the person's agencies, else 404) or the
active agency; only its clerks and administrators may use them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coquan.core.access import get_visible_or_404, has_role, member_agencies
from coquan.exchange import actions
from coquan.exchange.choices import PackageKind, PackageSource, PackageState
from coquan.exchange.edxml.codes import RECEIVER_REMOVED
from coquan.exchange.edxml.config import current_limits
from coquan.exchange.forms import (
    PackageFilterForm,
    RecallAnswerForm,
    RefuseForm,
    RegisterPackageForm,
    UploadForm,
)
from coquan.exchange.hub import package_route
from coquan.exchange.models import AgencyKey, ReceivedAttachment, ReceivedPackage
from coquan.exchange.permissions import require_exchange_role
from coquan.exchange.querysets import (
    STUCK_AFTER_MINUTES,
    delivery_problems,
    failed_statuses,
    latest_statuses,
)
from coquan.org.active import active_agency

PAGE_SIZE = 25
SAFE_INLINE_TYPES = {"application/pdf"}


def scoped_agency(request):
    """``?agency=<id>`` (own agencies only, else 404) or the active agency."""
    from coquan.org.models import Agency

    wanted = request.GET.get("agency")
    if wanted:
        try:
            wanted_id = int(wanted)
        except ValueError:
            raise Http404 from None
        if wanted_id not in member_agencies(request.user) and not request.user.is_superuser:
            raise Http404
        agency = Agency.objects.filter(pk=wanted_id).first()
        if agency is None:
            raise Http404
        return agency
    return active_agency(request)


def read_upload(upload, limit: int) -> tuple[bytes, int]:
    """At most ``limit + 1`` bytes of an uploaded file, and its true size."""
    size = upload.size or 0
    if size > limit:
        return b"", size
    data = upload.read(limit + 1)
    return data, max(size, len(data))


def _agency_query(request, agency) -> str:
    return f"agency={agency.pk}" if request.GET.get("agency") else ""


@login_required
def home(request):
    """Packages received by the agency, newest first, 25 per page, with filters."""
    agency = scoped_agency(request)
    require_exchange_role(request.user, agency)
    packages = ReceivedPackage.objects.visible_to(request.user).for_agency(agency).for_list()
    form = PackageFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
        packages = form.apply(packages)
    page = Paginator(packages.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    key = AgencyKey.objects.visible_to(request.user).active().filter(agency=agency).first()
    return render(
        request,
        "exchange/package_list.html",
        {
            "agency": agency,
            "form": form,
            "page": page,
            "filtered": form.is_bound and form.has_filters,
            "agency_query": _agency_query(request, agency),
            "signing_key": key,
            "is_admin": has_role(request.user, agency, "admin"),
        },
    )


@login_required
def upload(request):
    """Receive a package file by hand, through the same action as every transport."""
    agency = scoped_agency(request)
    require_exchange_role(request.user, agency)
    limit = current_limits().max_package_bytes
    bound = request.method == "POST"
    form = UploadForm(request.POST if bound else None, request.FILES if bound else None)
    if bound and form.is_valid():
        data, size = read_upload(form.cleaned_data["file"], limit)
        receipt = actions.receive_package(
            request.user, agency=agency, raw=data, source=PackageSource.WEB, size=size
        )
        package = receipt.package
        if not receipt.created:
            messages.info(
                request,
                _("This package had already been received; here is the first receipt."),
            )
        elif receipt.accepted:
            messages.success(request, _("The package was received and checked."))
        else:
            messages.error(
                request,
                _("The package was refused: %(reason)s") % {"reason": receipt.refusal.message},
            )
        return redirect("exchange:package_detail", pk=package.pk)
    return render(
        request,
        "exchange/upload.html",
        {"agency": agency, "form": form, "limit": limit},
    )


def _can_register(package) -> bool:
    return (
        package.state == PackageState.PARSED
        and package.kind == PackageKind.DOCUMENT
        and package.business_doc_type in actions.REGISTRABLE_DOC_TYPES
        and not package.withdraws
    )


def _register_form(package, data=None, show_confirm=False):
    from coquan.documents.models import DocumentType

    matched = DocumentType.objects.match(package.agency, package.type_name)
    return RegisterPackageForm(
        data,
        agency=package.agency,
        show_confirm=show_confirm,
        initial={"document_type": matched.pk if matched else None},
    )


def _incoming_document(request, package):
    """The incoming document registered from ``package`` (documents app), if visible."""
    if package.state != PackageState.REGISTERED:
        return None
    from coquan.documents.models import IncomingDocument

    return (
        IncomingDocument.objects.visible_to(request.user)
        .filter(agency=package.agency, edxml_document_id=package.document_id)
        .order_by("-pk")
        .first()
    )


def _detail_context(
    request, package, refuse_form=None, register_form=None, recall_form=None
) -> dict:
    attachments = list(package.attachments.all())
    statuses = list(package.statuses.select_related("outbox"))
    parsed_document = package.state == PackageState.PARSED and package.kind == PackageKind.DOCUMENT
    is_recall = package.withdraws  # a recall, or an update removing this agency
    can_refuse = parsed_document and not is_recall
    if register_form is None and _can_register(package):
        register_form = _register_form(package)
    return {
        "register_form": register_form,
        "incoming_document": _incoming_document(request, package),
        "package": package,
        "header": package.header or {},
        "attachments": attachments,
        "statuses": statuses,
        "problems": package.problem_list,
        "refusal": package.refusal,
        "signature": package.signature,
        "refuse_form": refuse_form or (RefuseForm() if can_refuse else None),
        "recall_form": recall_form
        or (
            RecallAnswerForm(removal=package.recipient_change == RECEIVER_REMOVED)
            if parsed_document and is_recall
            else None
        ),
        "recalled_by": _recall_of(package),
        "recipient_change": package.recipient_change,
        "route": package_route(package),
        "revises": actions.original_document_id(package)
        if package.kind == PackageKind.DOCUMENT and package.business_doc_type in (2, 3)
        else "",
    }


def _recall_of(package):
    """The recall package that recalled this document, when the clerk accepted one."""
    if package.state != PackageState.RECALLED:
        return None
    recall_pk = (package.error_params or {}).get("recall_package")
    return ReceivedPackage.objects.filter(pk=recall_pk, agency=package.agency).first()


@login_required
def package_detail(request, pk: int):
    """One package: what it says, the signature check, problems, files and statuses sent."""
    package = get_visible_or_404(
        ReceivedPackage.objects.select_related("agency", "received_by"), request.user, pk=pk
    )
    return render(request, "exchange/package_detail.html", _detail_context(request, package))


@login_required
@require_POST
def package_refuse(request, pk: int):
    """Send a received document back with a reason (status 02)."""
    package = get_visible_or_404(
        ReceivedPackage.objects.select_related("agency"), request.user, pk=pk
    )
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            actions.refuse_package(
                request.user, package=package, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The document was refused; the sender will be told."))
            return redirect("exchange:package_detail", pk=package.pk)
    context = _detail_context(request, package, refuse_form=form)
    return render(request, "exchange/package_detail.html", context, status=400)


@login_required
@require_POST
def package_register(request, pk: int):
    """Register a received document in the incoming book (documents app), status 03."""
    from coquan.documents.actions import DuplicateDocument

    package = get_visible_or_404(
        ReceivedPackage.objects.select_related("agency"), request.user, pk=pk
    )
    form = _register_form(package, request.POST, show_confirm="confirm_duplicate" in request.POST)
    if form.is_valid():
        try:
            document, _status = actions.register_package(
                request.user,
                package=package,
                document_type=form.cleaned_data["document_type"],
                confirm_duplicate=form.cleaned_data.get("confirm_duplicate", False),
            )
        except DuplicateDocument as exc:
            form = _register_form(package, request.POST, show_confirm=True)
            form.is_valid()
            form.add_error(None, exc.messages[0])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The document was registered with arrival number %(number)s.")
                % {"number": document.arrival_number},
            )
            return redirect("exchange:package_detail", pk=package.pk)
    context = _detail_context(request, package, register_form=form)
    return render(request, "exchange/package_detail.html", context, status=400)


def apply_errors(form, exc: ValidationError) -> None:
    """Show an action's ``ValidationError`` on the fields it names (others on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _file_response(name: str, filename: str, content_type: str) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404(_("Not found."))
    inline_type = content_type if content_type in SAFE_INLINE_TYPES else "application/octet-stream"
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=inline_type,
    )


@login_required
def attachment_download(request, pk: int, position: int):
    """Download one file of a received package (the package's clerks and administrators)."""
    attachment = get_visible_or_404(
        ReceivedAttachment.objects.all(), request.user, package_id=pk, position=position
    )
    return _file_response(attachment.file.name, attachment.name, attachment.content_type)


@login_required
def package_raw(request, pk: int):
    """Download the package exactly as received (the evidence kept with its SHA-256)."""
    package = get_visible_or_404(ReceivedPackage.objects.all(), request.user, pk=pk)
    return _file_response(
        package.raw_file.name, f"{package.raw_sha256[:16]}.edxml", "application/xml"
    )


@login_required
@require_POST
def package_recall(request, pk: int):
    """Answer a recall: accept (15, the recalled document's package is marked recalled) or
    refuse (16, with a reason)."""
    package = get_visible_or_404(
        ReceivedPackage.objects.select_related("agency"), request.user, pk=pk
    )
    removal = package.recipient_change == RECEIVER_REMOVED
    form = RecallAnswerForm(request.POST, removal=removal)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            actions.answer_recall(
                request.user, package=package, accept=accept, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = {
                (False, True): _("The recall was accepted; the sender will be told."),
                (False, False): _("The recall was refused; the sender will be told."),
                (True, True): _("The removal was accepted; the sender will be told."),
                (True, False): _("The removal was refused; the sender will be told."),
            }
            messages.success(request, done[removal, accept])
            return redirect("exchange:package_detail", pk=package.pk)
    context = _detail_context(request, package, recall_form=form)
    return render(request, "exchange/package_detail.html", context, status=400)


# --- the sender's side ---------------------------------------------------------------------------


FAILED_STATUSES_SHOWN = 50


@login_required
def reconciliation(request):
    """The clerk's reconciliation page: deliveries failed, stuck or refused, with actions."""
    agency = scoped_agency(request)
    require_exchange_role(request.user, agency)
    problem = request.GET.get("problem", "")
    rows = delivery_problems(agency, problem)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    deliveries = list(page.object_list)
    latest = latest_statuses(deliveries)
    failed = list(failed_statuses(agency)[: FAILED_STATUSES_SHOWN + 1])
    for delivery in deliveries:
        delivery.latest_status = latest.get(delivery.pk)
    return render(
        request,
        "exchange/reconciliation.html",
        {
            "agency": agency,
            "page": page,
            "deliveries": deliveries,
            "problem": problem,
            "agency_query": _agency_query(request, agency),
            "stuck_minutes": STUCK_AFTER_MINUTES,
            "failed_statuses": failed[:FAILED_STATUSES_SHOWN],
            "more_failed_statuses": len(failed) > FAILED_STATUSES_SHOWN,
        },
    )


def sender_delivery_or_404(user, pk):
    """A delivery of a document issued by an agency where ``user`` is a clerk or an
    administrator; 404 for a missing delivery and for anyone else's alike."""
    from coquan.documents.models import Delivery

    delivery = Delivery.objects.select_related("document__agency").filter(pk=pk).first()
    if delivery is None or not has_role(user, delivery.document.agency, "clerk", "admin"):
        raise Http404
    return delivery


def retry_delivery(user, delivery) -> bool:
    """Send a failed delivery again (``documents.requeue_delivery``: True) or make a waiting
    one due now (``retry_now``: False); the actions' ``ValidationError`` propagates."""
    from coquan.documents.actions import requeue_delivery

    if delivery.state == "failed":
        requeue_delivery(user, delivery=delivery)
        return True
    actions.retry_now(user, delivery=delivery)
    return False


@login_required
@require_POST
def status_resend(request, pk: int):
    """Send an undeliverable status message again (``exchange.resend_status``)."""
    from coquan.exchange.models import OutgoingStatus

    status = get_visible_or_404(
        OutgoingStatus.objects.select_related("agency"), request.user, pk=pk
    )
    try:
        actions.resend_status(request.user, status=status)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The status message was queued again."))
    return redirect("exchange:package_detail", pk=status.package_id)


@login_required
@require_POST
def delivery_retry(request, pk: int):
    """Retry a waiting delivery now, or send a failed one again (documents.requeue_delivery)."""
    delivery = sender_delivery_or_404(request.user, pk)
    try:
        if retry_delivery(request.user, delivery):
            messages.success(request, _("The delivery was queued again."))
        else:
            messages.success(request, _("The delivery will be tried again now."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    actions.kick_on_commit()
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("exchange:reconciliation")
