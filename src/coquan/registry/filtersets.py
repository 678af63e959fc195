"""Filters of the register lists, shared by the web pages and the API."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.registry.choices import (
    AgentStatus,
    AppraisalOutcome,
    BtsStatus,
    BtsType,
    InspectionStatus,
    LicenceStatus,
    ProjectField,
)
from coquan.registry.models import (
    BtsStation,
    IndicatorValue,
    Inspection,
    InternetAgent,
    Licence,
    LicenceType,
    ProjectAppraisal,
)
from coquan.registry.reminders import MAX_THRESHOLD, reminder_thresholds

ALL = pgettext_lazy("registry filter", "All")


def _year_range(queryset, field: str, year):
    if not year:
        return queryset
    return queryset.filter(
        **{f"{field}__gte": dt.date(year, 1, 1), f"{field}__lte": dt.date(year, 12, 31)}
    )


class _YearFilter(django_filters.NumberFilter):
    """Rows whose date ``field_name`` falls in the year (a range, so indexes are used)."""

    def filter(self, qs, value):
        return _year_range(qs, self.field_name, int(value) if value else None)


class _DaysFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def expiring_label(days: int) -> str:
    return _("Expiring within %(days)d days") % {"days": days}


class LicenceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number or holder"), method="search")
    type = django_filters.ModelChoiceFilter(
        label=_("Licence type"),
        field_name="licence_type",
        to_field_name="code",
        queryset=LicenceType.objects.all(),
        empty_label=ALL,
    )
    status = django_filters.ChoiceFilter(
        empty_label=ALL, label=pgettext_lazy("registry", "Status"), choices=LicenceStatus.choices
    )
    year = _YearFilter(label=_("Year issued"), field_name="issue_date", min_value=1990)
    expiring = _DaysFilter(
        label=_("Expiring soon"),
        method="expiring_filter",
        min_value=0,
        max_value=MAX_THRESHOLD,
        widget=forms.Select,
        error_messages={"invalid": _("Enter a whole number of days.")},
    )

    class Meta:
        model = Licence
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page offers the reminder thresholds ("expiring within 30 days" ...); the API
        # (and a hand-written URL) may ask for any number of days, shown as one more option.
        days = set(reminder_thresholds())
        wanted = self.data.get("expiring") if self.data else None
        if wanted and str(wanted).isdigit() and int(wanted) <= MAX_THRESHOLD:
            days.add(int(wanted))
        self.form.fields["expiring"].widget.choices = [("", ALL)] + [
            (str(value), expiring_label(value)) for value in sorted(days)
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(holder_name__icontains=value))

    def expiring_filter(self, queryset, name, value):
        """Valid licences whose expiry date is at most ``value`` days away (soonest first)."""
        if value is None:
            return queryset
        return queryset.expiring_within(int(value)).order_by("expiry_date", "pk")


class BtsStationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Code or address"), method="search")
    operator = django_filters.CharFilter(label=_("Operator"), lookup_expr="icontains")
    commune = django_filters.CharFilter(label=_("Commune"), method="commune_filter")
    station_type = django_filters.ChoiceFilter(
        empty_label=ALL, label=_("Station type"), choices=BtsType.choices
    )
    status = django_filters.ChoiceFilter(
        empty_label=ALL, label=pgettext_lazy("registry", "Status"), choices=BtsStatus.choices
    )

    class Meta:
        model = BtsStation
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(address__icontains=value))

    def commune_filter(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(commune_name__icontains=value) | Q(commune__name__icontains=value))


class InternetAgentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or registration number"), method="search")
    commune = django_filters.CharFilter(label=_("Commune"), method="commune_filter")
    status = django_filters.ChoiceFilter(
        empty_label=ALL, label=pgettext_lazy("registry", "Status"), choices=AgentStatus.choices
    )

    class Meta:
        model = InternetAgent
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(registration_number__icontains=value))

    def commune_filter(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(commune_name__icontains=value) | Q(commune__name__icontains=value))


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=pgettext_lazy("registry", "Subject"), field_name="subject", lookup_expr="icontains"
    )
    year = _YearFilter(label=_("Year"), field_name="start_date", min_value=1990)
    status = django_filters.ChoiceFilter(
        empty_label=ALL, label=pgettext_lazy("registry", "Status"), choices=InspectionStatus.choices
    )

    class Meta:
        model = Inspection
        fields: list[str] = []


class AppraisalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Project"), field_name="name", lookup_expr="icontains")
    year = _YearFilter(label=_("Year appraised"), field_name="appraised_on", min_value=1990)
    field = django_filters.ChoiceFilter(
        empty_label=ALL, label=pgettext_lazy("registry", "Field"), choices=ProjectField.choices
    )
    outcome = django_filters.ChoiceFilter(
        empty_label=ALL, label=_("Outcome"), choices=AppraisalOutcome.choices
    )

    class Meta:
        model = ProjectAppraisal
        fields: list[str] = []


class IndicatorValueFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    indicator = django_filters.CharFilter(label=_("Indicator code"), field_name="indicator__code")
    area = django_filters.CharFilter(
        label=_("Area (organ_id; “province” for the whole province)"), method="area_filter"
    )

    class Meta:
        model = IndicatorValue
        fields: list[str] = []

    def area_filter(self, queryset, name, value):
        if value.strip().lower() == "province":
            return queryset.filter(area__isnull=True)
        return queryset.filter(area__organ_id=value.strip())
