"""The one-stop statistics API: the standard report (§3.10) as JSON, and the dossier
register (form 06) as PDF or XLSX, with the same rules as the pages (leaders and desk
officers of the agency; ``tree`` adds the agencies under it)."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from coquan.onestop import reports
from coquan.onestop.api.views import AGENCY_PARAMETER, _agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodInput(serializers.Serializer):
    start = serializers.DateField(help_text="First day of the period (YYYY-MM-DD).")
    end = serializers.DateField(help_text="Last day of the period (YYYY-MM-DD).")

    def validate(self, attrs):
        from django.core.exceptions import ValidationError

        try:
            attrs["period"] = reports.Period(attrs["start"], attrs["end"])
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs


class ReportInput(PeriodInput):
    group_by = serializers.ChoiceField(
        choices=list(reports.GROUPS), default="procedure", help_text="Rows of the report."
    )
    tree = serializers.BooleanField(
        default=False, help_text="Include the agencies under this one (province view)."
    )


class ReportRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    code = serializers.CharField()
    received_total = serializers.IntegerField()
    carried_over = serializers.IntegerField()
    received_in_period = serializers.IntegerField()
    online = serializers.IntegerField()
    direct = serializers.IntegerField()
    postal = serializers.IntegerField()
    resolved_total = serializers.IntegerField()
    early = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    progress_total = serializers.IntegerField()
    progress_in_time = serializers.IntegerField()
    progress_late = serializers.IntegerField()
    paused_total = serializers.IntegerField()
    paused_in_time = serializers.IntegerField()
    paused_late = serializers.IntegerField()
    on_time_rate = serializers.CharField(allow_null=True, help_text="Per cent, one decimal.")
    online_share = serializers.CharField(allow_null=True, help_text="Per cent, one decimal.")


class ReportSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text="organ_id")
    start = serializers.DateField()
    end = serializers.DateField()
    group_by = serializers.CharField()
    tree = serializers.BooleanField()
    generated_at = serializers.DateTimeField()
    rows = ReportRowSerializer(many=True)
    total = ReportRowSerializer()


def _input(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class StandardReportView(APIView):
    """The standard report of the one-stop shop for a period (§3.10)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[AGENCY_PARAMETER, ReportInput],
        responses={200: ReportSerializer, 403: OpenApiResponse(description="No report role.")},
    )
    def get(self, request):
        agency = _agency(request)
        reports.require_reports(request.user, agency)
        data = _input(ReportInput, request)
        report = reports.build(
            request.user, agency, data["period"], group_by=data["group_by"], tree=data["tree"]
        )
        return Response(
            {
                "agency": agency.organ_id,
                "start": report.period.start,
                "end": report.period.end,
                "group_by": report.group_by,
                "tree": report.tree,
                "generated_at": report.generated_at,
                "rows": [row.as_dict() for row in report.rows],
                "total": report.total.as_dict(),
            }
        )


class RegisterView(APIView):
    """The dossier register (form 06) of a period, as PDF (default) or XLSX."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            AGENCY_PARAMETER,
            PeriodInput,
            OpenApiParameter("file", str, enum=["pdf", "xlsx"], description="default pdf"),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request):
        agency = _agency(request)
        reports.require_reports(request.user, agency)
        data = _input(PeriodInput, request)
        register = reports.build_register(request.user, agency, data["period"])
        if request.query_params.get("file") == "xlsx":
            body, content_type, extension = reports.render_register_xlsx(register), XLSX, "xlsx"
        else:
            body, content_type = reports.render_register_pdf(register), "application/pdf"
            extension = "pdf"
        response = HttpResponse(body, content_type=content_type)
        name = reports.file_name("so-theo-doi-ho-so", data["period"], extension)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
