"""Parallel receptions on one day get gapless, unique dossier codes (NĐ 61 Art. 26).

Each thread has its own database connection and accepts one dossier at the same moment (a
barrier releases them together). PostgreSQL runs 50 threads: the day's ``DossierCounter`` row
is locked with SELECT … FOR UPDATE, so the codes are …-0001 to …-0050. SQLite serialises
writers (IMMEDIATE transactions), so the same test runs with fewer threads; its in-memory
test database with a shared cache answers "database table is locked" at once instead of
waiting, so there a thread waits a moment and tries the whole action again (a refused
attempt rolled back completely, so the codes must still come out gapless).
"""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from coquan.core.testing.concurrency import many_connections  # noqa: F401  (fixture)
from coquan.onestop.models import Dossier, DossierCounter
from coquan.onestop.tests.conftest import at, build_office


def _thread_count() -> int:
    return 50 if connection.vendor == "postgresql" else 8


def _shared_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and "mode=memory" in str(connection.settings_dict["NAME"])


def _accept_with_wait(office, retry_locked: bool, **values):
    for _attempt in range(300):
        try:
            return office.accept(**values)
        except OperationalError as exc:
            if not retry_locked or "locked" not in str(exc):
                raise
            connections.close_all()
            time.sleep(random.uniform(0.005, 0.05))
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("many_connections")
def test_parallel_receptions_get_codes_one_to_n():
    office = build_office()
    count = _thread_count()
    retry_locked = _shared_memory_sqlite()
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []
    codes: list[str] = []
    lock = threading.Lock()
    moment = at(2026, 3, 2, 9, 30)

    def receive(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            dossier = _accept_with_wait(
                office,
                retry_locked,
                when=moment,
                applicant_name=f"Công ty thứ {index}",
            )
            with lock:
                codes.append(dossier.dossier_code)
        except BaseException as exc:  # reported below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors[:3]
    expected = [f"000.00.14.H06-260302-{n:04d}" for n in range(1, count + 1)]
    assert sorted(codes) == expected
    stored = sorted(Dossier.objects.values_list("dossier_code", flat=True))
    assert stored == expected
    assert sorted(Dossier.objects.values_list("sequence", flat=True)) == list(range(1, count + 1))
    assert DossierCounter.objects.get().last_value == count
