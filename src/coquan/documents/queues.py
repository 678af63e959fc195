"""Per-role work queues of incoming documents (issue 3, part 7), as data.

Each queue is a tab of the incoming list: who sees it (roles in the agency), the condition
that selects its documents (combined with ``visible_to`` in the same query) and its default
order. Counts of all tabs come from one statement: one ``COUNT`` per tab, joined by ``UNION
ALL``, so that the database plans each tab's condition on its own (each served by its index)
instead of evaluating every tab's condition on every visible row of the agency.

- clerk: **to present** — registered or returned, not yet presented; urgent ones first,
  late ones marked (Decree 30/2020 Art. 23: present at the latest the next working day);
- leader: **to assign** (presented to me) and **overdue** (still open after the deadline);
- unit leader: **overdue in my units**;
- officer (and unit leader): **to handle** (lead), **co-handling**, **for information**;
- everyone: **all** the documents they may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Count, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coquan.documents import querysets as q


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    roles: tuple[str, ...]
    condition: Callable[[object, dt.date], Q] | None
    ordering: tuple[str, ...]
    show_late: bool = False
    #: The tab's count stops at ``COUNT_CAP`` + 1 and shows as "1000+" (big tabs).
    capped: bool = False


#: Where the count of a ``capped`` tab stops (the tab then reads "1000+").
COUNT_CAP = 1000


QUEUES: tuple[Queue, ...] = (
    Queue(
        "to_present",
        _("To present"),
        ("clerk",),
        lambda user, today: q.q_to_present(),
        ("-urgency", "arrival_date", "arrival_number"),
        show_late=True,
    ),
    Queue(
        "to_assign",
        _("To assign"),
        ("leader",),
        lambda user, today: q.q_awaiting_assignment_by(user),
        ("-urgency", "presented_at", "arrival_number"),
    ),
    Queue(
        "overdue",
        _("Overdue"),
        ("leader",),
        lambda user, today: q.q_overdue(today),
        ("due_date", "arrival_number"),
        capped=True,
    ),
    Queue(
        "unit_overdue",
        _("Overdue in my units"),
        ("unit_leader",),
        lambda user, today: q.q_overdue(today) & q.q_in_my_units(user),
        ("due_date", "arrival_number"),
        capped=True,
    ),
    Queue(
        "to_handle",
        _("To handle"),
        ("officer", "unit_leader"),
        lambda user, today: q.q_handled_by(user),
        ("due_date", "-urgency", "arrival_number"),
    ),
    Queue(
        "co_handling",
        _("Co-handling"),
        ("officer", "unit_leader"),
        lambda user, today: q.q_co_handled_by(user),
        ("due_date", "-urgency", "arrival_number"),
    ),
    Queue(
        "for_info",
        _("For information"),
        ("officer", "unit_leader", "leader"),
        lambda user, today: q.q_for_info_of(user),
        ("-arrival_date", "-arrival_number"),
    ),
    Queue("all", _("All documents"), (), None, ("-arrival_date", "-arrival_number"), capped=True),
)

QUEUES_BY_KEY = {queue.key: queue for queue in QUEUES}


def queues_for(roles: set[str]) -> list[Queue]:
    """The tabs a person holding ``roles`` sees, in order (``all`` always last)."""
    return [queue for queue in QUEUES if not queue.roles or set(queue.roles) & roles]


def pick(queues: list[Queue], key: str | None) -> Queue:
    """The requested tab if the person has it, else their first tab."""
    for queue in queues:
        if queue.key == key:
            return queue
    return queues[0]


def apply(queryset, queue: Queue, user, today: dt.date | None = None):
    if queue.condition is None:
        return queryset
    return queryset.filter(queue.condition(user, today or timezone.localdate()))


def counts(queryset, queues: list[Queue], user, today: dt.date | None = None) -> dict[str, int]:
    """{queue key: number of documents}, for every tab, exact, in one statement.

    ``SELECT 'key', COUNT(*) … UNION ALL SELECT …``: each branch is the tab's own query
    (``apply``), planned separately, so a tab with a selective condition (presented to me,
    overdue, named for information) is counted from its index rather than by a scan of
    everything the person may see (issue 3 benchmark, docs/documents.md). A ``capped`` tab
    counts at most ``COUNT_CAP`` + 1 rows (the tab shows "1000+").
    """
    today = today or timezone.localdate()
    parts = [
        _countable(apply(queryset, queue, user, today), queue)
        .order_by()
        .annotate(tab=Value(queue.key, output_field=CharField()))
        .values("tab")
        .annotate(number=Count("pk"))
        .values_list("tab", "number")
        for queue in queues
    ]
    if not parts:
        return {}
    result = {queue.key: 0 for queue in queues}
    result.update(dict(parts[0].union(*parts[1:], all=True)))
    return result


def _countable(queryset, queue: Queue):
    if not queue.capped:
        return queryset
    first = queryset.order_by().values("pk")[: COUNT_CAP + 1]
    return queryset.model._default_manager.filter(pk__in=first)


def is_capped(queue: Queue, number: int) -> bool:
    """True when ``number`` is a capped tab's count that stopped at the cap."""
    return queue.capped and number > COUNT_CAP
