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


OUTGOING_STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "in_review": "text-bg-info",
    "returned": "text-bg-warning",
    "approved": "text-bg-primary",
    "signed": "text-bg-primary",
    "issued": "text-bg-success",
    "withdrawn": "text-bg-dark",
    "recalled": "text-bg-danger",
    "replaced": "text-bg-warning",
}

TASK_STATE_CLASSES = {
    "waiting": "text-bg-light border",
    "pending": "text-bg-warning",
    "done": "text-bg-success",
    "rejected": "text-bg-danger",
    "cancelled": "text-bg-secondary",
}

DELIVERY_STATE_CLASSES = {
    "queued": "text-bg-secondary",
    "sent": "text-bg-info",
    "delivered": "text-bg-success",
    "failed": "text-bg-danger",
}


@register.filter
def outgoing_status_class(value) -> str:
    return OUTGOING_STATUS_CLASSES.get(value, "text-bg-secondary")


@register.filter
def task_state_class(value) -> str:
    return TASK_STATE_CLASSES.get(value, "text-bg-secondary")


@register.filter
def delivery_state_class(value) -> str:
    return DELIVERY_STATE_CLASSES.get(value, "text-bg-secondary")
