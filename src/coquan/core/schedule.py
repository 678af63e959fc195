"""Daily and repeated jobs enqueued by ``run_worker``: the schedule without cron.

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

``COQUAN_INTERVAL_JOBS`` are repeated every N minutes (``IntervalJob``): the same claim, per
slot of the day instead of per day (the search index repair, every 10 minutes).
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


@dataclass(frozen=True)
class IntervalJob:
    """A job of the schedule repeated every ``minutes``: one run per slot of the local day.

    Slots start at local midnight (every 10 minutes: 00:00, 00:10, …); a slot's run is
    claimed like a day's run of a daily job, under the key ``<name>@HH:MM``, so it is
    enqueued once across all workers. The tasks must be idempotent (a slot missed while no
    worker ran is simply not run; the next one is).
    """

    name: str
    minutes: int
    tasks: tuple[str, ...]

    def slot(self, now: dt.datetime) -> tuple[dt.date, str]:
        """The local day and the claim key of the slot holding ``now``."""
        local = timezone.localtime(now)
        start = local.hour * 60 + local.minute
        start -= start % self.minutes
        return local.date(), f"{self.name}@{start // 60:02d}:{start % 60:02d}"


def interval_jobs() -> list[IntervalJob]:
    """The configured repeated jobs (``COQUAN_INTERVAL_JOBS``); ``minutes`` 0 switches one off."""
    configured = getattr(settings, "COQUAN_INTERVAL_JOBS", {}) or {}
    result = []
    for name, spec in configured.items():
        minutes = spec.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= 1440:
            raise ImproperlyConfigured(
                f"COQUAN_INTERVAL_JOBS[{name!r}]['minutes'] is {minutes!r}: "
                "use a whole number of minutes from 1 to 1440 (0 switches the job off)."
            )
        if len(name) > 58:
            raise ImproperlyConfigured(f"COQUAN_INTERVAL_JOBS: the name {name!r} is too long.")
        if minutes:
            result.append(IntervalJob(name=name, minutes=minutes, tasks=tuple(spec["tasks"])))
    return result


def enabled() -> bool:
    return bool(getattr(settings, "COQUAN_SCHEDULER", True))


def run_if_due(job: DailyJob, *, now: dt.datetime, worker_id: str = "") -> bool:
    """Claim today's run of ``job`` and enqueue its tasks; ``False`` when not due or taken."""
    day = job.due_day(now)
    if day is None:
        return False
    return _claim(job.name, day, job.tasks, now=now, worker_id=worker_id)


def run_slot_if_due(job: IntervalJob, *, now: dt.datetime, worker_id: str = "") -> bool:
    """Claim the run of ``job`` for the slot holding ``now``; ``False`` when already taken.

    The claim of a new slot also drops the job's rows older than yesterday: the history of
    a repeated job is short, the daily jobs' rows are kept.
    """
    from coquan.core.models import PeriodicRun

    day, key = job.slot(now)
    claimed = _claim(key, day, job.tasks, now=now, worker_id=worker_id)
    if claimed:
        PeriodicRun.objects.filter(
            job__startswith=f"{job.name}@", day__lt=day - dt.timedelta(days=1)
        ).delete()
    return claimed


def _claim(key: str, day: dt.date, paths, *, now: dt.datetime, worker_id: str) -> bool:
    """Insert the ``(key, day)`` run and enqueue ``paths`` in the same transaction."""
    from coquan.core.models import PeriodicRun

    if PeriodicRun.objects.filter(job=key, day=day).exists():
        return False
    tasks = [import_string(path) for path in paths]  # a bad path fails before the claim
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(
                job=key, day=day, enqueued_at=now, worker_id=worker_id[:64]
            )
            ids = [str(task.enqueue().id) for task in tasks]
            PeriodicRun.objects.filter(pk=run.pk).update(task_ids=ids)
    except IntegrityError:
        return False  # another worker claimed this run first
    logger.info("schedule: %s of %s enqueued by %s (%s)", key, day, worker_id, ", ".join(ids))
    return True


def tick(*, now: dt.datetime | None = None, worker_id: str = "") -> list[str]:
    """Enqueue every job due at ``now`` that no worker enqueued today (daily jobs) or in
    this slot (interval jobs); their names.

    One job's failure (a task that cannot be imported, a database error) is logged and does
    not stop the others; the failed job is tried again at the next tick.
    """
    if not enabled():
        return []
    now = now or timezone.now()
    started = []
    runs = [(job, run_if_due) for job in jobs()]
    runs += [(job, run_slot_if_due) for job in interval_jobs()]
    for job, run in runs:
        try:
            if run(job, now=now, worker_id=worker_id):
                started.append(job.name)
        except Exception:
            logger.exception("schedule: %s could not be enqueued", job.name)
    return started
