"""Forms of the calendar pages: an override, the deadline calculator, the year picker."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from coquan.workdays.calendar import MAX_YEAR, MIN_YEAR
from coquan.workdays.choices import OverrideKind

# The calculator is for everyday deadlines; the arithmetic itself accepts more.
CALCULATOR_MAX_DAYS = 365


class OverrideForm(forms.Form):
    """Input of ``create_override`` / ``update_override``; the action does the checks that
    need the database (one override per date)."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=OverrideKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_(
            "Extra day off: a bridge day or a new holiday. Make-up working day: a Saturday "
            "or Sunday worked in exchange."
        ),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Shown on the calendar, in Vietnamese, e.g. “Làm bù cho ngày 02/01/2026”."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("The decision or announcement it comes from."),
    )

    def clean_date(self):
        value = self.cleaned_data["date"]
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("The calendar covers the years %(first)s to %(last)s."),
                params={"first": MIN_YEAR, "last": MAX_YEAR},
            )
        return value


class WorkingDaysField(forms.DecimalField):
    """A number of working days; accepts the Vietnamese decimal comma (``1,5``)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class DeadlineForm(forms.Form):
    """The deadline calculator: a reception time and a number of working days."""

    start = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
        ),
        error_messages={"invalid": _("Enter a valid date and time.")},
    )
    days = WorkingDaysField(
        label=_("Working days"),
        min_value=Decimal("0.5"),
        max_value=Decimal(CALCULATOR_MAX_DAYS),
        decimal_places=1,
        error_messages={
            "invalid": _("Enter a number of working days, e.g. 1 or 1,5."),
            "min_value": _("Enter at least half a day (0,5)."),
            "max_value": _("Enter at most %(limit_value)s working days."),
            "max_decimal_places": _("Enter whole or half days (steps of 0.5)."),
        },
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5", "min": "0.5"}),
        help_text=_("Whole or half days, e.g. 1 or 1.5."),
    )

    def clean_days(self):
        value = self.cleaned_data["days"]
        if (value * 2) % 1 != 0:
            raise forms.ValidationError(_("Enter whole or half days (steps of 0.5)."))
        return value
