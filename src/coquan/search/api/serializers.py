"""Serializers of the search API. They present; the backend decides what is visible."""

from __future__ import annotations

from rest_framework import serializers

from coquan.search.models import SavedSearch
from coquan.search.query import clean_input


class TextField(serializers.CharField):
    """Text with control characters (NUL included) turned into spaces before validation."""

    def to_internal_value(self, data):
        return clean_input(super().to_internal_value(data))


class HighlightSerializer(serializers.Serializer):
    """The original texts as HTML, matched words inside ``<mark>``, everything else escaped."""

    number = serializers.CharField(source="number_html")
    title = serializers.CharField(source="title_html")
    issuer = serializers.CharField(source="issuer_html")
    signer = serializers.CharField(source="signer_html")
    snippet = serializers.CharField(source="snippet_html")


class HitSerializer(serializers.Serializer):
    """One result: what the object is, where its page is, its texts and filter values."""

    id = serializers.IntegerField(source="object_id")
    kind = serializers.CharField()
    url = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    issuer = serializers.CharField()
    signer = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    type_name = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    highlight = HighlightSerializer(source="*")


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    kind = FacetValueSerializer(many=True)
    type = FacetValueSerializer(many=True)
    year = FacetValueSerializer(many=True)
    issuer = FacetValueSerializer(many=True)
    status = FacetValueSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    """A page of results (``page_size`` per page, 25 by default), with facets."""

    count = serializers.IntegerField()
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = HitSerializer(many=True)
    facets = FacetsSerializer()


class SuggestionsSerializer(serializers.Serializer):
    results = HitSerializer(many=True)


class SavedSearchSerializer(serializers.ModelSerializer):
    """A person's saved search; ``filters`` uses the names of the search parameters."""

    filters = serializers.DictField(child=serializers.CharField(), required=False)
    search_url = serializers.SerializerMethodField()

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "query", "filters", "created_at", "search_url"]
        read_only_fields = ["id", "created_at", "search_url"]

    def get_search_url(self, obj) -> str:
        from coquan.search.views import search_url

        return search_url(obj.query, obj.filters)


class SavedSearchWriteSerializer(serializers.Serializer):
    """The shape of a create/update; the rules (lengths, a query that can run, known
    filters, unique name) are the action's, whose errors name the same fields."""

    name = TextField(required=False, allow_blank=True, max_length=1000)
    query = TextField(required=False, allow_blank=True, max_length=5000)
    filters = serializers.DictField(child=TextField(allow_blank=True), required=False)
