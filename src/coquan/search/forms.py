"""Forms of the search pages: the query with its filters, and saving a search."""

from __future__ import annotations

from django import forms
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    validate_slug,
)
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.search.backends import SearchFilters
from coquan.search.query import MAX_QUERY_CHARS, clean_input

ORDER_CHOICES = [
    ("relevance", _("Best match first")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
]
URGENCY_CHOICES = [
    ("", _("Any urgency")),
    ("0", pgettext_lazy("urgency", "Normal")),
    ("1", _("Urgent")),
    ("2", _("Very urgent")),
    ("3", _("Flash")),
    ("4", _("Flash, timed")),
]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

#: Query-string names of the filters (the same in the web pages and the API).
FILTER_NAMES = (
    "kind",
    "type",
    "issuer",
    "status",
    "unit",
    "urgency",
    "year",
    "date_from",
    "date_to",
)


#: A type code: a document type slug (``quyet-dinh``) or a procedure code (``1.005129``).
validate_code = RegexValidator(
    r"^[-\w.]+\Z", _("Enter a code of letters, digits, dots, hyphens or underscores.")
)


def kind_choices():
    from coquan.search import registry

    return [("", _("Everything"))] + [
        (index.model._meta.label_lower, capfirst(index.model._meta.verbose_name_plural))
        for index in registry.indexes()
    ]


class TextField(forms.CharField):
    """A text field that turns control characters (NUL included) into spaces first."""

    def to_python(self, value):
        return clean_input(super().to_python(value)).strip()


DATE_ERRORS = {"invalid": _("Enter a date as dd/mm/yyyy, for example 05/01/2026.")}
NUMBER_ERRORS = {"invalid": _("Enter a whole number.")}


class SearchForm(forms.Form):
    """What a person searches for: the text, the filters, the order and the page."""

    q = TextField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        error_messages={
            "max_length": _("Your search is too long (at most %(limit_value)d characters).")
        },
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    kind = forms.ChoiceField(
        label=_("What to search"),
        required=False,
        choices=kind_choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    type = forms.CharField(
        label=_("Document type"), required=False, max_length=40, validators=[validate_code]
    )
    issuer = TextField(label=_("Issuing agency"), required=False, max_length=200)
    status = forms.CharField(
        label=_("Status"), required=False, max_length=20, validators=[validate_slug]
    )
    unit = forms.IntegerField(
        label=_("Lead unit"),
        required=False,
        min_value=1,
        max_value=2**62,
        error_messages=NUMBER_ERRORS,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        required=False,
        choices=URGENCY_CHOICES,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        error_messages={"invalid": _("Enter a year, for example 2026.")},
        validators=[MinValueValidator(1900), MaxValueValidator(9999)],
    )
    date_from = forms.DateField(
        label=_("Dated from"),
        required=False,
        error_messages=DATE_ERRORS,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}
        ),
    )
    date_to = forms.DateField(
        label=_("Dated to"),
        required=False,
        error_messages=DATE_ERRORS,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}
        ),
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=ORDER_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, error_messages=NUMBER_ERRORS
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = [("", _("Any unit"))] + [
            (unit.pk, unit.name) for unit in units
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            kind=data.get("kind") or "",
            type=data.get("type") or "",
            issuer=data.get("issuer") or "",
            status=data.get("status") or "",
            unit=data.get("unit"),
            urgency=data.get("urgency"),
            year=data.get("year"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class SaveSearchForm(forms.Form):
    """Name a search to keep it (the text and filters come from the results page)."""

    name = TextField(
        label=_("Name of the saved search"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    q = forms.CharField(max_length=500, widget=forms.HiddenInput)
