"""Filters of the outgoing-document lists, shared by the web list and the API list.

Type, urgency, status, issue date range, a text search on subject, number and notation,
and ordering; every filter is a condition in the same SQL query as ``visible_to``.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coquan.core.filters import LazyOrderingFilter
from coquan.documents.choices import OutgoingStatus, Urgency
from coquan.documents.models import DocumentType, OutgoingDocument

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_widget():
    return forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "class": "form-control"})


class OutgoingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    document_type = django_filters.ModelChoiceFilter(
        queryset=DocumentType.objects.none(), label=_("Document type")
    )
    urgency = django_filters.TypedChoiceFilter(
        choices=Urgency.choices, coerce=int, label=_("Urgency")
    )
    status = django_filters.ChoiceFilter(choices=OutgoingStatus.choices, label=_("Status"))
    issued_from = django_filters.DateFilter(
        field_name="issued_date",
        lookup_expr="gte",
        label=_("Issued from"),
        input_formats=DATE_FORMATS,
        widget=_date_widget(),
    )
    issued_to = django_filters.DateFilter(
        field_name="issued_date",
        lookup_expr="lte",
        label=_("Issued until"),
        input_formats=DATE_FORMATS,
        widget=_date_widget(),
    )
    ordering = LazyOrderingFilter(
        fields=(
            ("updated_at", "updated_at"),
            ("issued_date", "issued_date"),
            ("register_number", "register_number"),
            ("urgency", "urgency"),
        ),
        label=_("Sort by"),
        field_labels={
            "updated_at": _("Last change"),
            "issued_date": _("Date of the document"),
            "register_number": _("Number"),
            "urgency": _("Urgency"),
        },
    )

    class Meta:
        model = OutgoingDocument
        fields = ["q", "document_type", "urgency", "status"]

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        types = DocumentType.objects.all()
        if agency is not None:
            types = DocumentType.objects.available_to(agency)
        self.filters["document_type"].queryset = types
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(subject__icontains=value) | Q(code_notation__icontains=value) | Q(code_number=value)
        )
