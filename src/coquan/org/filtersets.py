"""Filters of the org API lists (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from coquan.org.choices import AgencyLevel, RoleCode
from coquan.org.models import Agency, Membership, Unit


def _in_force(prefix_from: str, prefix_to: str) -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix_from}__lte": today}) & (
        Q(**{f"{prefix_to}__isnull": True}) | Q(**{f"{prefix_to}__gte": today})
    )


class AgencyFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        choices=AgencyLevel.choices, label=pgettext_lazy("org", "level")
    )
    parent = django_filters.NumberFilter(
        field_name="parent_id", label=pgettext_lazy("org", "parent agency")
    )
    organ_id = django_filters.CharFilter(
        field_name="organ_id", label=pgettext_lazy("org", "agency identifier")
    )
    active = django_filters.BooleanFilter(
        method="filter_active", label=pgettext_lazy("org", "in force today")
    )
    q = django_filters.CharFilter(
        method="filter_q", label=pgettext_lazy("org", "name, short name or identifier")
    )

    class Meta:
        model = Agency
        fields = ["level", "parent", "organ_id", "active", "q"]

    def filter_active(self, queryset, name, value):
        in_force = _in_force("valid_from", "valid_to")
        return queryset.filter(in_force) if value else queryset.exclude(in_force)

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(organ_id__icontains=value)
        )


class UnitFilter(django_filters.FilterSet):
    agency = django_filters.NumberFilter(
        field_name="agency_id", label=pgettext_lazy("org", "agency")
    )
    organ_id = django_filters.CharFilter(
        field_name="agency__organ_id", label=pgettext_lazy("org", "agency identifier")
    )
    parent = django_filters.NumberFilter(
        field_name="parent_id", label=pgettext_lazy("org", "parent unit")
    )
    code = django_filters.CharFilter(
        field_name="code", lookup_expr="iexact", label=pgettext_lazy("org", "code")
    )
    active = django_filters.BooleanFilter(
        method="filter_active", label=pgettext_lazy("org", "in force today")
    )

    class Meta:
        model = Unit
        fields = ["agency", "organ_id", "parent", "code", "active"]

    def filter_active(self, queryset, name, value):
        in_force = _in_force("valid_from", "valid_to")
        return queryset.filter(in_force) if value else queryset.exclude(in_force)


class MembershipFilter(django_filters.FilterSet):
    agency = django_filters.NumberFilter(
        field_name="agency_id", label=pgettext_lazy("org", "agency")
    )
    unit = django_filters.NumberFilter(field_name="unit_id", label=pgettext_lazy("org", "unit"))
    role = django_filters.ChoiceFilter(
        field_name="roles__code", choices=RoleCode.choices, label=pgettext_lazy("org", "role")
    )
    username = django_filters.CharFilter(
        field_name="user__username", lookup_expr="iexact", label=pgettext_lazy("org", "username")
    )
    active = django_filters.BooleanFilter(
        method="filter_active", label=pgettext_lazy("org", "in force today")
    )

    class Meta:
        model = Membership
        fields = ["agency", "unit", "role", "username", "active"]

    def filter_active(self, queryset, name, value):
        in_force = _in_force("start_date", "end_date")
        return queryset.filter(in_force) if value else queryset.exclude(in_force)
