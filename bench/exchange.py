"""Benchmark: edXML packages end to end between two local CoQuan nodes vs plain HTTP POSTs.

Two nodes on loopback as in ``make demo-exchange`` (separate databases: SQLite files, or
with a PostgreSQL ``DATABASE_URL`` the databases ``coquan_bench_exchange_province`` and
``…_commune`` on that server, dropped at the end), each served by gunicorn with sync
workers as in production (docs/deploy.md; ``--server runserver`` for Django's development
server), one delivery worker each. This process is the province node's sender. For each
package:

(b) measured: build the edXML package (one PDF attachment) + sign it (XML-DSig RSA-SHA256,
    the agency's 2048-bit key) + POST it to the commune node's ``/api/v1/exchange/inbox/``
    with the node credential; the commune node checks size, parses safely, verifies the
    signature against the province's certificate from its directory, validates, checks the
    PDF's signatures, stores the raw package and the file, writes the receipt and builds,
    signs and queues the status 01 in the same transaction, and answers 201. Then the
    two nodes' delivery workers start; the commune's sends every status 01 back and the
    time until all reached the province is reported (and a rate including it).
(a) floor: a plain HTTP POST of the same bytes to the same server processes (the inbox
    without a credential: the bytes are sent, the view answers 401 without reading them).

Sequential requests, interleaved rounds; prints packages/s of both, the ratio, p50/p95
latencies and the load average, and exits 1 below ``--target`` (0.3) or ``--min-rate``
(20/s).

    .venv/bin/python bench/exchange.py [--n 200] [--rounds 4] [--workers 2]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/exchange.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harness import pg_admin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def post(url: str, data: bytes, headers: dict) -> tuple[int, float]:
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
            code = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        code = exc.code
    return code, time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="packages in all (200)")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds (4)")
    parser.add_argument("--target", type=float, default=0.3)
    parser.add_argument("--min-rate", type=float, default=20.0)
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    args = parser.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix="coquan-bench-exchange-")
    os.environ["COQUAN_DEMO_DIR"] = workdir
    from coquan.exchange import demo

    database_url = os.environ.pop("DATABASE_URL", "")
    admin = None
    if database_url.startswith("postgres"):
        parts = urlsplit(database_url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        for name in demo.NODES:
            database = f"coquan_bench_exchange_{name}"
            pg_admin(admin, f'DROP DATABASE IF EXISTS "{database}"')
            pg_admin(admin, f'CREATE DATABASE "{database}"')
            demo.DATABASE_URLS[name] = urlunsplit(parts._replace(path=f"/{database}"))
    print(
        f"== exchange benchmark on {'PostgreSQL' if admin else 'SQLite'}, {args.server}"
        f"{f' -w {args.workers}' if args.server == 'gunicorn' else ''}, "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    demo.setup_nodes()
    processes = []
    workers = args.workers if args.server == "gunicorn" else 0
    try:
        for name in demo.NODES:
            processes += demo.start_node(name, worker=False, gunicorn_workers=workers)
        for node in demo.NODES.values():
            demo.wait_for(lambda node=node: demo.up(node["port"]), "node")
        os.environ.update(
            {
                k: v
                for k, v in demo.node_env("province").items()
                if k.startswith("COQUAN_") or k == "DATABASE_URL"
            }
        )
        os.environ["DJANGO_SETTINGS_MODULE"] = "coquan.config.settings"
        import django

        django.setup()
        from coquan.exchange.edxml import build_document_package
        from coquan.exchange.models import AgencyKey, ReceivedPackage, Route
        from coquan.exchange.tests.helpers import make_package

        signer = AgencyKey.objects.get(agency__organ_id=demo.PROVINCE, active=True).signer()
        route = Route.objects.get(organ_id=demo.COMMUNE)
        url = route.endpoint
        auth = {
            "Content-Type": "application/xml",
            "Authorization": f"Node {route.token}",
            "X-Recipient": demo.COMMUNE,
        }
        plain = {"Content-Type": "application/xml", "X-Recipient": demo.COMMUNE}
        per_round = args.n // args.rounds
        e2e, floor, sizes = [], [], []
        e2e_time = floor_time = 0.0
        number = 0
        for _round in range(args.rounds):
            raws = []
            started = time.perf_counter()
            for _i in range(per_round):
                number += 1
                begin = time.perf_counter()
                raw = build_document_package(
                    make_package(number=str(number), subject=f"V/v đo hiệu năng số {number}"),
                    signer=signer,
                )
                code, _took = post(url, raw, auth)
                if code != 201:
                    raise SystemExit(f"package {number}: HTTP {code}")
                e2e.append(time.perf_counter() - begin)
                raws.append(raw)
            e2e_time += time.perf_counter() - started
            started = time.perf_counter()
            for raw in raws:
                code, took = post(url, raw, plain)
                if code != 401:
                    raise SystemExit(f"floor: HTTP {code}")
                floor.append(took)
                sizes.append(len(raw))
            floor_time += time.perf_counter() - started
        # The delivery workers start now (not during the timed loops, where on SQLite they
        # would compete for the single write lock with the receipts being measured).
        for name in demo.NODES:
            processes += demo.start_node(name, server=False)
        sent_at = time.perf_counter()
        demo.wait_for(
            lambda: (
                ReceivedPackage.objects.filter(kind="status", status_code="01").count() >= number
            ),
            "every status 01 back",
            timeout=600,
        )
        status_lag = time.perf_counter() - sent_at
        rate, floor_rate = number / e2e_time, number / floor_time
        result = {
            "packages": number,
            "package_bytes_median": int(statistics.median(sizes)),
            "e2e_per_s": round(rate, 1),
            "plain_post_per_s": round(floor_rate, 1),
            "ratio": round(rate / floor_rate, 3),
            "e2e_p50_ms": round(percentile(e2e, 0.5) * 1000, 1),
            "e2e_p95_ms": round(percentile(e2e, 0.95) * 1000, 1),
            "plain_p50_ms": round(percentile(floor, 0.5) * 1000, 1),
            "plain_p95_ms": round(percentile(floor, 0.95) * 1000, 1),
            "all_status_01_back_after_last_send_s": round(status_lag, 1),
            "e2e_with_status_01_back_per_s": round(number / (e2e_time + status_lag), 1),
            "load_average_1_5_15": [round(x, 1) for x in os.getloadavg()],
            "target_ratio": args.target,
            "target_rate": args.min_rate,
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0 if result["ratio"] >= args.target and rate >= args.min_rate else 1
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        if admin is not None:
            from django.db import connections

            connections.close_all()
            for name in demo.NODES:
                pg_admin(admin, f'DROP DATABASE IF EXISTS "coquan_bench_exchange_{name}"')


if __name__ == "__main__":
    raise SystemExit(main())
