"""The one-stop API: catalogue, desk reception, dossiers and their steps, public lookup.

The same actions and permissions as the pages: lists start from ``visible_to``, objects of
other agencies answer 404, a step the person may not take answers 403 before its input is
read, and domain errors become the uniform error body (``coquan.api.errors``). Pages about
an agency (creating a procedure, receiving a dossier, queues) use ``?agency=<organ_id>``,
or the active agency: the ``X-Agency`` header (an ``organ_id``) or the person's first agency.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response
from rest_framework.views import APIView

from coquan.api.errors import error_response
from coquan.core.access import member_agencies, roles_in
from coquan.onestop import actions, catalogue_io, deadlines, evaluation, pdf, queues, ratelimit
from coquan.onestop.api import serializers as s
from coquan.onestop.models import Dossier, Procedure
from coquan.onestop.permissions import DossierAccess, require_desk, require_procedure_admin
from coquan.onestop.views.lookup import find_public
from coquan.org.active import active_agency

READ_POST_PATCH = ["get", "post", "patch", "head", "options"]
AGENCY_PARAMETER = OpenApiParameter(
    "agency", str, description="organ_id of one of your agencies (default: the active agency)"
)


def _input(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _agency(request):
    """The agency a request works on: ``?agency=<organ_id>`` (one of the person's agencies,
    else 404), or the active agency (``X-Agency`` header, else the first)."""
    from coquan.org.models import Agency

    wanted = request.query_params.get("agency")
    if wanted:
        agency = Agency.objects.filter(
            organ_id=wanted, pk__in=member_agencies(request.user)
        ).first()
    else:
        agency = active_agency(request)
    if agency is None:
        raise Http404
    return agency


# --- catalogue ------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(parameters=[AGENCY_PARAMETER]))
class ProcedureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The procedure catalogues of the person's agencies (every version); administrators
    create drafts, change them, start new versions, publish, import."""

    http_method_names = READ_POST_PATCH
    ordering_fields = ["code", "name", "version"]
    filterset_fields = ["state", "code", "sector_code"]

    def get_queryset(self):
        queryset = Procedure.objects.visible_to(self.request.user).order_by(
            "agency_id", "sector_code", "name", "-version"
        )
        if self.action == "list" and self.request.query_params.get("agency"):
            queryset = queryset.for_agency(_agency(self.request))
        if self.action == "retrieve":
            queryset = queryset.select_related("agency").prefetch_related(
                "components", "steps__responsible_unit"
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.ProcedureDetailSerializer
        return s.ProcedureSerializer

    @extend_schema(
        request=s.ProcedureWriteSerializer,
        responses={201: s.ProcedureDetailSerializer},
        parameters=[AGENCY_PARAMETER],
    )
    def create(self, request, *args, **kwargs):
        """Create version 1 of a procedure, as a draft, in the active agency."""
        agency = _agency(request)
        require_procedure_admin(request.user, agency)
        data = _input(s.ProcedureWriteSerializer, request)
        procedure = actions.create_procedure(
            request.user,
            agency=agency,
            components=data.pop("components", []),
            steps=data.pop("steps", []),
            **data,
        )
        return Response(s.ProcedureDetailSerializer(procedure).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProcedureWriteSerializer, responses=s.ProcedureDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change a draft version (components and steps given replace the draft's)."""
        procedure = self.get_object()
        require_procedure_admin(request.user, procedure.agency)
        data = _input(s.ProcedureWriteSerializer, request, partial=True)
        procedure = actions.update_procedure(
            request.user,
            procedure=procedure,
            components=data.pop("components", None),
            steps=data.pop("steps", None),
            **data,
        )
        return Response(s.ProcedureDetailSerializer(procedure).data)

    @extend_schema(request=None, responses=s.ProcedureDetailSerializer)
    @drf_action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a draft version (the published one is replaced)."""
        procedure = actions.publish_procedure(request.user, procedure=self.get_object())
        return Response(s.ProcedureDetailSerializer(procedure).data)

    @extend_schema(request=None, responses={201: s.ProcedureDetailSerializer})
    @drf_action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """Start a new draft version from this one."""
        procedure = actions.new_version(request.user, procedure=self.get_object())
        return Response(s.ProcedureDetailSerializer(procedure).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.CatalogueSerializer, operation_id="onestop_procedure_export")
    @drf_action(detail=True, methods=["get"], url_path="export")
    def export_one(self, request, pk=None):
        """This version as a catalogue file."""
        procedure = self.get_object()
        return Response(catalogue_io.export_catalogue(procedure.agency, [procedure]))

    @extend_schema(
        responses=s.CatalogueSerializer,
        operation_id="onestop_catalogue_export",
        parameters=[AGENCY_PARAMETER],
    )
    @drf_action(detail=False, methods=["get"], url_path="export")
    def export_catalogue(self, request):
        """The published catalogue of the active agency as a catalogue file."""
        agency = _agency(request)
        procedures = (
            Procedure.objects.visible_to(request.user)
            .for_agency(agency)
            .published()
            .prefetch_related("components", "steps__responsible_unit")
            .order_by("sector_code", "code")
        )
        return Response(catalogue_io.export_catalogue(agency, procedures))

    @extend_schema(
        request=s.CatalogueImportSerializer,
        responses={201: s.ProcedureSerializer(many=True)},
        parameters=[AGENCY_PARAMETER],
    )
    @drf_action(detail=False, methods=["post"], url_path="import")
    def import_catalogue(self, request):
        """Import a catalogue file into the active agency (new draft versions, or published)."""
        agency = _agency(request)
        require_procedure_admin(request.user, agency)
        data = _input(s.CatalogueImportSerializer, request)
        entries = catalogue_io.parse(data["catalogue"], agency)
        created = actions.import_catalogue(
            request.user, agency=agency, entries=entries, publish=data["publish"]
        )
        return Response(
            s.ProcedureSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )


# --- reception ------------------------------------------------------------------------------


def _reception_values(data: dict) -> dict:
    values = dict(data)
    values["received_components"] = values.pop("components", [])
    return values


class ReceptionViewSet(viewsets.GenericViewSet):
    """Reception at the desk of the active agency (desk officers): the three outcomes."""

    serializer_class = s.DossierDetailSerializer

    def get_queryset(self):
        return Dossier.objects.visible_to(self.request.user)

    def _prepare(self, request, serializer_class) -> tuple[object, dict]:
        agency = _agency(request)
        require_desk(request.user, agency)
        return agency, _reception_values(_input(serializer_class, request))

    def _created(self, dossier) -> Response:
        return Response(s.DossierDetailSerializer(dossier).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.AcceptSerializer,
        responses={201: s.DossierDetailSerializer},
        parameters=[AGENCY_PARAMETER],
    )
    @drf_action(detail=False, methods=["post"])
    def accept(self, request):
        """Accept a complete dossier: code, appointment, receipt (form 01)."""
        agency, values = self._prepare(request, s.AcceptSerializer)
        return self._created(actions.accept_dossier(request.user, agency=agency, **values))

    @extend_schema(
        request=s.DeskSupplementSerializer,
        responses={201: s.DossierDetailSerializer},
        parameters=[AGENCY_PARAMETER],
    )
    @drf_action(detail=False, methods=["post"])
    def supplement(self, request):
        """Ask to complete the dossier (form 02); nothing is accepted."""
        agency, values = self._prepare(request, s.DeskSupplementSerializer)
        return self._created(actions.request_completion(request.user, agency=agency, **values))

    @extend_schema(
        request=s.RefuseSerializer,
        responses={201: s.DossierDetailSerializer},
        parameters=[AGENCY_PARAMETER],
    )
    @drf_action(detail=False, methods=["post"])
    def refuse(self, request):
        """Refuse to receive the dossier (form 03)."""
        agency, values = self._prepare(request, s.RefuseSerializer)
        return self._created(actions.refuse_reception(request.user, agency=agency, **values))


# --- dossiers -------------------------------------------------------------------------------

LIST_PARAMETERS = [
    AGENCY_PARAMETER,
    OpenApiParameter(
        "queue",
        str,
        description="A queue of the active agency: " + ", ".join(q.key for q in queues.QUEUES),
    ),
    OpenApiParameter("status", str, description="Status code 1–10"),
    OpenApiParameter("procedure", str, description="Procedure code"),
    OpenApiParameter("code", str, description="Part of the dossier code"),
]


class DossierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Dossiers the person may see, their queues, and the processing steps."""

    filter_backends = []

    def get_queryset(self):
        queryset = Dossier.objects.visible_to(self.request.user).for_list()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "components", "transfers", "status_changes", "supplements", "fees"
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "list":
            return s.DossierSerializer
        return s.DossierDetailSerializer

    @extend_schema(parameters=LIST_PARAMETERS)
    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        params = request.query_params
        if params.get("agency"):
            queryset = queryset.for_agency(_agency(request))
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("procedure"):
            queryset = queryset.filter(procedure__code=params["procedure"])
        if params.get("code"):
            queryset = queryset.filter(dossier_code__icontains=params["code"][:60])
        ordering = ("-created_at", "-pk")
        if params.get("queue"):
            agency = _agency(request)
            now = timezone.now()
            ctx = queues.Context(
                request.user, roles_in(request.user, agency), now, deadlines.due_soon_until(now)
            )
            tabs = queues.queues_for(ctx.roles)
            queue = next((tab for tab in tabs if tab.key == params["queue"]), None)
            if queue is None:
                return error_response(
                    "invalid",
                    _("Unknown queue."),
                    details={
                        "queue": [
                            _("Choose one of: %(keys)s.")
                            % {"keys": ", ".join(tab.key for tab in tabs)}
                        ]
                    },
                )
            queryset = queues.apply(queryset.for_agency(agency), queue, ctx)
            ordering = queue.ordering
        page = self.paginate_queryset(queryset.order_by(*ordering))
        return self.get_paginated_response(s.DossierSerializer(page, many=True).data)

    def _step(self, request, name: str, serializer_class, call):
        dossier = self.get_object()
        DossierAccess(request.user, dossier).require(name)
        data = _input(serializer_class, request) if serializer_class else {}
        dossier = call(dossier, data)
        return Response(s.DossierDetailSerializer(dossier).data)

    @extend_schema(request=s.ForwardSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """Hand the dossier to the next step (from the desk: the first step)."""
        return self._step(
            request,
            "forward",
            s.ForwardSerializer,
            lambda d, data: actions.forward(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.ReturnSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"], url_path="return")
    def return_to_previous(self, request, pk=None):
        """Send the dossier back to the previous step, with the reason."""
        return self._step(
            request,
            "return",
            s.ReturnSerializer,
            lambda d, data: actions.return_to_previous(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.SupplementRequestSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"])
    def supplement(self, request, pk=None):
        """Request a supplement (form 02): the clock stops."""
        return self._step(
            request,
            "request_supplement",
            s.SupplementRequestSerializer,
            lambda d, data: actions.request_supplement(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.ResubmitSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """Record the completed dossier (desk): the clock restarts from zero."""

        def call(dossier, data):
            return actions.resubmit(
                request.user,
                dossier=dossier,
                received_components=data.get("components", []),
                files=data.get("files", []),
                note=data.get("note", ""),
            )

        return self._step(request, "resubmit", s.ResubmitSerializer, call)

    @extend_schema(request=s.DossierExtendSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """The one extension, with the apology letter (form 04)."""
        return self._step(
            request,
            "extend",
            s.DossierExtendSerializer,
            lambda d, data: actions.extend(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.DossierReasonSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        """Stop processing (refusal, form 03)."""
        return self._step(
            request,
            "stop",
            s.DossierReasonSerializer,
            lambda d, data: actions.stop(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.DossierApproveSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve and record the result at the last step."""
        return self._step(
            request,
            "approve",
            s.DossierApproveSerializer,
            lambda d, data: actions.approve(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.DossierNoteSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"], url_path="return-result")
    def return_result(self, request, pk=None):
        """Hand the result to the applicant."""
        return self._step(
            request,
            "return_result",
            s.DossierNoteSerializer,
            lambda d, data: actions.return_result(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.DossierNoteSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"], url_path="accept-online")
    def accept_online(self, request, pk=None):
        """Accept a dossier submitted online (desk): code, clock and appointment as at the
        desk."""
        return self._step(
            request,
            "accept_online",
            s.DossierNoteSerializer,
            lambda d, data: actions.accept_online(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.SupplementRequestSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"], url_path="return-online")
    def return_online(self, request, pk=None):
        """Return a dossier submitted online to the applicant to complete it (form 02)."""
        return self._step(
            request,
            "return_online",
            s.SupplementRequestSerializer,
            lambda d, data: actions.return_online(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.DossierReasonSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"], url_path="refuse-online")
    def refuse_online(self, request, pk=None):
        """Refuse a dossier submitted online (form 03)."""
        return self._step(
            request,
            "refuse_online",
            s.DossierReasonSerializer,
            lambda d, data: actions.refuse_online(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.FeeRequestSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"], url_path="fees")
    def request_fees(self, request, pk=None):
        """Request fees (amount in đồng, reason): status 6, the clock is paused."""
        return self._step(
            request,
            "request_fees",
            s.FeeRequestSerializer,
            lambda d, data: actions.request_fees(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.PaymentSerializer, responses=s.DossierDetailSerializer)
    @drf_action(detail=True, methods=["post"], url_path="fees/paid")
    def record_payment(self, request, pk=None):
        """Record the payment of the fees: status 4, deadlines moved by the pause."""
        return self._step(
            request,
            "record_payment",
            s.PaymentSerializer,
            lambda d, data: actions.record_payment(request.user, dossier=d, **data),
        )

    @extend_schema(request=s.RatingInputSerializer, responses=s.DossierScoresSerializer)
    @drf_action(detail=True, methods=["post"], url_path="rating")
    def rating(self, request, pk=None):
        """Record the applicant's rating given on paper or a device (desk), once the result
        is ready."""
        dossier = self.get_object()
        if not DossierAccess(request.user, dossier).is_desk:
            raise PermissionDenied(
                _("Only the one-stop desk officers record an applicant's rating.")
            )
        data = _input(s.RatingInputSerializer, request)
        actions.rate_dossier(request.user, dossier=dossier, **data)
        return Response(_scores_payload(Dossier.objects.get(pk=dossier.pk)))

    @extend_schema(responses=s.DossierScoresSerializer)
    @drf_action(detail=True, methods=["get"], url_path="scores")
    def scores(self, request, pk=None):
        """The dossier's indicators 1, 2, 3, 4, 6, 7 (2/1/0) and the applicant's rating."""
        return Response(_scores_payload(self.get_object()))

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: OpenApiResponse()},
    )
    @drf_action(detail=True, methods=["get"], url_path=r"forms/(?P<number>0[1-5])")
    def form(self, request, pk=None, number=None):
        """A printed form (01–05) as a PDF."""
        dossier = self.get_object()
        try:
            data = pdf.render_form(number, dossier, request)
        except ValidationError:
            raise Http404 from None
        return HttpResponse(data, content_type="application/pdf")


def _indicators(values: dict) -> list[dict]:
    return [
        {"indicator": n, "label": str(evaluation.INDICATOR_LABELS[n]), "score": v}
        for n, v in values.items()
    ]


def _scores_payload(dossier) -> dict:
    scores = evaluation.scores_of(dossier)
    rating = scores["rating"]
    return s.DossierScoresSerializer(
        {"indicators": _indicators(scores["indicators"]), "rating": rating}
    ).data


class EvaluationView(APIView):
    """The agency's nine indicators for a period (dossiers whose result was ready between
    ``start`` and ``end``), the unit rating, and the people and internal units with their
    ratings. Leaders, desk officers and administrators of the agency."""

    @extend_schema(
        parameters=[
            AGENCY_PARAMETER,
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses=s.EvaluationSerializer,
    )
    def get(self, request):
        from coquan.onestop.views.evaluation import require_evaluation

        agency = _agency(request)
        require_evaluation(request.user, agency)
        period = _input_query(s.PeriodSerializer, request)
        result = evaluation.evaluate(agency, period["start"], period["end"])

        def groups(rows):
            return [{**row, "indicators": _indicators(row["indicators"])} for row in rows]

        payload = {
            **result,
            "agency": agency.organ_id,
            "indicators": _indicators(result["indicators"]),
            "people": groups(result["people"]),
            "units": groups(result["units"]),
        }
        return Response(s.EvaluationSerializer(payload).data)


def _input_query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- public lookup --------------------------------------------------------------------------


class LookupView(APIView):
    """The progress of a dossier by its code, without signing in (no personal data);
    rate-limited per client address."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(
        responses={
            200: s.PublicProgressSerializer,
            404: OpenApiResponse(description="No dossier has this code."),
            429: OpenApiResponse(description="Too many lookups from this address."),
        }
    )
    def get(self, request, code: str):
        if not ratelimit.allow(request):
            response = error_response(
                "throttled",
                _("Too many lookups from your address. Please wait a minute and try again."),
                http_status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
            response["Retry-After"] = str(ratelimit.retry_after())
            return response
        dossier = find_public(code)
        if dossier is None:
            return error_response(
                "not_found",
                _("No dossier has the code “%(code)s”. Check the code on your receipt.")
                % {"code": code[:60]},
                http_status=status.HTTP_404_NOT_FOUND,
            )
        return Response(s.PublicProgressSerializer.for_dossier(dossier))
