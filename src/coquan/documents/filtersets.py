"""Filters of the incoming-document lists, shared by the web list and the API list.

Type, urgency, issuer, arrival date range, status, deadline (overdue / due soon / none), a
text search on subject, number and notation, and ordering. Every filter is a condition in
the same SQL query as ``visible_to``; none loads rows into Python.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coquan.core.filters import LazyOrderingFilter
from coquan.documents.choices import IncomingStatus, Urgency
from coquan.documents.models import DocumentType, IncomingDocument
from coquan.documents.querysets import HANDLING_STATUSES

DUE_CHOICES = (
    ("overdue", _("Overdue")),
    ("soon", _("Due within 3 working days")),
    ("none", _("No deadline")),
)

ORDERING_FIELDS = (
    ("arrival_number", "arrival_number"),
    ("arrival_date", "arrival_date"),
    ("issued_date", "issued_date"),
    ("due_date", "due_date"),
    ("urgency", "urgency"),
)


def _date_widget():
    return forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "class": "form-control"})


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the current time zone (aware)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def due_soon_until(today=None):
    """The last day counted as "due soon": three working days from today."""
    from coquan.workdays.calendar import add_working_days_to_date

    return add_working_days_to_date(today or timezone.localdate(), 3)


class IncomingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    document_type = django_filters.ModelChoiceFilter(
        queryset=DocumentType.objects.none(), label=_("Document type")
    )
    urgency = django_filters.TypedChoiceFilter(
        choices=Urgency.choices, coerce=int, label=_("Urgency")
    )
    issuer = django_filters.CharFilter(
        field_name="issuer_name", lookup_expr="icontains", label=_("Issuing agency")
    )
    arrived_from = django_filters.DateFilter(
        field_name="arrival_date",
        method="filter_arrived_from",
        label=_("Arrived from"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=_date_widget(),
    )
    arrived_to = django_filters.DateFilter(
        field_name="arrival_date",
        method="filter_arrived_to",
        label=_("Arrived until"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=_date_widget(),
    )
    status = django_filters.ChoiceFilter(choices=IncomingStatus.choices, label=_("Status"))
    due = django_filters.ChoiceFilter(choices=DUE_CHOICES, method="filter_due", label=_("Deadline"))
    ordering = LazyOrderingFilter(
        fields=ORDERING_FIELDS,
        label=_("Sort by"),
        field_labels={
            "arrival_number": _("Arrival number"),
            "arrival_date": _("Arrival date"),
            "issued_date": _("Date of the document"),
            "due_date": _("Deadline"),
            "urgency": _("Urgency"),
        },
    )

    class Meta:
        model = IncomingDocument
        fields = ["q", "document_type", "urgency", "issuer", "status"]

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
            Q(subject__icontains=value)
            | Q(code_notation__icontains=value)
            | Q(code_number=value)
            | Q(issuer_name__icontains=value)
        )

    # Arrival dates compare with the local day's bounds, not ``arrival_date::date``: a range
    # on the column itself can use the (agency, arrival_date) index.
    def filter_arrived_from(self, queryset, name, value):
        return queryset.filter(arrival_date__gte=day_start(value))

    def filter_arrived_to(self, queryset, name, value):
        return queryset.filter(arrival_date__lt=day_start(value + dt.timedelta(days=1)))

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(status__in=HANDLING_STATUSES, due_date__lt=today)
        if value == "soon":
            return queryset.filter(
                status__in=HANDLING_STATUSES,
                due_date__gte=today,
                due_date__lte=due_soon_until(today),
            )
        if value == "none":
            return queryset.filter(due_date__isnull=True)
        return queryset
