"""The audit log's filter form (dates are typed dd/mm/yyyy)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy.")},
    )


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class EntryFilterForm(forms.Form):
    """Filters of the audit log list; every field is optional and narrows the list."""

    date_from = _date_field(_("From date"))
    date_to = _date_field(_("To date"))
    actor = forms.CharField(label=_("Actor (user name)"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action code"),
        required=False,
        max_length=80,
        help_text=_("An exact code, or a prefix ending with a dot, e.g. accounts."),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=80,
        help_text=_("For example org.unit"),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    q = forms.CharField(label=_("Text in the summary"), required=False, max_length=200)
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, agency_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency_choices is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].choices = [("", _("All my agencies")), *agency_choices]
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_help"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def apply(self, entries):
        """Narrow ``entries`` by the fields that are filled in and valid."""
        data = getattr(self, "cleaned_data", {})
        if data.get("date_from"):
            entries = entries.filter(created_at__gte=_local_midnight(data["date_from"]))
        if data.get("date_to"):
            next_day = data["date_to"] + dt.timedelta(days=1)
            entries = entries.filter(created_at__lt=_local_midnight(next_day))
        if data.get("actor"):
            entries = entries.filter(actor_name__icontains=data["actor"].strip())
        if data.get("action"):
            entries = entries.matching_action(data["action"].strip())
        if data.get("object_type"):
            entries = entries.filter(object_type=data["object_type"].strip().lower())
        if data.get("object_id"):
            entries = entries.filter(object_id=data["object_id"].strip())
        if data.get("q"):
            entries = entries.filter(summary__icontains=data["q"].strip())
        return entries

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(value not in (None, "") for value in data.values())
