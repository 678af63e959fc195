"""Daily jobs enqueued by ``run_worker``: the schedule without cron.

``COQUAN_DAILY_JOBS`` (settings) names each job, the local time of day (``TIME_ZONE``,
Asia/Ho_Chi_Minh) from which it is due, and the django-tasks it enqueues, by import path —
core knows no domain app. Every ``run_worker`` process calls ``tick()`` when it starts and
then every ``COQUAN_SCHEDULER_SECONDS``. A job is due when the local time has reached its
time of day and no ``PeriodicRun`` row exists for it today. The worker that inserts that row
enqueues the job's tasks **in the same transaction**: the unique ``(job, day)`` constraint
makes a second worker's insert wait for the first one's commit and then fail, so the tasks
are enqueued exactly once per day however many workers tick, and a crash between the claim
and the enqueue leaves neither (the next tick tries again).

A worker that was stopped at the job's time enqueues the job when it starts again the same
day (catch-up); a day on which no worker ran at all after the job's time is not run later:
these jobs work as of the day they run (reminders of today, licences expired by today).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("coquan.worker")


@dataclass(frozen=True)
class DailyJob:
    """A job of the schedule: enqueue ``tasks`` once a day, from local time ``at`` on."""

    name: str
    at: dt.time
    tasks: tuple[str, ...]

    def due_day(self, now: dt.datetime) -> dt.date | None:
        """The local day whose run is due at ``now`` (``None`` before today's time)."""
        local = timezone.localtime(now)
        return local.date() if local.time() >= self.at else None


def _time_of_day(name: str, text: str) -> dt.time:
    try:
        return dt.datetime.strptime(str(text).strip(), "%H:%M").time()
    except ValueError:
        raise ImproperlyConfigured(
            f"COQUAN_DAILY_JOBS[{name!r}]['at'] is {text!r}: use HH:MM (24-hour local time)."
        ) from None


def jobs() -> list[DailyJob]:
    """The configured daily jobs (``COQUAN_DAILY_JOBS``)."""
    configured = getattr(settings, "COQUAN_DAILY_JOBS", {}) or {}
    return [
        DailyJob(name=name, at=_time_of_day(name, spec["at"]), tasks=tuple(spec["tasks"]))
        for name, spec in configured.items()
    ]


def enabled() -> bool:
    return bool(getattr(settings, "COQUAN_SCHEDULER", True))


def run_if_due(job: DailyJob, *, now: dt.datetime, worker_id: str = "") -> bool:
    """Claim today's run of ``job`` and enqueue its tasks; ``False`` when not due or taken."""
    from coquan.core.models import PeriodicRun

    day = job.due_day(now)
    if day is None or PeriodicRun.objects.filter(job=job.name, day=day).exists():
        return False
    tasks = [import_string(path) for path in job.tasks]  # a bad path fails before the claim
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(
                job=job.name, day=day, enqueued_at=now, worker_id=worker_id[:64]
            )
            ids = [str(task.enqueue().id) for task in tasks]
            PeriodicRun.objects.filter(pk=run.pk).update(task_ids=ids)
    except IntegrityError:
        return False  # another worker claimed today's run first
    logger.info("schedule: %s of %s enqueued by %s (%s)", job.name, day, worker_id, ", ".join(ids))
    return True


def tick(*, now: dt.datetime | None = None, worker_id: str = "") -> list[str]:
    """Enqueue every job due at ``now`` that no worker enqueued today; their names.

    One job's failure (a task that cannot be imported, a database error) is logged and does
    not stop the others; the failed job is tried again at the next tick.
    """
    if not enabled():
        return []
    now = now or timezone.now()
    started = []
    for job in jobs():
        try:
            if run_if_due(job, now=now, worker_id=worker_id):
                started.append(job.name)
        except Exception:
            logger.exception("schedule: %s could not be enqueued", job.name)
    return started
