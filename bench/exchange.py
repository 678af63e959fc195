"""Benchmark: edXML packages end to end between two local CoQuan nodes vs plain HTTP POSTs.

Two nodes on loopback as in ``make demo-exchange`` (separate SQLite databases, Django's
threaded development server, one delivery worker each). This process is the province
node's sender. For each package:

(b) measured: build the edXML package (one PDF attachment) + sign it (XML-DSig RSA-SHA256,
    the agency's 2048-bit key) + POST it to the commune node's ``/api/v1/exchange/inbox/``
    with the node credential; the commune node checks size, parses safely, verifies the
    signature against the province's certificate from its directory, validates, checks the
    PDF's signatures, stores the raw package and the file, writes the receipt and builds,
    signs and queues the status 01 in the same transaction, and answers 201. Then the
    two nodes' delivery workers start; the commune's sends every status 01 back and the
    time until all reached the province is reported (and a rate including it).
(a) floor: a plain HTTP POST of the same bytes to the same server process (the inbox
    without a credential: Django reads the whole body and answers 401).

Sequential requests, interleaved rounds; prints packages/s of both, the ratio, p50/p95
latencies, and exits 1 below ``--target`` (0.3) or ``--min-rate`` (20/s).

    .venv/bin/python bench/exchange.py [--n 200] [--rounds 4]
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
    args = parser.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix="coquan-bench-exchange-")
    os.environ["COQUAN_DEMO_DIR"] = workdir
    from coquan.exchange import demo

    demo.setup_nodes()
    processes = []
    try:
        for name in demo.NODES:
            processes += demo.start_node(name, worker=False)
        for node in demo.NODES.values():
            demo.wait_for(lambda node=node: demo.up(node["port"]), "node")
        os.environ.update(
            {k: v for k, v in demo.node_env("province").items() if k.startswith("COQUAN_")}
        )
        os.environ.pop("DATABASE_URL", None)
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


if __name__ == "__main__":
    raise SystemExit(main())
