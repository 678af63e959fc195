"""Serializers of the incoming-document API. They parse and present; actions decide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coquan.documents.api import schema  # noqa: F401  (registers the OpenAPI extension)
from coquan.documents.choices import Channel, Competence, IncomingStatus, Secrecy, Urgency
from coquan.documents.models import Attachment, DocumentType, HandlingStep, IncomingDocument

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DocumentPersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)


class DocumentUnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class IncomingStatusField(serializers.ChoiceField):
    """The document's status; described in OpenAPI as ``IncomingStatusEnum`` (api/schema.py)."""

    def __init__(self, **kwargs):
        super().__init__(choices=IncomingStatus.choices, **kwargs)


class DocumentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentType
        fields = ["id", "code", "name", "abbreviation", "edxml_type_detail"]


class IncomingListSerializer(serializers.ModelSerializer):
    """One row of a list: metadata and current state, never long text bodies."""

    document_type = DocumentTypeSerializer(read_only=True)
    number_and_notation = serializers.CharField(read_only=True)
    lead_unit = DocumentUnitRefSerializer(read_only=True, allow_null=True)
    lead_user = DocumentPersonRefSerializer(read_only=True, allow_null=True)
    presented_to = DocumentPersonRefSerializer(read_only=True, allow_null=True)
    status = IncomingStatusField(read_only=True)
    is_late = serializers.SerializerMethodField()

    class Meta:
        model = IncomingDocument
        fields = [
            "id",
            "arrival_number",
            "arrival_date",
            "channel",
            "document_type",
            "code_number",
            "code_notation",
            "number_and_notation",
            "issued_date",
            "issuer_name",
            "issuer_organ_id",
            "subject",
            "urgency",
            "secrecy",
            "due_date",
            "status",
            "presented_to",
            "lead_unit",
            "lead_user",
            "is_late",
        ]

    def get_is_late(self, document) -> bool:
        """Not presented although a whole working day passed after its arrival day."""
        return bool(getattr(document, "is_late", False))


class AttachmentSerializer(serializers.ModelSerializer):
    is_current = serializers.BooleanField(read_only=True, default=True)
    uploaded_by = DocumentPersonRefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "mime_type",
            "size",
            "sha256",
            "version",
            "replaces",
            "is_current",
            "step",
            "uploaded_by",
            "uploaded_at",
            "text_source",
            "download_url",
        ]

    def get_download_url(self, attachment) -> str:
        from django.urls import reverse

        return reverse(
            "api:incoming-document-download",
            kwargs={"pk": attachment.document_id, "attachment_pk": attachment.pk},
        )


class StepSerializer(serializers.ModelSerializer):
    actor = DocumentPersonRefSerializer(read_only=True)
    user = DocumentPersonRefSerializer(read_only=True, allow_null=True)
    unit = DocumentUnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = HandlingStep
        fields = [
            "id",
            "kind",
            "role",
            "actor",
            "user",
            "unit",
            "deadline",
            "text",
            "round",
            "created_at",
        ]


class IncomingDetailSerializer(IncomingListSerializer):
    """Everything about one document: metadata, files, the timeline, the steps allowed now."""

    attachments = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    available_steps = serializers.SerializerMethodField()
    registered_by = DocumentPersonRefSerializer(read_only=True)

    class Meta(IncomingListSerializer.Meta):
        fields = [
            *IncomingListSerializer.Meta.fields,
            "place",
            "description",
            "signer_competence",
            "signer_position",
            "signer_name",
            "page_count",
            "to_places",
            "edxml_document_id",
            "registered_by",
            "presented_at",
            "assigned_at",
            "completed_at",
            "result_note",
            "attachments",
            "steps",
            "available_steps",
        ]

    def get_is_late(self, document) -> bool:
        from coquan.documents import workflow

        late_before = workflow.presentation_late_before()
        return bool(
            late_before
            and document.status in ("registered", "returned")
            and document.arrival_date < late_before
        )

    def get_attachments(self, document) -> list[dict]:
        rows = document.attachments.with_current_flag().select_related("uploaded_by")
        return AttachmentSerializer(rows, many=True).data

    def get_steps(self, document) -> list[dict]:
        return StepSerializer(document.steps.timeline(), many=True).data

    def get_available_steps(self, document) -> list[str]:
        """The steps the requesting person may take now (``present``, ``assign`` ...)."""
        from coquan.documents.permissions import DocumentAccess

        request = self.context.get("request")
        if request is None:
            return []
        access = DocumentAccess(request.user, document)
        access.can_see = True
        return sorted(access.available())


class RegisterSerializer(serializers.Serializer):
    """Input of a registration: App. VI incoming metadata and the files (multipart)."""

    document_type = serializers.PrimaryKeyRelatedField(queryset=DocumentType.objects.all())
    code_number = serializers.CharField(max_length=11, required=False, allow_blank=True)
    code_notation = serializers.CharField(max_length=30, required=False, allow_blank=True)
    issued_date = serializers.DateField(input_formats=DATE_FORMATS)
    issuer_name = serializers.CharField(max_length=200)
    issuer_organ_id = serializers.CharField(max_length=13, required=False, allow_blank=True)
    place = serializers.CharField(max_length=50, required=False, allow_blank=True)
    subject = serializers.CharField(max_length=500)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    signer_competence = serializers.ChoiceField(
        choices=Competence.choices, required=False, allow_blank=True
    )
    signer_position = serializers.CharField(max_length=100, required=False, allow_blank=True)
    signer_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=0)
    secrecy = serializers.ChoiceField(choices=Secrecy.choices, required=False, default="none")
    page_count = serializers.IntegerField(
        min_value=1, max_value=999, required=False, allow_null=True
    )
    due_date = serializers.DateField(input_formats=DATE_FORMATS, required=False, allow_null=True)
    arrival_date = serializers.DateTimeField(required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default="paper")
    edxml_document_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Register even though the same document seems registered already."),
    )
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, allow_empty=True
    )


class PresentSerializer(serializers.Serializer):
    leader = serializers.IntegerField(help_text=_("Id of a person with the leader role."))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    """Lead unit and/or lead person, co-handlers and people informed (ids), deadline."""

    lead_unit = serializers.IntegerField(required=False, allow_null=True)
    lead_user = serializers.IntegerField(required=False, allow_null=True)
    co_handler_units = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    co_handler_users = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    for_info_units = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    for_info_users = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    due_days = serializers.IntegerField(min_value=1, max_value=365, required=False, allow_null=True)
    due_date = serializers.DateField(input_formats=DATE_FORMATS, required=False, allow_null=True)
    instruction = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionSerializer(serializers.Serializer):
    text = serializers.CharField()
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, allow_empty=True
    )


class ResultSerializer(serializers.Serializer):
    result_note = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    replaces = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Id of the file this one corrects.")
    )


class DuplicateRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    arrival_number = serializers.IntegerField()
