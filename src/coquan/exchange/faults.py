"""Fault test of guaranteed delivery: ``kill -9`` of the delivery worker at named points.

``python -m coquan.exchange.faults [--runs N] [--recipients M] [--rate R]`` (``make
test-faults``; a short run is in the test suite). In a temporary directory (its own SQLite
database and files, ``fault_settings``) it creates a sending agency and M recipient
agencies on the same deployment (local transport, the real receive pipeline), then for each
run and each crash point of ``outbox.CRASH_POINTS``:

1. issues a document to the M agencies through the real documents actions;
2. runs worker processes (forked from the harness, or with ``--spawn`` started as
   ``python -m coquan.exchange.faults worker``) with ``COQUAN_EXCHANGE_CRASH_AT=<point>``:
   each kills itself (SIGKILL) at that point with probability R; a new worker is started
   until nothing is left to deliver (a killed worker's lease expires after 0.5 s);
3. registers every received document (status 03) and runs crashing workers again.

Then the checker proves, over everything sent: every delivery reached its recipient exactly
once (one accepted package, one incoming document with one arrival number) or is in the
explicit ``failed`` state; every status built (01, 03) was delivered and is on the sender's
timeline (none lost); each timeline is 01 then 03 (never backwards). It prints a JSON
summary and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = "coquan.exchange.fault_settings"


def _setup_django(var_dir: str) -> None:
    os.environ["COQUAN_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ.setdefault("COQUAN_DEBUG", "1")
    import django

    django.setup()


def worker(deadline_seconds: float = 60) -> int:
    """Deliver until nothing is pending (waits for expired leases of killed workers)."""
    from coquan.exchange import outbox
    from coquan.exchange.choices import OutboxState
    from coquan.exchange.models import OutboxMessage

    end = time.monotonic() + deadline_seconds
    while time.monotonic() < end:
        outbox.run_once(limit=5)
        if (
            not outbox.adopt_deliveries()
            and not OutboxMessage.objects.filter(state=OutboxState.PENDING).exists()
        ):
            from coquan.documents.models import Delivery

            if not Delivery.objects.filter(state="queued").exists():
                return 0
        time.sleep(0.1)
    return 2


def _fork_worker(point: str, rate: float) -> int:
    """A worker in a forked child (no interpreter start-up); returns its exit status, or
    -9 when it was killed by SIGKILL."""
    from django.db import connections

    connections.close_all()  # the child opens its own connections
    pid = os.fork()
    if pid == 0:  # the worker
        code = 3
        try:
            os.environ["COQUAN_EXCHANGE_CRASH_AT"] = point
            os.environ["COQUAN_EXCHANGE_CRASH_RATE"] = str(rate)
            import random

            random.seed(os.getpid() ^ int(time.time() * 1000))
            code = worker()
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _spawn_until_done(var_dir: str, point: str, rate: float, stats: dict, fork: bool) -> None:
    if fork:
        for attempt in range(200):
            # The first worker of each phase always dies at the point (if it reaches it).
            code = _fork_worker(point, 1.0 if attempt == 0 else rate)
            if code == -9:
                stats["kills"][point] = stats["kills"].get(point, 0) + 1
                continue
            if code != 0:
                raise SystemExit(f"worker failed ({code})")
            return
        raise SystemExit("the workers never finished")
    env = {
        **os.environ,
        "COQUAN_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "COQUAN_EXCHANGE_CRASH_AT": point,
        "COQUAN_EXCHANGE_CRASH_RATE": str(rate),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    for _attempt in range(60):
        done = subprocess.run(
            [sys.executable, "-m", "coquan.exchange.faults", "worker"],
            env=env,
            capture_output=True,
            timeout=120,
        )
        if done.returncode == -9:
            stats["kills"][point] = stats["kills"].get(point, 0) + 1
            continue
        if done.returncode != 0:
            raise SystemExit(f"worker failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
        return
    raise SystemExit("the workers never finished")


def _world(recipients: int):
    from coquan.core.testing.factories import AgencyFactory, make_member
    from coquan.documents.tests.conftest import ensure_reference_data, make_dept
    from coquan.exchange.actions import install_agency_key
    from coquan.exchange.tests.helpers import key_pair

    ensure_reference_data()
    dept = make_dept()
    key_pem, cert_pem = key_pair(dept.agency.organ_id)
    install_agency_key(None, agency=dept.agency, private_key_pem=key_pem, certificate_pem=cert_pem)
    agencies = [dept.partner] + [
        AgencyFactory(organ_id=f"000.01.{n:02d}.H06", name=f"UBND xã số {n}")
        for n in range(1, recipients)
    ]
    clerks = {a.pk: make_member(a, "clerk", username=f"vt_{a.pk}") for a in agencies}
    return dept, agencies, clerks


def _issue(dept, agencies, n: int):
    from coquan.documents.choices import RecipientKind

    draft = dept.draft(
        subject=f"V/v thử nghiệm gửi nhận số {n}",
        recipients=[(RecipientKind.AGENCY, a) for a in agencies],
    )
    return dept.advance(draft, "issued")


def _register_all(clerks) -> int:
    from coquan.exchange.actions import register_package
    from coquan.exchange.models import ReceivedPackage

    count = 0
    for package in ReceivedPackage.objects.filter(
        state="parsed", kind="document", business_doc_type=0
    ):
        register_package(clerks[package.agency_id], package=package)
        count += 1
    return count


def check(document_ids: list[int]) -> list[str]:
    """The proofs (see the module docstring); returns the failures found."""
    from coquan.documents.models import Delivery, IncomingDocument
    from coquan.exchange.models import OutboxMessage, OutgoingStatus, ReceivedPackage

    failures = []
    deliveries = Delivery.objects.filter(document_id__in=document_ids, kind="send")
    for delivery in deliveries.select_related("document__agency"):
        from coquan.exchange.outbox import document_id_of

        doc_id = document_id_of(delivery.document)
        if delivery.state == "failed":
            if not delivery.last_error:
                failures.append(f"{delivery.pk}: failed without a reason")
            continue
        if delivery.state != "delivered":
            failures.append(f"{delivery.pk}: left in state {delivery.state}")
            continue
        packages = ReceivedPackage.objects.accepted().filter(
            agency__organ_id=delivery.organ_id, document_id=doc_id, business_doc_type=0
        )
        incoming = IncomingDocument.objects.filter(
            agency__organ_id=delivery.organ_id, edxml_document_id=doc_id
        )
        if packages.count() != 1:
            failures.append(f"{delivery.pk}: {packages.count()} packages received")
        if incoming.count() != 1:
            failures.append(f"{delivery.pk}: {incoming.count()} incoming documents")
        built = list(
            OutgoingStatus.objects.filter(
                package__in=packages, status_code__in=["01", "03"]
            ).values_list("status_code", flat=True)
        )
        if sorted(built) != ["01", "03"]:
            failures.append(f"{delivery.pk}: statuses built {sorted(built)}")
        timeline = list(
            delivery.recipient_statuses.order_by("received_at", "pk").values_list("code", flat=True)
        )
        if timeline != ["01", "03"]:
            failures.append(f"{delivery.pk}: sender's timeline {timeline}")
    undelivered = OutboxMessage.objects.exclude(state__in=["delivered", "failed"]).count()
    if undelivered:
        failures.append(f"{undelivered} outbox messages neither delivered nor failed")
    return failures


def harness(runs: int, recipients: int, rate: float, fork: bool = True) -> int:
    with tempfile.TemporaryDirectory(prefix="coquan-faults-") as var_dir:
        _setup_django(var_dir)
        from django.core.management import call_command

        from coquan.exchange.outbox import CRASH_POINTS

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        dept, agencies, clerks = _world(recipients)
        stats: dict = {"kills": {}, "documents": 0, "deliveries": 0}
        documents = []
        for _run in range(runs):
            for point in CRASH_POINTS:
                document = _issue(dept, agencies, len(documents) + 1)
                documents.append(document.pk)
                stats["documents"] += 1
                stats["deliveries"] += len(agencies)
                _spawn_until_done(var_dir, point, rate, stats, fork)
                _register_all(clerks)
                _spawn_until_done(var_dir, point, rate, stats, fork)
        failures = check(documents)
        from coquan.exchange.models import DeliveryAttempt

        stats.update(
            runs=runs,
            recipients=recipients,
            rate=rate,
            attempts=DeliveryAttempt.objects.count(),
            seconds=round(time.monotonic() - started, 1),
            failures=failures[:50],
            ok=not failures,
        )
        print(json.dumps(stats, ensure_ascii=False))
        return 0 if not failures else 1


def _claim_all(path: Path, start_fd: int) -> None:
    """A forked claimer: wait for the start, claim until nothing is due, write the ids."""
    from coquan.exchange import outbox

    os.read(start_fd, 1)  # all claimers start together
    claimed: list[int] = []
    while batch := outbox.claim(limit=2):
        claimed += batch
        time.sleep(0.005)  # as if sending: the others claim meanwhile
    path.write_text(json.dumps(claimed))


def claim_race(workers: int = 3, documents: int = 20, recipients: int = 5) -> int:
    """Several workers claim due messages at once on one SQLite database file: every message
    is claimed by exactly one of them (``outbox.claim`` runs in an IMMEDIATE transaction,
    which takes SQLite's write lock before it reads, where PostgreSQL uses SKIP LOCKED).
    Leases are long here and nothing is sent, so a second claim could only be a race."""
    with tempfile.TemporaryDirectory(prefix="coquan-claims-") as var_dir:
        _setup_django(var_dir)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        from coquan.exchange import outbox
        from coquan.exchange.models import OutboxMessage

        settings.COQUAN_EXCHANGE_LEASE_SECONDS = 3600
        call_command("migrate", verbosity=0)
        dept, agencies, _clerks = _world(recipients)
        for number in range(documents):
            _issue(dept, agencies, number + 1)
        outbox.adopt_deliveries(limit=10_000)
        expected = set(OutboxMessage.objects.filter(state="pending").values_list("pk", flat=True))
        connections.close_all()  # each claimer opens its own connection
        start_read, start_write = os.pipe()
        claimers = []
        for index in range(workers):
            path = Path(var_dir) / f"claims-{index}.json"
            pid = os.fork()
            if pid == 0:
                code = 3
                try:
                    os.close(start_write)
                    _claim_all(path, start_read)
                    code = 0
                finally:
                    os._exit(code)
            claimers.append((pid, path))
        os.close(start_read)
        os.write(start_write, b"go" * workers)
        os.close(start_write)
        codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid, _path in claimers]
        claims = [json.loads(path.read_text()) if path.exists() else [] for _pid, path in claimers]
        seen = [pk for claimed in claims for pk in claimed]
        twice = sorted({pk for pk in seen if seen.count(pk) > 1})
        failures = [f"claimer {i} exited with {code}" for i, code in enumerate(codes) if code]
        if twice:
            failures.append(f"claimed by two workers: {twice[:20]}")
        if set(seen) != expected:
            failures.append(f"never claimed: {sorted(expected - set(seen))[:20]}")
        summary = {
            "messages": len(expected),
            "claimed_per_worker": [len(claimed) for claimed in claims],
            "claimed_twice": len(twice),
            "failures": failures,
            "ok": not failures,
        }
        print(json.dumps(summary))
        return 0 if not failures else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "mode", nargs="?", default="harness", choices=["harness", "worker", "claims"]
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--recipients", type=int, default=5)
    parser.add_argument("--rate", type=float, default=0.4)
    parser.add_argument(
        "--spawn", action="store_true", help="start each worker as a new process (slower)"
    )
    args = parser.parse_args(argv)
    if args.mode == "worker":
        _setup_django(os.environ["COQUAN_VAR_DIR"])
        return worker()
    if args.mode == "claims":
        return claim_race()
    return harness(args.runs, args.recipients, args.rate, fork=not args.spawn)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    raise SystemExit(main())
