"""Actions of the notifications app: ``notify`` (used by other apps) and marking as read.

``notify`` writes the rows in the caller's transaction (so a rolled-back action notifies
nobody) and queues the e-mail task on commit. Notifications are derived messages, not
decisions: ``notify`` writes no audit entry (the action that caused it already did);
marking as read is the person's own bookkeeping, also without one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.notifications.models import Notification


def notify(
    recipients: Iterable, *, kind: str, title: str, url: str = "", agency=None, key: str = ""
) -> list[Notification]:
    """Notify each of ``recipients`` (users; duplicates and ``None`` ignored).

    With ``key``, a person who already has a notification with that key gets no new one.
    Returns the notifications created.
    """
    people = {}
    for person in recipients:
        if person is not None and getattr(person, "is_active", True):
            people[person.pk] = person
    if not people:
        return []
    if key:
        existing = set(
            Notification.objects.filter(recipient_id__in=people, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        people = {pk: p for pk, p in people.items() if pk not in existing}
    rows = [
        Notification(
            recipient_id=pk,
            agency=agency,
            kind=kind[:40],
            title=title[:300],
            url=url[:500],
            key=key[:200],
        )
        for pk in people
    ]
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    ids = [n.pk for n in created if n.pk is not None]
    if not ids and key:
        ids = list(
            Notification.objects.filter(
                recipient_id__in=people, key=key, emailed_at__isnull=True
            ).values_list("pk", flat=True)
        )
    if ids:
        from coquan.notifications.tasks import send_emails

        transaction.on_commit(functools.partial(send_emails.enqueue, ids), robust=True)
    return created


def mark_read(actor, *, notification) -> Notification:
    """Mark one of the person's own notifications as read."""
    if notification.recipient_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This notification belongs to someone else."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(actor) -> int:
    """Mark every unread notification of the person as read; returns how many."""
    return Notification.objects.for_user(actor).unread().update(read_at=timezone.now())
