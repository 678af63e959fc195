"""Incoming-document API: lists and queues, detail, registration, the handling steps,
file upload and download (issue 3, part 9).

Same actions and permissions as the web pages: lists start from ``visible_to`` (secret
documents are absent, even from counts, for anyone without a grant); one document is
fetched through ``visible_to`` (404 for missing, other agency's or not granted); every
write calls an action, whose ``ValidationError``/``PermissionDenied`` become the uniform
error body (``coquan.api.errors``). A suspected duplicate answers 409 with code
``duplicate`` and the earlier documents in ``details.duplicates``.

The agency of a list or a registration is ``?agency=<id>``, else the ``X-Agency`` header
(an ``organ_id``), else the person's first agency.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from coquan.api.errors import error_response
from coquan.documents import actions, queues, workflow
from coquan.documents.api.serializers import (
    AssignSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    DocumentTypeSerializer,
    IncomingDetailSerializer,
    IncomingListSerializer,
    OpinionSerializer,
    PresentSerializer,
    ReasonSerializer,
    RegisterSerializer,
    ResultSerializer,
    StepSerializer,
)
from coquan.documents.filtersets import IncomingFilter
from coquan.documents.models import Attachment, DocumentType, IncomingDocument
from coquan.documents.views import scoped_agency

AGENCY_PARAM = OpenApiParameter(
    "agency", int, description="Agency id (default: the X-Agency header or your first agency)"
)
QUEUE_PARAM = OpenApiParameter(
    "queue",
    str,
    enum=[q.key for q in queues.QUEUES],
    description="A work queue: to_present, to_assign, overdue, unit_overdue, to_handle, "
    "co_handling, for_info, all (default all).",
)
DETAIL = {200: IncomingDetailSerializer}


def _input(serializer_class, request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _objects(model, ids, field: str):
    """The rows of ``model`` with these ids (unknown ids are an error).

    Whether a unit or person may receive the document (same agency, in force) is the
    ``assign`` action's rule, checked there.
    """
    ids = [i for i in ids if i is not None]
    if not ids:
        return []
    found = {obj.pk: obj for obj in model._default_manager.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {field: _("Unknown ids: %(ids)s") % {"ids": ", ".join(map(str, missing))}}
        )
    return [found[i] for i in ids]


def duplicate_response(user, exc) -> Response:
    """409 ``duplicate``: the registration looks like one made before; the earlier
    documents the person may see are listed (``confirm_duplicate`` registers anyway)."""
    visible = IncomingDocument.objects.visible_to(user).filter(
        pk__in=[doc.pk for doc in exc.duplicates]
    )
    return error_response(
        "duplicate",
        exc.messages[0],
        status.HTTP_409_CONFLICT,
        {"duplicates": [{"id": d.pk, "arrival_number": d.arrival_number} for d in visible]},
    )


class IncomingDocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Incoming documents (văn bản đến) of an agency, as the requesting person may see them."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = IncomingFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = IncomingDocument.objects.none()

    def get_serializer_class(self):
        return IncomingListSerializer if self.action == "list" else IncomingDetailSerializer

    def get_queryset(self):
        user = self.request.user
        documents = IncomingDocument.objects.visible_to(user)
        if self.action != "list":
            return documents.select_related(
                "document_type", "registered_by", "presented_to", "lead_unit", "lead_user"
            )
        agency = scoped_agency(self.request)
        if agency is None:
            return documents.none()
        today = timezone.localdate()
        queue = queues.QUEUES_BY_KEY.get(self.request.query_params.get("queue") or "all")
        if queue is None:
            raise ValidationError({"queue": _("Unknown queue.")})
        documents = queues.apply(documents.for_agency(agency), queue, user, today)
        if not self.request.query_params.get("ordering"):
            documents = documents.order_by(*queue.ordering)
        return documents.for_list().with_late_flag(workflow.presentation_late_before(today))

    def _detail(self, document, http_status=status.HTTP_200_OK):
        document = self.get_queryset().get(pk=document.pk)
        data = IncomingDetailSerializer(document, context=self.get_serializer_context()).data
        return Response(data, status=http_status)

    @extend_schema(parameters=[AGENCY_PARAM, QUEUE_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[AGENCY_PARAM],
        request={
            "multipart/form-data": RegisterSerializer,
            "application/json": RegisterSerializer,
        },
        responses={
            201: IncomingDetailSerializer,
            409: OpenApiResponse(description="The document seems registered already."),
        },
    )
    def create(self, request, *args, **kwargs):
        """Register a received document (clerk); the arrival number is given automatically."""
        agency = scoped_agency(request)
        if agency is None:
            raise PermissionDenied(_("You are not a member of any agency."))
        data = dict(_input(RegisterSerializer, request))
        files = data.pop("files", [])
        try:
            document = actions.register_incoming(request.user, agency=agency, files=files, **data)
        except actions.DuplicateDocument as exc:
            return duplicate_response(request.user, exc)
        return self._detail(document, status.HTTP_201_CREATED)

    @extend_schema(request=PresentSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def present(self, request, pk=None):
        """Present the document to a leader (clerk)."""
        from coquan.accounts.models import User

        document = self.get_object()
        data = _input(PresentSerializer, request)
        leader = User.objects.filter(pk=data["leader"]).first()
        document = actions.present(
            request.user, document=document, leader=leader, note=data["note"]
        )
        return self._detail(document)

    @extend_schema(request=AssignSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign lead, co-handlers and people informed with a deadline (leader, unit leader)."""
        from coquan.accounts.models import User
        from coquan.org.models import Unit

        document = self.get_object()
        data = _input(AssignSerializer, request)
        units = _objects(Unit, [data.get("lead_unit")], "lead_unit")
        users = _objects(User, [data.get("lead_user")], "lead_user")
        document = actions.assign(
            request.user,
            document=document,
            lead_unit=units[0] if units else None,
            lead_user=users[0] if users else None,
            co_handlers=_objects(Unit, data["co_handler_units"], "co_handler_units")
            + _objects(User, data["co_handler_users"], "co_handler_users"),
            for_info=_objects(Unit, data["for_info_units"], "for_info_units")
            + _objects(User, data["for_info_users"], "for_info_users"),
            due_days=data.get("due_days"),
            due_date=data.get("due_date"),
            instruction=data["instruction"],
        )
        return self._detail(document)

    @extend_schema(request=None, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Start handling (lead handler or leader): assigned → in progress."""
        document = actions.start_handling(request.user, document=self.get_object())
        return self._detail(document)

    @extend_schema(
        request={"multipart/form-data": OpinionSerializer, "application/json": OpinionSerializer},
        responses={201: StepSerializer},
    )
    @drf_action(detail=True, methods=["post"])
    def opinions(self, request, pk=None):
        """Add an opinion, with files (lead handler, co-handler, unit leader, leader)."""
        document = self.get_object()
        data = _input(OpinionSerializer, request)
        step = actions.add_opinion(
            request.user, document=document, text=data["text"], files=data["files"]
        )
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ResultSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark as done with a result note (lead handler or leader)."""
        document = self.get_object()
        data = _input(ResultSerializer, request)
        document = actions.complete(
            request.user, document=document, result_note=data["result_note"]
        )
        return self._detail(document)

    @extend_schema(request=ReasonSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a done document (leader)."""
        document = self.get_object()
        data = _input(ReasonSerializer, request)
        document = actions.reopen(request.user, document=document, reason=data["reason"])
        return self._detail(document)

    @extend_schema(request=ReasonSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_clerk(self, request, pk=None):
        """Return the document to the clerk (leader, lead handler, unit leader)."""
        document = self.get_object()
        data = _input(ReasonSerializer, request)
        document = actions.return_document(request.user, document=document, reason=data["reason"])
        return self._detail(document)

    @extend_schema(request=ReasonSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """Refuse a document that does not belong to the agency (clerk)."""
        document = self.get_object()
        data = _input(ReasonSerializer, request)
        document = actions.refuse(request.user, document=document, reason=data["reason"])
        return self._detail(document)

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @drf_action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        """Upload a file, or a corrected version of one (clerk, lead handler)."""
        document = self.get_object()
        data = _input(AttachmentUploadSerializer, request)
        attachment = actions.add_attachment(
            request.user, document=document, file=data["file"], replaces=data.get("replaces")
        )
        row = Attachment.objects.with_current_flag().get(pk=attachment.pk)
        return Response(AttachmentSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("attachment_pk", int, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @drf_action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_pk>\d+)/download",
        url_name="download",
    )
    def download(self, request, pk=None, attachment_pk=None):
        """Download a file of a document you may see (404 otherwise)."""
        document = self.get_object()
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


class DocumentTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The document types an agency uses (the 29 of Decree 30/2020 and the agency's own)."""

    serializer_class = DocumentTypeSerializer
    pagination_class = None
    filter_backends = []
    queryset = DocumentType.objects.none()

    def get_queryset(self):
        agency = scoped_agency(self.request)
        if agency is None:
            return DocumentType.objects.none()
        return DocumentType.objects.available_to(agency)

    @extend_schema(parameters=[AGENCY_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
