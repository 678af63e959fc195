"""Reminders about incoming documents, sent through ``coquan.notifications`` (part 7).

- **Assignment**: when a leader (or unit leader) assigns a document, the lead and the
  co-handlers are notified: a person named directly, or the unit leaders of a unit named.
- **Due soon / overdue**: ``send_due_reminders`` (a task that ``run_worker``'s daily
  schedule enqueues at 07:00, and the command ``coquan send_due_reminders``) notifies the
  lead and co-handlers of every document still being handled whose deadline (their own, in
  the current round) is within ``COQUAN_DUE_SOON_DAYS`` days or past — at most once per day
  per assignment (the notification key carries the step and the day).

The subject of a secret document is never put in a notification (it may go by e-mail).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_tasks import task

from coquan.documents.choices import AssignmentRole, StepKind
from coquan.documents.querysets import HANDLING_STATUSES


def _url(document) -> str:
    from django.urls import reverse

    return reverse("documents:incoming_detail", args=[document.pk])


def _label(document) -> str:
    text = _("Incoming document no. %(number)s") % {"number": document.arrival_number}
    if not document.is_secret:
        text += ": " + document.subject[:150]
    return text


def unit_leaders(unit_ids) -> dict[int, list]:
    """{unit id: the people holding the unit_leader role there today} in one query."""
    from coquan.org.models import Membership

    leaders: dict[int, list] = {}
    memberships = (
        Membership.objects.active_on(timezone.localdate())
        .filter(unit_id__in=set(unit_ids), roles__code="unit_leader")
        .select_related("user")
        .distinct()
    )
    for membership in memberships:
        leaders.setdefault(membership.unit_id, []).append(membership.user)
    return leaders


def _people(steps) -> dict[int, list]:
    """{step id: the people a step names (the person, or the unit's leaders)}."""
    steps = list(steps)
    leaders = unit_leaders(s.unit_id for s in steps if s.unit_id)
    return {s.pk: [s.user] if s.user_id else leaders.get(s.unit_id, []) for s in steps}


def assignment_made(document, steps) -> None:
    """Notify the lead and co-handlers named by the new ``assigned`` steps."""
    from coquan.notifications.actions import notify

    named = [s for s in steps if s.role in (AssignmentRole.LEAD, AssignmentRole.CO_HANDLER)]
    people = _people(named)
    for step in named:
        if step.role == AssignmentRole.LEAD:
            title = _("You lead the handling of %(document)s")
        else:
            title = _("You co-handle %(document)s")
        title = title % {"document": _label(document)}
        if step.deadline:
            title += " — " + _("deadline %(date)s") % {
                "date": formats.date_format(step.deadline, "d/m/Y")
            }
        notify(
            people[step.pk],
            kind="documents.assigned",
            title=title,
            url=_url(document),
            agency=document.agency,
        )


def due_reminders(today: dt.date | None = None) -> int:
    """Notify due-soon and overdue handlers (once per day per assignment); returns how many
    notifications were created."""
    from coquan.documents.models import HandlingStep
    from coquan.notifications.actions import notify

    today = today or timezone.localdate()
    days = int(getattr(settings, "COQUAN_DUE_SOON_DAYS", 2))
    steps = (
        HandlingStep.objects.filter(
            kind=StepKind.ASSIGNED,
            role__in=(AssignmentRole.LEAD, AssignmentRole.CO_HANDLER),
            round=F("document__assignment_round"),
            document__status__in=HANDLING_STATUSES,
            deadline__isnull=False,
            deadline__lte=today + dt.timedelta(days=days),
        )
        .select_related("document", "document__agency")
        .order_by("pk")
    )
    created = 0
    batch = []
    for step in steps.iterator(chunk_size=500):
        batch.append(step)
        if len(batch) == 500:
            created += _remind(batch, today, notify)
            batch = []
    if batch:
        created += _remind(batch, today, notify)
    return created


def _remind(steps, today, notify) -> int:
    people = _people(steps)
    created = 0
    for step in steps:
        document = step.document
        date = formats.date_format(step.deadline, "d/m/Y")
        if step.deadline < today:
            kind = "documents.overdue"
            title = _("Overdue since %(date)s: %(document)s")
        else:
            kind = "documents.due_soon"
            title = _("Due on %(date)s: %(document)s")
        created += len(
            notify(
                people[step.pk],
                kind=kind,
                title=title % {"date": date, "document": _label(document)},
                url=_url(document),
                agency=document.agency,
                key=f"{kind}:{step.pk}:{today.isoformat()}",
            )
        )
    return created


@task()
def send_due_reminders() -> int:
    """The daily reminder job (``COQUAN_DAILY_JOBS``; running it twice a day is harmless)."""
    return due_reminders()
