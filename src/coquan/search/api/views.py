"""Search API: results with facets, autocomplete, and a person's saved searches.

The same backend as the web pages, in the requesting person's active agency (``X-Agency``
header, else the session's, else the first): agency, visibility and secrecy are applied
inside the search SQL. An unusable query answers 400 with code ``invalid_query`` and the
Vietnamese message in ``message``; unknown or malformed filters answer 400 ``invalid``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from coquan.api.errors import error_response
from coquan.org.active import active_agency
from coquan.search import actions
from coquan.search.api.serializers import (
    HitSerializer,
    SavedSearchSerializer,
    SavedSearchWriteSerializer,
    SearchResultSerializer,
    SuggestionsSerializer,
)
from coquan.search.backends import get_backend
from coquan.search.backends.base import AUTOCOMPLETE_SIZE, FACETS
from coquan.search.forms import SearchForm
from coquan.search.models import SavedSearch
from coquan.search.query import QueryError

MAX_PAGE_SIZE = 100

SEARCH_PARAMS = [
    OpenApiParameter("q", str, required=True, description="What to search for."),
    OpenApiParameter(
        "kind",
        str,
        description="What to search: documents.incomingdocument, documents.outgoingdocument "
        "or onestop.dossier (all by default).",
    ),
    OpenApiParameter(
        "type", str, description="Document type code (e.g. quyet-dinh) or procedure code."
    ),
    OpenApiParameter("issuer", str, description="Issuing agency, exactly as shown."),
    OpenApiParameter("status", str, description="Status code (e.g. registered)."),
    OpenApiParameter("unit", int, description="Lead unit id."),
    OpenApiParameter("urgency", int, description="Urgency 0–4 (edXML Priority)."),
    OpenApiParameter("year", int, description="Year of the document's date."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Dated on or after."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Dated on or before."),
    OpenApiParameter("order", str, enum=["relevance", "newest", "oldest"]),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description=f"1–{MAX_PAGE_SIZE} (default 25)."),
]


def _agency(request):
    agency = active_agency(request)
    if agency is None:
        raise PermissionDenied(_("You are not a member of any agency."))
    return agency


def _form(request) -> SearchForm:
    form = SearchForm(request.query_params)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    return form


def _page_size(request) -> int:
    raw = request.query_params.get("page_size") or "25"
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [_("Between 1 and %(n)d.") % {"n": MAX_PAGE_SIZE}]})
    return size


def _invalid_query(exc: QueryError):
    return error_response(
        "invalid_query", str(exc.message), status.HTTP_400_BAD_REQUEST, {"q": [str(exc.message)]}
    )


class SearchView(APIView):
    """Full-text search over the documents the person may see, best match first."""

    @extend_schema(parameters=SEARCH_PARAMS, responses={200: SearchResultSerializer})
    def get(self, request):
        agency = _agency(request)
        form = _form(request)
        size = _page_size(request)
        data = form.cleaned_data
        try:
            page = get_backend().search(
                data["q"],
                request.user,
                agency=agency,
                filters=form.filters(),
                order=data.get("order") or "relevance",
                page=data.get("page") or 1,
                page_size=size,
                facets=True,
            )
        except QueryError as exc:
            return _invalid_query(exc)
        url = request.build_absolute_uri()
        body = {
            "count": page.count,
            "page": page.number,
            "num_pages": page.num_pages,
            "next": replace_query_param(url, "page", page.next_page_number)
            if page.has_next
            else None,
            "previous": (
                replace_query_param(url, "page", page.previous_page_number)
                if page.previous_page_number > 1
                else remove_query_param(url, "page")
            )
            if page.has_previous
            else None,
            "results": HitSerializer(page.hits, many=True).data,
            "facets": {
                key: [
                    {"value": v.value, "label": str(v.label), "count": v.count}
                    for v in page.facets.get(key, [])
                ]
                for key in FACETS
            },
        }
        return Response(body)


class AutocompleteView(APIView):
    """Suggestions for what is being typed (the last word is a prefix), newest first.

    Input still being typed that cannot be searched yet (a lone quote, one letter) gives
    an empty list, not an error.
    """

    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True)],
        responses={200: SuggestionsSerializer},
    )
    def get(self, request):
        agency = _agency(request)
        text = request.query_params.get("q", "")
        try:
            hits = get_backend().autocomplete(
                text, request.user, agency=agency, limit=AUTOCOMPLETE_SIZE
            )
        except QueryError:
            hits = []
        return Response({"results": HitSerializer(hits, many=True).data})


class SavedSearchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The requesting person's saved searches (nobody else's: 404)."""

    serializer_class = SavedSearchSerializer
    queryset = SavedSearch.objects.none()

    def get_queryset(self):
        return SavedSearch.objects.visible_to(self.request.user).order_by("name", "pk")

    def _write_data(self, request) -> dict:
        serializer = SavedSearchWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=SavedSearchWriteSerializer, responses={201: SavedSearchSerializer})
    def create(self, request):
        data = self._write_data(request)
        saved = actions.save_search(
            request.user,
            name=data.get("name", ""),
            query=data.get("query", ""),
            filters=data.get("filters", {}),
        )
        return Response(SavedSearchSerializer(saved).data, status=status.HTTP_201_CREATED)

    def _update(self, request):
        saved = self.get_object()
        data = self._write_data(request)
        saved = actions.update_saved_search(
            request.user,
            saved=saved,
            name=data.get("name"),
            query=data.get("query"),
            filters=data.get("filters"),
        )
        return Response(SavedSearchSerializer(saved).data)

    @extend_schema(request=SavedSearchWriteSerializer, responses={200: SavedSearchSerializer})
    def update(self, request, pk=None):
        return self._update(request)

    @extend_schema(request=SavedSearchWriteSerializer, responses={200: SavedSearchSerializer})
    def partial_update(self, request, pk=None):
        return self._update(request)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        actions.delete_saved_search(request.user, saved=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
