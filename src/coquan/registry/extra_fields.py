"""The extra fields of a licence, declared per licence type (``LicenceType.field_schema``).

A schema is a list of ``{"name", "label", "type", "required", "choices"}``; ``clean_extra``
checks a licence's ``extra`` dictionary against it and returns the normalised values (JSON
friendly: numbers as strings of their exact decimal, dates as ISO text), or raises a
``ValidationError`` whose messages name the field by its label. Unknown keys are refused so
that nothing unchecked is stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coquan.registry.choices import ExtraFieldType

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def _as_text(value) -> str:
    return "" if value is None else str(value).strip()


def _clean_value(spec: dict, value):
    kind = spec.get("type", ExtraFieldType.TEXT)
    text = _as_text(value)
    if kind == ExtraFieldType.TEXT:
        if len(text) > 500:
            raise ValueError(_("At most %(max)d characters are allowed.") % {"max": 500})
        return text
    if kind == ExtraFieldType.INTEGER:
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number, without decimals."))
        try:
            number = Decimal(text.replace(" ", ""))
        except InvalidOperation:
            raise ValueError(_("Enter a whole number, without decimals.")) from None
        if number != number.to_integral_value() or number < 0:
            raise ValueError(_("Enter a whole number, without decimals."))
        return int(number)
    if kind == ExtraFieldType.DECIMAL:
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        return format(number, "f")
    if kind == ExtraFieldType.DATE:
        if isinstance(value, dt.date):
            return value.isoformat()
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        raise ValueError(_("Enter a date as dd/mm/yyyy."))
    if kind == ExtraFieldType.CHOICE:
        choices = [str(c) for c in spec.get("choices", [])]
        if text not in choices:
            raise ValueError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)})
        return text
    raise ValueError(_("Unknown field type."))


def clean_extra(schema: list[dict], data) -> dict:
    """``data`` checked against ``schema``; raises ValidationError({"extra": [...]})."""
    if data in (None, ""):
        data = {}
    if not isinstance(data, dict):
        raise ValidationError({"extra": [_("The extra fields must be an object.")]})
    known = {spec["name"]: spec for spec in schema}
    errors: list[str] = []
    cleaned: dict = {}
    for key in data:
        if key not in known:
            errors.append(_("Unknown extra field %(name)s.") % {"name": key})
    for name, spec in known.items():
        value = data.get(name)
        if _as_text(value) == "":
            if spec.get("required"):
                errors.append(_("%(label)s: this field is required.") % {"label": spec["label"]})
            continue
        try:
            cleaned[name] = _clean_value(spec, value)
        except ValueError as exc:
            errors.append(f"{spec['label']}: {exc}")
    if errors:
        raise ValidationError({"extra": errors})
    return cleaned


def form_fields(schema: list[dict], prefix: str = "extra_") -> dict[str, forms.Field]:
    """Django form fields for a schema (the licence forms add them dynamically)."""
    fields: dict[str, forms.Field] = {}
    for spec in schema:
        kind = spec.get("type", ExtraFieldType.TEXT)
        options = {"label": spec["label"], "required": bool(spec.get("required"))}
        if kind == ExtraFieldType.CHOICE:
            choices = [("", "—")] + [(c, c) for c in spec.get("choices", [])]
            field = forms.ChoiceField(choices=choices, **options)
        elif kind == ExtraFieldType.INTEGER:
            field = forms.IntegerField(min_value=0, **options)
        elif kind == ExtraFieldType.DECIMAL:
            field = forms.DecimalField(**options)
        elif kind == ExtraFieldType.DATE:
            field = forms.DateField(**options)
        else:
            field = forms.CharField(max_length=500, **options)
        fields[prefix + spec["name"]] = field
    return fields


def initial_from_extra(extra: dict, prefix: str = "extra_") -> dict:
    return {prefix + key: value for key, value in (extra or {}).items()}


def extra_from_cleaned(schema: list[dict], cleaned_data: dict, prefix: str = "extra_") -> dict:
    return {
        spec["name"]: cleaned_data.get(prefix + spec["name"])
        for spec in schema
        if cleaned_data.get(prefix + spec["name"]) not in (None, "")
    }


def display_rows(schema: list[dict], extra: dict) -> list[tuple[str, str]]:
    """(label, value) rows for a licence page, in the schema's order."""
    rows = []
    for spec in schema:
        if spec["name"] in (extra or {}):
            value = extra[spec["name"]]
            if spec.get("type") == ExtraFieldType.DATE:
                with contextlib.suppress(TypeError, ValueError):
                    value = dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            rows.append((spec["label"], str(value)))
    return rows
