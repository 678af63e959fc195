"""The sender's reconciliation through the API (the page ``/exchange/deliveries/``).

- ``GET /api/v1/exchange/deliveries/?problem=failed|stuck|refused``: the deliveries of the
  agency's documents that need the clerk (``querysets.delivery_problems``; no ``problem``:
  all three), newest change first, each with the recipient's latest status
  (``querysets.latest_statuses``: one query for the page). The agency is the one of the
  other exchange endpoints (``?agency=<id>``, ``X-Agency``, else the active one); its
  clerks and administrators only.
- ``POST /api/v1/exchange/statuses/<id>/resend/``: a status message this agency sends
  that could not be delivered is sent again (``exchange.resend_status``), as the package
  page's button; 404 for anyone but the sending agency's clerks and administrators.
- ``POST /api/v1/exchange/deliveries/<id>/retry/``: as the page's buttons
  (``views.retry_delivery``): a failed delivery is queued again
  (``documents.requeue_delivery``), a waiting one is made due now (``retry_now``); 404 for
  anyone but the issuing agency's clerks and administrators.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response
from rest_framework.views import APIView

from coquan.core.access import get_visible_or_404
from coquan.exchange import actions
from coquan.exchange.api.serializers import DeliveryProblemSerializer, OutgoingStatusSerializer
from coquan.exchange.api.views import agency_for
from coquan.exchange.querysets import PROBLEMS, delivery_problems, latest_statuses
from coquan.exchange.views import retry_delivery, sender_delivery_or_404


class DeliveryProblemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Deliveries of the agency's documents that failed, are stuck or were refused."""

    serializer_class = DeliveryProblemSerializer
    filter_backends: list = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        from coquan.documents.models import Delivery

        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        agency = agency_for(self.request)
        problem = self.request.query_params.get("problem", "")
        if problem and problem not in PROBLEMS:
            raise ValidationError(
                {"problem": _("Unknown problem: choose failed, stuck or refused.")}
            )
        return delivery_problems(agency, problem)

    def _data(self, deliveries: list):
        context = {**self.get_serializer_context(), "latest": latest_statuses(deliveries)}
        return DeliveryProblemSerializer(deliveries, many=True, context=context).data

    @extend_schema(
        summary="Deliveries to check (reconciliation)",
        description=(
            "The electronic deliveries of documents issued by the agency (X-Agency, "
            "`agency`, else the active one) that failed, are still queued or sent after "
            "30 minutes (stuck) or were refused by the recipient (02, 16), newest change "
            "first, with the recipient's latest status. `problem` narrows to one kind "
            "(default: all three). Clerks and administrators of the agency only."
        ),
        parameters=[
            OpenApiParameter("problem", OpenApiTypes.STR, enum=list(PROBLEMS)),
            OpenApiParameter("agency", OpenApiTypes.INT, description="Agency id"),
            OpenApiParameter("X-Agency", OpenApiTypes.STR, OpenApiParameter.HEADER),
        ],
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._data(list(page)))

    @extend_schema(
        summary="Retry or send a delivery again",
        description=(
            "As the reconciliation page: a failed delivery is queued again (attempts start "
            "again), a waiting one is tried now. 400 when the delivery is neither (delivered, "
            "or sent and waiting for the recipient); 404 for anyone but the clerks and "
            "administrators of the issuing agency."
        ),
        request=None,
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={
            200: DeliveryProblemSerializer,
            400: OpenApiResponse(description="Nothing to retry (error body)."),
            404: OpenApiResponse(description="Not a delivery of your agency."),
        },
    )
    @drf_action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        from coquan.documents.models import Delivery

        delivery = sender_delivery_or_404(request.user, pk)
        retry_delivery(request.user, delivery)
        actions.kick_on_commit()
        fresh = Delivery.objects.select_related("document", "outbox").get(pk=delivery.pk)
        return Response(self._data([fresh])[0])


class StatusResendView(APIView):
    """Send an undeliverable status message again."""

    @extend_schema(
        summary="Send a status message again",
        description=(
            "A status message (01–06, 02, 15, 16) this agency sends about a received "
            "package, undeliverable after every retry (`delivery_state` failed in the "
            "package's `statuses`), is made due again with a fresh attempt count — the same "
            "bytes. 400 when it is not failed; 404 for anyone but the clerks and "
            "administrators of the sending agency."
        ),
        request=None,
        responses={
            200: OutgoingStatusSerializer,
            400: OpenApiResponse(description="Not an undeliverable status (error body)."),
            404: OpenApiResponse(description="Not a status of your agency."),
        },
    )
    def post(self, request, pk: int):
        from coquan.exchange.models import OutgoingStatus

        status = get_visible_or_404(
            OutgoingStatus.objects.select_related("agency"), request.user, pk=pk
        )
        actions.resend_status(request.user, status=status)
        fresh = OutgoingStatus.objects.select_related("outbox").get(pk=status.pk)
        return Response(OutgoingStatusSerializer(fresh).data)
