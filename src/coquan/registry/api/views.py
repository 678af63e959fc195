"""Registry API: licences, BTS stations, indicators and their values, annual report data.

Lists start from ``visible_to(request.user)`` (every agency where the person is a member)
and are paginated; rows of other agencies answer 404. Writes work on the person's active
agency (``X-Agency: <organ_id>`` header, else the session's or first membership) and call
the same actions as the web pages, so permissions, rules and audit entries are identical;
domain errors become the uniform error body (``coquan.api.errors``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from coquan.org.active import active_agency
from coquan.registry import actions
from coquan.registry import importing as cells
from coquan.registry.actions.registers import BTS_COLUMNS, BTS_REQUIRED
from coquan.registry.api.serializers import (
    BtsStationSerializer,
    BtsStationWriteSerializer,
    ChangedCodesSerializer,
    ImportFileSerializer,
    ImportResultSerializer,
    IndicatorSerializer,
    IndicatorValueRevisionSerializer,
    IndicatorValueSerializer,
    IndicatorValuesInputSerializer,
    LicenceAmendSerializer,
    LicenceDetailSerializer,
    LicenceIssueSerializer,
    LicenceRenewSerializer,
    LicenceSerializer,
    LicenceStepSerializer,
    LicenceTypeSerializer,
    ReportDataSerializer,
)
from coquan.registry.choices import ValueSource
from coquan.registry.filtersets import BtsStationFilter, IndicatorValueFilter, LicenceFilter
from coquan.registry.models import (
    BtsStation,
    Indicator,
    IndicatorValue,
    Licence,
    LicenceType,
)
from coquan.registry.models.indicators import MAX_YEAR, MIN_YEAR
from coquan.registry.permissions import can_view
from coquan.registry.report import build_report_data

READ_WRITE_METHODS = ["get", "post", "patch", "head", "options"]


def _input(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def working_agency(request, organ_id: str | None = None):
    """The agency a write (or the report) works on: the one named by ``organ_id`` (the
    ``agency`` field or query parameter), which must be one of the person's agencies, else
    the active agency (``X-Agency`` header); 403 otherwise."""
    from coquan.org.models import Agency

    organ_id = organ_id or request.query_params.get("agency")
    if organ_id:
        agencies = (
            Agency.objects.all()
            if request.user.is_superuser
            else (Agency.objects.member_of(request.user))
        )
        agency = agencies.filter(organ_id=organ_id).first()
    else:
        agency = active_agency(request)
    if not can_view(request.user, agency):
        raise PermissionDenied(_("You are not a member of an agency that keeps a registry."))
    return agency


def _import_response(result) -> Response:
    body = {
        "created": result.created,
        "total": result.total,
        "refused_rows": result.refused_rows,
        "errors": [error.as_dict() for error in result.errors],
    }
    return Response(body, status=status.HTTP_200_OK)


class LicenceTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The licence types (shared reference data) and the extra fields of each."""

    serializer_class = LicenceTypeSerializer
    lookup_field = "code"
    filter_backends: list = []

    def get_queryset(self):
        return LicenceType.objects.visible_to(self.request.user).active()


class LicenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Licences of the person's agencies. Issue (POST), amend (PATCH) and the lifecycle
    steps (renew, suspend, reinstate, revoke) need an editing role in the licence's agency."""

    serializer_class = LicenceSerializer
    filterset_class = LicenceFilter
    ordering_fields = ["issue_date", "expiry_date", "number"]
    http_method_names = READ_WRITE_METHODS

    def get_queryset(self):
        return (
            Licence.objects.visible_to(self.request.user)
            .select_related("agency", "licence_type")
            .order_by("-issue_date", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return LicenceDetailSerializer
        return LicenceSerializer

    def retrieve(self, request, *args, **kwargs):
        licence = self.get_object()
        licence = self.get_queryset().prefetch_related("events__actor").filter(pk=licence.pk).get()
        return Response(LicenceDetailSerializer(licence).data)

    @extend_schema(request=LicenceIssueSerializer, responses={201: LicenceSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(_input(LicenceIssueSerializer, request))
        agency = working_agency(request, data.pop("agency", None))
        licence = actions.issue_licence(request.user, agency=agency, **data)
        return Response(LicenceSerializer(licence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LicenceAmendSerializer, responses=LicenceSerializer)
    def partial_update(self, request, *args, **kwargs):
        licence = self.get_object()
        data = dict(_input(LicenceAmendSerializer, request))
        licence = actions.amend_licence(request.user, licence=licence, **data)
        return Response(LicenceSerializer(licence).data)

    @extend_schema(request=LicenceRenewSerializer, responses=LicenceSerializer)
    @drf_action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Extend the licence to a new expiry date."""
        licence = actions.renew_licence(
            request.user, licence=self.get_object(), **_input(LicenceRenewSerializer, request)
        )
        return Response(LicenceSerializer(licence).data)

    @extend_schema(request=LicenceStepSerializer, responses=LicenceSerializer)
    @drf_action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        """Suspend the licence (reason required)."""
        licence = actions.suspend_licence(
            request.user, licence=self.get_object(), **_input(LicenceStepSerializer, request)
        )
        return Response(LicenceSerializer(licence).data)

    @extend_schema(request=LicenceStepSerializer, responses=LicenceSerializer)
    @drf_action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        """End the licence's suspension."""
        licence = actions.reinstate_licence(
            request.user, licence=self.get_object(), **_input(LicenceStepSerializer, request)
        )
        return Response(LicenceSerializer(licence).data)

    @extend_schema(request=LicenceStepSerializer, responses=LicenceSerializer)
    @drf_action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke the licence for good (reason required)."""
        licence = actions.revoke_licence(
            request.user, licence=self.get_object(), **_input(LicenceStepSerializer, request)
        )
        return Response(LicenceSerializer(licence).data)


class BtsStationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """BTS stations of the person's agencies; editors add, change and import them."""

    serializer_class = BtsStationSerializer
    filterset_class = BtsStationFilter
    ordering_fields = ["operator", "code", "permit_date"]
    http_method_names = READ_WRITE_METHODS

    def get_queryset(self):
        return (
            BtsStation.objects.visible_to(self.request.user)
            .select_related("agency", "commune")
            .order_by("operator", "code", "pk")
        )

    @staticmethod
    def _commune(data: dict) -> dict:
        commune = data.pop("commune", None)
        name = data.pop("commune_name", "")
        return {"commune": commune or name or None, "commune_name": "" if commune else name}

    @extend_schema(request=BtsStationWriteSerializer, responses={201: BtsStationSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(_input(BtsStationWriteSerializer, request))
        agency = working_agency(request, data.pop("agency", None))
        station = actions.create_bts_station(
            request.user, agency=agency, **self._commune(data), **data
        )
        return Response(BtsStationSerializer(station).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BtsStationWriteSerializer, responses=BtsStationSerializer)
    def partial_update(self, request, *args, **kwargs):
        station = self.get_object()
        data = dict(_input(BtsStationWriteSerializer, request, partial=True))
        data.pop("agency", None)
        if "commune" in data or "commune_name" in data:
            data.update(self._commune(data))
        station = actions.update_bts_station(request.user, station=station, **data)
        return Response(BtsStationSerializer(station).data)

    @extend_schema(
        request={"multipart/form-data": ImportFileSerializer},
        responses=ImportResultSerializer,
    )
    @drf_action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        """Import stations from an XLSX file: valid rows are created and every invalid row
        is reported; an unreadable file or wrong columns import nothing (400)."""
        data = _input(ImportFileSerializer, request)
        agency = working_agency(request, data.get("agency"))
        upload = data["file"]
        try:
            table = cells.read_table(upload, BTS_COLUMNS, BTS_REQUIRED)
        except cells.ImportFileError as exc:
            from django.core.exceptions import ValidationError

            raise ValidationError({"file": exc.messages}) from None
        return _import_response(
            actions.import_bts_stations(request.user, agency=agency, table=table)
        )


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The ICT indicator definitions (shared reference data)."""

    serializer_class = IndicatorSerializer
    lookup_field = "code"
    filter_backends: list = []

    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user).active()


class IndicatorValueViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Indicator values of the person's agencies, per year and area; editors set the
    values of entered indicators (derived ones are recomputed)."""

    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    ordering_fields = ["year"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            IndicatorValue.objects.visible_to(self.request.user)
            .select_related("agency", "indicator", "area")
            .order_by("-year", "indicator__section", "indicator__sort_order", "pk")
        )

    @extend_schema(request=IndicatorValuesInputSerializer, responses=ChangedCodesSerializer)
    def create(self, request, *args, **kwargs):
        """Set values of entered indicators for one year and area in the active agency."""
        data = _input(IndicatorValuesInputSerializer, request)
        agency = working_agency(request, data.get("agency"))
        changed = actions.set_indicator_values(
            request.user,
            agency=agency,
            year=data["year"],
            area=data.get("area"),
            values=data["values"],
            source=ValueSource.API,
        )
        return Response({"changed": changed})

    @extend_schema(responses=IndicatorValueRevisionSerializer(many=True))
    @drf_action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        """Every change of this value (newest first)."""
        value = self.get_object()
        revisions = value.revisions.select_related("actor").order_by("-changed_at", "-pk")[:500]
        return Response(IndicatorValueRevisionSerializer(revisions, many=True).data)


class ReportDataView(APIView):
    """The data of the annual report of ``year`` for the active agency: indicator values
    (derived ones computed afresh), register counts, the series of the chart and next
    year's plan — the same numbers as the PDF, the DOCX and the dashboard."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter(
                "agency",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=False,
                description="organ_id of one of your agencies (default: the active agency).",
            ),
        ],
        responses=ReportDataSerializer,
    )
    def get(self, request, year: int):
        from django.http import Http404

        if not MIN_YEAR <= year <= MAX_YEAR:
            raise Http404
        agency = working_agency(request)
        return Response(build_report_data(agency, year))
