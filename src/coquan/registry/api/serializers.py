"""Serializers of the registry API: reading rows, and parsing input for the actions."""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coquan.registry.choices import (
    BtsStatus,
    BtsType,
    HolderKind,
    IndicatorKind,
    IndicatorPeriod,
    LicenceEventKind,
    LicenceGroup,
    LicenceStatus,
    ReportSection,
    ValueSource,
)
from coquan.registry.models import (
    BtsStation,
    Indicator,
    IndicatorValue,
    IndicatorValueRevision,
    Licence,
    LicenceEvent,
    LicenceType,
)
from coquan.registry.models.registers import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN


def choice_field(choices_cls, **kwargs):
    return serializers.ChoiceField(choices=choices_cls.choices, **kwargs)


def code_field(choices_cls, **kwargs):
    """A status or source as plain text in the schema (its values listed in the help text).

    Several apps have fields named ``status`` and ``source`` with different value sets; as
    plain strings they do not compete for the shared ``StatusEnum`` component name.
    """
    values = ", ".join(choices_cls.values)
    return serializers.CharField(
        help_text=format_lazy(_("One of: {values}."), values=values), **kwargs
    )


def _communes():
    from coquan.org.models import Agency

    return Agency.objects.filter(level__in=("commune", "district"))


class OrganIdField(serializers.SlugRelatedField):
    """An agency given by its ``organ_id``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "organ_id")
        super().__init__(**kwargs)


# --- Licences ----------------------------------------------------------------------------------


class LicenceTypeSerializer(serializers.ModelSerializer):
    group = choice_field(LicenceGroup, read_only=True)

    class Meta:
        model = LicenceType
        fields = ["code", "name", "group", "default_validity_months", "field_schema"]


class LicenceSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.organ_id", read_only=True)
    licence_type = serializers.CharField(source="licence_type.code", read_only=True)
    licence_type_name = serializers.CharField(source="licence_type.name", read_only=True)
    holder_kind = choice_field(HolderKind, read_only=True)
    status = code_field(LicenceStatus, read_only=True)

    class Meta:
        model = Licence
        fields = [
            "id",
            "agency",
            "licence_type",
            "licence_type_name",
            "number",
            "holder_kind",
            "holder_name",
            "holder_id_number",
            "holder_address",
            "issue_date",
            "expiry_date",
            "status",
            "conditions",
            "extra",
            "dossier_ref",
            "outgoing_document_ref",
            "updated_at",
        ]
        read_only_fields = fields


class LicenceEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default=None)
    kind = choice_field(LicenceEventKind, read_only=True)

    class Meta:
        model = LicenceEvent
        fields = [
            "kind",
            "effective_date",
            "recorded_at",
            "actor",
            "reason",
            "document_ref",
            "changes",
        ]
        read_only_fields = fields


class LicenceDetailSerializer(LicenceSerializer):
    events = LicenceEventSerializer(many=True, read_only=True)

    class Meta(LicenceSerializer.Meta):
        fields = [*LicenceSerializer.Meta.fields, "events"]
        read_only_fields = fields


class LicenceIssueSerializer(serializers.Serializer):
    agency = serializers.CharField(
        max_length=13,
        required=False,
        write_only=True,
        help_text=_("organ_id of one of your agencies (default: the active agency)."),
    )
    licence_type = serializers.SlugRelatedField(
        slug_field="code", queryset=LicenceType.objects.active()
    )
    number = serializers.CharField(max_length=50)
    holder_kind = choice_field(HolderKind, default=HolderKind.ORGANISATION)
    holder_name = serializers.CharField(max_length=250)
    holder_id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    holder_address = serializers.CharField(max_length=250, required=False, allow_blank=True)
    issue_date = serializers.DateField()
    expiry_date = serializers.DateField(required=False, allow_null=True)
    conditions = serializers.CharField(required=False, allow_blank=True)
    extra = serializers.DictField(required=False, default=dict)
    dossier_ref = serializers.CharField(max_length=50, required=False, allow_blank=True)
    outgoing_document_ref = serializers.CharField(max_length=60, required=False, allow_blank=True)


class LicenceAmendSerializer(serializers.Serializer):
    holder_kind = choice_field(HolderKind, required=False)
    holder_name = serializers.CharField(max_length=250, required=False)
    holder_id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    holder_address = serializers.CharField(max_length=250, required=False, allow_blank=True)
    conditions = serializers.CharField(required=False, allow_blank=True)
    extra = serializers.DictField(required=False)
    dossier_ref = serializers.CharField(max_length=50, required=False, allow_blank=True)
    outgoing_document_ref = serializers.CharField(max_length=60, required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    document_ref = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)


class LicenceStepSerializer(serializers.Serializer):
    """Suspend, reinstate or revoke (the reason is required to suspend or revoke)."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")
    document_ref = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)


class LicenceRenewSerializer(LicenceStepSerializer):
    expiry_date = serializers.DateField()


# --- BTS stations ------------------------------------------------------------------------------


class BtsStationSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.organ_id", read_only=True)
    commune = serializers.CharField(source="commune.organ_id", read_only=True, default=None)
    station_type = choice_field(BtsType, read_only=True)
    status = code_field(BtsStatus, read_only=True)

    class Meta:
        model = BtsStation
        fields = [
            "id",
            "agency",
            "operator",
            "code",
            "address",
            "commune",
            "commune_name",
            "latitude",
            "longitude",
            "station_type",
            "height_m",
            "permit_number",
            "permit_date",
            "status",
            "updated_at",
        ]
        read_only_fields = fields


class BtsStationWriteSerializer(serializers.Serializer):
    agency = serializers.CharField(
        max_length=13,
        required=False,
        write_only=True,
        help_text=_("organ_id of one of your agencies (default: the active agency)."),
    )
    operator = serializers.CharField(max_length=100)
    code = serializers.CharField(max_length=50)
    address = serializers.CharField(max_length=250)
    commune = OrganIdField(queryset=_communes(), required=False, allow_null=True)
    commune_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=LAT_MIN, max_value=LAT_MAX
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=LON_MIN, max_value=LON_MAX
    )
    station_type = choice_field(BtsType)
    height_m = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )
    permit_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    permit_date = serializers.DateField(required=False, allow_null=True)
    status = code_field(BtsStatus, default=BtsStatus.PERMITTED)

    def validate_status(self, value):
        if value not in BtsStatus.values:
            raise serializers.ValidationError(
                format_lazy(_("One of: {values}."), values=", ".join(BtsStatus.values))
            )
        return value


class ImportFileSerializer(serializers.Serializer):
    agency = serializers.CharField(
        max_length=13,
        required=False,
        write_only=True,
        help_text=_("organ_id of one of your agencies (default: the active agency)."),
    )
    file = serializers.FileField(help_text=_("An Excel .xlsx file (or CSV) with a header row."))


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    total = serializers.IntegerField()
    refused_rows = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)


# --- Indicators --------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    period = choice_field(IndicatorPeriod, read_only=True)
    kind = choice_field(IndicatorKind, read_only=True)
    section = choice_field(ReportSection, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "period",
            "kind",
            "formula",
            "decimals",
            "section",
            "description",
        ]
        read_only_fields = fields


class IndicatorValueSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.organ_id", read_only=True)
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    area = serializers.CharField(source="area.organ_id", read_only=True, default=None)
    source = code_field(ValueSource, read_only=True)

    class Meta:
        model = IndicatorValue
        fields = ["id", "agency", "indicator", "year", "area", "value", "source", "updated_at"]
        read_only_fields = fields


class IndicatorValueRevisionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default=None)
    source = code_field(ValueSource, read_only=True)

    class Meta:
        model = IndicatorValueRevision
        fields = ["old_value", "new_value", "source", "actor", "changed_at"]
        read_only_fields = fields


class IndicatorValuesInputSerializer(serializers.Serializer):
    agency = serializers.CharField(
        max_length=13,
        required=False,
        write_only=True,
        help_text=_("organ_id of one of your agencies (default: the active agency)."),
    )
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    area = OrganIdField(
        queryset=_communes(),
        required=False,
        allow_null=True,
        help_text=_("organ_id of a commune or district; empty for the whole province."),
    )
    values = serializers.DictField(
        child=serializers.DecimalField(max_digits=24, decimal_places=6),
        help_text=_('Values of entered indicators by code, e.g. {"subscribers": 950000}.'),
    )


class ChangedCodesSerializer(serializers.Serializer):
    changed = serializers.ListField(child=serializers.CharField())


# --- Report data -------------------------------------------------------------------------------


class ReportAgencySerializer(serializers.Serializer):
    organ_id = serializers.CharField()
    name = serializers.CharField()


class ReportIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    decimals = serializers.IntegerField()
    section = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.CharField(allow_null=True, help_text=_("Exact decimal as text."))
    previous = serializers.CharField(allow_null=True)


class ReportPlanSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    items = serializers.ListField(child=serializers.CharField())


class ReportSeriesSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    subscribers = serializers.ListField(child=serializers.CharField(allow_null=True))
    phone_density = serializers.ListField(child=serializers.CharField(allow_null=True))
    revenue = serializers.ListField(child=serializers.CharField(allow_null=True))
    revenue_plan = serializers.ListField(child=serializers.CharField(allow_null=True))
    internet_subscribers = serializers.ListField(child=serializers.CharField(allow_null=True))


class ReportDataSerializer(serializers.Serializer):
    agency = ReportAgencySerializer()
    year = serializers.IntegerField()
    indicators = ReportIndicatorSerializer(many=True)
    registers = serializers.DictField(
        child=serializers.CharField(), help_text=_("Register counts and sums of the year.")
    )
    series = ReportSeriesSerializer()
    plan = ReportPlanSerializer()
