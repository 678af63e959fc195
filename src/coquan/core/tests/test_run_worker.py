"""The worker command: runs queued tasks through db_worker and keeps a heartbeat."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from coquan.core.health import worker_status
from coquan.core.management.commands import run_worker
from coquan.core.models import WorkerHeartbeat
from coquan.core.tasks import record_heartbeat

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports"]}
}


# db_worker closes connections between tasks (close_old_connections), which would end the
# per-test transaction: these tests commit for real and the database is flushed after them.
WORKER_DB = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    """Tasks go to the database queue, as in production (tests default to immediate)."""
    settings.TASKS = DB_TASKS
    return settings


@WORKER_DB
def test_worker_runs_queued_task_and_writes_its_heartbeat(database_queue):
    result = record_heartbeat.enqueue("queue-probe")
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    assert worker_status() == "missing"

    call_command(
        "run_worker", "--batch", "--no-startup-delay", "--worker-id", "worker-test", verbosity=0
    )

    task_row = DBTaskResult.objects.get(id=result.id)
    assert task_row.status == "SUCCESSFUL"
    assert "worker-test" in task_row.worker_ids
    beats = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
    # The worker's own heartbeat and the one written by the task it ran.
    assert beats == {"worker-test", "queue-probe"}
    assert worker_status() == "ok"


@WORKER_DB
def test_worker_stops_its_heartbeat_thread_on_exit(database_queue):
    call_command(
        "run_worker", "--batch", "--no-startup-delay", "--worker-id", "worker-exit", verbosity=0
    )
    names = {thread.name for thread in threading.enumerate()}
    assert "heartbeat-worker-exit" not in names
    assert WorkerHeartbeat.objects.filter(worker_id="worker-exit").exists()


@WORKER_DB
def test_worker_passes_queue_options_through(database_queue):
    other = record_heartbeat.using(queue_name="reports").enqueue("other-queue")
    mine = record_heartbeat.enqueue("default-queue")

    call_command(
        "run_worker",
        "--batch",
        "--no-startup-delay",
        "--queue-name",
        "default",
        "--worker-id",
        "worker-default",
        verbosity=0,
    )

    assert DBTaskResult.objects.get(id=mine.id).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(id=other.id).status == "READY"


def test_heartbeat_thread_beats_every_period_until_stopped(monkeypatch):
    calls = []
    twice = threading.Event()

    def fake_beat(worker_id):
        calls.append(worker_id)
        if len(calls) >= 2:
            twice.set()

    monkeypatch.setattr(run_worker.health, "beat", fake_beat)
    thread = run_worker.HeartbeatThread("w1", period=0.01)
    thread.start()
    assert twice.wait(5)
    thread.stop(timeout=5)
    assert not thread.is_alive()
    assert set(calls) == {"w1"}
    assert thread.beats == len(calls)


def test_heartbeat_thread_survives_a_failed_beat(monkeypatch, caplog):
    attempts = []
    recovered = threading.Event()

    def flaky_beat(worker_id):
        attempts.append(worker_id)
        if len(attempts) == 1:
            raise RuntimeError("database is locked")
        recovered.set()

    monkeypatch.setattr(run_worker.health, "beat", flaky_beat)
    thread = run_worker.HeartbeatThread("w2", period=0.01)
    thread.start()
    assert recovered.wait(5)
    thread.stop(timeout=5)
    assert thread.beats >= 1
    assert "heartbeat failed" in caplog.text


def test_record_heartbeat_is_a_module_level_task():
    # The database backend can only run tasks it can import by path.
    assert record_heartbeat.module_path == "coquan.core.tasks.record_heartbeat"
