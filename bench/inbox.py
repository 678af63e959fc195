"""Benchmark: the incoming inbox at scale against hand-written SQL, in the same run.

In a database of generated documents (``coquan gen_data``: ``--n`` documents, default
1,000,000, over ``--agencies`` agencies, the provincial committee's leader holding ~20 %
of them) it times, for that leader:

1. **inbox page 1** — the "to assign" queue (presented to him, waiting), first page of 25
   with its total, in the queue's order (urgent first, then by presentation);
2. **inbox page 200** — the same queue, page 200 (rows 4976–5000);
3. **filtered list** — the "all" queue filtered by type (công văn), urgency (khẩn), status
   (done) and an arrival-date range of one year, newest first, page 1 with its total;
4. **document detail** — one document with what its page shows: type, agency, register
   book, lead unit and its three people, the timeline (handling steps) and the files.

Each is measured three ways, interleaved, ``--rounds`` times: (a) the **floor**, the same
rows and total from hand-written SQL (one statement for the rows, one for the count; the
visibility rule reduced to what it means for this person: his agency, not secret unless
granted); (b) the **ORM** path the page runs (``visible_in`` + queue + filters +
``for_list``/``select_related``, ``Paginator`` count and slice); (c) the **page**, the whole
server-side view through Django's test client (middleware, session, rendering), and its
number of SQL queries. The floor and the ORM path must return the same ids.

Targets (issue 3): ORM p95 ≤ 3 × floor p95 and page p95 ≤ 200 ms; the number of queries of
each page is printed and must not depend on N (compare with a run at a small ``--n``; the
unit tests assert it). Exits 1 when a target is missed.

Database (``bench/harness.py``): PostgreSQL from DATABASE_URL (required at scale), in the
throw-away database ``coquan_bench_inbox`` on that server, created, filled and dropped by the
script; with ``--reuse`` the documents already in ``coquan_bench_inbox`` are used (only the
missing ones are generated) and the database is kept unless ``--drop``: generate 10^6 once
(~12 min) and iterate. Without DATABASE_URL: a temporary SQLite file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/inbox.py
    … bench/inbox.py --reuse --rounds 15               # again, on the kept data
    .venv/bin/python bench/inbox.py --n 20000           # SQLite, small
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from harness import bench_main

PAGE = 25


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="documents (1000000)")
    parser.add_argument("--agencies", type=int, default=10, help="agencies (10)")
    parser.add_argument("--rounds", type=int, default=40, help="timed runs per case (40)")
    parser.add_argument(
        "--reuse", action="store_true", help="use (and keep) the data of an earlier run"
    )
    parser.add_argument("--drop", action="store_true", help="with --reuse: drop at the end")
    return parser.parse_args(argv)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


# --- The floor: hand-written SQL ---------------------------------------------------------------

VISIBLE = (
    "d.agency_id = %(agency)s AND (d.secrecy = 'none' OR EXISTS (SELECT 1 FROM "
    "documents_secrecygrant g WHERE g.document_id = d.id AND g.user_id = %(user)s))"
)
LIST_COLUMNS = (
    "d.id, d.arrival_number, d.arrival_date, d.subject, d.code_number, d.code_notation, "
    "d.issuer_name, d.status, d.urgency, d.due_date, t.name, u.name, p.full_name"
)
LIST_JOINS = (
    "FROM documents_incomingdocument d "
    "JOIN documents_documenttype t ON t.id = d.document_type_id "
    "LEFT JOIN org_unit u ON u.id = d.lead_unit_id "
    "LEFT JOIN accounts_user p ON p.id = d.lead_user_id "
)


def _fetch(sql: str, params: dict) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def floor_list(where: str, order: str, params: dict, offset: int):
    rows = _fetch(
        f"SELECT {LIST_COLUMNS} {LIST_JOINS} WHERE {VISIBLE} AND {where} "
        f"ORDER BY {order} LIMIT {PAGE} OFFSET {offset}",
        params,
    )
    total = _fetch(
        f"SELECT COUNT(*) FROM documents_incomingdocument d WHERE {VISIBLE} AND {where}", params
    )[0][0]
    return [row[0] for row in rows], total


def floor_detail(params: dict):
    """What the detail page shows, fetched by hand: the document with its type, agency,
    register book and lead unit (the visibility rule in the WHERE), its three people by id,
    the timeline with each step's actor, unit and person, the files with their uploader."""
    doc = _fetch(
        "SELECT d.id, d.registered_by_id, d.presented_to_id, d.lead_user_id, d.*, t.name, "
        "a.name, b.kind, b.year, u.name FROM documents_incomingdocument d "
        "JOIN documents_documenttype t ON t.id = d.document_type_id "
        "JOIN org_agency a ON a.id = d.agency_id "
        "JOIN documents_registerbook b ON b.id = d.register_book_id "
        "LEFT JOIN org_unit u ON u.id = d.lead_unit_id "
        f"WHERE d.id = %(doc)s AND {VISIBLE}",
        params,
    )
    people = _fetch(
        "SELECT p.id, p.username, p.full_name FROM accounts_user p "
        "WHERE p.id IN (%(a)s, %(b)s, %(c)s)",
        dict(zip("abc", doc[0][1:4], strict=True)),
    )
    steps = _fetch(
        "SELECT s.id, s.kind, s.role, s.text, s.deadline, s.created_at, x.full_name, n.name, "
        "w.full_name FROM documents_handlingstep s JOIN accounts_user x ON x.id = s.actor_id "
        "LEFT JOIN org_unit n ON n.id = s.unit_id LEFT JOIN accounts_user w ON w.id = s.user_id "
        "WHERE s.document_id = %(doc)s ORDER BY s.created_at, s.id",
        params,
    )
    files = _fetch(
        "SELECT f.id, f.original_name, f.size, f.version, f.replaces_id, f.uploaded_at, "
        "p.full_name FROM documents_attachment f JOIN accounts_user p ON p.id = f.uploaded_by_id "
        "WHERE f.document_id = %(doc)s ORDER BY f.uploaded_at, f.id",
        params,
    )
    assert people
    return [doc[0][0]], len(steps) + len(files)


# --- The ORM path of the pages -----------------------------------------------------------------


def orm_queue(user, agency, key: str, page: int, filters: dict | None = None):
    from django.core.paginator import Paginator
    from django.utils import timezone

    from coquan.documents import queues, workflow
    from coquan.documents.filtersets import IncomingFilter
    from coquan.documents.models import IncomingDocument

    today = timezone.localdate()
    queue = queues.QUEUES_BY_KEY[key]
    documents = queues.apply(IncomingDocument.objects.visible_in(user, agency), queue, user, today)
    if filters:
        documents = IncomingFilter(filters, queryset=documents, agency=agency).qs
    documents = documents.order_by(*queue.ordering)
    documents = documents.for_list().with_late_flag(workflow.presentation_late_before(today))
    current = Paginator(documents, PAGE).page(page)
    return [doc.pk for doc in current.object_list], current.paginator.count


def orm_detail(user, pk: int):
    from coquan.documents.views import incoming_for_detail

    document, steps, files = incoming_for_detail(user, pk)
    return [document.pk], len(steps) + len(files)


# --- Measuring ---------------------------------------------------------------------------------


def cases(user, agency):
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from coquan.documents.models import DocumentType, IncomingDocument

    cong_van = DocumentType.objects.get(agency=None, code="cong-van")
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    params = {"agency": agency.pk, "user": user.pk}
    to_assign = (
        "d.status = 'presented' AND d.presented_to_id = %(user)s",
        "d.urgency DESC, d.presented_at ASC, d.arrival_number ASC",
    )
    zone = timezone.get_current_timezone()
    adapt = connection.ops.adapt_datetimefield_value  # raw SQL on SQLite compares text
    filtered_params = {
        **params,
        "type": cong_van.pk,
        "start": adapt(dt.datetime.combine(year_ago, dt.time.min, tzinfo=zone)),
        "end": adapt(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)),
    }
    filtered_where = (
        "d.document_type_id = %(type)s AND d.urgency = 1 AND d.status = 'done' "
        "AND d.arrival_date >= %(start)s AND d.arrival_date < %(end)s"
    )
    filters = {
        "document_type": str(cong_van.pk),
        "urgency": "1",
        "status": "done",
        "arrived_from": year_ago.strftime("%d/%m/%Y"),
        "arrived_to": today.strftime("%d/%m/%Y"),
    }
    detail = list(
        IncomingDocument.objects.filter(agency=agency, status="done", secrecy="none")
        .order_by("-pk")
        .values_list("pk", flat=True)[:501]
    )[-1]
    # Page 200 of the inbox, or its last page when a small data set has fewer.
    waiting = floor_list(*to_assign, params, 0)[1]
    far = max(1, min(200, -(-waiting // PAGE)))
    base = reverse("documents:incoming_list") + f"?agency={agency.pk}"
    from urllib.parse import urlencode

    return {
        "inbox page 1": (
            lambda: floor_list(*to_assign, params, 0),
            lambda: orm_queue(user, agency, "to_assign", 1),
            base + "&queue=to_assign",
        ),
        f"inbox page {far}": (
            lambda: floor_list(*to_assign, params, (far - 1) * PAGE),
            lambda: orm_queue(user, agency, "to_assign", far),
            base + f"&queue=to_assign&page={far}",
        ),
        "filtered list": (
            lambda: floor_list(
                filtered_where, "d.arrival_date DESC, d.arrival_number DESC", filtered_params, 0
            ),
            lambda: orm_queue(user, agency, "all", 1, filters),
            base + "&queue=all&" + urlencode(filters),
        ),
        "document detail": (
            lambda: floor_detail({**params, "doc": detail}),
            lambda: orm_detail(user, detail),
            reverse("documents:incoming_detail", args=[detail]),
        ),
    }


class QueryCounter:
    """A database execute wrapper counting the statements of one request."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(user, agency, rounds: int) -> dict:
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(user)
    results = {}
    for name, (floor, orm, url) in cases(user, agency).items():
        expected, got = floor(), orm()
        if expected[0] != got[0] or expected[1] != got[1]:
            raise SystemExit(f"{name}: floor and ORM differ: {expected} != {got}")
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        executed = QueryCounter()
        with connection.execute_wrapper(executed):
            client.get(url)
        timings = {"floor": [], "orm": [], "page": []}
        runs = {"floor": floor, "orm": orm, "page": lambda url=url: client.get(url)}
        for _ in range(3):
            for fn in runs.values():
                fn()
        order = list(runs)
        for number in range(rounds):
            for key in order[number % 3 :] + order[: number % 3]:
                start = time.perf_counter()
                runs[key]()
                timings[key].append((time.perf_counter() - start) * 1000)
        results[name] = {
            "timings": timings,
            "queries": executed.count,
            "total": expected[1],
        }
        t = timings
        print(
            f"  {name}: floor p95 {_percentile(t['floor'], 0.95):.1f} ms, ORM p95 "
            f"{_percentile(t['orm'], 0.95):.1f} ms, page p95 {_percentile(t['page'], 0.95):.1f} ms",
            flush=True,
        )
    return results


def report(results: dict) -> bool:
    ok = True
    print(
        f"{'case':16} {'rows':>8} {'floor p50':>9} {'floor p95':>9} {'ORM p50':>8} "
        f"{'ORM p95':>8} {'×floor':>7} {'page p50':>9} {'page p95':>9} {'queries':>7}  result"
    )
    for name, result in results.items():
        t = result["timings"]
        f50, f95 = _percentile(t["floor"], 0.5), _percentile(t["floor"], 0.95)
        o50, o95 = _percentile(t["orm"], 0.5), _percentile(t["orm"], 0.95)
        p50, p95 = _percentile(t["page"], 0.5), _percentile(t["page"], 0.95)
        ratio = o95 / f95
        passed = ratio <= 3.0 and p95 <= 200.0
        ok = ok and passed
        print(
            f"{name:16} {result['total']:>8} {f50:9.1f} {f95:9.1f} {o50:8.1f} {o95:8.1f} "
            f"{ratio:7.2f} {p50:9.1f} {p95:9.1f} {result['queries']:>7}  "
            f"{'PASS' if passed else 'FAIL'}"
        )
    print("targets: ORM p95 ≤ 3 × floor p95; page p95 ≤ 200 ms (times in ms)")
    return ok


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from coquan.accounts.models import User
    from coquan.documents.models import IncomingDocument
    from coquan.org.models import Agency

    call_command("migrate", verbosity=0, skip_checks=True)
    settings.DEBUG = False
    have = IncomingDocument.objects.count()
    generated = have < args.n
    if generated:
        print(f"generating {args.n - have} documents in {args.agencies} agencies …", flush=True)
        call_command(
            "gen_data", documents=args.n - have, agencies=args.agencies, seed=1, verbosity=1
        )
    with connection.cursor() as cursor:
        # After a bulk load: what autovacuum does soon after on a live database (statistics,
        # and on PostgreSQL the visibility map that lets index-only scans skip the heap).
        started = time.monotonic()
        cursor.execute(
            "VACUUM ANALYZE" if generated and connection.vendor == "postgresql" else "ANALYZE"
        )
        print(f"statistics refreshed in {time.monotonic() - started:.0f} s", flush=True)
    agency = Agency.objects.order_by("pk").first()
    user = (
        User.objects.filter(username__endswith="_gd1", memberships__agency=agency)
        .order_by("pk")
        .first()
    )
    held = IncomingDocument.objects.filter(presented_to=user).count()
    print(
        f"database: {connection.vendor}, {IncomingDocument.objects.count()} documents; "
        f"measured leader {user.username} of {agency.name}: {held} documents presented to him",
        flush=True,
    )
    results = measure(user, agency, args.rounds)
    passed = report(results)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def main(argv=None) -> int:
    args = parse_args(argv)
    return bench_main(
        "inbox",
        "inbox benchmark",
        run,
        args,
        lambda tmp: {"COQUAN_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        reuse=args.reuse,
        keep=args.reuse and not args.drop,
    )


if __name__ == "__main__":
    sys.exit(main())
