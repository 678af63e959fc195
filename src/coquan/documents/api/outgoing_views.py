"""Outgoing-document API: lists and queues, detail, drafting, the chain, signing, issuing,
recalling, files and signature verification; numbering series for administrators.

Same actions and permissions as the web pages: lists start from ``visible_to``; one
document is fetched through ``visible_to`` (404 for missing, another agency's, or not on
its chain); every write calls an action, whose ``ValidationError``/``PermissionDenied``
become the uniform error body (``coquan.api.errors``). The agency of a list or a new draft
is ``?agency=<id>``, else the ``X-Agency`` header, else the person's first agency.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from coquan.documents import actions, outgoing_queues, queues
from coquan.documents.api.outgoing_serializers import (
    CommentSerializer,
    DraftInputSerializer,
    DraftUpdateSerializer,
    OpinionInputSerializer,
    OutgoingDetailSerializer,
    OutgoingFileSerializer,
    OutgoingFileUploadSerializer,
    OutgoingListSerializer,
    OutgoingReportSerializer,
    RejectSerializer,
    RequestOpinionsSerializer,
    RevisionInputSerializer,
    SeriesInputSerializer,
    SeriesSerializer,
    SubmitSerializer,
    VerificationSerializer,
    WithdrawSerializer,
)
from coquan.documents.api.serializers import ReasonSerializer
from coquan.documents.api.views import AGENCY_PARAM, _input, _objects
from coquan.documents.choices import OutgoingFileKind, RecipientKind
from coquan.documents.models import (
    DocumentType,
    ExternalAgency,
    IncomingDocument,
    OutgoingDocument,
    OutgoingFile,
    OutgoingSeries,
)
from coquan.documents.outgoing_filtersets import OutgoingFilter
from coquan.documents.outgoing_permissions import can_manage_series
from coquan.documents.views import scoped_agency

OUTGOING_QUEUE_PARAM = OpenApiParameter(
    "queue",
    str,
    enum=[q.key for q in outgoing_queues.QUEUES],
    description="A work queue: my_drafts, to_review, to_sign, to_issue, received, issued, all "
    "(default all).",
)
DETAIL = {200: OutgoingDetailSerializer}

_METADATA = (
    "subject",
    "urgency",
    "secrecy",
    "signer_competence",
    "signer_position",
    "copies",
    "description",
)


def _one(rows, pk, field: str):
    """The row of ``rows`` (a model or a queryset) with this id; an unknown id is an error."""
    if pk is None:
        return None
    found = (rows if hasattr(rows, "filter") else rows._default_manager).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Unknown ids: %(ids)s") % {"ids": pk}})
    return found


def _metadata(data: dict, user) -> dict:
    """Action arguments from parsed input: ids become rows (unknown ids are an error).

    The incoming document answered is looked up among those ``user`` may see, so an id of
    someone else's document reads as unknown.
    """
    from coquan.accounts.models import User
    from coquan.org.models import Unit

    values = {name: data[name] for name in _METADATA if name in data}
    lookups = {
        "document_type": DocumentType.objects.all(),
        "signer": User.objects.all(),
        "drafting_unit": Unit.objects.all(),
        "reply_to": IncomingDocument.objects.visible_to(user),
        "series": OutgoingSeries.objects.all(),
    }
    for field, rows in lookups.items():
        if field in data:
            values[field] = _one(rows, data[field], field)
    return values


def _recipients(items) -> list[tuple]:
    from coquan.accounts.models import User
    from coquan.org.models import Agency, Unit

    models = {
        RecipientKind.AGENCY: Agency,
        RecipientKind.EXTERNAL: ExternalAgency,
        RecipientKind.UNIT: Unit,
        RecipientKind.USER: User,
    }
    result = []
    for item in items or ():
        kind = item["kind"]
        if kind == RecipientKind.TEXT:
            result.append((kind, item.get("text", ""), item.get("purpose")))
        else:
            result.append(
                (kind, _one(models[kind], item.get("id"), "recipients"), item.get("purpose"))
            )
    return result


class OutgoingDocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Outgoing documents (văn bản đi) of an agency, as the requesting person may see them."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = OutgoingFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = OutgoingDocument.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return OutgoingListSerializer if self.action == "list" else OutgoingDetailSerializer

    def get_queryset(self):
        user = self.request.user
        documents = OutgoingDocument.objects.visible_to(user)
        if self.action != "list":
            return documents.select_related(
                "agency", "document_type", "drafter", "drafting_unit", "signer", "revises"
            )
        agency = scoped_agency(self.request)
        if agency is None:
            return documents.none()
        queue = outgoing_queues.QUEUES_BY_KEY.get(self.request.query_params.get("queue") or "all")
        if queue is None:
            raise ValidationError({"queue": _("Unknown queue.")})
        documents = queues.apply(documents.for_agency(agency), queue, user, timezone.localdate())
        if not self.request.query_params.get("ordering"):
            documents = documents.order_by(*queue.ordering)
        return documents.for_list()

    def _detail(self, document, http_status=status.HTTP_200_OK):
        document = self.get_queryset().get(pk=document.pk)
        data = OutgoingDetailSerializer(document, context=self.get_serializer_context()).data
        return Response(data, status=http_status)

    @extend_schema(parameters=[AGENCY_PARAM, OUTGOING_QUEUE_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[AGENCY_PARAM],
        request={
            "application/json": DraftInputSerializer,
            "multipart/form-data": DraftInputSerializer,
        },
        responses={201: OutgoingDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Create a draft (officer, unit leader, leader); files can follow on ``…/files/``."""
        agency = scoped_agency(request)
        if agency is None:
            raise PermissionDenied(_("You are not a member of any agency."))
        data = _input(DraftInputSerializer, request)
        document = actions.create_draft(
            request.user,
            agency=agency,
            recipients=_recipients(data.get("recipients")),
            main_file=data.get("main_file"),
            attachments=data.get("attachments") or [],
            **_metadata(data, request.user),
        )
        return self._detail(document, status.HTTP_201_CREATED)

    @extend_schema(request=DraftUpdateSerializer, responses=DETAIL)
    def partial_update(self, request, pk=None):
        """Change the draft (a new version); refused once signed (code ``frozen``)."""
        document = self.get_object()
        serializer = DraftUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = actions.update_draft(
            request.user,
            document=document,
            changes=_metadata(data, request.user),
            recipients=_recipients(data["recipients"]) if "recipients" in data else None,
            main_file=data.get("main_file"),
            attachments=data.get("attachments") or [],
        )
        return self._detail(document)

    @extend_schema(request=SubmitSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the draft for review (drafter): reviewer, opinions, form check, signer."""
        from coquan.accounts.models import User
        from coquan.org.models import Unit

        document = self.get_object()
        data = _input(SubmitSerializer, request)
        document = actions.submit(
            request.user,
            document=document,
            reviewer=_one(User, data.get("reviewer"), "reviewer"),
            skip_review=data["skip_review"],
            opinions=_objects(Unit, data["opinion_units"], "opinion_units")
            + _objects(User, data["opinion_users"], "opinion_users"),
            opinion_due_days=data["opinion_due_days"],
            sequential=data["sequential"],
            form_check=data["form_check"],
            checker=_one(User, data.get("checker"), "checker"),
        )
        return self._detail(document)

    @extend_schema(request=RequestOpinionsSerializer, responses=DETAIL)
    @drf_action(
        detail=True, methods=["post"], url_path="request-opinions", url_name="request-opinions"
    )
    def request_opinions(self, request, pk=None):
        """Ask units or people for an opinion (drafter, reviewer, signer)."""
        from coquan.accounts.models import User
        from coquan.org.models import Unit

        document = self.get_object()
        data = _input(RequestOpinionsSerializer, request)
        document = actions.request_opinions(
            request.user,
            document=document,
            targets=_objects(Unit, data["units"], "units") + _objects(User, data["users"], "users"),
            due_days=data["due_days"],
            sequential=data["sequential"],
            note=data["note"],
        )
        return self._detail(document)

    def _comment_step(self, request, action):
        document = self.get_object()
        data = _input(CommentSerializer, request)
        return self._detail(action(request.user, document=document, comment=data["comment"]))

    @extend_schema(request=CommentSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Review as the drafting unit's leader and pass it on."""
        return self._comment_step(request, actions.review)

    @extend_schema(
        request={
            "application/json": OpinionInputSerializer,
            "multipart/form-data": OpinionInputSerializer,
        },
        responses=DETAIL,
    )
    @drf_action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        """Give the opinion asked of you or your unit (text and files)."""
        document = self.get_object()
        data = _input(OpinionInputSerializer, request)
        document = actions.give_opinion(
            request.user, document=document, text=data["text"], files=data["files"]
        )
        return self._detail(document)

    @extend_schema(request=CommentSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """Check the form as the office (clerk)."""
        return self._comment_step(request, actions.check_form)

    @extend_schema(request=CommentSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve as the signer (the last stage of the chain)."""
        return self._comment_step(request, actions.approve)

    @extend_schema(request=RejectSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Send back to the drafter or to the previous stage, with a comment."""
        document = self.get_object()
        data = _input(RejectSerializer, request)
        document = actions.reject(
            request.user, document=document, comment=data["comment"], back_to=data["back_to"]
        )
        return self._detail(document)

    @extend_schema(request=WithdrawSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the draft (drafter)."""
        document = self.get_object()
        data = _input(WithdrawSerializer, request)
        return self._detail(
            actions.withdraw(request.user, document=document, reason=data["reason"])
        )

    @extend_schema(request=None, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the approved document with the signer's personal signature (PAdES)."""
        return self._detail(actions.sign(request.user, document=self.get_object()))

    @extend_schema(request=None, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Number, seal and issue the signed document (clerk)."""
        return self._detail(actions.issue(request.user, document=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses=DETAIL)
    @drf_action(detail=True, methods=["post"])
    def recall(self, request, pk=None):
        """Recall an issued document (clerk or leader); recall notices are queued."""
        document = self.get_object()
        data = _input(ReasonSerializer, request)
        return self._detail(actions.recall(request.user, document=document, reason=data["reason"]))

    @extend_schema(
        request={
            "application/json": RevisionInputSerializer,
            "multipart/form-data": RevisionInputSerializer,
        },
        responses={201: OutgoingDetailSerializer},
    )
    @drf_action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """Draft an update (đính chính/sửa đổi) or a replacement (thay thế) of an issued
        document: returns the new draft, linked to the original (drafter, leader, or unit
        leader of the drafting unit)."""
        document = self.get_object()
        data = _input(RevisionInputSerializer, request)
        new = actions.create_revision(
            request.user,
            document=document,
            kind=data["kind"],
            subject=data["subject"],
            description=data["description"],
            main_file=data.get("main_file"),
        )
        return self._detail(new, status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": OutgoingFileUploadSerializer},
        responses={201: OutgoingFileSerializer},
    )
    @drf_action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def files(self, request, pk=None):
        """Upload a new version of the draft file, or one more attachment (a new version)."""
        document = self.get_object()
        data = _input(OutgoingFileUploadSerializer, request)
        is_main = data["kind"] == OutgoingFileKind.MAIN
        document = actions.update_draft(
            request.user,
            document=document,
            main_file=data["file"] if is_main else None,
            attachments=[] if is_main else [data["file"]],
        )
        stored = (
            OutgoingFile.objects.with_current_flag()
            .filter(document=document, kind=data["kind"])
            .order_by("-uploaded_at", "-pk")
            .first()
        )
        return Response(OutgoingFileSerializer(stored).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("file_pk", int, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @drf_action(
        detail=True,
        methods=["get"],
        url_path=r"files/(?P<file_pk>\d+)/download",
        url_name="download",
    )
    def download(self, request, pk=None, file_pk=None):
        """Download a file of a document you may see (404 otherwise)."""
        document = self.get_object()
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

    @extend_schema(request=None, responses={200: VerificationSerializer})
    @drf_action(detail=True, methods=["get"])
    def verification(self, request, pk=None):
        """Check the signatures of the current main file with pyHanko (``ok`` and the reason)."""
        from coquan.documents.actions.outgoing_common import current_main
        from coquan.documents.outgoing_views import verification_of
        from coquan.documents.signing.verify import Verification

        document = self.get_object()
        main = current_main(document)
        result = verification_of(document, main) or Verification(False, "unsigned", "")
        data = result.as_dict()
        data["file"] = main.pk if main is not None else None
        return Response(VerificationSerializer(data).data)


class OutgoingSeriesViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Numbering series (sổ văn bản đi) of an agency, for its administrators."""

    serializer_class = SeriesSerializer
    pagination_class = None
    filter_backends = []
    queryset = OutgoingSeries.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _agency(self):
        agency = scoped_agency(self.request)
        if agency is None or not can_manage_series(self.request.user, agency):
            raise PermissionDenied(
                _("Only the agency's administrators configure numbering series.")
            )
        return agency

    def get_queryset(self):
        return OutgoingSeries.objects.filter(agency=self._agency()).prefetch_related(
            "document_types"
        )

    def _save(self, request, series=None, partial=False):
        agency = self._agency()
        serializer = SeriesInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        current = {}
        if series is not None:
            current = {
                "name": series.name,
                "scope": series.scope,
                "document_types": [t.pk for t in series.document_types.all()],
                "issuer_abbreviation": series.issuer_abbreviation,
                "is_active": series.is_active,
            }
        values = {**current, **data}
        saved = actions.save_series(
            request.user,
            agency=agency,
            series=series,
            name=values["name"],
            scope=values["scope"],
            document_types=_objects(
                DocumentType, values.get("document_types", []), "document_types"
            ),
            issuer_abbreviation=values.get("issuer_abbreviation", ""),
            is_active=values.get("is_active", True),
        )
        return SeriesSerializer(saved).data

    @extend_schema(parameters=[AGENCY_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[AGENCY_PARAM])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[AGENCY_PARAM], request=SeriesInputSerializer, responses={201: SeriesSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Create a series (agency administrator)."""
        return Response(self._save(request), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[AGENCY_PARAM], request=SeriesInputSerializer, responses={200: SeriesSerializer}
    )
    def partial_update(self, request, *args, **kwargs):
        """Change a series (agency administrator)."""
        return Response(self._save(request, self.get_object(), partial=True))


REPORT_PARAMS = [
    AGENCY_PARAM,
    OpenApiParameter("date_from", OpenApiTypes.DATE, required=True, description="First day."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, required=True, description="Last day."),
    OpenApiParameter(
        "group", str, enum=["unit", "person"], description="One row per unit (default) or person."
    ),
]


class ReportQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group = serializers.ChoiceField(choices=["unit", "person"], required=False, default="unit")


class OutgoingReportView(APIView):
    """The outgoing handling report of a period (the agency's clerks and leaders)."""

    @extend_schema(parameters=REPORT_PARAMS, responses={200: OutgoingReportSerializer})
    def get(self, request):
        """Drafts created and issued, average days from draft to issue, what waits now at
        each step and overdue opinion requests, per drafting unit or drafter. Secret
        documents count only for people allowed to see them."""
        from coquan.core.access import has_role
        from coquan.documents import outgoing_report

        agency = scoped_agency(request)
        if agency is None or not has_role(request.user, agency, "clerk", "leader"):
            raise PermissionDenied(_("Only the agency's clerks and leaders open the reports."))
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        try:
            report = outgoing_report.build(
                request.user, agency, params["date_from"], params["date_to"], params["group"]
            )
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc
        return Response(OutgoingReportSerializer(outgoing_report.as_data(report)).data)
