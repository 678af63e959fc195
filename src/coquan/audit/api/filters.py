"""Filters of ``GET /api/v1/audit/entries/``."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from coquan.audit.models import AuditEntry


class DateOrDateTimeField(forms.Field):
    """An ISO 8601 date (``2026-02-13``) or date-time (``2026-02-13T16:00:00+07:00``)."""

    default_error_messages = {
        "invalid": _("Enter an ISO 8601 date (YYYY-MM-DD) or date-time."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            day = parse_date(text)  # first: a bare date also parses as a midnight date-time
            if day is not None:
                return day
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@extend_schema_field({"type": "string", "description": "ISO 8601 date (YYYY-MM-DD) or date-time"})
class DateOrDateTimeFilter(django_filters.Filter):
    field_class = DateOrDateTimeField


def _start_of(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


class AuditEntryFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(
        method="filter_action",
        help_text="Exact action code, or a prefix ending with a dot (e.g. `accounts.`).",
    )
    actor = django_filters.NumberFilter(field_name="actor_id", help_text="Actor's user id.")
    actor_name = django_filters.CharFilter(field_name="actor_name", help_text="User name.")
    agency = django_filters.NumberFilter(field_name="agency_id", help_text="Agency id.")
    object_type = django_filters.CharFilter(field_name="object_type")
    object_id = django_filters.CharFilter(field_name="object_id")
    since = DateOrDateTimeFilter(
        method="filter_since",
        help_text="Entries at or after this date (local midnight) or date-time (ISO 8601).",
    )
    until = DateOrDateTimeFilter(
        method="filter_until",
        help_text="Entries up to this date (the whole day) or before this date-time.",
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "actor_name", "agency", "object_type", "object_id"]

    def filter_action(self, queryset, name, value):
        return queryset.matching_action(value.strip())

    def filter_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        if isinstance(value, dt.datetime):
            return queryset.filter(created_at__lte=value)
        return queryset.filter(created_at__lt=_start_of(value + dt.timedelta(days=1)))
