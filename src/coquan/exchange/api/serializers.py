"""Serializers of the exchange API (lists never carry the header or the files)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coquan.documents.models import DocumentType
from coquan.exchange.models import OutgoingStatus, ReceivedAttachment, ReceivedPackage


class SignatureSerializer(serializers.Serializer):
    status = serializers.CharField()
    reason = serializers.CharField()
    message = serializers.CharField()
    subject = serializers.CharField()
    fingerprint = serializers.CharField()
    algorithm = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    path = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()


class RefusalSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    status_reason = serializers.CharField()


class ReceivedPackageSerializer(serializers.ModelSerializer):
    """One line of the list of received packages."""

    agency = serializers.CharField(source="agency.organ_id", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="document, status or unknown.")
    state = serializers.CharField(
        read_only=True, help_text="quarantined, parsed, registered or refused."
    )
    source = serializers.CharField(read_only=True, help_text="web, api, local, http or hub.")
    signature_status = serializers.CharField(
        read_only=True, help_text="valid, invalid, unverifiable (empty: not checked)."
    )

    class Meta:
        model = ReceivedPackage
        fields = [
            "id",
            "agency",
            "kind",
            "state",
            "source",
            "received_at",
            "document_id",
            "business_doc_type",
            "status_code",
            "sender_organ_id",
            "sender_name",
            "code_number",
            "code_notation",
            "promulgation_date",
            "type_name",
            "subject",
            "priority",
            "due_date",
            "signature_status",
            "error_code",
            "raw_sha256",
            "raw_size",
        ]
        read_only_fields = fields


class ReceivedAttachmentSerializer(serializers.ModelSerializer):
    pdf_signature = serializers.SerializerMethodField()
    pdf_signature_status = serializers.CharField(
        read_only=True, help_text="valid, invalid, unverifiable, unsigned (empty: not a PDF)."
    )

    class Meta:
        model = ReceivedAttachment
        fields = [
            "position",
            "content_id",
            "name",
            "description",
            "content_type",
            "size",
            "sha256",
            "pdf_signature_status",
            "pdf_signature",
        ]
        read_only_fields = fields

    @extend_schema_field(SignatureSerializer(allow_null=True))
    def get_pdf_signature(self, obj) -> dict | None:
        result = obj.pdf_signature
        if result is None:
            return None
        return {
            "status": result.status,
            "reason": result.reason,
            "message": result.message,
            "subject": "; ".join(result.signers),
            "fingerprint": "",
            "algorithm": "",
        }


class OutgoingStatusSerializer(serializers.ModelSerializer):
    delivery_state = serializers.SerializerMethodField(
        help_text="pending, sent, delivered or failed (empty: nobody to send it to)."
    )
    delivery_error = serializers.SerializerMethodField(help_text="Why the last attempt failed.")

    class Meta:
        model = OutgoingStatus
        fields = [
            "id",
            "status_code",
            "description",
            "recipient_organ_id",
            "document_id",
            "sha256",
            "signed",
            "created_at",
            "delivery_state",
            "delivery_error",
        ]
        read_only_fields = fields

    @staticmethod
    def _outbox(status):
        try:
            return status.outbox
        except OutgoingStatus.outbox.RelatedObjectDoesNotExist:
            return None

    @extend_schema_field(serializers.CharField())
    def get_delivery_state(self, status) -> str:
        message = self._outbox(status)
        return message.state if message else ""

    @extend_schema_field(serializers.CharField())
    def get_delivery_error(self, status) -> str:
        message = self._outbox(status)
        return message.last_error if message else ""


class ReceivedPackageDetailSerializer(ReceivedPackageSerializer):
    """A package with what was found: signature, problems, refusal, header, files, statuses."""

    signature = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    refusal = serializers.SerializerMethodField()
    header = serializers.JSONField(read_only=True)
    attachments = ReceivedAttachmentSerializer(many=True, read_only=True)
    statuses = OutgoingStatusSerializer(many=True, read_only=True)
    recipient_change = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="An update changing the recipients: 0 removes this agency (answer it with "
        "recall-answer, it cannot be registered), 1 adds it; null otherwise.",
    )
    withdraws = serializers.BooleanField(
        read_only=True,
        help_text="A recall or a removal from the recipients: answered (15/16), not registered.",
    )

    class Meta(ReceivedPackageSerializer.Meta):
        fields = [
            *ReceivedPackageSerializer.Meta.fields,
            "recipient_change",
            "withdraws",
            "signature",
            "problems",
            "refusal",
            "header",
            "attachments",
            "statuses",
        ]
        read_only_fields = fields

    @extend_schema_field(SignatureSerializer(allow_null=True))
    def get_signature(self, obj) -> dict | None:
        result = obj.signature
        if result is None:
            return None
        return {
            "status": result.status,
            "reason": result.reason,
            "message": result.message,
            "subject": result.subject,
            "fingerprint": result.fingerprint,
            "algorithm": result.algorithm,
        }

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, obj) -> list[dict]:
        return [problem_data(problem) for problem in obj.problem_list]

    @extend_schema_field(RefusalSerializer(allow_null=True))
    def get_refusal(self, obj) -> dict | None:
        refusal = obj.refusal
        if refusal is None:
            return None
        return {
            "code": refusal.code,
            "message": refusal.message,
            "status_reason": refusal.status_reason,
        }


def problem_data(problem) -> dict:
    return {
        "code": problem.code,
        "path": problem.path,
        "severity": problem.severity,
        "message": problem.message,
    }


class PackageUploadSerializer(serializers.Serializer):
    """Multipart form of ``POST /exchange/packages/`` (a raw XML body works too)."""

    file = serializers.FileField(help_text="The edXML package file.")


# --- the clerk's answers to a received package -------------------------------------------------


class RegisterPackageSerializer(serializers.Serializer):
    """Input of ``POST /exchange/packages/{id}/register/`` (``register_package``).

    Any existing type is accepted here: whether the agency uses it is the action's rule
    (``documents.register_incoming``), so an unknown id and another agency's type give the
    same message."""

    document_type = serializers.PrimaryKeyRelatedField(
        queryset=DocumentType.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of a document type the agency uses (default: the type whose name "
        "matches the package's TypeName).",
        error_messages={"does_not_exist": _("This document type is not used by the agency.")},
    )
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Register even though the same document seems registered already.",
    )


class RefusePackageSerializer(serializers.Serializer):
    """Input of ``POST /exchange/packages/{id}/refuse/`` (``refuse_package``)."""

    reason = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text="Why the document goes back to the sender (sent in the status 02; "
        "required, at most 400 characters).",
    )


class RecallAnswerSerializer(serializers.Serializer):
    """Input of ``POST /exchange/packages/{id}/recall-answer/`` (``answer_recall``)."""

    decision = serializers.ChoiceField(
        choices=[("accept", "accept"), ("refuse", "refuse")],
        help_text="accept (status 15: the recalled document is cancelled) or refuse (16).",
        error_messages={"invalid_choice": _("Unknown decision: answer accept or refuse.")},
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="Required when refusing (sent in the status 16), at most 400 characters.",
    )


class RegisteredPackageSerializer(serializers.Serializer):
    """The incoming document a package became, and the package (now ``registered``)."""

    incoming_document_id = serializers.IntegerField(help_text="Id of the incoming document.")
    arrival_number = serializers.IntegerField(help_text="Its arrival number (số đến).")
    package = ReceivedPackageDetailSerializer()


# --- the sender's reconciliation ---------------------------------------------------------------


class LatestStatusSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Status code (01-06, 13-16).")
    label = serializers.CharField()
    description = serializers.CharField(help_text="The recipient's text (a refusal's reason).")
    received_at = serializers.DateTimeField()


class DeliveryProblemSerializer(serializers.Serializer):
    """One delivery of an issued document that needs the clerk (failed, stuck or refused)."""

    id = serializers.IntegerField()
    document_id = serializers.IntegerField(help_text="Id of the outgoing document.")
    number_and_notation = serializers.CharField(source="document.number_and_notation")
    subject = serializers.CharField(source="document.subject")
    name = serializers.CharField(help_text="The recipient agency.")
    organ_id = serializers.CharField(help_text="The recipient's identifier (QCVN 102).")
    kind = serializers.CharField(help_text="send, recall, update or replace.")
    state = serializers.CharField(help_text="queued, sent, delivered or failed.")
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    latest_status = serializers.SerializerMethodField(
        help_text="The recipient's highest-ranked status (null: none yet)."
    )

    @extend_schema_field(LatestStatusSerializer(allow_null=True))
    def get_latest_status(self, obj) -> dict | None:
        status = self.context.get("latest", {}).get(obj.pk)
        if status is None:
            return None
        return LatestStatusSerializer(status).data
