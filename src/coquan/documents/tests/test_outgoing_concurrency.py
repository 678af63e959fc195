"""Parallel issues get gapless, unique numbers (Decree 30/2020 Art. 15; issue 4 part 4).

Signed documents are prepared through the real actions, then one thread per document
issues it at the same moment (a barrier releases them together), each with its own
database connection. PostgreSQL runs 50 threads: the register book row is locked with
SELECT ... FOR UPDATE inside the issue transaction, so the numbers come out 01..50.
SQLite serialises writers, so the same test runs with fewer threads; the in-memory test
database answers "database table is locked" at once instead of waiting, so there the
threads retry the whole action (a refused attempt rolled back completely and used no
number), as the busy timeout does on a database file.
"""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from coquan.core.testing.concurrency import many_connections  # noqa: F401  (fixture)
from coquan.documents import actions
from coquan.documents.models import OutgoingDocument, RegisterBook
from coquan.documents.tests.conftest import make_dept


def _thread_count() -> int:
    return 50 if connection.vendor == "postgresql" else 6


def _retry_locked() -> bool:
    return connection.vendor == "sqlite" and "mode=memory" in str(connection.settings_dict["NAME"])


def _signed(dept, index: int) -> OutgoingDocument:
    doc = dept.draft(subject=f"V/v văn bản song song số {index}")
    doc = actions.submit(dept.officer, document=doc, skip_review=True, form_check=False)
    doc = actions.approve(dept.leader, document=doc)
    return actions.sign(dept.leader, document=doc)


def _issue_with_wait(dept, document, retry: bool):
    for _attempt in range(300):
        try:
            return actions.issue(dept.clerk, document=document)
        except OperationalError as exc:
            if not retry or "locked" not in str(exc):
                raise
            connections.close_all()
            time.sleep(random.uniform(0.005, 0.05))
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("many_connections")
def test_parallel_issues_get_numbers_one_to_n_without_gap_or_duplicate():
    from coquan.documents.tests.conftest import ensure_reference_data

    ensure_reference_data()
    dept = make_dept()
    count = _thread_count()
    documents = [_signed(dept, index) for index in range(count)]
    retry = _retry_locked()
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []
    numbers: list[str] = []
    lock = threading.Lock()

    def issue(document) -> None:
        try:
            barrier.wait(timeout=60)
            issued = _issue_with_wait(dept, document, retry)
            with lock:
                numbers.append(issued.code_number)
        except BaseException as exc:  # reported below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(doc,)) for doc in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors[:3]
    expected = [f"{n:02d}" for n in range(1, count + 1)]
    assert sorted(numbers) == expected
    stored = sorted(
        OutgoingDocument.objects.filter(status="issued").values_list("register_number", flat=True)
    )
    assert stored == list(range(1, count + 1))
    book = RegisterBook.objects.get(series__isnull=False)
    assert book.last_number == count
