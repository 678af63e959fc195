"""``coquan run_worker``: the background worker with a heartbeat and the daily schedule.

Runs django-tasks-db's ``db_worker`` (same options: ``--queue-name``, ``--exclude-queues``,
``--interval``, ``--batch``, ``--max-tasks``, ``--worker-id``, ``--backend``, ``--reload`` …)
and, beside it, two threads: one writes a ``WorkerHeartbeat`` row every
``COQUAN_WORKER_HEARTBEAT_SECONDS`` under the worker's id, the other ticks the schedule of
daily jobs (``core.schedule``) every ``COQUAN_SCHEDULER_SECONDS`` — once at start first, so
a run missed while no worker was up is enqueued before the first batch. Both stop when the
worker exits, whatever the reason (end of a batch, signal, error). ``--no-scheduler`` (or
``COQUAN_SCHEDULER=0``) leaves the schedule to other workers; any number of workers may tick
it, each job is enqueued once a day.
"""

from __future__ import annotations

import logging
import os
import signal
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from coquan.core import health, schedule

logger = logging.getLogger("coquan.worker")

_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)
)


class HeartbeatThread(threading.Thread):
    """Writes ``health.beat(worker_id)`` every ``period`` seconds until ``stop()``.

    A failed beat (database briefly unavailable, SQLite busy) is logged and retried at the
    next period: the heartbeat must never take the worker down.
    """

    def __init__(self, worker_id: str, period: float):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.period = period
        self.beats = 0
        self._stop_event = threading.Event()

    def beat_once(self) -> bool:
        try:
            health.beat(self.worker_id)
        except Exception:
            logger.exception("worker %s: heartbeat failed", self.worker_id)
            return False
        self.beats += 1
        return True

    def run(self) -> None:
        try:
            while not self._stop_event.wait(self.period):
                self.beat_once()
        finally:
            # This thread's own database connections; the worker's are untouched.
            connections.close_all()

    def stop(self, timeout: float | None = None) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout)


class SchedulerThread(threading.Thread):
    """Ticks the daily schedule every ``period`` seconds until ``stop()``.

    A failed tick is logged and the next one tries again; it never takes the worker down.
    """

    def __init__(self, worker_id: str, period: float):
        super().__init__(name=f"scheduler-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.period = period
        self._stop_event = threading.Event()

    def tick_once(self) -> list[str]:
        try:
            return schedule.tick(worker_id=self.worker_id)
        except Exception:
            logger.exception("worker %s: schedule tick failed", self.worker_id)
            return []

    def run(self) -> None:
        try:
            while not self._stop_event.wait(self.period):
                self.tick_once()
        finally:
            connections.close_all()

    def stop(self, timeout: float | None = None) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout)


class Command(BaseCommand):
    help = "Run the background worker (db_worker) and write a heartbeat read by /healthz."

    def add_arguments(self, parser):
        # Exactly db_worker's options, so both commands are used the same way.
        DbWorkerCommand().add_arguments(parser)
        parser.add_argument(
            "--heartbeat-seconds",
            type=float,
            default=None,
            help="Seconds between heartbeats (default: COQUAN_WORKER_HEARTBEAT_SECONDS).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Do not enqueue the daily jobs from this worker (COQUAN_SCHEDULER=0 does the "
            "same for every worker).",
        )

    def handle(self, *args, heartbeat_seconds=None, no_scheduler=False, **options):
        period = heartbeat_seconds or settings.COQUAN_WORKER_HEARTBEAT_SECONDS
        worker_id = options["worker_id"]
        # With --reload the first process only watches files and restarts a child that runs
        # this command again; only the process that runs tasks beats.
        reloading = options.get("reload") and not options.get("batch")
        watcher_only = reloading and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        previous_handlers = {sig: signal.getsignal(sig) for sig in _SIGNALS}
        heartbeat = scheduler = None
        if not watcher_only:
            if schedule.enabled() and not no_scheduler:
                # A wrong COQUAN_DAILY_JOBS / COQUAN_INTERVAL_JOBS stops the worker here, loudly.
                schedule.jobs()
                schedule.interval_jobs()
                scheduler = SchedulerThread(worker_id, settings.COQUAN_SCHEDULER_SECONDS)
            heartbeat = HeartbeatThread(worker_id, period)
            health.beat(worker_id)  # healthy from the first second, and fails fast without a DB
            heartbeat.start()
            logger.info("worker %s: heartbeat every %ss", worker_id, period)
            if scheduler is not None:
                scheduler.tick_once()  # catch up today's missed runs before the first task
                scheduler.start()
                logger.info("worker %s: schedule ticks every %ss", worker_id, scheduler.period)
        try:
            call_command("db_worker", *args, **options)
        finally:
            if scheduler is not None:
                scheduler.stop(timeout=settings.COQUAN_SCHEDULER_SECONDS + 5)
            if heartbeat is not None:
                heartbeat.stop(timeout=period + 5)
            if threading.current_thread() is threading.main_thread():
                for sig, handler in previous_handlers.items():
                    if handler is not None:
                        signal.signal(sig, handler)
