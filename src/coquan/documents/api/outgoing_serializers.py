"""Serializers of the outgoing-document API. They parse and present; actions decide."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coquan.documents.api import schema  # noqa: F401  (registers the OpenAPI extensions)
from coquan.documents.api.serializers import (
    DocumentPersonRefSerializer,
    DocumentTypeSerializer,
    DocumentUnitRefSerializer,
)
from coquan.documents.choices import (
    Competence,
    OutgoingFileKind,
    OutgoingStatus,
    RecipientKind,
    RecipientPurpose,
    RevisionKind,
    Secrecy,
    SeriesScope,
    Urgency,
)
from coquan.documents.models import (
    ChainTask,
    Delivery,
    OutgoingDocument,
    OutgoingFile,
    OutgoingRecipient,
    OutgoingSeries,
    OutgoingStep,
    OutgoingVersion,
)


class OutgoingStatusField(serializers.ChoiceField):
    """The document's status; described in OpenAPI as ``OutgoingStatusEnum`` (api/schema.py)."""

    def __init__(self, **kwargs):
        super().__init__(choices=OutgoingStatus.choices, **kwargs)


class NamedChoiceField(serializers.ChoiceField):
    """A choice field published in OpenAPI as the enum component ``enum_name``."""

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class OutgoingListSerializer(serializers.ModelSerializer):
    """One row of a list: metadata and current state, never long text bodies."""

    document_type = DocumentTypeSerializer(read_only=True)
    number_and_notation = serializers.CharField(read_only=True)
    drafter = DocumentPersonRefSerializer(read_only=True)
    drafting_unit = DocumentUnitRefSerializer(read_only=True, allow_null=True)
    signer = DocumentPersonRefSerializer(read_only=True, allow_null=True)
    status = OutgoingStatusField(read_only=True)

    class Meta:
        model = OutgoingDocument
        fields = [
            "id",
            "document_type",
            "subject",
            "urgency",
            "secrecy",
            "status",
            "code_number",
            "code_notation",
            "number_and_notation",
            "issued_date",
            "drafter",
            "drafting_unit",
            "signer",
            "version",
            "reply_to",
            "updated_at",
        ]


class RecipientSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(
        choices=RecipientKind.choices, enum_name="RecipientKindEnum", read_only=True
    )
    label = serializers.CharField(read_only=True)
    organ_id = serializers.CharField(read_only=True)

    class Meta:
        model = OutgoingRecipient
        fields = [
            "kind",
            "purpose",
            "label",
            "organ_id",
            "agency",
            "external",
            "unit",
            "user",
            "text",
        ]


class OutgoingFileSerializer(serializers.ModelSerializer):
    is_current = serializers.BooleanField(read_only=True, default=True)
    uploaded_by = DocumentPersonRefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = OutgoingFile
        fields = [
            "id",
            "kind",
            "signature",
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
            "download_url",
        ]

    def get_download_url(self, stored) -> str:
        return reverse(
            "api:outgoing-document-download",
            kwargs={"pk": stored.document_id, "file_pk": stored.pk},
        )


class ChainTaskSerializer(serializers.ModelSerializer):
    assignee_user = DocumentPersonRefSerializer(read_only=True, allow_null=True)
    assignee_unit = DocumentUnitRefSerializer(read_only=True, allow_null=True)
    completed_by = DocumentPersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ChainTask
        fields = [
            "id",
            "round",
            "stage",
            "kind",
            "state",
            "assignee_user",
            "assignee_unit",
            "pool_role",
            "due_days",
            "deadline",
            "activated_at",
            "completed_at",
            "completed_by",
            "comment",
        ]


class OutgoingStepSerializer(serializers.ModelSerializer):
    actor = DocumentPersonRefSerializer(read_only=True)
    user = DocumentPersonRefSerializer(read_only=True, allow_null=True)
    unit = DocumentUnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = OutgoingStep
        fields = [
            "id",
            "kind",
            "actor",
            "user",
            "unit",
            "task",
            "version",
            "deadline",
            "text",
            "created_at",
        ]


class OutgoingVersionSerializer(serializers.ModelSerializer):
    created_by = DocumentPersonRefSerializer(read_only=True)

    class Meta:
        model = OutgoingVersion
        fields = ["number", "data", "created_by", "created_at"]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["id", "kind", "state", "organ_id", "name", "attempts", "created_at", "updated_at"]


def revision_kind_field():
    """``revision_kind``: empty for an ordinary document, else update / replace."""
    return NamedChoiceField(
        choices=[("", "—"), *RevisionKind.choices],
        enum_name="RevisionKindOrBlankEnum",
        read_only=True,
    )


class RevisionRefSerializer(serializers.ModelSerializer):
    """A document of the update/replacement chain (its number once issued)."""

    number_and_notation = serializers.CharField(read_only=True)
    status = OutgoingStatusField(read_only=True)
    revision_kind = revision_kind_field()

    class Meta:
        model = OutgoingDocument
        fields = ["id", "revision_kind", "status", "number_and_notation", "issued_date"]


class OutgoingDetailSerializer(OutgoingListSerializer):
    """Everything about one document: metadata, recipients, files, chain, versions, timeline."""

    recipients = RecipientSerializer(many=True, read_only=True)
    files = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()
    deliveries = DeliverySerializer(many=True, read_only=True)
    available_steps = serializers.SerializerMethodField()
    revises = RevisionRefSerializer(read_only=True, allow_null=True)
    revision_kind = revision_kind_field()
    revisions = serializers.SerializerMethodField()

    class Meta(OutgoingListSerializer.Meta):
        fields = [
            *OutgoingListSerializer.Meta.fields,
            "description",
            "signer_competence",
            "signer_position",
            "signer_name",
            "copies",
            "series",
            "register_book",
            "register_number",
            "round",
            "submitted_at",
            "approved_at",
            "signed_at",
            "issued_at",
            "recalled_at",
            "recall_reason",
            "recipients",
            "files",
            "tasks",
            "steps",
            "versions",
            "deliveries",
            "available_steps",
            "revision_kind",
            "revises",
            "revisions",
        ]

    def get_files(self, document) -> list[dict]:
        rows = (
            OutgoingFile.objects.with_current_flag()
            .filter(document=document)
            .select_related("uploaded_by")
        )
        return OutgoingFileSerializer(rows, many=True).data

    def get_tasks(self, document) -> list[dict]:
        """The chain tasks of the current round."""
        rows = ChainTask.objects.filter(document=document, round=document.round).select_related(
            "assignee_user", "assignee_unit", "completed_by"
        )
        return ChainTaskSerializer(rows, many=True).data

    def get_steps(self, document) -> list[dict]:
        rows = document.steps.select_related("actor", "user", "unit")
        return OutgoingStepSerializer(rows, many=True).data

    def get_versions(self, document) -> list[dict]:
        rows = document.versions.select_related("created_by").order_by("number")
        return OutgoingVersionSerializer(rows, many=True).data

    @extend_schema_field(RevisionRefSerializer(many=True))
    def get_revisions(self, document) -> list[dict]:
        """The updates and replacements of this document (issued ones, and drafts you see)."""
        from coquan.documents.outgoing_views import revision_chain

        request = self.context.get("request")
        if request is None:
            return []
        rows = revision_chain(request.user, document)["revisions"]
        return RevisionRefSerializer(rows, many=True).data

    def get_available_steps(self, document) -> list[str]:
        """The steps the requesting person may take now (``submit``, ``approve``, ``sign`` ...)."""
        from coquan.documents.outgoing_permissions import OutgoingAccess

        request = self.context.get("request")
        if request is None:
            return []
        access = OutgoingAccess(request.user, document)
        access.can_see = True
        return sorted(access.available())


class RecipientInputSerializer(serializers.Serializer):
    kind = NamedChoiceField(choices=RecipientKind.choices, enum_name="RecipientKindEnum")
    id = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Id of the agency, directory entry, unit or person."),
    )
    text = serializers.CharField(required=False, allow_blank=True, max_length=300)
    purpose = serializers.ChoiceField(
        choices=RecipientPurpose.choices, required=False, default=RecipientPurpose.ACTION
    )


class DraftInputSerializer(serializers.Serializer):
    """A draft's metadata and recipients (ids); files go to ``…/files/`` (or multipart)."""

    document_type = serializers.IntegerField()
    subject = serializers.CharField(max_length=500)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=0)
    secrecy = serializers.ChoiceField(choices=Secrecy.choices, required=False, default="none")
    signer = serializers.IntegerField(required=False, allow_null=True)
    signer_competence = serializers.ChoiceField(
        choices=Competence.choices, required=False, allow_blank=True, default=""
    )
    signer_position = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    drafting_unit = serializers.IntegerField(required=False, allow_null=True)
    reply_to = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Id of the incoming document it answers.")
    )
    series = serializers.IntegerField(required=False, allow_null=True)
    copies = serializers.IntegerField(min_value=1, max_value=999, required=False, default=1)
    description = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    recipients = RecipientInputSerializer(many=True, required=False)
    main_file = serializers.FileField(required=False, allow_null=True)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, allow_empty=True
    )


class DraftUpdateSerializer(DraftInputSerializer):
    """The fields to change (all optional); ``recipients`` replaces the whole list."""

    document_type = serializers.IntegerField(required=False)
    subject = serializers.CharField(max_length=500, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    secrecy = serializers.ChoiceField(choices=Secrecy.choices, required=False)
    signer_competence = serializers.ChoiceField(
        choices=Competence.choices, required=False, allow_blank=True
    )
    signer_position = serializers.CharField(max_length=100, required=False, allow_blank=True)
    copies = serializers.IntegerField(min_value=1, max_value=999, required=False)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, allow_empty=True
    )


class SubmitSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(required=False, allow_null=True)
    skip_review = serializers.BooleanField(required=False, default=False)
    opinion_units = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    opinion_users = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    opinion_due_days = serializers.IntegerField(
        min_value=1, max_value=60, required=False, default=3
    )
    sequential = serializers.BooleanField(required=False, default=False)
    form_check = serializers.BooleanField(required=False, default=True)
    checker = serializers.IntegerField(required=False, allow_null=True)


class RequestOpinionsSerializer(serializers.Serializer):
    units = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    users = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    due_days = serializers.IntegerField(min_value=1, max_value=60, required=False, default=3)
    sequential = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, allow_empty=True
    )


class RejectSerializer(serializers.Serializer):
    comment = serializers.CharField()
    back_to = serializers.ChoiceField(
        choices=(("drafter", "drafter"), ("previous", "previous")),
        required=False,
        default="drafter",
    )


class RevisionInputSerializer(serializers.Serializer):
    """Draft an update or a replacement of an issued document."""

    kind = NamedChoiceField(choices=RevisionKind.choices, enum_name="RevisionKindEnum")
    subject = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Empty: the subject of the original document."),
    )
    description = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    main_file = serializers.FileField(required=False, allow_null=True, default=None)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OutgoingFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(
        choices=[(OutgoingFileKind.MAIN, "main"), (OutgoingFileKind.APPENDIX, "appendix")],
        required=False,
        default=OutgoingFileKind.MAIN,
        help_text=_("main: a new version of the draft file; appendix: one more attachment."),
    )


class SignatureCheckSerializer(serializers.Serializer):
    field_name = serializers.CharField()
    signer = serializers.CharField()
    signed_at = serializers.CharField()
    intact = serializers.BooleanField()
    valid = serializers.BooleanField()
    trusted = serializers.BooleanField()
    covers_whole_file = serializers.BooleanField()
    ok = serializers.BooleanField()


class VerificationSerializer(serializers.Serializer):
    file = serializers.IntegerField(allow_null=True)
    ok = serializers.BooleanField()
    reason = serializers.CharField()
    message = serializers.CharField()
    sha256 = serializers.CharField()
    signatures = SignatureCheckSerializer(many=True)


class SeriesSerializer(serializers.ModelSerializer):
    document_types = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = OutgoingSeries
        fields = ["id", "name", "scope", "document_types", "issuer_abbreviation", "is_active"]


class SeriesInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=SeriesScope.choices)
    document_types = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    issuer_abbreviation = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    is_active = serializers.BooleanField(required=False, default=True)


class OutgoingReportRowSerializer(serializers.Serializer):
    """One row of the outgoing handling report (a drafting unit or a drafter)."""

    id = serializers.IntegerField(allow_null=True, help_text=_("Unit or person id (null: none)."))
    name = serializers.CharField()
    created = serializers.IntegerField()
    issued = serializers.IntegerField()
    average_days = serializers.FloatField(
        allow_null=True, help_text=_("Average days from draft to issue of those issued.")
    )
    at_drafter = serializers.IntegerField()
    review = serializers.IntegerField()
    opinion = serializers.IntegerField()
    form_check = serializers.IntegerField()
    approval = serializers.IntegerField()
    to_sign = serializers.IntegerField()
    to_issue = serializers.IntegerField()
    overdue_opinions = serializers.IntegerField()


class OutgoingReportTotalsSerializer(OutgoingReportRowSerializer):
    id = None
    name = None


class OutgoingReportSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group = NamedChoiceField(
        choices=[("unit", "unit"), ("person", "person")], enum_name="OutgoingReportGroupEnum"
    )
    rows = OutgoingReportRowSerializer(many=True)
    totals = OutgoingReportTotalsSerializer()
