"""Benchmark: chained audit appends against plain INSERTs of the same rows, in the same run.

The floor (a) writes each row with one parameterised INSERT through the database cursor, one
transaction per row, into a table with the same columns and indexes as ``audit_auditentry``.
The measured path (b) writes the same rows with ``coquan.audit.services.append`` (lock the
chain head, hash, insert, move the head), one transaction per row. Both run in the same
process, in interleaved rounds. The script prints rows/s for both and their ratio, checks the
chain, and exits 1 when the ratio is below ``--target`` (issue 2: 0.5) or the chain is broken.

Database: a throw-away SQLite file in a temporary folder when DATABASE_URL is unset; with
DATABASE_URL (PostgreSQL) a throw-away database ``coquan_bench_audit`` on that server, created
and dropped by the script. Query logging is off during the timed loops, as in production.

    .venv/bin/python bench/audit.py [--n 2000] [--target 0.5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit.py
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from harness import bench_main


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="rows per measurement (2000)")
    parser.add_argument(
        "--target", type=float, default=0.5, help="minimum append/insert ratio (0.5)"
    )
    parser.add_argument(
        "--rounds", type=int, default=10, help="interleaved rounds of both paths (10)"
    )
    return parser.parse_args(argv)


def build_rows(n: int, actor, agency) -> list[dict]:
    """N audit rows shaped like real action entries (object, summary, before/after)."""
    rows = []
    for i in range(n):
        rows.append(
            {
                "action": "documents.incoming.register",
                "actor": actor,
                "agency": agency,
                "object_type": "documents.incomingdocument",
                "object_id": str(100000 + i),
                "summary": f"Vào sổ văn bản đến số {i + 1}/2026 — Sở Thông tin và Truyền thông",
                "before": {"status": "received", "arrival_number": None},
                "after": {"status": "registered", "arrival_number": i + 1, "book": "VBĐ-2026"},
                "request_id": f"bench{i:08d}",
                "ip": "10.10.0.7",
            }
        )
    return rows


def create_plain_table():
    """A table with the columns and indexes of the audit table, for the plain INSERT floor."""
    from django.db import connection, models

    from coquan.audit.models import AuditEntry

    attrs = {"__module__": __name__}
    for field in AuditEntry._meta.local_fields:
        if field.name != "id":
            attrs[field.name] = field.clone()

    class Meta:
        app_label = "audit"
        db_table = "bench_plain_auditentry"
        indexes = [
            models.Index(fields=["agency", "-seq"], name="bench_plain_agency_seq"),
            models.Index(fields=["object_type", "object_id"], name="bench_plain_object"),
        ]

    attrs["Meta"] = Meta
    model = type("BenchPlainAuditEntry", (models.Model,), attrs)
    with connection.schema_editor() as editor:
        editor.create_model(model)
    return model


def measure_plain(rows: list[dict], table: str, first_seq: int = 1) -> float:
    """(a) One parameterised INSERT per row, one transaction per row; returns seconds."""
    from django.db import connection, transaction
    from django.utils import timezone

    from coquan.audit.services import GENESIS_HASH

    columns = (
        "seq, created_at, actor_id, actor_name, agency_id, action, object_type, object_id, "
        "summary, before, after, request_id, ip, prev_hash, entry_hash"
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 15)})"
    ops = connection.ops
    start = time.perf_counter()
    for seq, row in enumerate(rows, start=first_seq):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    seq,
                    ops.adapt_datetimefield_value(timezone.now()),
                    row["actor"].pk,
                    row["actor"].username,
                    row["agency"].pk,
                    row["action"],
                    row["object_type"],
                    row["object_id"],
                    row["summary"],
                    json.dumps(row["before"]),
                    json.dumps(row["after"]),
                    row["request_id"],
                    row["ip"],
                    GENESIS_HASH,
                    GENESIS_HASH,
                ],
            )
    return time.perf_counter() - start


def measure_append(rows: list[dict]) -> float:
    """(b) ``services.append`` per row, each in its own transaction; returns seconds."""
    from coquan.audit.services import append

    start = time.perf_counter()
    for row in rows:
        append(**row)
    return time.perf_counter() - start


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from coquan.accounts.models import User
    from coquan.audit.models import AuditEntry
    from coquan.audit.services import verify
    from coquan.org.choices import AgencyLevel
    from coquan.org.models import Agency

    call_command("migrate", verbosity=0, skip_checks=True)
    settings.DEBUG = False  # no query log in the timed loops, as in production
    actor = User.objects.create(username="bench_actor", full_name="Người đo")
    agency = Agency.objects.create(
        organ_id="000.00.01.H98", name="Sở Đo đạc", short_name="SDD", level=AgencyLevel.DEPARTMENT
    )
    plain = create_plain_table()
    table = connection.ops.quote_name(plain._meta.db_table)
    rows = build_rows(args.n, actor, agency)
    warmup = build_rows(min(100, args.n), actor, agency)
    measure_plain(warmup, table)
    measure_append(warmup)

    # Interleaved rounds, alternating which path goes first, so that load from other
    # processes and the growth of both tables weigh on the two paths alike.
    plain_seconds = append_seconds = 0.0
    next_seq = len(warmup) + 1
    size = max(1, -(-args.n // args.rounds))
    for number, start in enumerate(range(0, args.n, size)):
        batch = rows[start : start + size]
        if number % 2:
            append_seconds += measure_append(batch)
            plain_seconds += measure_plain(batch, table, first_seq=next_seq)
        else:
            plain_seconds += measure_plain(batch, table, first_seq=next_seq)
            append_seconds += measure_append(batch)
        next_seq += len(batch)
    plain_rate = args.n / plain_seconds
    append_rate = args.n / append_seconds
    ratio = append_rate / plain_rate

    result = verify()
    total = AuditEntry.objects.count()
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"rows: {args.n} per path, in {args.rounds} interleaved rounds")
    print(f"plain INSERT:   {plain_rate:10.0f} rows/s")
    print(f"chained append: {append_rate:10.0f} rows/s")
    print(f"ratio: {ratio:.2f} (target >= {args.target:.2f})")
    print(f"chain: {'OK' if result.ok else 'BROKEN'}, {result.checked}/{total} entries verified")
    if not result.ok:
        print(f"chain broken at seq {result.broken_seq}: {result.reason}")
        return 1
    if ratio < args.target:
        print("FAIL: chained appends are below the target ratio")
        return 1
    print("PASS")
    return 0


def main(argv=None) -> int:
    return bench_main("audit", "audit chain benchmark", run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
