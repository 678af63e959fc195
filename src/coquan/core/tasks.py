"""Background tasks of the core app (django-tasks API, run by ``coquan run_worker``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from coquan.core.health import beat


@task()
def record_heartbeat(worker_id: str = "queue-probe") -> str:
    """Write a heartbeat row for ``worker_id`` from inside the task queue.

    The worker's own heartbeat thread proves that the process is alive; this task proves the
    queue is drained end to end (the row changes only when a worker picked the task up and
    ran it). Operators enqueue it from ``coquan shell`` when a queue looks stuck; tests use
    it to drive ``run_worker``. Returns the time of the beat (ISO 8601).
    """
    beat(worker_id)
    return timezone.now().isoformat()
