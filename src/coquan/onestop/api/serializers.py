"""Serializers of the one-stop API. Output serializers never carry personal data to the
public lookup; input serializers only parse — the rules are the actions'."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coquan.accounts.models import User
from coquan.onestop import deadlines, presenters
from coquan.onestop.choices import (
    ApplicantType,
    AppliesTo,
    Channel,
    DossierStatus,
    OnlineLevel,
    PaperForm,
    ProcedureLevel,
    ProcedureState,
    TimeUnit,
    TransferKind,
)
from coquan.onestop.models import (
    Dossier,
    DossierComponent,
    DossierExtension,
    DossierStatusChange,
    DossierSupplement,
    DossierTransfer,
    Procedure,
    ProcedureComponent,
    ProcedureStep,
)
from coquan.onestop.models.evaluation import BodiesContacted, DossierRating, Satisfaction
from coquan.onestop.models.fees import DossierFee, PaymentMethod
from coquan.org.choices import RoleCode
from coquan.org.models import Unit

HALF = Decimal("0.5")


def code_field(choices_class, **kwargs) -> serializers.CharField:
    """A read-only code of a choice set, without an OpenAPI enum: these field names
    (``status``, ``level``, ``state``, ``kind`` …) carry other choice sets in other apps, and
    one enum per name keeps the schema unambiguous. The codes are listed in the help text."""
    values = ", ".join(f"{member.value} ({member.name.lower()})" for member in choices_class)
    return serializers.CharField(read_only=True, help_text=f"One of: {values}.", **kwargs)


@extend_schema_field({"type": "string"})
class CodeChoiceField(serializers.ChoiceField):
    """An input code validated against a choice set but documented without an OpenAPI enum
    (see ``code_field``: ``level`` and ``channel`` name other choice sets in other apps)."""

    def __init__(self, choices_class, **kwargs):
        values = ", ".join(choices_class.values)
        kwargs.setdefault("help_text", f"One of: {values}.")
        super().__init__(choices=choices_class.choices, **kwargs)


# --- catalogue ------------------------------------------------------------------------------


class ProcedureComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureComponent
        fields = [
            "id",
            "order",
            "name",
            "paper_form",
            "count",
            "template_name",
            "required",
            "applies_to",
        ]


class ProcedureStepSerializer(serializers.ModelSerializer):
    responsible_unit_code = serializers.CharField(
        source="responsible_unit.code", read_only=True, default=None
    )
    responsible_role = code_field(RoleCode)

    class Meta:
        model = ProcedureStep
        fields = [
            "id",
            "order",
            "name",
            "responsible_unit",
            "responsible_unit_code",
            "responsible_role",
            "time_budget",
        ]


class ProcedureSerializer(serializers.ModelSerializer):
    """A version of a procedure, as listed."""

    state = code_field(ProcedureState)
    level = code_field(ProcedureLevel)

    class Meta:
        model = Procedure
        fields = [
            "id",
            "code",
            "version",
            "state",
            "name",
            "sector_code",
            "sector_name",
            "level",
            "time_limit",
            "time_unit",
            "online_level",
            "published_at",
        ]


class ProcedureDetailSerializer(ProcedureSerializer):
    components = ProcedureComponentSerializer(many=True, read_only=True)
    steps = ProcedureStepSerializer(many=True, read_only=True)
    agency = serializers.CharField(source="agency.organ_id", read_only=True)

    class Meta(ProcedureSerializer.Meta):
        fields = [
            *ProcedureSerializer.Meta.fields,
            "agency",
            "competent_authority",
            "legal_basis",
            "result_name",
            "fee_amount",
            "fee_note",
            "cutoff_time",
            "components",
            "steps",
        ]


class ComponentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    paper_form = serializers.ChoiceField(choices=PaperForm.choices, default=PaperForm.ORIGINAL)
    count = serializers.IntegerField(min_value=1, default=1)
    template_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    required = serializers.BooleanField(default=True)
    applies_to = serializers.ChoiceField(choices=AppliesTo.choices, default=AppliesTo.ALL)


class StepInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=250)
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), allow_null=True, required=False
    )
    responsible_role = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="A role code: " + ", ".join(RoleCode.values) + ".",
    )
    time_budget = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=HALF)


class ProcedureWriteSerializer(serializers.Serializer):
    """A draft's fields; on update, every field is optional and components/steps given
    replace the draft's."""

    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=500)
    sector_code = serializers.CharField(max_length=20)
    sector_name = serializers.CharField(max_length=200)
    level = CodeChoiceField(ProcedureLevel)
    competent_authority = serializers.CharField(max_length=250)
    legal_basis = serializers.CharField(required=False, allow_blank=True)
    result_name = serializers.CharField(max_length=250, required=False, allow_blank=True)
    fee_amount = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    fee_note = serializers.CharField(required=False, allow_blank=True)
    time_limit = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=HALF)
    time_unit = serializers.ChoiceField(choices=TimeUnit.choices)
    cutoff_time = serializers.TimeField(required=False, allow_null=True)
    online_level = serializers.ChoiceField(choices=OnlineLevel.choices, default=OnlineLevel.NONE)
    components = ComponentInputSerializer(many=True, required=False)
    steps = StepInputSerializer(many=True, required=False)


class CatalogueImportSerializer(serializers.Serializer):
    catalogue = serializers.JSONField(
        help_text="A catalogue document (format coquan.onestop.procedures)."
    )
    publish = serializers.BooleanField(default=False)


class CatalogueSerializer(serializers.Serializer):
    format = serializers.CharField()
    format_version = serializers.IntegerField()
    agency = serializers.CharField()
    procedures = serializers.ListField(child=serializers.DictField())


# --- reception ------------------------------------------------------------------------------


class ReceptionSerializer(serializers.Serializer):
    procedure = serializers.IntegerField(help_text="Id of a published procedure version.")
    applicant_type = serializers.ChoiceField(choices=ApplicantType.choices)
    applicant_name = serializers.CharField(max_length=200)
    applicant_id_number = serializers.CharField(max_length=30)
    applicant_address = serializers.CharField(max_length=300)
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    applicant_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    components = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Ids of the papers received."
    )
    set_count = serializers.IntegerField(min_value=1, max_value=99, default=1)
    note = serializers.CharField(required=False, allow_blank=True)


class AcceptSerializer(ReceptionSerializer):
    channel = CodeChoiceField(Channel, default=Channel.DIRECT)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="Scanned files (multipart)."
    )


class DeskSupplementSerializer(ReceptionSerializer):
    items = serializers.ListField(
        child=serializers.CharField(max_length=500),
        required=False,
        help_text="Missing items besides the missing mandatory papers.",
    )


class RefuseSerializer(ReceptionSerializer):
    reason = serializers.CharField()


# --- dossiers -------------------------------------------------------------------------------


class PaperSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierComponent
        fields = ["component", "name", "paper_form", "count", "required", "received", "received_at"]


class TransferSerializer(serializers.ModelSerializer):
    kind = code_field(TransferKind)

    class Meta:
        model = DossierTransfer
        fields = [
            "seq",
            "kind",
            "from_step",
            "from_unit",
            "from_user",
            "to_step",
            "to_unit",
            "to_user",
            "handed_at",
            "step_due_at",
            "finished_at",
            "timeliness",
            "note",
        ]


class StatusChangeSerializer(serializers.ModelSerializer):
    from_status = code_field(DossierStatus)
    to_status = code_field(DossierStatus)

    class Meta:
        model = DossierStatusChange
        fields = ["from_status", "to_status", "step", "changed_at", "changed_by", "note"]


class SupplementSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierSupplement
        fields = ["at_desk", "items", "note", "requested_at", "step", "late_notice", "resolved_at"]


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierExtension
        fields = ["previous_due_at", "new_due_at", "reason", "requested_at"]


class StepRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = ["id", "order", "name"]


class DossierSerializer(serializers.ModelSerializer):
    """A dossier as listed (staff only: it names the applicant)."""

    status = code_field(DossierStatus)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    channel = code_field(Channel)
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)
    current_step = StepRefSerializer(read_only=True)
    pending_state = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "id",
            "dossier_code",
            "status",
            "status_label",
            "procedure",
            "procedure_code",
            "procedure_name",
            "channel",
            "applicant_type",
            "applicant_name",
            "created_at",
            "received_at",
            "due_at",
            "current_step",
            "assignee_unit",
            "assignee_user",
            "step_due_at",
            "pending_state",
            "timeliness",
        ]

    @extend_schema_field(serializers.CharField())
    def get_pending_state(self, dossier) -> str:
        return deadlines.pending_state(dossier)


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierFee
        fields = [
            "amount",
            "reason",
            "requested_at",
            "paid_at",
            "payment_method",
            "payment_reference",
        ]


class FeeRequestSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**12)
    reason = serializers.CharField()


class PaymentSerializer(serializers.Serializer):
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    payment_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)


class DossierDetailSerializer(DossierSerializer):
    components = PaperSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    transfers = TransferSerializer(many=True, read_only=True)
    status_changes = StatusChangeSerializer(many=True, read_only=True)
    supplements = SupplementSerializer(many=True, read_only=True)
    extension = serializers.SerializerMethodField()
    forms = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "applicant_id_number",
            "applicant_address",
            "applicant_phone",
            "applicant_email",
            "set_count",
            "note",
            "refusal_reason",
            "result_note",
            "time_limit_days",
            "clock_started_at",
            "original_due_at",
            "paused_at",
            "result_ready_at",
            "returned_at",
            "stopped_at",
            "components",
            "transfers",
            "status_changes",
            "supplements",
            "fees",
            "extension",
            "forms",
        ]

    @extend_schema_field(ExtensionSerializer(allow_null=True))
    def get_extension(self, dossier):
        extension = DossierExtension.objects.filter(dossier=dossier).first()
        return ExtensionSerializer(extension).data if extension else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_forms(self, dossier) -> list[str]:
        from coquan.onestop.pdf import available_forms

        return available_forms(dossier)


class ForwardSerializer(serializers.Serializer):
    assignee_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    assignee_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
    )
    note = serializers.CharField(required=False, allow_blank=True)


class ReturnSerializer(ForwardSerializer):
    reason = serializers.CharField()
    note = None


class SupplementRequestSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.CharField(max_length=500), min_length=1)
    note = serializers.CharField(required=False, allow_blank=True)


class ResubmitSerializer(serializers.Serializer):
    components = serializers.ListField(child=serializers.IntegerField(), required=False)
    files = serializers.ListField(child=serializers.FileField(), required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class DossierExtendSerializer(serializers.Serializer):
    new_due_date = serializers.DateField()
    reason = serializers.CharField()


class DossierReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DossierApproveSerializer(serializers.Serializer):
    result_note = serializers.CharField()


class DossierNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


# --- public lookup --------------------------------------------------------------------------


class PublicStepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    state = serializers.CharField(help_text="done, current or pending")


class PublicHistorySerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    at = serializers.DateTimeField()


class PublicProgressSerializer(serializers.Serializer):
    """What anyone with the code sees: no personal data (standards §5.2)."""

    dossier_code = serializers.CharField()
    procedure_code = serializers.CharField()
    procedure_name = serializers.CharField()
    agency_name = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    result_ready_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    current_step = serializers.CharField(allow_blank=True)
    steps = PublicStepSerializer(many=True)
    history = PublicHistorySerializer(many=True)

    @staticmethod
    def for_dossier(dossier) -> dict:
        progress = presenters.public_progress(dossier)
        progress["steps"] = [dataclasses.asdict(step) for step in progress["steps"]]
        progress["history"] = [
            {"code": item["code"], "status": str(item["status"]), "at": item["at"]}
            for item in progress["history"]
        ]
        progress.pop("now", None)
        return PublicProgressSerializer(progress).data


# --- evaluation -----------------------------------------------------------------------------


class RatingInputSerializer(serializers.Serializer):
    """An applicant's rating given on paper or a counter device, recorded by the desk."""

    channel = serializers.ChoiceField(choices=["paper", "device"])
    time_to_result = serializers.ChoiceField(choices=Satisfaction.choices)
    bodies_contacted = serializers.ChoiceField(choices=BodiesContacted.choices)
    contact_count = serializers.IntegerField(min_value=0, max_value=99)
    information = serializers.ChoiceField(choices=Satisfaction.choices)
    staff_attitude = serializers.ChoiceField(choices=Satisfaction.choices)
    staff_complaint = serializers.BooleanField(required=False, default=False)
    lawful_result = serializers.ChoiceField(choices=Satisfaction.choices)
    unofficial_costs = serializers.BooleanField(required=False, default=False)
    feedback_handling = serializers.ChoiceField(
        choices=Satisfaction.choices, required=False, allow_blank=True
    )
    online_service = serializers.ChoiceField(
        choices=Satisfaction.choices, required=False, allow_blank=True
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierRating
        fields = [
            "channel",
            "time_to_result",
            "bodies_contacted",
            "contact_count",
            "information",
            "staff_attitude",
            "staff_complaint",
            "lawful_result",
            "unofficial_costs",
            "feedback_handling",
            "online_service",
            "comment",
            "rated_at",
        ]


class IndicatorScoreSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    label = serializers.CharField()
    score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class DossierScoresSerializer(serializers.Serializer):
    indicators = IndicatorScoreSerializer(many=True)
    rating = RatingSerializer(allow_null=True)


class GroupScoresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    dossiers = serializers.IntegerField()
    indicators = IndicatorScoreSerializer(many=True)
    total = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    band = serializers.CharField()


class EvaluationSerializer(serializers.Serializer):
    agency = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    dossiers = serializers.IntegerField()
    rated = serializers.IntegerField()
    indicators = IndicatorScoreSerializer(many=True)
    total = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    band = serializers.CharField()
    people = GroupScoresSerializer(many=True)
    units = GroupScoresSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs):
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError(
                {"end": [_("The start of the period is after its end.")]}
            )
        return attrs
