"""Per-role work queues of outgoing documents (issue 4, part 8), as data.

Tabs of the outgoing list, each a condition combined with ``visible_to`` in the same
query; counts of all tabs come from one statement (``queues.counts``, a COUNT per tab):

- drafters (officer, unit leader, leader): **my drafts** — not issued yet;
- everyone: **waiting for my review or opinion** (and the form check for clerks);
- leader: **waiting for my signature** — my approval is pending, or approved and mine to sign;
- clerk: **to issue** — signed, waiting for the number and the seal;
- everyone: **received internally**, **issued**, **all**.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coquan.documents import outgoing_querysets as q
from coquan.documents.queues import Queue

QUEUES: tuple[Queue, ...] = (
    Queue(
        "my_drafts",
        _("My drafts"),
        ("officer", "unit_leader", "leader"),
        lambda user, today: q.q_my_drafts(user),
        ("-updated_at", "-pk"),
    ),
    Queue(
        "to_review",
        _("Waiting for my review or opinion"),
        (),
        lambda user, today: q.q_to_review(user),
        ("-urgency", "submitted_at", "pk"),
    ),
    Queue(
        "to_sign",
        _("Waiting for my signature"),
        ("leader",),
        lambda user, today: q.q_to_sign(user),
        ("-urgency", "submitted_at", "pk"),
    ),
    Queue(
        "to_issue",
        _("To issue"),
        ("clerk",),
        lambda user, today: q.q_to_issue(),
        ("-urgency", "signed_at", "pk"),
    ),
    Queue(
        "received",
        _("Received internally"),
        (),
        lambda user, today: q.q_received_by(user),
        ("-issued_at", "-pk"),
    ),
    Queue(
        "issued",
        _("Issued"),
        (),
        lambda user, today: q.q_issued(),
        ("-issued_at", "-pk"),
    ),
    Queue("all", _("All"), (), None, ("-updated_at", "-pk")),
)

QUEUES_BY_KEY = {queue.key: queue for queue in QUEUES}


def queues_for(roles: set[str]) -> list[Queue]:
    """The tabs a person holding ``roles`` sees, in order (``all`` always last)."""
    return [queue for queue in QUEUES if not queue.roles or set(queue.roles) & roles]
