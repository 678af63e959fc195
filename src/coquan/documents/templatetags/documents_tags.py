"""Small presentation helpers for the incoming-document templates."""

from __future__ import annotations

from django import template

register = template.Library()

URGENCY_CLASSES = {
    1: "text-bg-warning",
    2: "text-bg-warning border border-danger",
    3: "text-bg-danger",
    4: "text-bg-danger",
}

STATUS_CLASSES = {
    "registered": "text-bg-secondary",
    "presented": "text-bg-info",
    "assigned": "text-bg-primary",
    "in_progress": "text-bg-primary",
    "done": "text-bg-success",
    "returned": "text-bg-warning",
    "refused": "text-bg-dark",
}


@register.filter
def urgency_class(value) -> str:
    return URGENCY_CLASSES.get(value, "text-bg-light border")


@register.filter
def status_class(value) -> str:
    return STATUS_CLASSES.get(value, "text-bg-secondary")


@register.simple_tag
def due_state(document, today, soon_until) -> str:
    """``overdue``, ``soon`` or ``""`` for a document still being handled."""
    if document.due_date is None or document.status not in ("assigned", "in_progress"):
        return ""
    if document.due_date < today:
        return "overdue"
    if soon_until and document.due_date <= soon_until:
        return "soon"
    return ""
