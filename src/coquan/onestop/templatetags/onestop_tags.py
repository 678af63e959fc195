"""Badges of the one-stop pages (colours with enough contrast on white, WCAG AA)."""

from __future__ import annotations

from django import template

from coquan.onestop.choices import DossierStatus, PendingState, Timeliness

register = template.Library()

STATUS_CLASSES = {
    DossierStatus.NEW: "text-bg-secondary",
    DossierStatus.ACCEPTED: "text-bg-info",
    DossierStatus.NOT_ACCEPTED: "text-bg-dark",
    DossierStatus.IN_PROGRESS: "text-bg-primary",
    DossierStatus.SUPPLEMENT: "text-bg-warning",
    DossierStatus.FINANCIAL: "text-bg-warning",
    DossierStatus.WITHDRAWN: "text-bg-secondary",
    DossierStatus.STOPPED: "text-bg-dark",
    DossierStatus.RESOLVED: "text-bg-success",
    DossierStatus.RETURNED: "text-bg-success",
}
TIMELINESS_CLASSES = {
    Timeliness.EARLY: "text-bg-success",
    Timeliness.ON_TIME: "text-bg-primary",
    Timeliness.LATE: "text-bg-danger",
}
PENDING_CLASSES = {
    PendingState.IN_TIME: "text-bg-light border",
    PendingState.OVERDUE: "text-bg-danger",
    PendingState.PAUSED: "text-bg-warning",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def timeliness_class(value: str) -> str:
    return TIMELINESS_CLASSES.get(value, "text-bg-light border")


@register.filter
def pending_class(value: str) -> str:
    return PENDING_CLASSES.get(value, "text-bg-light border")


@register.filter
def pending_label(value: str) -> str:
    return str(PendingState(value).label) if value in PendingState.values else ""


@register.filter
def timeliness_label(value: str) -> str:
    return str(Timeliness(value).label) if value in Timeliness.values else ""


@register.filter
def field(form, name: str):
    """The bound field ``name`` of ``form`` (to lay out a form's fields in groups)."""
    return form[name]
