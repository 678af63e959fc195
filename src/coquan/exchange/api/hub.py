"""The hub's API (hub mode, ``COQUAN_EXCHANGE_HUB``; docs/exchange.md §7).

- ``GET /api/v1/exchange/hub/traffic/``: the packages relayed, with their onward delivery
  (deployment administrators; the filters of the traffic page).
- Pull-style delivery, as the national and provincial axes work (standards §1.5:
  ``GetPendingDocumentIds`` / ``GetDocument`` / ``ConfirmReceived``), for registered nodes
  (``Authorization: Node <token>``) whose agencies the directory routes ``pull``:
  ``GET hub/pending/`` lists what waits for the agencies the node serves,
  ``GET hub/pending/<id>/`` returns one package as stored (``application/xml``),
  ``POST hub/pending/<id>/confirm/`` says it was received: it is no longer pending
  (idempotent). ``transports.CoQuanHubAdapter`` is the client side.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from coquan.api.errors import error_response
from coquan.api.pagination import StandardPagination
from coquan.exchange import actions, hub
from coquan.exchange.api.views import node_for
from coquan.exchange.choices import OutboxState
from coquan.exchange.forms import HubTrafficFilterForm
from coquan.exchange.models import OutboxMessage

NODE_HEADER = OpenApiParameter(
    "Authorization",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    True,
    description="Node <token> (the peer node's credential at this hub)",
)


def _hub_only() -> None:
    if not hub.hub_mode():
        raise Http404


# --- traffic -------------------------------------------------------------------------------------


class RouteSerializer(serializers.Serializer):
    name = serializers.CharField()
    transport = serializers.CharField()
    endpoint = serializers.CharField()


class HubTrafficSerializer(serializers.ModelSerializer):
    """One relayed package and its onward delivery."""

    source_node = serializers.SerializerMethodField(help_text="The node it came from.")
    route = serializers.SerializerMethodField(help_text="The node it goes on to (directory).")
    package_label = serializers.CharField(read_only=True, help_text="What the package carries.")
    state = serializers.CharField(
        read_only=True, help_text="pending (queued), sent, delivered or failed."
    )
    sha256 = serializers.CharField(read_only=True, help_text="SHA-256 of the package as received.")

    class Meta:
        model = OutboxMessage
        fields = [
            "id",
            "created_at",
            "sender_organ_id",
            "source_node",
            "organ_id",
            "route",
            "document_id",
            "package_kind",
            "business_doc_type",
            "status_code",
            "package_label",
            "state",
            "attempts",
            "transport",
            "next_attempt_at",
            "delivered_at",
            "last_error",
            "sha256",
        ]
        read_only_fields = fields

    def get_source_node(self, obj) -> str:
        return obj.source_node.name if obj.source_node_id else ""

    @extend_schema_field(RouteSerializer(allow_null=True))
    def get_route(self, obj) -> dict | None:
        route = self.context.get("routes", {}).get(obj.organ_id)
        if route is None:
            return None
        return {"name": route.name, "transport": route.transport, "endpoint": route.endpoint}


class TrafficPagination(StandardPagination):
    """Pages of the traffic, with the number of packages in each state (same filters but
    the state)."""

    def get_paginated_response(self, data, counts=None):
        response = super().get_paginated_response(data)
        response.data["counts"] = counts or {}
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["counts"] = {
            "type": "object",
            "description": "Packages per onward delivery state under the same filters "
            "(except the state).",
            "properties": {value: {"type": "integer"} for value in OutboxState.values},
        }
        return paginated


class HubTrafficView(generics.ListAPIView):
    """``GET /api/v1/exchange/hub/traffic/``: packages relayed by this hub, newest first."""

    serializer_class = HubTrafficSerializer
    pagination_class = TrafficPagination
    filter_backends: list = []
    queryset = OutboxMessage.objects.none()

    @extend_schema(
        summary="Hub traffic",
        description=(
            "Packages this deployment relayed as a hub (hub mode only, else 404): when, from "
            "which node and sender, to which agency and node, the document, what it carries "
            "and the onward delivery (state, attempts, last error). Deployment administrators "
            "only. Filters: state, organ_id (sender or recipient), date_from / date_to "
            "(yyyy-mm-dd, the day the hub accepted the package, both included)."
        ),
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=OutboxState.values),
            OpenApiParameter("organ_id", OpenApiTypes.STR),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
        ],
    )
    def get(self, request, *args, **kwargs):
        _hub_only()
        if not request.user.is_superuser:
            raise PermissionDenied(_("Only system administrators may see the hub's traffic."))
        form = HubTrafficFilterForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        rows, counts = hub.traffic(request.user, form)
        page = self.paginate_queryset(rows)
        routes = hub.routes_for(message.organ_id for message in page)
        context = {**self.get_serializer_context(), "routes": routes}
        data = HubTrafficSerializer(page, many=True, context=context).data
        return self.paginator.get_paginated_response(
            data, counts={value: counts.get(value, 0) for value in OutboxState.values}
        )


# --- pull-style delivery -------------------------------------------------------------------------


class PendingPackageSerializer(serializers.ModelSerializer):
    """A package waiting at the hub for one of the node's agencies (no bytes in lists)."""

    sender_organ_id = serializers.SerializerMethodField()

    class Meta:
        model = OutboxMessage
        fields = [
            "id",
            "organ_id",
            "sender_organ_id",
            "document_id",
            "kind",
            "package_kind",
            "business_doc_type",
            "status_code",
            "created_at",
        ]
        read_only_fields = fields

    def get_sender_organ_id(self, obj) -> str:
        return obj.sender_organ_id or (obj.agency.organ_id if obj.agency_id else "")


class ConfirmedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    confirmed = serializers.BooleanField(help_text="False when it had been confirmed before.")


class NodeView(APIView):
    """A view for registered nodes: no user session, ``Authorization: Node <token>``."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _hub_only()
        self.node = node_for(request)

    def not_authenticated(self):
        return error_response(
            "not_authenticated",
            _("A valid node credential is required."),
            http_status=status.HTTP_401_UNAUTHORIZED,
        )

    def waiting(self, pk: int | None = None, *, confirmed_too: bool = False):
        """What waits for the node's agencies (404 for anything else, whoever's it is)."""
        messages = OutboxMessage.objects.waiting_for_pull(
            self.node, states=(OutboxState.SENT, OutboxState.DELIVERED) if confirmed_too else None
        )
        if pk is None:
            return messages
        message = messages.filter(pk=pk).first()
        if message is None:
            raise Http404
        return message


class PendingListView(NodeView, generics.ListAPIView):
    """``GET /api/v1/exchange/hub/pending/``: packages waiting for the node's agencies."""

    serializer_class = PendingPackageSerializer
    filter_backends: list = []
    queryset = OutboxMessage.objects.none()

    @extend_schema(
        summary="Packages waiting for a node (pull)",
        description=(
            "Hub mode: the packages waiting at this hub for the agencies the calling node "
            "serves (the directory routes them `pull`), oldest first; `organ_id` narrows to "
            "one agency. Fetch each with `GET …/pending/{id}/`, then confirm it. 401 without "
            "a valid node credential; 404 when this deployment is not a hub."
        ),
        parameters=[NODE_HEADER, OpenApiParameter("organ_id", OpenApiTypes.STR)],
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        if self.node is None:
            return self.not_authenticated()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OutboxMessage.objects.none()
        messages = self.waiting().select_related("agency").defer("content")
        organ_id = (self.request.query_params.get("organ_id") or "").strip()
        if organ_id:
            messages = messages.filter(organ_id=organ_id)
        return messages.order_by("created_at", "pk")


class PendingPackageView(NodeView):
    """``GET /api/v1/exchange/hub/pending/<id>/``: one waiting package, as stored."""

    @extend_schema(
        summary="Get a waiting package (pull)",
        description=(
            "The signed edXML package, as the hub stores it (with the hub's trace header for "
            "a relayed document). Also after its confirmation, so a node that crashed can "
            "fetch it again. 404 for a package that is not waiting for the node's agencies."
        ),
        parameters=[NODE_HEADER],
        responses={
            (200, "application/xml"): OpenApiTypes.BINARY,
            401: OpenApiResponse(description="No valid node credential."),
            404: OpenApiResponse(description="Not a package waiting for this node."),
        },
        auth=[],
    )
    def get(self, request, pk: int):
        if self.node is None:
            return self.not_authenticated()
        message = self.waiting(pk, confirmed_too=True)
        return HttpResponse(bytes(message.content or b""), content_type="application/xml")


class PendingConfirmView(NodeView):
    """``POST /api/v1/exchange/hub/pending/<id>/confirm/``: the node received the package."""

    @extend_schema(
        summary="Confirm a package was received (pull)",
        description=(
            "The package is delivered: it is no longer listed as pending. Idempotent: "
            "confirming again answers 200 with `confirmed` false."
        ),
        request=None,
        parameters=[NODE_HEADER],
        responses={
            200: ConfirmedSerializer,
            401: OpenApiResponse(description="No valid node credential."),
            404: OpenApiResponse(description="Not a package waiting for this node."),
        },
        auth=[],
    )
    def post(self, request, pk: int):
        if self.node is None:
            return self.not_authenticated()
        message = self.waiting(pk, confirmed_too=True)
        try:
            confirmed = actions.confirm_pulled(None, node=self.node, message=message)
        except DjangoValidationError as exc:
            return error_response("not_waiting", exc.messages[0], http_status=409)
        return Response(
            ConfirmedSerializer(
                {"id": message.pk, "state": message.state, "confirmed": confirmed}
            ).data
        )
