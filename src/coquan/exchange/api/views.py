"""The exchange API: receive a package (POST), read the received ones (GET), answer one.

``POST /api/v1/exchange/packages/`` takes the package as the raw request body
(``Content-Type: application/xml``, ``text/xml`` or ``application/octet-stream``) or as the
``file`` field of a multipart form, for the agency named by ``X-Agency`` (an ``organ_id``)
or the caller's active agency. It runs the same action as every other way in
(``receive_package``): 201 with the package when it is new and accepted, 200 when it had
already been received, 400 with the refusal (code, Vietnamese message in ``vi``, the list
of problems, the text of the status 02) when it is refused.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.parsers import BaseParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from coquan.api.errors import error_response
from coquan.exchange import actions
from coquan.exchange.api.serializers import (
    PackageUploadSerializer,
    RecallAnswerSerializer,
    ReceivedPackageDetailSerializer,
    ReceivedPackageSerializer,
    RefusePackageSerializer,
    RegisteredPackageSerializer,
    RegisterPackageSerializer,
    problem_data,
)
from coquan.exchange.choices import PackageSource
from coquan.exchange.edxml.config import current_limits
from coquan.exchange.edxml.problems import PackageRefused
from coquan.exchange.hub import RelayLoop, append_trace, hub_mode, hub_organ_id
from coquan.exchange.models import OutgoingStatus, ReceivedPackage, Route
from coquan.exchange.permissions import require_exchange_role
from coquan.exchange.views import scoped_agency

RAW_TYPES = ("application/xml", "text/xml", "application/octet-stream")


class RawPackageParser(BaseParser):
    """Declares the raw body types for the schema; the view reads the stream itself,
    cut at the size limit, so a huge body is never read into memory."""

    media_type = "application/xml"

    def parse(self, stream, media_type=None, parser_context=None):  # pragma: no cover
        return {}


def _read_body(request, limit: int) -> tuple[bytes, int]:
    django_request = request._request
    try:
        declared = int(django_request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return b"", declared
    data = django_request.read(limit + 1)
    return data, max(declared, len(data))


def agency_for(request):
    """``?agency=<id>``, else the agency named by ``X-Agency``, else the active agency."""
    agency = scoped_agency(request)
    wanted = request.headers.get("X-Agency")
    if wanted and (agency is None or agency.organ_id != wanted):
        raise Http404
    require_exchange_role(request.user, agency)
    return agency


@extend_schema_view(
    list=extend_schema(
        summary="Received packages",
        description=(
            "Packages received by the agency named by X-Agency (or the active agency), "
            "newest first; quarantined ones included. Filters: state, kind, "
            "signature_status. Only the agency's clerks and administrators may read them."
        ),
        parameters=[
            OpenApiParameter("X-Agency", OpenApiTypes.STR, OpenApiParameter.HEADER),
        ],
    ),
    retrieve=extend_schema(
        summary="One received package",
        description="With the signature check, the problems found, the header and the files.",
    ),
    create=extend_schema(
        summary="Receive a package",
        description=__doc__.split("\n\n", 1)[1],
        request={
            "application/xml": OpenApiTypes.BINARY,
            "multipart/form-data": PackageUploadSerializer,
        },
        parameters=[OpenApiParameter("X-Agency", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={
            201: ReceivedPackageDetailSerializer,
            200: ReceivedPackageDetailSerializer,
            400: OpenApiResponse(description="The package was refused (error body)."),
        },
    ),
)
class ReceivedPackageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Received edXML packages.

    The clerk's answers to one package run the actions of the package page, with its
    permissions (the package is fetched through ``visible_to``: 404 for anyone else's):
    ``POST …/<id>/register/`` (``register_package``; a suspected duplicate answers 409 with
    code ``duplicate``), ``…/refuse/`` (``refuse_package``) and ``…/recall-answer/``
    (``answer_recall``). Their ``ValidationError`` becomes the uniform error body (400).
    """

    parser_classes = [RawPackageParser, MultiPartParser]
    filterset_fields = ["state", "kind", "signature_status"]
    ordering_fields = ["received_at", "id"]
    ordering = ["-received_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReceivedPackage.objects.none()
        packages = ReceivedPackage.objects.visible_to(self.request.user)
        if self.action == "list":
            agency = agency_for(self.request)
            return packages.for_agency(agency).for_list()
        statuses = Prefetch("statuses", OutgoingStatus.objects.select_related("outbox"))
        return packages.select_related("agency").prefetch_related("attachments", statuses)

    def get_serializer_class(self):
        if self.action == "list":
            return ReceivedPackageSerializer
        return ReceivedPackageDetailSerializer

    def create(self, request, *args, **kwargs):
        agency = agency_for(request)
        limit = current_limits().max_package_bytes
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type == "multipart/form-data":
            upload = request.FILES.get("file")
            if upload is None:
                return error_response(
                    "invalid",
                    _("The request contains invalid data."),
                    details={"file": [_("Send the package in the field “file”.")]},
                )
            size = upload.size or 0
            data = b"" if size > limit else upload.read(limit + 1)
            size = max(size, len(data))
        elif content_type in RAW_TYPES:
            data, size = _read_body(request, limit)
        else:
            return error_response(
                "unsupported_media_type",
                _("Send the package as application/xml or as a multipart form field “file”."),
                http_status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            )
        receipt = actions.receive_package(
            request.user, agency=agency, raw=data, source=PackageSource.API, size=size
        )
        package = receipt.package
        if not receipt.accepted:
            refusal = receipt.refusal
            return error_response(
                refusal.code,
                refusal.message,
                details={
                    "package_id": package.pk,
                    "problems": [problem_data(p) for p in package.problem_list],
                    "status_reason": refusal.status_reason if receipt.status else "",
                },
            )
        package = self.get_queryset().get(pk=package.pk)
        body = ReceivedPackageDetailSerializer(package, context={"request": request}).data
        return Response(
            body, status=status.HTTP_201_CREATED if receipt.created else status.HTTP_200_OK
        )

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _fresh(self, package):
        return self.get_queryset().get(pk=package.pk)

    def _detail(self, package) -> dict:
        context = {"request": self.request}
        return ReceivedPackageDetailSerializer(self._fresh(package), context=context).data

    @extend_schema(
        summary="Register a received document",
        description=(
            "Register the document in the agency's incoming book (clerks of the recipient "
            "agency; the same action as the package page): it gets the next arrival number, "
            "the package becomes `registered` and a status 03 goes to the sender. "
            "`document_type` defaults to the type whose name matches the package's TypeName. "
            "409 with code `duplicate` (and the earlier documents in `details.duplicates`) "
            "when it seems registered already: send again with `confirm_duplicate` true if it "
            "really is a different document. 400 for a package that cannot be registered "
            "(not a parsed document, registered or refused already) or a type the agency "
            "does not use."
        ),
        request=RegisterPackageSerializer,
        responses={
            201: RegisteredPackageSerializer,
            400: OpenApiResponse(description="Invalid input or not registrable (error body)."),
            409: OpenApiResponse(description="The document seems registered already."),
        },
    )
    @drf_action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def register(self, request, pk=None):
        from coquan.documents.actions import DuplicateDocument
        from coquan.documents.api.views import duplicate_response

        package = self.get_object()
        data = self._input(RegisterPackageSerializer)
        try:
            document, _status = actions.register_package(
                request.user,
                package=package,
                document_type=data.get("document_type"),
                confirm_duplicate=data["confirm_duplicate"],
            )
        except DuplicateDocument as exc:
            return duplicate_response(request.user, exc)
        body = RegisteredPackageSerializer(
            {
                "incoming_document_id": document.pk,
                "arrival_number": document.arrival_number,
                "package": self._fresh(package),
            },
            context={"request": request},
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Refuse a received document",
        description=(
            "Send the document back with a reason (status 02; clerks and administrators of "
            "the recipient agency, as on the package page). Only a parsed document that was "
            "not registered can be refused (else 400); the reason is required."
        ),
        request=RefusePackageSerializer,
        responses={
            200: ReceivedPackageDetailSerializer,
            400: OpenApiResponse(description="No reason, or not refusable (error body)."),
        },
    )
    @drf_action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def refuse(self, request, pk=None):
        package = self.get_object()
        data = self._input(RefusePackageSerializer)
        actions.refuse_package(request.user, package=package, reason=data["reason"])
        return Response(self._detail(package))

    @extend_schema(
        summary="Answer a recall",
        description=(
            "Answer a received recall (BussinessDocType 1), or an update whose ReceiverList "
            "removes the agency from the recipients (`withdraws` true; clerks and "
            "administrators of the recipient agency): `accept` sends 15 and cancels the "
            "incoming document registered from the withdrawn one, `refuse` sends 16 with the "
            "reason (required). Answered once (else 400)."
        ),
        request=RecallAnswerSerializer,
        responses={
            200: ReceivedPackageDetailSerializer,
            400: OpenApiResponse(description="Invalid answer, or answered already (error body)."),
        },
    )
    @drf_action(
        detail=True,
        methods=["post"],
        parser_classes=[JSONParser],
        url_path="recall-answer",
        url_name="recall-answer",
    )
    def recall_answer(self, request, pk=None):
        package = self.get_object()
        data = self._input(RecallAnswerSerializer)
        actions.answer_recall(
            request.user,
            package=package,
            accept=data["decision"] == "accept",
            reason=data["reason"],
        )
        return Response(self._detail(package))


def node_for(request):
    """The peer node whose credential is in ``Authorization: Node <token>`` (or None)."""
    import hashlib

    from coquan.exchange.models import PeerNode

    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme != "Node" or not token.strip():
        return None
    digest = hashlib.sha256(token.strip().encode("utf-8")).hexdigest()
    return PeerNode.objects.filter(token_sha256=digest, active=True).first()


class InboxReceiptSerializer(serializers.Serializer):
    package_id = serializers.IntegerField()
    created = serializers.BooleanField()
    state = serializers.CharField()
    document_id = serializers.CharField()


class InboxView(APIView):
    """``POST /api/v1/exchange/inbox/``: another CoQuan node (or a hub) delivers a package.

    No user session: the caller is a registered peer node (``PeerNode``), authenticated by
    ``Authorization: Node <token>``; ``X-Recipient`` names the agency of this deployment the
    package is for (an ``organ_id`` in its ``To`` list). The body is the signed edXML
    package (``application/xml``). It runs ``receive_package`` as the system (source
    ``http``): 201 new, 200 already received (idempotent on ``DocumentId`` and recipient),
    400 refused (the same error body as ``/exchange/packages/``; a status 02 goes back),
    401 without a valid node credential, 403 when the node may not send for the package's
    sender, 404 when the recipient is not an agency of this deployment. In hub mode
    (``COQUAN_EXCHANGE_HUB``) a package for an agency served by another node (directory)
    is checked, kept with this hub's ``TraceHeader`` appended and relayed to it through the
    outbox: 202 (200 when already relayed, 409 when it passed here before).
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [RawPackageParser]

    @extend_schema(
        summary="Deliver a package from another node",
        request={"application/xml": OpenApiTypes.BINARY},
        parameters=[
            OpenApiParameter("X-Recipient", OpenApiTypes.STR, OpenApiParameter.HEADER, True),
            OpenApiParameter(
                "Authorization",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                True,
                description="Node <token> (the peer node's credential)",
            ),
        ],
        responses={
            201: InboxReceiptSerializer,
            200: InboxReceiptSerializer,
            400: OpenApiResponse(description="The package was refused (error body)."),
            401: OpenApiResponse(description="No valid node credential."),
            202: OpenApiResponse(description="Hub mode: queued for the recipient's node."),
            403: OpenApiResponse(description="The node may not send for this sender."),
            404: OpenApiResponse(description="The recipient is not an agency here."),
            409: OpenApiResponse(description="Hub mode: the package already passed here."),
        },
        auth=[],
    )
    def post(self, request):
        from django.core.exceptions import PermissionDenied

        from coquan.org.models import Agency

        node = node_for(request)
        if node is None:
            return error_response(
                "not_authenticated",
                _("A valid node credential is required."),
                http_status=status.HTTP_401_UNAUTHORIZED,
            )
        recipient = request.headers.get("X-Recipient", "")
        agency = Agency.objects.filter(organ_id=recipient).first()
        if (
            agency is None
            and hub_mode()
            and Route.objects.filter(organ_id=recipient, active=True)
            .exclude(transport="local")
            .exists()
        ):
            return self._relay(request, node, recipient)
        if agency is None:
            return error_response(
                "unknown_recipient",
                _("The recipient is not an agency of this deployment."),
                http_status=status.HTTP_404_NOT_FOUND,
            )
        limit = current_limits().max_package_bytes
        data, size = _read_body(request, limit)
        try:
            receipt = actions.receive_package(
                None, agency=agency, raw=data, source=PackageSource.HTTP, size=size, peer=node
            )
        except PermissionDenied as exc:
            return error_response(
                "permission_denied", str(exc), http_status=status.HTTP_403_FORBIDDEN
            )
        package = receipt.package
        if not receipt.accepted:
            refusal = receipt.refusal
            return error_response(
                refusal.code,
                refusal.message,
                details={
                    "package_id": package.pk,
                    "problems": [problem_data(p) for p in package.problem_list],
                    "status_reason": refusal.status_reason if receipt.status else "",
                },
            )
        body = InboxReceiptSerializer(
            {
                "package_id": package.pk,
                "created": receipt.created,
                "state": package.state,
                "document_id": package.document_id,
            }
        ).data
        return Response(
            body, status=status.HTTP_201_CREATED if receipt.created else status.HTTP_200_OK
        )

    def _relay(self, request, node, recipient: str):
        """Hub mode: check the package as a recipient would, append this hub's
        ``TraceHeader`` (``hub.append_trace``), then queue it for the node that serves
        ``recipient`` (same outbox guarantees); 202, or 200 when already relayed; 409 when
        the package already passed through this hub (a routing loop)."""
        from types import SimpleNamespace

        from django.core.exceptions import PermissionDenied

        from coquan.exchange import pipeline

        limit = current_limits().max_package_bytes
        data, size = _read_body(request, limit)
        prepared = pipeline.prepare(
            agency=SimpleNamespace(organ_id=recipient),
            raw=data,
            size=size,
            trusted=pipeline.trusted_certificates,
        )
        if not prepared.accepted:
            refusal = prepared.refusal
            return error_response(refusal.code, refusal.message, details={"relayed": False})
        try:
            content = append_trace(prepared.raw, hub_organ_id())
        except RelayLoop:
            return error_response(
                "relay_loop",
                _("This package already passed through this hub; it is not relayed again."),
                details={"relayed": False},
                http_status=status.HTTP_409_CONFLICT,
            )
        except PackageRefused as exc:  # read once already: only if the limits just changed
            return error_response(exc.code, exc.message, details={"relayed": False})
        try:
            message, created = actions.relay_package(
                None, node=node, organ_id=recipient, prepared=prepared, content=content
            )
        except PermissionDenied as exc:
            return error_response(
                "permission_denied", str(exc), http_status=status.HTTP_403_FORBIDDEN
            )
        return Response(
            {"relayed": True, "message_id": message.pk, "created": created},
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )
