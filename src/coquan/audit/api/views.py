"""Read-only API of the audit log, scoped like the web pages (``visible_to``)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from coquan.audit.api.filters import AuditEntryFilter
from coquan.audit.api.serializers import AuditEntryDetailSerializer, AuditEntrySerializer
from coquan.audit.models import AuditEntry
from coquan.audit.permissions import scoped_entries


@extend_schema_view(
    list=extend_schema(
        summary="Audit entries",
        description=(
            "Entries of the agencies the caller administers (all for superusers), newest "
            "first. Before/after values are in the detail only. Naming an agency the caller "
            "does not administer answers 404."
        ),
    ),
    retrieve=extend_schema(
        summary="One audit entry",
        parameters=[OpenApiParameter("seq", OpenApiTypes.INT, OpenApiParameter.PATH)],
    ),
)
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Audit log entries (read-only)."""

    lookup_field = "seq"
    lookup_value_regex = r"\d+"
    filterset_class = AuditEntryFilter
    ordering_fields = ["seq", "created_at"]
    ordering = ["-seq"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # OpenAPI schema generation
            return AuditEntry.objects.none()
        entries, _agency = scoped_entries(
            self.request.user, self.request.query_params.get("agency")
        )
        return entries.select_related("agency").order_by("-seq")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return AuditEntryDetailSerializer
        return AuditEntrySerializer
