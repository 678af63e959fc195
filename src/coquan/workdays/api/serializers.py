"""Serializers of the working-day calendar API."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coquan.workdays.calendar import MAX_WORKING_DAYS, MAX_YEAR, MIN_YEAR
from coquan.workdays.choices import OverrideKind
from coquan.workdays.models import CalendarOverride


class OverrideSerializer(serializers.ModelSerializer):
    """An override. Writes go through ``workdays.actions`` (duplicate dates are refused
    there, with the field ``date`` in the error details)."""

    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=OverrideKind.choices)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    name = serializers.CharField(max_length=200)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = CalendarOverride
        fields = ["id", "date", "kind", "kind_label", "name", "note", "created_by", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators: list = []


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    weekday = serializers.IntegerField(help_text="0 = Monday … 6 = Sunday")
    kind = serializers.ChoiceField(choices=["holiday", "day_off", "makeup"])
    working = serializers.BooleanField()
    name = serializers.CharField()
    source = serializers.ChoiceField(choices=["statutory", "override"])
    statutory_name = serializers.CharField(help_text="The statutory holiday an override replaces")
    override = serializers.IntegerField(allow_null=True, help_text="Id of the override, if any")


class CalendarYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    weekend = serializers.ListField(child=serializers.IntegerField())
    working_days = serializers.IntegerField(help_text="Number of working days in the year")
    days = CalendarDaySerializer(many=True)


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)


class DeadlineQuerySerializer(serializers.Serializer):
    start = serializers.DateTimeField(
        help_text="ISO 8601 reception time; without an offset it is read in Asia/Ho_Chi_Minh"
    )
    days = serializers.DecimalField(
        max_digits=7,
        decimal_places=1,
        min_value=Decimal(0),
        max_value=Decimal(MAX_WORKING_DAYS),
        help_text="Working days, in steps of 0.5",
    )
    cutoff = serializers.TimeField(
        required=False, help_text="Cut-off time (HH:MM); the deployment setting by default"
    )

    def validate_days(self, value):
        if (value * 2) % 1 != 0:
            raise serializers.ValidationError(_("Enter whole or half days (steps of 0.5)."))
        return value


class DeadlineSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    days = serializers.DecimalField(max_digits=7, decimal_places=1)
    cutoff = serializers.TimeField(format="%H:%M")
    effective_start = serializers.DateField(
        help_text="Counting starts on the working day after this date"
    )
    deadline = serializers.DateTimeField()
