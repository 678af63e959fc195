"""Benchmark: annual report data of a province against the raw aggregate SQL, in the same run.

A province's Department gets 10^5 register rows (licences, BTS stations, internet agents,
inspections with findings and violations, project appraisals) spread over ten years and ten
years of ICT indicators (the province and 20 communes). The measured path (b) is
``coquan.registry.report.build_report_data(agency, year)`` — what the dashboard, the PDF, the
DOCX and the API start from: indicator definitions, ten years of values, derived indicators
computed afresh, the register aggregates and next year's plan. The floor (a) runs the same
aggregate queries as hand-written SQL through the cursor and only fetches their rows. Both run
in the same process in interleaved rounds; the script prints the medians and their ratio and
exits 1 when the ratio is above ``--target`` (issue 8: 3) or the report takes more than
``--max-seconds`` (5).

Database: a throw-away SQLite file in a temporary folder when DATABASE_URL is unset; with
DATABASE_URL (PostgreSQL) a throw-away database ``coquan_bench_registry`` on that server,
created and dropped by the script. Register rows are written with ``bulk_create`` (the
actions would add an audit entry per row and are not what is measured).

    .venv/bin/python bench/registry.py [--rows 100000] [--rounds 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/registry.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from decimal import Decimal

from harness import bench_main

YEARS = list(range(2016, 2026))
REPORT_YEAR = YEARS[-1]
BATCH = 2000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="register rows (100000)")
    parser.add_argument("--rounds", type=int, default=20, help="interleaved rounds (20)")
    parser.add_argument("--target", type=float, default=3.0, help="maximum report/SQL ratio (3)")
    parser.add_argument(
        "--max-seconds", type=float, default=5.0, help="maximum report data time (5 s)"
    )
    return parser.parse_args(argv)


# --- Data -------------------------------------------------------------------------------------


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def generate(rows: int):
    """The province, its communes and ``rows`` register rows over ten years; indicators."""
    from coquan.org.choices import AgencyLevel
    from coquan.org.models import Agency
    from coquan.registry import models as m

    rng = random.Random(2008)
    agency = Agency.objects.create(
        organ_id="000.00.14.H98",
        name="Sở Thông tin và Truyền thông (đo hiệu năng)",
        short_name="STTTT",
        level=AgencyLevel.DEPARTMENT,
    )
    communes = [
        Agency.objects.create(
            organ_id=f"000.{n:02d}.31.H98",
            name=f"UBND xã Đo đạc {n}",
            short_name="UBND",
            level=AgencyLevel.COMMUNE,
        )
        for n in range(1, 21)
    ]
    types = list(m.LicenceType.objects.all())
    shares = {
        "licences": 0.50,
        "bts": 0.20,
        "agents": 0.10,
        "inspections": 0.06,
        "findings": 0.06,
        "violations": 0.04,
        "appraisals": 0.04,
    }
    counts = {key: int(rows * share) for key, share in shares.items()}
    counts["licences"] += rows - sum(counts.values())

    def bulk(model, objects):
        model.objects.bulk_create(objects, batch_size=BATCH)

    bulk(
        m.Licence,
        (
            m.Licence(
                agency=agency,
                licence_type=types[n % len(types)],
                number=f"{n:06d}/GP",
                holder_kind="org" if n % 5 else "person",
                holder_name=f"Tổ chức {n}",
                issue_date=_day(rng, YEARS[n % 10]),
                status="valid" if n % 7 else "expired",
                extra={},
            )
            for n in range(counts["licences"])
        ),
    )
    bulk(
        m.BtsStation,
        (
            m.BtsStation(
                agency=agency,
                operator=("Viettel", "VNPT", "MobiFone")[n % 3],
                code=f"BG{n:06d}",
                address=f"Thôn {n}",
                commune=communes[n % 20] if n % 2 else None,
                commune_name="" if n % 2 else f"Xã {n % 50}",
                latitude=Decimal("21.0") + Decimal(n % 6000) / 10000,
                longitude=Decimal("105.9") + Decimal(n % 9000) / 10000,
                station_type="type1" if n % 3 else "type2",
                permit_date=_day(rng, YEARS[n % 10]),
                status=("on_air", "permitted", "dismantled")[n % 3],
            )
            for n in range(counts["bts"])
        ),
    )
    bulk(
        m.InternetAgent,
        (
            m.InternetAgent(
                agency=agency,
                name=f"Đại lý {n}",
                registration_number=f"{n:06d}/ĐK",
                owner_name=f"Chủ {n}",
                address=f"Số {n}",
                registered_on=_day(rng, YEARS[n % 10]),
                status="active" if n % 4 else "closed",
            )
            for n in range(counts["agents"])
        ),
    )
    bulk(
        m.Inspection,
        (
            m.Inspection(
                agency=agency,
                subject=f"Thanh tra {n}",
                start_date=_day(rng, YEARS[n % 10]),
                status="closed",
            )
            for n in range(counts["inspections"])
        ),
    )
    inspections = list(m.Inspection.objects.filter(agency=agency).values_list("pk", flat=True))
    bulk(
        m.InspectionFinding,
        (
            m.InspectionFinding(
                agency=agency,
                inspection_id=inspections[n % len(inspections)],
                entity_kind="internet_agent",
                entity_name=f"Đối tượng {n}",
                finding="Kết quả",
            )
            for n in range(counts["findings"])
        ),
    )
    findings = list(m.InspectionFinding.objects.filter(agency=agency).values_list("pk", flat=True))
    bulk(
        m.Violation,
        (
            m.Violation(
                agency=agency,
                finding_id=findings[n % len(findings)],
                description="Vi phạm",
                legal_basis="Nghị định 15/2020/NĐ-CP",
                fine_amount=Decimal(1_000_000 + n),
                decided_on=_day(rng, YEARS[n % 10]),
            )
            for n in range(counts["violations"])
        ),
    )
    bulk(
        m.ProjectAppraisal,
        (
            m.ProjectAppraisal(
                agency=agency,
                name=f"Dự án {n}",
                field="it" if n % 2 else "telecom",
                investment_before=Decimal(100_000_000 + n),
                investment_after=Decimal(90_000_000 + n),
                submitted_on=dt.date(YEARS[n % 10], 1, 2),
                appraised_on=dt.date(YEARS[n % 10], 1, 2) + dt.timedelta(days=rng.randrange(300)),
                outcome="approved",
            )
            for n in range(counts["appraisals"])
        ),
    )
    entered = list(m.Indicator.objects.filter(kind="entered"))
    values = []
    for year in YEARS:
        for area in [None, *communes]:
            for indicator in entered:
                base = 1_000_000 if indicator.code == "population" else 1000
                values.append(
                    m.IndicatorValue(
                        agency=agency,
                        indicator=indicator,
                        year=year,
                        area=area,
                        value=Decimal(base + rng.randrange(base)),
                        source="import",
                    )
                )
    bulk(m.IndicatorValue, values)
    m.AnnualPlan.objects.create(agency=agency, year=REPORT_YEAR + 1, items="Nhiệm vụ 1\nNhiệm vụ 2")
    return agency, counts, len(values)


# --- The two paths ---------------------------------------------------------------------------


def raw_floor(agency_id: int, year: int) -> list:
    """(a) The same aggregates as hand-written SQL; rows fetched, nothing else."""
    from django.db import connection

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = dt.date(year - 9, 1, 1)
    statements = [
        (
            "SELECT id, code, name, unit, decimals, section, kind, formula FROM registry_indicator"
            " WHERE is_active ORDER BY section, sort_order, code",
            [],
        ),
        (
            "SELECT indicator_id, year, value FROM registry_indicatorvalue"
            " WHERE agency_id = %s AND area_id IS NULL AND year BETWEEN %s AND %s",
            [agency_id, first.year, year],
        ),
        (
            'SELECT t."group", COUNT(*) FROM registry_licence l'
            " JOIN registry_licencetype t ON t.id = l.licence_type_id"
            ' WHERE l.agency_id = %s AND l.issue_date BETWEEN %s AND %s GROUP BY t."group"',
            [agency_id, start, end],
        ),
        (
            "SELECT COUNT(*) FROM registry_inspection"
            " WHERE agency_id = %s AND start_date BETWEEN %s AND %s",
            [agency_id, start, end],
        ),
        (
            "SELECT COUNT(*) FROM registry_inspectionfinding f"
            " JOIN registry_inspection i ON i.id = f.inspection_id"
            " WHERE f.agency_id = %s AND i.start_date BETWEEN %s AND %s",
            [agency_id, start, end],
        ),
        (
            "SELECT COUNT(*), SUM(fine_amount) FROM registry_violation"
            " WHERE agency_id = %s AND decided_on BETWEEN %s AND %s",
            [agency_id, start, end],
        ),
        (
            "SELECT field, COUNT(*), SUM(investment_before), SUM(investment_after)"
            " FROM registry_projectappraisal"
            " WHERE agency_id = %s AND appraised_on BETWEEN %s AND %s GROUP BY field",
            [agency_id, start, end],
        ),
        (
            "SELECT COUNT(*) FROM registry_btsstation WHERE agency_id = %s"
            " AND status <> 'dismantled' AND (permit_date IS NULL OR permit_date <= %s)",
            [agency_id, end],
        ),
        (
            "SELECT COUNT(*) FROM registry_internetagent"
            " WHERE agency_id = %s AND status = 'active' AND registered_on <= %s",
            [agency_id, end],
        ),
        (
            "SELECT items FROM registry_annualplan WHERE agency_id = %s AND year = %s",
            [agency_id, year + 1],
        ),
    ]
    ops = connection.ops
    results = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            params = [ops.adapt_datefield_value(p) if isinstance(p, dt.date) else p for p in params]
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from coquan.registry.report import build_report_data

    call_command("migrate", verbosity=0, skip_checks=True)
    settings.DEBUG = False  # no query log in the timed loops, as in production
    started = time.perf_counter()
    agency, counts, value_count = generate(args.rows)
    print(
        f"data: {sum(counts.values())} register rows "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; {value_count} indicator values over {len(YEARS)} years"
        + f" (generated in {time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    data = build_report_data(agency, REPORT_YEAR)  # warm-up (and a sanity check)
    raw_floor(agency.pk, REPORT_YEAR)
    registers = data["registers"]
    assert int(registers["licences.issued"]) > 0, registers

    report_times, floor_times = [], []
    for number in range(args.rounds):
        if number % 2:
            floor_times.append(timed(raw_floor, agency.pk, REPORT_YEAR))
            report_times.append(timed(build_report_data, agency, REPORT_YEAR))
        else:
            report_times.append(timed(build_report_data, agency, REPORT_YEAR))
            floor_times.append(timed(raw_floor, agency.pk, REPORT_YEAR))
    report = statistics.median(report_times)
    floor = statistics.median(floor_times)
    ratio = report / floor

    from coquan.registry.render import report_pdf

    pdf_seconds = timed(report_pdf, data)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(
        f"year {REPORT_YEAR}: licences issued {registers['licences.issued']}, "
        f"BTS {registers['bts.stations']}, inspections {registers['inspections.held']}"
    )
    print(f"raw aggregate SQL (floor): {floor * 1000:8.1f} ms (median of {args.rounds})")
    print(f"report data:               {report * 1000:8.1f} ms (median of {args.rounds})")
    print(f"ratio: {ratio:.2f} (target <= {args.target:.1f}); limit {args.max_seconds:.1f} s")
    print(f"(for information) PDF rendering of the same data: {pdf_seconds:.2f} s")
    if ratio > args.target or report > args.max_seconds:
        print("FAIL: report data generation is above the target")
        return 1
    print("PASS")
    return 0


def main(argv=None) -> int:
    return bench_main(
        "registry",
        "registry report benchmark",
        run,
        parse_args(argv),
        env=lambda tmp: {"COQUAN_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    )


if __name__ == "__main__":
    sys.exit(main())
