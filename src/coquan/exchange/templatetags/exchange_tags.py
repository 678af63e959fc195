"""Template filters of the exchange pages."""

from __future__ import annotations

import datetime as dt

from django import template

from coquan.exchange.edxml.codes import BUSINESS_LABELS, PRIORITY_LABELS, STATUS_LABELS

register = template.Library()


@register.filter
def edxml_date(value) -> str:
    """An ISO date or time stamp from a stored header as dd/mm/yyyy (HH:MM:SS); other text
    (a value that was not a date in the package) is shown as it was."""
    if not value:
        return ""
    text = str(value)
    for parse, fmt in (
        (dt.datetime.fromisoformat, "%d/%m/%Y %H:%M:%S"),
        (dt.date.fromisoformat, "%d/%m/%Y"),
    ):
        try:
            parsed = parse(text)
        except ValueError:
            continue
        if isinstance(parsed, dt.datetime) and len(text) <= 10:
            return parsed.strftime("%d/%m/%Y")
        return parsed.strftime(fmt)
    return text


@register.filter
def business_label(value) -> str:
    return str(BUSINESS_LABELS.get(value, value if value is not None else ""))


@register.filter
def priority_label(value) -> str:
    return str(PRIORITY_LABELS.get(value, value if value is not None else ""))


@register.filter
def status_label(value) -> str:
    return str(STATUS_LABELS.get(value, value or ""))
