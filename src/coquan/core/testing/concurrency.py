"""Tests that open many database connections at once, one at a time across test workers.

The concurrency tests (50 parallel registrations, issues, receptions on PostgreSQL) each
hold ~50 connections; the suite runs on every core (pytest-xdist), and two of them running
at the same moment on two workers exceed PostgreSQL's default ``max_connections`` (100).
``many_connections`` makes them take turns: an exclusive lock on a file shared by every
worker of the machine, held for the test and its teardown. Other tests are not affected.
"""

from __future__ import annotations

import fcntl
import tempfile
from pathlib import Path

import pytest

LOCK_FILE = Path(tempfile.gettempdir()) / "coquan-tests-many-connections.lock"


@pytest.fixture
def many_connections():
    """Hold the machine-wide "many connections" turn while the test runs."""
    with open(LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
