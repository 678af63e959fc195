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


@register.inclusion_tag("exchange/partials/delivery_status.html", takes_context=True)
def exchange_deliveries(context, document):
    """The recipients of an issued document with their latest status and timeline.

    Three queries whatever the number of recipients (deliveries, outbox rows, statuses).
    """
    from coquan.documents.models import Delivery
    from coquan.exchange.models import RecipientStatus

    deliveries = list(
        Delivery.objects.filter(document=document)
        .select_related("outbox")
        .order_by("kind", "name", "pk")
    )
    timelines: dict = {}
    for status in RecipientStatus.objects.filter(delivery__in=deliveries).order_by(
        "rank", "received_at", "pk"
    ):
        timelines.setdefault(status.delivery_id, []).append(status)
    rows = []
    for delivery in deliveries:
        timeline = timelines.get(delivery.pk, [])
        rows.append(
            {
                "delivery": delivery,
                "outbox": getattr(delivery, "outbox", None),
                "timeline": timeline,
                "latest": max(timeline, key=lambda s: s.rank) if timeline else None,
            }
        )
    request = context.get("request")
    can_act = False
    if request is not None and rows:
        from coquan.core.access import has_role

        can_act = has_role(request.user, document.agency, "clerk", "admin")
    return {
        "rows": rows,
        "request": request,
        "can_act": can_act,
        "csrf_token": context.get("csrf_token"),
    }
