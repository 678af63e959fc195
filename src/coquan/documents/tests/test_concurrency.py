"""Parallel registrations get gapless, unique arrival numbers (Decree 30/2020 Art. 22).

Each thread has its own database connection and registers one document at the same moment
(a barrier releases them together). PostgreSQL runs 50 threads: the register book row is
locked with SELECT ... FOR UPDATE, so the numbers are 1..50. SQLite serialises writers
(IMMEDIATE transactions with a busy timeout), so the same test runs with fewer threads.

The SQLite test database of the runner is in memory with a shared cache, where a writer
that finds the database locked gets "database table is locked" at once instead of waiting
for the busy timeout (SQLITE_LOCKED is not SQLITE_BUSY). There the threads do what the busy
timeout does on a database file: wait a moment and try the whole action again. A refused
attempt rolled back completely, so the numbers must still come out gapless.
"""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from coquan.core.testing.concurrency import many_connections  # noqa: F401  (fixture)
from coquan.documents.models import IncomingDocument, RegisterBook


def _thread_count() -> int:
    return 50 if connection.vendor == "postgresql" else 8


def _shared_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and "mode=memory" in str(connection.settings_dict["NAME"])


def _register_with_wait(office, retry_locked: bool, **values):
    for _attempt in range(200):
        try:
            return office.register(**values)
        except OperationalError as exc:
            if not retry_locked or "locked" not in str(exc):
                raise
            connections.close_all()
            time.sleep(random.uniform(0.005, 0.05))
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("many_connections")
def test_parallel_registrations_get_numbers_one_to_n(office):
    count = _thread_count()
    retry_locked = _shared_memory_sqlite()
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []
    numbers: list[int] = []
    lock = threading.Lock()

    def register(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            document = _register_with_wait(
                office,
                retry_locked,
                subject=f"Văn bản song song số {index}",
                code_number=str(1000 + index),
            )
            with lock:
                numbers.append(document.arrival_number)
        except BaseException as exc:  # reported below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    assert sorted(numbers) == list(range(1, count + 1))
    stored = sorted(IncomingDocument.objects.values_list("arrival_number", flat=True))
    assert stored == list(range(1, count + 1))
    assert RegisterBook.objects.get().last_number == count
