"""Work queues of dossiers per role, as data (tabs of the dossier list).

- desk officer: **to forward** (accepted, waiting at the desk), **submitted online**
  (status 1, to accept or return), **awaiting supplement**,
  **results to return**;
- officer, unit leader: **to process** (at a step, handed to them or to their unit);
- leader: **to process** (handed to them, or at a step with nobody named) and
  **in progress** (every running dossier of the agency);
- everyone with a one-stop role: **overdue** (appointment passed) and **due soon**
  (appointment within ``COQUAN_ONESTOP_DUE_SOON_DAYS`` working days) — their own dossiers
  for officers, the agency's for the desk and leaders;
- everyone: **all** the dossiers they may see.

Every condition is combined with ``visible_to`` in the same query; the counts of all tabs
come from one aggregate query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from coquan.onestop.choices import RUNNING_STATUSES, DossierStatus
from coquan.onestop.querysets import handling_unit_ids

WIDE = {"desk_officer", "leader"}


@dataclass(frozen=True)
class Context:
    user: object
    roles: set[str]
    now: dt.datetime
    soon: dt.datetime


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    roles: tuple[str, ...]
    condition: Callable[[Context], Q] | None
    ordering: tuple[str, ...]


def _mine(ctx: Context) -> Q:
    user = ctx.user
    q = Q(assignee_user_id=user.pk) | Q(
        assignee_user__isnull=True, assignee_unit_id__in=handling_unit_ids(user)
    )
    if "leader" in ctx.roles:
        q |= Q(assignee_user__isnull=True, assignee_unit__isnull=True)
    return q


def _scope(ctx: Context) -> Q:
    """The agency's dossiers for the desk and leaders, one's own for the others."""
    return Q() if ctx.roles & WIDE else _mine(ctx)


QUEUES: tuple[Queue, ...] = (
    Queue(
        "to_forward",
        _("To forward"),
        ("desk_officer",),
        lambda ctx: Q(status=DossierStatus.ACCEPTED),
        ("received_at", "pk"),
    ),
    Queue(
        "online",
        _("Submitted online"),
        ("desk_officer",),
        lambda ctx: Q(status=DossierStatus.NEW),
        ("created_at", "pk"),
    ),
    Queue(
        "to_process",
        _("To process"),
        ("officer", "unit_leader", "leader"),
        lambda ctx: Q(status=DossierStatus.IN_PROGRESS) & _mine(ctx),
        ("step_due_at", "due_at", "pk"),
    ),
    Queue(
        "awaiting_supplement",
        _("Awaiting supplement"),
        ("desk_officer",),
        lambda ctx: Q(status=DossierStatus.SUPPLEMENT, received_at__isnull=False),
        ("paused_at", "pk"),
    ),
    Queue(
        "to_return",
        _("Results to return"),
        ("desk_officer",),
        lambda ctx: Q(status=DossierStatus.RESOLVED),
        ("result_ready_at", "pk"),
    ),
    Queue(
        "in_progress",
        _("In progress"),
        ("leader",),
        lambda ctx: Q(status__in=RUNNING_STATUSES),
        ("due_at", "pk"),
    ),
    Queue(
        "overdue",
        _("Overdue"),
        ("desk_officer", "leader", "officer", "unit_leader"),
        lambda ctx: Q(status__in=RUNNING_STATUSES, due_at__lt=ctx.now) & _scope(ctx),
        ("due_at", "pk"),
    ),
    Queue(
        "due_soon",
        _("Due soon"),
        ("desk_officer", "leader", "officer", "unit_leader"),
        lambda ctx: (
            Q(status__in=RUNNING_STATUSES, due_at__gte=ctx.now, due_at__lte=ctx.soon) & _scope(ctx)
        ),
        ("due_at", "pk"),
    ),
    Queue("all", _("All dossiers"), (), None, ("-created_at", "-pk")),
)

QUEUES_BY_KEY = {queue.key: queue for queue in QUEUES}


def queues_for(roles: set[str]) -> list[Queue]:
    """The tabs of a person holding ``roles``, in order (``all`` last)."""
    return [queue for queue in QUEUES if not queue.roles or set(queue.roles) & roles]


def pick(queues: list[Queue], key: str | None) -> Queue:
    for queue in queues:
        if queue.key == key:
            return queue
    return queues[0]


def apply(queryset, queue: Queue, ctx: Context):
    if queue.condition is None:
        return queryset
    return queryset.filter(queue.condition(ctx))


def counts(queryset, queues: list[Queue], ctx: Context) -> dict[str, int]:
    """{queue key: number of dossiers} of every tab, in one aggregate query."""
    aggregates = {
        queue.key: Count("pk", filter=queue.condition(ctx)) if queue.condition else Count("pk")
        for queue in queues
    }
    return queryset.order_by().aggregate(**aggregates)
