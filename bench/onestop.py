"""Benchmark: the one-stop standard report over a year and a province against the
equivalent hand-written SQL, in the same run.

Data: ``coquan onestop_gen_data`` (a province ``000.00.00.H99`` with 12 departments and
24 communes under it; dossiers over a year plus the month before). The script works in the
database ``coquan_bench_onestop`` on the server of DATABASE_URL (PostgreSQL; without
DATABASE_URL a temporary SQLite file): it creates it, migrates and generates ``--dossiers``
dossiers (default 10^6), and drops it at the end — or, with ``--reuse``, uses the data
already there (and keeps it unless ``--drop``).

Measured (b): ``onestop.reports.build`` for the province leader, the year, the agencies
under the province (``tree=True``), rows per agency: the role check, the agency tree, the
one aggregate query over the dossiers, the procedures and their steps, the roll-up.
Floor (a): one flat hand-written SQL statement computing the same twelve counts per
(agency, procedure) with ``COUNT(*) FILTER`` (``SUM(CASE …)`` on SQLite) for the same
agencies and period, fetched with a plain cursor. Both run in interleaved rounds (which
goes first alternates) after one warm-up each; the script checks that both give the same
totals and prints p50/p95 and the ratio.

Targets (issue 6): p50 ≤ 2 × the floor and p95 ≤ 2 s. Exit 1 when one is missed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/onestop.py
    … bench/onestop.py --reuse --rounds 20
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from harness import bench_main

COLUMNS = (
    "carried_over",
    "online",
    "direct",
    "postal",
    "early",
    "on_time",
    "late",
    "withdrawn",
    "progress_in_time",
    "progress_late",
    "paused_in_time",
    "paused_late",
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="to generate (10^6)")
    parser.add_argument("--year", type=int, default=2025, help="year of the data and report")
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (15)")
    parser.add_argument("--reuse", action="store_true", help="use the data already there")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--ratio", type=float, default=2.0, help="max p50 ratio (2.0)")
    parser.add_argument("--p95", type=float, default=2.0, help="max p95 in seconds (2.0)")
    return parser.parse_args(argv)


def floor_sql(vendor: str) -> str:
    """The twelve counts per (agency, procedure), written by hand as one flat statement
    over the columns it needs. Parameters: p0, p1, as_of; ``{agencies}`` is replaced by
    the ``agency_id IN (…)`` list, as Django writes it."""

    def count(condition: str) -> str:
        if vendor == "postgresql":
            return f"COUNT(*) FILTER (WHERE {condition})"
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    resolved = "result_ready_at < %(p1)s"
    open_ = "(result_ready_at IS NULL OR result_ready_at >= %(p1)s)"
    not_stopped = "(stopped_at IS NULL OR stopped_at >= %(p1)s)"
    stopped = f"{open_} AND stopped_at < %(p1)s"
    waiting = f"{open_} AND {not_stopped} AND status IN ('5', '6') AND paused_at < %(p1)s"
    running = (
        f"{open_} AND {not_stopped} AND (status NOT IN ('5', '6', '7') OR "
        "(status IN ('5', '6') AND (paused_at IS NULL OR paused_at >= %(p1)s)))"
    )
    conditions = {
        "carried_over": "received_at < %(p0)s",
        "online": "received_at >= %(p0)s AND channel = '2'",
        "direct": "received_at >= %(p0)s AND channel = '1'",
        "postal": "received_at >= %(p0)s AND channel = '3'",
        "early": f"{resolved} AND timeliness = 'early'",
        "on_time": f"{resolved} AND timeliness = 'on_time'",
        "late": f"{resolved} AND timeliness = 'late'",
        "withdrawn": f"{open_} AND {not_stopped} AND status = '7'",
        "progress_in_time": f"{running} AND (due_at IS NULL OR due_at >= %(as_of)s)",
        "progress_late": f"{running} AND due_at < %(as_of)s",
        "paused_in_time": (
            f"({stopped} AND (due_at IS NULL OR stopped_at <= due_at)) OR "
            f"({waiting} AND (due_at IS NULL OR paused_at <= due_at))"
        ),
        "paused_late": f"({stopped} AND stopped_at > due_at) OR ({waiting} AND paused_at > due_at)",
    }
    select = ",\n  ".join(f"{count(conditions[c])} AS {c}" for c in COLUMNS)
    agencies = "{agencies}"
    return f"""
SELECT agency_id, procedure_id,
  {select}
FROM onestop_dossier
WHERE {agencies}
  AND received_at IS NOT NULL AND received_at < %(p1)s
  AND (result_ready_at IS NULL OR result_ready_at >= %(p0)s)
  AND (stopped_at IS NULL OR stopped_at >= %(p0)s)
GROUP BY agency_id, procedure_id
"""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from coquan.accounts.models import User
    from coquan.onestop import reports
    from coquan.onestop.management.commands.onestop_gen_data import PROVINCE
    from coquan.onestop.models import Dossier
    from coquan.org.models import Agency

    try:
        if not args.reuse:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            call_command("onestop_gen_data", dossiers=args.dossiers, year=args.year, chunk=10000)
            print(f"generated in {time.perf_counter() - started:.0f} s")
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("VACUUM ANALYZE onestop_dossier")
        accepted = Dossier.objects.filter(received_at__isnull=False).count()
        print(f"accepted dossiers in the database: {accepted}")
        province = Agency.objects.get(organ_id=PROVINCE)
        leader = User.objects.get(username="gen_lanhdao")
        period = reports.Period(dt.date(args.year, 1, 1), dt.date(args.year, 12, 31))
        now = timezone.now()
        agency_ids = reports.agency_tree_ids(province)
        adapt = connection.ops.adapt_datetimefield_value
        params = {
            "p0": adapt(period.starts_at),
            "p1": adapt(period.ends_at),
            "as_of": adapt(min(period.ends_at, now)),
            "agencies": agency_ids,
        }
        sql = floor_sql(connection.vendor)
        sql = sql.replace("{agencies}", f"agency_id IN ({','.join(map(str, agency_ids))})")
        del params["agencies"]

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        def measured():
            return reports.build(leader, province, period, group_by="agency", tree=True, now=now)

        rows, report = floor(), measured()  # warm-up
        floor_totals = [sum(row[2 + i] or 0 for row in rows) for i in range(len(COLUMNS))]
        report_totals = [report.total.counts[c] for c in COLUMNS]
        same = floor_totals == report_totals
        totals = dict(zip(COLUMNS, report_totals, strict=True))
        print(f"rows: {len(report.rows)} agencies; totals {totals}")
        print(f"same totals as the floor: {same}")
        times_floor, times_report = [], []
        settings.DEBUG = False  # no query log in the timed loops
        for number in range(args.rounds):
            paths = [(floor, times_floor), (measured, times_report)]
            for run, times in paths if number % 2 == 0 else reversed(paths):
                started = time.perf_counter()
                run()
                times.append(time.perf_counter() - started)
        f50, f95 = _percentile(times_floor, 0.5), _percentile(times_floor, 0.95)
        r50, r95 = _percentile(times_report, 0.5), _percentile(times_report, 0.95)
        ratio = r50 / f50
        print(f"{'path':28} {'p50 ms':>9} {'p95 ms':>9}")
        print(f"{'floor (hand-written SQL)':28} {f50 * 1000:9.1f} {f95 * 1000:9.1f}")
        print(f"{'reports.build':28} {r50 * 1000:9.1f} {r95 * 1000:9.1f}")
        print(f"ratio p50 {ratio:.2f} (target ≤ {args.ratio}); p95 {r95:.2f} s (≤ {args.p95} s)")
        ok = same and ratio <= args.ratio and r95 <= args.p95
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        connection.close()


def main(argv=None) -> int:
    args = parse_args(argv)
    return bench_main(
        "onestop",
        "one-stop report benchmark",
        run,
        args,
        reuse=args.reuse,
        keep=args.reuse and not args.drop,
    )


if __name__ == "__main__":
    sys.exit(main())
