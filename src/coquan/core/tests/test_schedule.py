"""The daily schedule of run_worker: time of day, once a day across workers, catch-up.

Tasks go to the database queue (as in production) so that "enqueued" is a row to count.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coquan.core import schedule
from coquan.core.models import PeriodicRun
from coquan.core.testing.concurrency import many_connections  # noqa: F401  (fixture)

PROBE = "coquan.core.tasks.record_heartbeat"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
MONDAY = dt.date(2026, 3, 2)


def local(hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    """An aware datetime at this local (Asia/Ho_Chi_Minh) time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def enqueued(path: str = PROBE) -> int:
    return DBTaskResult.objects.filter(task_path=path).count()


@pytest.fixture
def probe_schedule(settings):
    """One job at 07:00 that enqueues the heartbeat probe task, on the database queue."""
    settings.TASKS = DB_TASKS
    settings.COQUAN_SCHEDULER = True
    settings.COQUAN_DAILY_JOBS = {"probe": {"at": "07:00", "tasks": [PROBE]}}
    settings.COQUAN_INTERVAL_JOBS = {}
    return settings


def test_the_default_schedule_has_the_reminders_at_seven_and_the_registry_job():
    jobs = {job.name: job for job in schedule.jobs()}
    assert jobs["send_due_reminders"].at == dt.time(7, 0)
    assert jobs["send_due_reminders"].tasks == ("coquan.documents.reminders.send_due_reminders",)
    assert set(jobs["registry_expire"].tasks) == {
        "coquan.registry.tasks.expire_licences_task",
        "coquan.registry.tasks.licence_reminders_task",
    }
    from django.utils.module_loading import import_string

    for job in jobs.values():
        for path in job.tasks:
            assert import_string(path).module_path == path  # the worker can import each


def test_the_default_schedule_repairs_the_search_index_every_ten_minutes():
    from django.utils.module_loading import import_string

    [job] = [job for job in schedule.interval_jobs() if job.name == "repair_search_index"]
    assert (job.minutes, job.tasks) == (10, ("coquan.search.tasks.repair_index",))
    assert import_string(job.tasks[0]).module_path == job.tasks[0]


@pytest.mark.django_db
def test_an_interval_job_runs_once_per_slot_across_workers(probe_schedule):
    probe_schedule.COQUAN_DAILY_JOBS = {}
    probe_schedule.COQUAN_INTERVAL_JOBS = {"probe": {"minutes": 10, "tasks": [PROBE]}}
    assert schedule.tick(now=local(7, 0), worker_id="w1") == ["probe"]
    assert schedule.tick(now=local(7, 9), worker_id="w2") == []  # same slot, other worker
    assert schedule.tick(now=local(7, 10), worker_id="w2") == ["probe"]
    assert schedule.tick(now=local(7, 19), worker_id="w1") == []
    assert enqueued() == 2
    assert sorted(PeriodicRun.objects.values_list("job", "worker_id")) == [
        ("probe@07:00", "w1"),
        ("probe@07:10", "w2"),
    ]
    # Two days later the old slots are dropped (a daily job's history is kept).
    PeriodicRun.objects.create(job="daily", day=MONDAY, enqueued_at=local(7, 0))
    wednesday = MONDAY + dt.timedelta(days=2)
    assert schedule.tick(now=local(0, 5, wednesday)) == ["probe"]
    assert sorted(PeriodicRun.objects.values_list("job", "day")) == [
        ("daily", MONDAY),
        ("probe@00:00", wednesday),
    ]


@pytest.mark.parametrize("minutes", [-1, 1441, "10", None, True])
def test_a_wrong_interval_is_a_configuration_error(settings, minutes):
    settings.COQUAN_INTERVAL_JOBS = {"probe": {"minutes": minutes, "tasks": [PROBE]}}
    with pytest.raises(ImproperlyConfigured, match="whole number of minutes"):
        schedule.interval_jobs()


def test_an_interval_of_zero_switches_the_job_off(settings):
    settings.COQUAN_INTERVAL_JOBS = {"probe": {"minutes": 0, "tasks": [PROBE]}}
    assert schedule.interval_jobs() == []


@pytest.mark.django_db
def test_the_job_waits_for_its_time_of_day_and_runs_once_that_day(probe_schedule):
    assert schedule.tick(now=local(6, 59)) == []
    assert enqueued() == 0 and not PeriodicRun.objects.exists()
    assert schedule.tick(now=local(7, 0), worker_id="w1") == ["probe"]
    assert schedule.tick(now=local(7, 1), worker_id="w1") == []
    assert schedule.tick(now=local(23, 59), worker_id="w2") == []
    assert enqueued() == 1
    run = PeriodicRun.objects.get()
    assert (run.job, run.day, run.worker_id) == ("probe", MONDAY, "w1")
    assert run.task_ids == [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)]
    # The next day: not before 07:00 local, then once.
    tuesday = MONDAY + dt.timedelta(days=1)
    assert schedule.tick(now=local(6, 0, tuesday)) == []
    assert schedule.tick(now=local(7, 30, tuesday)) == ["probe"]
    assert enqueued() == 2


@pytest.mark.django_db
def test_the_time_of_day_is_local_time(probe_schedule):
    # 23:30 UTC on Sunday is 06:30 on Monday in Hà Nội: not yet; 00:00 UTC is 07:00: due.
    utc = dt.UTC
    assert schedule.tick(now=dt.datetime(2026, 3, 1, 23, 30, tzinfo=utc)) == []
    assert schedule.tick(now=dt.datetime(2026, 3, 2, 0, 0, tzinfo=utc)) == ["probe"]
    assert PeriodicRun.objects.get().day == MONDAY


@pytest.mark.django_db
def test_a_run_missed_while_no_worker_was_up_is_caught_up_the_same_day(probe_schedule):
    # Nothing ran on Monday before the worker starts again at 15:20.
    assert schedule.tick(now=local(15, 20), worker_id="restarted") == ["probe"]
    assert enqueued() == 1
    # A whole missed day is not run afterwards: Tuesday runs for Tuesday only.
    PeriodicRun.objects.all().delete()
    DBTaskResult.objects.all().delete()
    wednesday = MONDAY + dt.timedelta(days=2)
    assert schedule.tick(now=local(9, 0, wednesday)) == ["probe"]
    assert list(PeriodicRun.objects.values_list("day", flat=True)) == [wednesday]


@pytest.mark.django_db
def test_a_failing_job_is_logged_retried_and_does_not_stop_the_others(probe_schedule, caplog):
    probe_schedule.COQUAN_DAILY_JOBS = {
        "broken": {"at": "07:00", "tasks": ["coquan.core.tasks.no_such_task"]},
        "probe": {"at": "07:00", "tasks": [PROBE]},
    }
    with caplog.at_level(logging.ERROR, logger="coquan.worker"):
        assert schedule.tick(now=local(7, 0)) == ["probe"]
    assert "broken could not be enqueued" in caplog.text
    assert list(PeriodicRun.objects.values_list("job", flat=True)) == ["probe"]  # no claim left


@pytest.mark.django_db
def test_switched_off_the_schedule_enqueues_nothing(probe_schedule):
    probe_schedule.COQUAN_SCHEDULER = False
    assert schedule.tick(now=local(12, 0)) == []
    assert enqueued() == 0


def test_a_wrong_time_of_day_is_a_configuration_error(settings):
    settings.TASKS = DB_TASKS
    settings.COQUAN_SCHEDULER = True
    settings.COQUAN_DAILY_JOBS = {"probe": {"at": "7h", "tasks": [PROBE]}}
    with pytest.raises(ImproperlyConfigured, match="HH:MM"):
        schedule.jobs()
    with pytest.raises(ImproperlyConfigured, match="HH:MM"):
        call_command("run_worker", "--batch", "--no-startup-delay", verbosity=0)


def run_worker(*extra: str) -> None:
    call_command(
        "run_worker", "--batch", "--no-startup-delay", "--worker-id", "w-batch", *extra, verbosity=0
    )


# db_worker closes connections between tasks: these tests commit for real (then flushed).
@pytest.mark.django_db(transaction=True)
def test_run_worker_catches_up_todays_run_at_start_and_runs_it(probe_schedule):
    probe_schedule.COQUAN_DAILY_JOBS = {"probe": {"at": "00:00", "tasks": [PROBE]}}
    run_worker()
    run = PeriodicRun.objects.get()
    assert (run.job, run.day, run.worker_id) == ("probe", timezone.localdate(), "w-batch")
    assert DBTaskResult.objects.get(task_path=PROBE).status == "SUCCESSFUL"
    run_worker()  # restarted the same day: nothing new
    assert enqueued() == 1 and PeriodicRun.objects.count() == 1
    names = {thread.name for thread in threading.enumerate()}
    assert "scheduler-w-batch" not in names  # the thread stopped with the worker


@pytest.mark.django_db(transaction=True)
def test_run_worker_without_the_scheduler_enqueues_nothing(probe_schedule):
    probe_schedule.COQUAN_DAILY_JOBS = {"probe": {"at": "00:00", "tasks": [PROBE]}}
    run_worker("--no-scheduler")
    assert enqueued() == 0 and not PeriodicRun.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("many_connections")
def test_workers_ticking_at_the_same_moment_enqueue_the_job_once(probe_schedule):
    """PostgreSQL: 12 workers race on the unique (job, day) row; the losers' inserts wait for
    the winner's commit and fail. SQLite serialises the writers (fewer threads; in the
    runner's shared-memory database a writer may find it locked and tick again)."""
    probe_schedule.COQUAN_DAILY_JOBS = {
        "probe": {"at": "07:00", "tasks": [PROBE]},
        "reminders": {"at": "07:00", "tasks": ["coquan.documents.reminders.send_due_reminders"]},
    }
    count = 12 if connection.vendor == "postgresql" else 4
    barrier = threading.Barrier(count)
    started: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def claimed() -> int:
        try:
            return PeriodicRun.objects.filter(day=MONDAY).count()
        except OperationalError:
            return 0

    def worker(index: int) -> None:
        # Each worker ticks as its thread would, until both jobs are claimed (a tick that
        # met a locked database logs it and the next tick tries again).
        try:
            barrier.wait(timeout=30)
            for _tick in range(200):
                names = schedule.tick(now=local(7, 0), worker_id=f"worker-{index}")
                with lock:
                    started.extend(names)
                if claimed() == 2:
                    break
                connections.close_all()
                time.sleep(random.uniform(0.005, 0.05))
        except BaseException as exc:  # reported below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    assert sorted(started) == ["probe", "reminders"]
    assert PeriodicRun.objects.count() == 2
    assert enqueued() == 1
    assert enqueued("coquan.documents.reminders.send_due_reminders") == 1


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_thread_ticks_every_period_until_stopped(probe_schedule):
    from coquan.core.management.commands.run_worker import SchedulerThread

    probe_schedule.COQUAN_DAILY_JOBS = {"probe": {"at": "00:00", "tasks": [PROBE]}}
    thread = SchedulerThread("w-thread", period=0.01)
    thread.start()
    deadline = time.monotonic() + 10
    while not PeriodicRun.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    thread.stop(timeout=5)
    assert not thread.is_alive()
    assert PeriodicRun.objects.get().worker_id == "w-thread"
    assert enqueued() == 1  # ticked many times, enqueued once
