"""Audit entries in the API. Lists leave out the before/after bodies; the detail has them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coquan.audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id", allow_null=True, read_only=True)
    agency = serializers.IntegerField(source="agency_id", allow_null=True, read_only=True)
    agency_organ_id = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "created_at",
            "actor",
            "actor_name",
            "agency",
            "agency_organ_id",
            "action",
            "object_type",
            "object_id",
            "summary",
            "request_id",
            "ip",
            "prev_hash",
            "entry_hash",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_agency_organ_id(self, entry) -> str | None:
        return entry.agency.organ_id if entry.agency_id and entry.agency else None


class AuditEntryDetailSerializer(AuditEntrySerializer):
    class Meta(AuditEntrySerializer.Meta):
        fields = [*AuditEntrySerializer.Meta.fields, "before", "after"]
        read_only_fields = fields
