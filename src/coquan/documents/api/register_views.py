"""Incoming registers and the handling report over the API (issue 3, part 8).

``GET /api/v1/incoming-registers/register/`` (Sổ đăng ký văn bản đến, ten columns) and
``.../tracking/`` (Sổ theo dõi giải quyết, seven columns): rows of the period as JSON
(paginated), or the whole book with ``?output=pdf`` / ``?output=xlsx``. ``.../handling/``:
the handling report per unit or person (JSON or ``?output=xlsx``). Same rules as the
pages: the agency's clerks, leaders and administrators only; rows from ``visible_to``
(secret documents only for people granted them); parameters checked by the same form.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response

from coquan.api.pagination import StandardPagination
from coquan.documents import incoming_register as registers
from coquan.documents.api.views import AGENCY_PARAM
from coquan.documents.register_views import download, require_reader
from coquan.documents.views import scoped_agency

PERIOD_PARAMS = [
    AGENCY_PARAM,
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, description="First arrival day (default 1 January)"
    ),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last arrival day (default today)"),
    OpenApiParameter(
        "book", str, enum=["incoming", "incoming_secret"], description="Ordinary or secret book"
    ),
]
BOOK_OUTPUT = OpenApiParameter(
    "output", str, enum=["json", "pdf", "xlsx"], description="json (default), pdf or xlsx"
)
REPORT_OUTPUT = OpenApiParameter("output", str, enum=["json", "xlsx"], description="json or xlsx")
GROUP_PARAM = OpenApiParameter("group", str, enum=["unit", "person"], description="Rows per")

BookRow = inline_serializer(
    "IncomingRegisterRow",
    {
        "document": serializers.IntegerField(),
        "arrival_number": serializers.IntegerField(),
        "cells": serializers.ListField(child=serializers.CharField()),
    },
)
ReportRowSerializer = inline_serializer(
    "HandlingReportRow",
    {
        "id": serializers.IntegerField(allow_null=True),
        "name": serializers.CharField(),
        "received": serializers.IntegerField(),
        "done_on_time": serializers.IntegerField(),
        "done_late": serializers.IntegerField(),
        "open": serializers.IntegerField(),
        "overdue": serializers.IntegerField(),
    },
)
HandlingReport = inline_serializer(
    "HandlingReport",
    {
        "date_from": serializers.DateField(),
        "date_to": serializers.DateField(),
        "group": serializers.CharField(),
        "rows": ReportRowSerializer.__class__(many=True),
        "total": ReportRowSerializer.__class__(),
    },
)


class IncomingRegisterViewSet(viewsets.ViewSet):
    """The registers (sổ) of incoming documents and the handling report of an agency."""

    pagination_class = StandardPagination

    def _setup(self, request):
        agency = scoped_agency(request)
        require_reader(request.user, agency)
        form = registers.RangeForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        data = form.cleaned_data
        period = registers.Period(data["date_from"], data["date_to"], data["book"])
        return agency, period, data["group"]

    def _output(self, request, allowed):
        output = request.query_params.get("output") or "json"
        if output not in allowed:
            raise ValidationError({"output": [_("Unknown output format.")]})
        return output

    def _book(self, request, kind: str):
        agency, period, _group = self._setup(request)
        output = self._output(request, ("json", "pdf", "xlsx"))
        if output != "json":
            book = registers.build(request.user, agency, kind, period)
            name = "so-dang-ky-van-ban-den" if kind == "register" else "so-theo-doi-giai-quyet"
            return download(
                book, output, f"{name}-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}"
            )
        documents = registers.documents_for(
            request.user, agency, period.date_from, period.date_to, period.book
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(documents, request, view=self)
        today = timezone.localdate()
        rows = [
            {
                "document": doc.pk,
                "arrival_number": doc.arrival_number,
                "cells": registers.row_for(kind, doc, today),
            }
            for doc in page
        ]
        return paginator.get_paginated_response(rows)

    @extend_schema(
        parameters=[*PERIOD_PARAMS, BOOK_OUTPUT],
        responses={
            200: BookRow,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): (
                OpenApiTypes.BINARY
            ),
        },
    )
    @drf_action(detail=False, methods=["get"])
    def register(self, request):
        """Sổ đăng ký văn bản đến: the ten columns of Decree 30/2020 App. IV."""
        return self._book(request, "register")

    @extend_schema(
        parameters=[*PERIOD_PARAMS, BOOK_OUTPUT],
        responses={
            200: BookRow,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): (
                OpenApiTypes.BINARY
            ),
        },
    )
    @drf_action(detail=False, methods=["get"])
    def tracking(self, request):
        """Sổ theo dõi giải quyết văn bản đến: the seven columns."""
        return self._book(request, "tracking")

    @extend_schema(
        parameters=[*PERIOD_PARAMS[:3], GROUP_PARAM, REPORT_OUTPUT],
        responses={
            200: HandlingReport,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): (
                OpenApiTypes.BINARY
            ),
        },
    )
    @drf_action(detail=False, methods=["get"])
    def handling(self, request):
        """Per unit or person: received, done on time, done late, open, overdue."""
        agency, period, group = self._setup(request)
        output = self._output(request, ("json", "xlsx"))
        rows, total = registers.handling_report(request.user, agency, period, group)
        if output == "xlsx":
            book = registers.report_book(agency, period, group, rows, total)
            return download(
                book,
                "xlsx",
                f"bao-cao-giai-quyet-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}",
            )
        return Response(
            {
                "date_from": period.date_from,
                "date_to": period.date_to,
                "group": group,
                "rows": [r.as_dict() for r in rows],
                "total": total.as_dict(),
            }
        )
