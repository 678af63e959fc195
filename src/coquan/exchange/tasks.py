"""Background tasks of the exchange app (django-tasks, run by ``coquan run_worker``)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from coquan.exchange import outbox

log = logging.getLogger("coquan.exchange.outbox")


def poll_seconds() -> float:
    return float(getattr(settings, "COQUAN_EXCHANGE_POLL_SECONDS", 10))


@task()
def deliver_outbox(follow: bool = False) -> dict:
    """Deliver every due outbox message (``outbox.run_until_idle``).

    With ``follow`` the task enqueues itself again for the next due retry or, at the
    latest, after ``COQUAN_EXCHANGE_POLL_SECONDS`` (queued deliveries written by the
    documents app are found by polling): start the chain once with
    ``coquan exchange_deliver --enqueue``.
    """
    counts = outbox.run_until_idle()
    if follow and default_task_backend.supports_defer:
        later = timezone.now() + dt.timedelta(seconds=poll_seconds())
        due = outbox.next_due_at()
        run_after = min(later, due) if due is not None else later
        deliver_outbox.using(run_after=max(run_after, timezone.now())).enqueue(follow=True)
    return {str(key): value for key, value in counts.items()}


def enqueue_delivery() -> None:
    """Deliver soon (on commit of a change that wrote outbox rows).

    Not when a ``deliver_outbox`` task is already waiting and due: it has not started, so
    it will see the rows just committed (``run_until_idle`` takes every due message). A
    receipt then costs a read instead of one more row and commit (bench/exchange.py).
    """
    if _delivery_waiting():
        return
    deliver_outbox.enqueue()


def _delivery_waiting() -> bool:
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task_backends[deliver_outbox.backend], DatabaseBackend):
        return False
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.ready()
        .filter(task_path=deliver_outbox.module_path, queue_name=deliver_outbox.queue_name)
        .exists()
    )
