"""The fault harness in the suite: a short run of ``python -m coquan.exchange.faults``.

Workers are killed with SIGKILL at each named point (after commit before send, after send
before ack, after receive before commit); the harness's checker proves exactly-once
arrival (one package, one incoming document, one arrival number) or an explicit failure,
no lost status, and timelines that never go backwards. ``make test-faults`` runs longer.
The ``claims`` mode proves that workers claiming at once on SQLite never share a message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]


def run_faults(*args: str) -> dict:
    """``python -m coquan.exchange.faults <args>``; its JSON summary (exit 0 asserted)."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "COQUAN_DEBUG": "1"}
    env.pop("DATABASE_URL", None)  # the harness uses its own temporary SQLite database
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "coquan.exchange.faults", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(lines[-1])


def test_killed_workers_lose_nothing_and_deliver_exactly_once():
    summary = run_faults("--runs", "1", "--recipients", "2")
    assert summary["ok"] and summary["failures"] == []
    assert summary["deliveries"] == 6
    assert set(summary["kills"]) == {
        "after_commit_before_send",
        "after_send_before_ack",
        "after_receive_before_commit",
    }


def test_workers_claiming_at_once_on_sqlite_never_take_the_same_message():
    """Three forked workers claim 100 due messages at once on one SQLite file (leases long,
    nothing sent): each message is claimed exactly once, and the work was shared."""
    summary = run_faults("claims")
    assert summary["ok"] and summary["claimed_twice"] == 0
    assert summary["messages"] == 100 == sum(summary["claimed_per_worker"])
    assert sum(1 for count in summary["claimed_per_worker"] if count) >= 2
