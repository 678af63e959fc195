"""The working-day calendar over the API: a year, a deadline, overrides (CRUD)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from coquan.core.actions import record_denial
from coquan.workdays import actions
from coquan.workdays.api.serializers import (
    CalendarYearSerializer,
    DeadlineQuerySerializer,
    DeadlineSerializer,
    OverrideSerializer,
    YearQuerySerializer,
)
from coquan.workdays.calendar import current_calendar
from coquan.workdays.models import CalendarOverride

YEAR_PARAMETER = OpenApiParameter(
    "year", int, description="The year (2000–2100); this year by default"
)


def _year(request) -> int | None:
    query = YearQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("year")


class CalendarYearView(APIView):
    """The days off and make-up days of a year: statutory holidays and overrides."""

    @extend_schema(parameters=[YEAR_PARAMETER], responses=CalendarYearSerializer)
    def get(self, request):
        year = _year(request) or timezone.localdate().year
        calendar = current_calendar()
        year_days = calendar.year_days(year)
        override_ids = dict(
            CalendarOverride.objects.visible_to(request.user)
            .for_year(year)
            .values_list("date", "pk")
        )
        days = [
            {
                "date": info.date,
                "weekday": info.date.weekday(),
                "kind": info.kind,
                "working": info.working,
                "name": info.name,
                "source": info.source,
                "statutory_name": info.statutory_name,
                "override": override_ids.get(info.date),
            }
            for info in year_days
            if info.is_marked
        ]
        body = {
            "year": year,
            "weekend": sorted(calendar.weekend),
            "working_days": sum(info.working for info in year_days),
            "days": days,
        }
        return Response(CalendarYearSerializer(body).data)


class DeadlineView(APIView):
    """The deadline of a number of working days from a reception time (the cut-off rule,
    half days and the calendar's holidays and overrides applied)."""

    @extend_schema(
        parameters=[DeadlineQuerySerializer],
        responses=DeadlineSerializer,
    )
    def get(self, request):
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        calendar = current_calendar()
        start = query.validated_data["start"]
        days = query.validated_data["days"]
        cutoff = query.validated_data.get("cutoff") or calendar.cutoff
        try:
            deadline = calendar.add_working_days(start, days, cutoff=cutoff)
            effective = calendar.effective_start(start, cutoff)
        except ValueError:
            raise serializers.ValidationError(
                {"start": [_("The deadline falls outside the years the calendar covers.")]}
            ) from None
        body = {
            "start": calendar.local(start),
            "days": days,
            "cutoff": cutoff,
            "effective_start": effective,
            "deadline": deadline,
        }
        return Response(DeadlineSerializer(body).data)


@extend_schema_view(list=extend_schema(parameters=[YEAR_PARAMETER]))
class OverrideViewSet(viewsets.ModelViewSet):
    """Calendar overrides: every signed-in person reads them; only deployment
    administrators (superusers) create, change or delete them, through the actions."""

    serializer_class = OverrideSerializer
    filter_backends: list = []
    queryset = CalendarOverride.objects.none()

    def get_queryset(self):
        queryset = (
            CalendarOverride.objects.visible_to(self.request.user)
            .select_related("created_by")
            .order_by("date", "pk")
        )
        if self.action == "list":
            year = _year(self.request)
            if year is not None:
                queryset = queryset.for_year(year)
        return queryset

    def _require_admin(self, code: str) -> None:
        try:
            actions.require_deployment_admin(self.request.user)
        except PermissionDenied as exc:
            record_denial(self.request.user, code, reason=str(exc))
            raise

    def create(self, request, *args, **kwargs):
        self._require_admin("workdays.override.create")
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        self._require_admin("workdays.override.update")
        return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        self._require_admin("workdays.override.delete")
        return super().destroy(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.create_override(
            self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = actions.update_override(
            self.request.user, override=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        actions.delete_override(self.request.user, override=instance)
