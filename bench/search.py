"""Benchmark: full-text search on generated documents against hand-written SQL, same run.

What it does, in a throw-away database (a temporary SQLite file, or with DATABASE_URL a
PostgreSQL database ``coquan_bench_search`` created and dropped by the script):

1. Generates ``--n`` incoming documents (default 100,000; the issue's target size is
   1,000,000) spread over ``--agencies`` agencies and ten years, with Vietnamese subjects,
   numbers/notations, issuers and signers, 1 % of them secret (half of those granted to the
   measured person). The documents are bulk-inserted directly (``bulk_create``), not through
   ``register_incoming``: a million registrations with their audit chain would take hours
   and measure the documents app, not search.
2. Builds the index with the real ``coquan rebuild_search_index`` in a child process, kills
   it (SIGKILL) once ``--interrupt-at`` of the documents are done, resumes it with
   ``--resume``, and checks that every document is indexed once. The peak resident memory of
   each child (``wait4`` rusage) must stay under ``--max-rss-mb`` (500).
3. Times four kinds of query for a clerk of the first agency, through the real backend
   (``search`` top 20 with the total, ``autocomplete`` 8 suggestions) and through a
   hand-written SQL statement giving the same rows (the floor), interleaved, ``--rounds``
   times each, and checks both return the same ids in the same order.

Targets (issue 7): selective top 20 p50 ≤ 1.5 × floor and p95 ≤ 100 ms; non-selective top 20
p95 ≤ 500 ms; no match p95 ≤ 50 ms; autocomplete p95 ≤ 50 ms. Exits 1 when one is missed.

    .venv/bin/python bench/search.py [--n 100000] [--agencies 10] [--rounds 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/search.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time

from harness import bench_main

TARGETS = {
    # category: (max p50 ratio to the floor or None, max p95 in ms)
    "selective": (1.5, 100.0),
    "non-selective": (None, 500.0),
    "no-match": (None, 50.0),
    "autocomplete": (None, 50.0),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="documents (100000)")
    parser.add_argument("--agencies", type=int, default=10, help="agencies (10)")
    parser.add_argument("--rounds", type=int, default=30, help="timed runs per query (30)")
    parser.add_argument("--chunk", type=int, default=2000, help="rebuild chunk size (2000)")
    parser.add_argument(
        "--interrupt-at",
        type=float,
        default=0.3,
        help="kill the first rebuild after this share of documents (0.3; 0 = no kill)",
    )
    parser.add_argument("--max-rss-mb", type=float, default=500.0, help="rebuild memory (500)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use (and keep) the documents and index of an earlier run with the same --n",
    )
    parser.add_argument("--drop", action="store_true", help="with --reuse: drop at the end")
    return parser.parse_args(argv)


# --- Generated documents -----------------------------------------------------------------------

OPENINGS = [
    "V/v", "Về việc", "Kế hoạch", "Báo cáo", "Thông báo", "Hướng dẫn", "Tờ trình",
    "Đề nghị", "Giấy mời", "Quyết định", "Công văn", "Chương trình",
]  # fmt: skip
TOPICS = [
    "triển khai chuyển đổi số", "cấp phép xuất bản bản tin", "quyết toán ngân sách",
    "phòng chống lụt bão", "kiểm tra an toàn thông tin", "tuyển dụng công chức",
    "cải cách hành chính", "xây dựng nông thôn mới", "đầu tư công trung hạn",
    "quy hoạch sử dụng đất", "phát triển hạ tầng viễn thông", "cấp giấy phép xây dựng trạm BTS",
    "thanh tra chuyên ngành bưu chính", "đào tạo bồi dưỡng cán bộ", "thi đua khen thưởng",
    "phòng cháy chữa cháy", "bảo vệ môi trường", "tiếp công dân", "giải quyết khiếu nại",
    "quản lý đại lý Internet", "thống kê chỉ tiêu công nghệ thông tin", "dịch vụ công trực tuyến",
    "hồ sơ một cửa điện tử", "sắp xếp tổ chức bộ máy", "phòng chống tham nhũng",
    "an toàn giao thông", "y tế dự phòng", "giáo dục đào tạo", "văn hóa thể thao du lịch",
    "chăm sóc sức khỏe nhân dân", "hỗ trợ doanh nghiệp nhỏ và vừa", "khuyến nông khuyến công",
    "bồi thường giải phóng mặt bằng", "đặc thù hợp tác quốc tế", "cập nhật dữ liệu dân cư",
    "vệ sinh an toàn thực phẩm", "phát thanh truyền hình", "báo chí xuất bản", "lưu trữ hồ sơ",
    "chữ ký số chuyên dùng", "liên thông văn bản điện tử", "kinh phí sự nghiệp",
]  # fmt: skip
PLACES = [
    "tỉnh Bắc Giang", "thành phố Bắc Giang", "huyện Lục Ngạn", "huyện Lục Nam", "huyện Yên Thế",
    "huyện Tân Yên", "huyện Việt Yên", "huyện Hiệp Hòa", "huyện Lạng Giang", "huyện Yên Dũng",
    "huyện Sơn Động", "quận Đống Đa", "quận Ba Đình", "quận Hoàn Kiếm", "xã Quý Sơn",
    "xã Nghĩa Hồ", "thị trấn Chũ", "phường Trần Phú", "xã Đồng Sơn", "xã Tiên Lục",
]  # fmt: skip
NOTATIONS = [
    "QĐ-UBND", "UBND-VX", "UBND-KTN", "STC-BCTC", "STTTT-BCVT", "SNV-TCCB", "KH-UBND",
    "BC-UBND", "TB-VP", "HD-BTTTT", "CV-SKHĐT", "TTr-STNMT", "GM-UBND", "CT-UBND", "NQ-HĐND",
]  # fmt: skip
ISSUERS = [
    "Ủy ban nhân dân tỉnh Bắc Giang", "Bộ Thông tin và Truyền thông", "Sở Tài chính",
    "Sở Nội vụ", "Sở Kế hoạch và Đầu tư", "Văn phòng Chính phủ", "Bộ Khoa học và Công nghệ",
    "Sở Tài nguyên và Môi trường", "Ủy ban nhân dân huyện Lục Ngạn", "Cục Tần số vô tuyến điện",
    "Hội đồng nhân dân tỉnh Bắc Giang", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Công an tỉnh",
]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Hữu", "Ngọc", "Xuân", "Thu"]
GIVEN = [
    "Lĩnh", "Hùng", "Dũng", "Hương", "Giang", "Thắng", "Quyết", "Tuấn", "Lan", "Phượng", "Đạt",
    "Hiếu", "Nga", "Sơn", "Khải", "Trường", "Thảo", "Bình", "Cường", "Duyên", "Hạnh", "Long",
    "Mạnh", "Nhung", "Oanh", "Phúc", "Quân", "Tâm", "Uyên", "Vinh", "Yến", "Ánh", "Bảo", "Chi",
]  # fmt: skip
POSITIONS = ["Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Bộ trưởng"]
STATUSES = ["registered", "presented", "assigned", "in_progress", "done", "done", "done"]


def _subject(rng: random.Random) -> str:
    parts = [rng.choice(OPENINGS), rng.choice(TOPICS)]
    if rng.random() < 0.4:
        parts += ["và", rng.choice(TOPICS)]
    if rng.random() < 0.7:
        parts.append(rng.choice(PLACES))
    if rng.random() < 0.5:
        parts += ["năm", str(rng.randint(2016, 2026))]
    return " ".join(parts)


def generate(n: int, agencies: int, seed: int = 7):
    """Agencies, the measured clerk, register books and ``n`` documents; returns (user, agency)."""
    from django.utils import timezone

    from coquan.core.testing.factories import make_member
    from coquan.documents.choices import BookKind, Secrecy
    from coquan.documents.models import DocumentType, IncomingDocument, RegisterBook, SecrecyGrant
    from coquan.org.choices import AgencyLevel
    from coquan.org.models import Agency

    rng = random.Random(seed)
    agency_rows = Agency.objects.bulk_create(
        [
            Agency(
                organ_id=f"000.{i:02d}.31.H10",
                name=f"Sở thử nghiệm {i}",
                short_name=f"STN{i}",
                level=AgencyLevel.DEPARTMENT,
            )
            for i in range(1, agencies + 1)
        ]
    )
    agency_rows = list(Agency.objects.order_by("pk"))
    clerk = make_member(agency_rows[0], "clerk", username="bench_clerk", full_name="Văn thư đo")
    types = list(DocumentType.objects.filter(agency=None))
    years = list(range(2016, 2026))
    books = {}
    for agency in agency_rows:
        for year in years:
            for kind in (BookKind.INCOMING, BookKind.INCOMING_SECRET):
                books[(agency.pk, year, kind)] = RegisterBook.objects.create(
                    agency=agency, kind=kind, year=year
                )
    counters: dict = {}
    tz = timezone.get_current_timezone()
    batch, grants = [], []
    made = 0
    started = time.monotonic()
    for i in range(n):
        agency = agency_rows[i % agencies]
        year = rng.choice(years)
        secret = rng.random() < 0.01
        kind = BookKind.INCOMING_SECRET if secret else BookKind.INCOMING
        book = books[(agency.pk, year, kind)]
        counters[book.pk] = counters.get(book.pk, 0) + 1
        issued = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 360))
        batch.append(
            IncomingDocument(
                agency=agency,
                register_book=book,
                arrival_number=counters[book.pk],
                arrival_date=dt.datetime.combine(issued, dt.time(9), tzinfo=tz)
                + dt.timedelta(days=rng.randint(0, 4)),
                document_type=rng.choice(types),
                code_number=str(rng.randint(1, 9999)),
                code_notation=rng.choice(NOTATIONS),
                issued_date=issued,
                subject=_subject(rng),
                issuer_name=rng.choice(ISSUERS),
                signer_position=rng.choice(POSITIONS),
                signer_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                urgency=rng.choice([0, 0, 0, 0, 1, 2, 3]),
                secrecy=Secrecy.SECRET if secret else Secrecy.NONE,
                status=rng.choice(STATUSES),
                registered_by=clerk,
            )
        )
        if len(batch) == 5000 or i == n - 1:
            created = IncomingDocument.objects.bulk_create(batch)
            grants += [
                SecrecyGrant(document=d, user=clerk, granted_by=clerk)
                for d in created
                if d.secrecy != Secrecy.NONE and d.agency_id == agency_rows[0].pk and d.pk % 2
            ]
            made += len(batch)
            batch = []
            if made % 100_000 == 0:
                print(f"  {made} documents ({time.monotonic() - started:.0f} s)", flush=True)
    SecrecyGrant.objects.bulk_create(grants)
    return clerk, agency_rows[0]


# --- Rebuild in a child process: kill, resume, memory ---------------------------------------


def _child(args: list[str]):
    """Start ``coquan <args>`` as a child process (same environment)."""
    command = [sys.executable, "-m", "coquan.manage", *args]
    return subprocess.Popen(command, env=os.environ.copy())


def _wait(process) -> tuple[int, float]:
    """(exit status, peak resident MiB) of a child, from the kernel's rusage."""
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024


def rebuild_with_interruption(n: int, chunk: int, interrupt_at: float) -> dict:
    from django.db import connections

    from coquan.search.models import RebuildCursor, SearchEntry

    label = "documents.IncomingDocument"
    result = {"killed_at": 0, "peaks": []}
    started = time.monotonic()
    first = _child(["rebuild_search_index", "--model", label, "--chunk", str(chunk)])
    if interrupt_at > 0:
        while first.poll() is None:
            time.sleep(0.5)
            connections.close_all()
            done = RebuildCursor.objects.filter(model_label=label).values_list("done", flat=True)
            if done and done[0] >= interrupt_at * n:
                first.send_signal(signal.SIGKILL)
                break
    code, peak = _wait(first)
    result["peaks"].append(peak)
    connections.close_all()
    cursor = RebuildCursor.objects.get(model_label=label)
    result["killed_at"] = cursor.done if code != 0 else 0
    if code != 0:
        print(f"  rebuild killed after {cursor.done} documents (cursor at id {cursor.last_pk})")
        second = _child(
            ["rebuild_search_index", "--model", label, "--chunk", str(chunk), "--resume"]
        )
        code, peak = _wait(second)
        result["peaks"].append(peak)
    result["seconds"] = time.monotonic() - started
    connections.close_all()
    cursor.refresh_from_db()
    result["ok"] = (
        code == 0
        and cursor.finished_at is not None
        and cursor.done == n
        and SearchEntry.objects.count() == n
        and not SearchEntry.objects.filter(dirty=True).exists()
    )
    return result


# --- Timed queries ------------------------------------------------------------------------------


def _visible_sql(vendor: str) -> str:
    """Hand-written visibility for a clerk of the agency: its open documents and granted ones."""
    return (
        "d.agency_id = %s AND (d.secrecy = 'none' OR EXISTS (SELECT 1 FROM "
        "documents_secrecygrant g WHERE g.document_id = d.id AND g.user_id = %s))"
    )


def floor_search(vendor: str, match: str, rank: str, agency_id: int, user_id: int, ct_id: int):
    """The same page and total as ``backend.search`` for the measured clerk, hand-written.

    ``match`` and ``rank`` are the engine texts of the query (the same index structures:
    the FTS5 column filter and agency word, the tsquery with its agency lexeme).
    """
    from django.db import connection

    columns = "e.id, e.object_id, e.number, e.title, e.issuer, e.signer, e.date, e.status"
    if vendor == "sqlite":
        sql = (
            f"SELECT h.id, COUNT(*) OVER () FROM (SELECT {columns}, "
            "bm25(search_fts, 10.0, 4.0, 1.0, 0.0) AS score FROM search_fts "
            "JOIN search_searchentry e ON e.id = search_fts.rowid "
            "JOIN documents_incomingdocument d ON d.id = e.object_id "
            "WHERE search_fts MATCH %s AND +e.agency_id = %s AND +e.content_type_id = %s AND "
            f"{_visible_sql(vendor)}) h ORDER BY h.score, h.date DESC, h.id DESC LIMIT 20"
        )
        params = [match]
    else:
        sql = (
            f"SELECT h.id, COUNT(*) OVER () FROM (SELECT {columns}, "
            "ts_rank('{0, 0.1, 0.4, 1.0}'::float4[], e.vector, "
            "to_tsquery('vn_unaccent'::regconfig, %s)) AS score "
            "FROM search_searchentry e JOIN documents_incomingdocument d ON d.id = e.object_id "
            "WHERE e.vector @@ to_tsquery('vn_unaccent'::regconfig, %s) AND e.agency_id = %s "
            f"AND e.content_type_id = %s AND {_visible_sql(vendor)}) h "
            "ORDER BY h.score DESC, h.date DESC NULLS LAST, h.id DESC LIMIT 20"
        )
        params = [rank, match]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, agency_id, ct_id, agency_id, user_id])
        rows = cursor.fetchall()
    return [row[0] for row in rows], rows[0][1] if rows else 0


def floor_autocomplete(vendor: str, match: str, agency_id: int, user_id: int, ct_id: int):
    from django.db import connection

    if vendor == "sqlite":
        sql = (
            "SELECT e.id, e.number, e.title FROM search_fts "
            "JOIN search_searchentry e ON e.id = search_fts.rowid "
            "JOIN documents_incomingdocument d ON d.id = e.object_id "
            "WHERE search_fts MATCH %s AND +e.agency_id = %s AND +e.content_type_id = %s AND "
            f"{_visible_sql(vendor)} ORDER BY search_fts.rowid DESC LIMIT 8"
        )
    else:
        sql = (
            "SELECT e.id, e.number, e.title FROM search_searchentry e "
            "JOIN documents_incomingdocument d ON d.id = e.object_id "
            "WHERE e.vector @@ to_tsquery('vn_unaccent'::regconfig, %s) AND e.agency_id = %s "
            f"AND e.content_type_id = %s AND {_visible_sql(vendor)} ORDER BY e.id DESC LIMIT 8"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, agency_id, ct_id, agency_id, user_id])
        return [row[0] for row in cursor.fetchall()], None


def _pick_queries(agency) -> dict[str, list[str]]:
    """Queries per category, chosen from the generated data of the measured agency."""
    from coquan.documents.models import IncomingDocument

    rng = random.Random(11)
    docs = list(
        IncomingDocument.objects.filter(agency=agency, secrecy="none")
        .order_by("pk")
        .values("code_number", "code_notation", "signer_name", "subject")[:2000]
    )
    picked = rng.sample(docs, 2)
    from coquan.search.folding import fold

    return {
        "selective": [
            f"{picked[0]['code_number']}/{picked[0]['code_notation']}",
            fold(f"{picked[1]['code_number']}/{picked[1]['code_notation']}").upper(),
            fold(picked[1]["signer_name"]),
        ],
        "non-selective": ["ke hoach", "huyen nam", "bao cao tinh bac giang"],
        "no-match": ["xyzw khong co", "qqzzx", "quyet dinh zzyzx"],
        "autocomplete": ["quyet dinh cap ph", "luc ng", f"{picked[0]['code_number']}/"],
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(user, agency, rounds: int) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from coquan.documents.models import IncomingDocument
    from coquan.search.backends import get_backend
    from coquan.search.query import parse

    vendor = connection.vendor
    backend = get_backend()
    ct_id = ContentType.objects.get_for_model(IncomingDocument).pk
    scope = backend.scope(user, agency)
    queries = _pick_queries(agency)
    timings: dict[str, dict[str, list[float]]] = {}
    counts: dict[str, list[int]] = {}
    for category, texts in queries.items():
        timings[category] = {"real": [], "floor": []}
        counts[category] = []
        auto = category == "autocomplete"
        for text in texts:
            parsed = parse(text, autocomplete=auto)
            match = backend.match(parsed, scope)[1][0]
            rank = (backend.rank(parsed)[1] or [None])[0]

            def real(text=text, auto=auto):
                if auto:
                    return [
                        h.entry_id for h in backend.autocomplete(text, user, agency=agency)
                    ], None
                page = backend.search(text, user, agency=agency, page_size=20)
                return [h.entry_id for h in page.hits], page.count

            def floor(match=match, rank=rank, auto=auto):
                if auto:
                    return floor_autocomplete(vendor, match, agency.pk, user.pk, ct_id)
                return floor_search(vendor, match, rank, agency.pk, user.pk, ct_id)

            expected, real_result = floor(), real()
            if expected[0] != real_result[0] or (not auto and expected[1] != real_result[1]):
                raise SystemExit(f"different results for {text!r}: {expected} != {real_result}")
            counts[category].append(real_result[1] if not auto else len(real_result[0]))
            for _ in range(3):  # warm up
                floor()
                real()
            for number in range(rounds):
                pair = (("floor", floor), ("real", real))
                for name, fn in pair if number % 2 else pair[::-1]:
                    start = time.perf_counter()
                    fn()
                    timings[category][name].append((time.perf_counter() - start) * 1000)
    return {"timings": timings, "counts": counts, "queries": queries}


def report(measured: dict) -> bool:
    ok = True
    print(f"{'query':14} {'matches':>16} {'p50 ms':>8} {'p95 ms':>8} {'floor p50':>10} "
          f"{'floor p95':>10} {'ratio p50':>10} {'ratio p95':>10}  target")  # fmt: skip
    for category, values in measured["timings"].items():
        real, floor = values["real"], values["floor"]
        p50, p95 = _percentile(real, 0.5), _percentile(real, 0.95)
        f50, f95 = _percentile(floor, 0.5), _percentile(floor, 0.95)
        max_ratio, max_p95 = TARGETS[category]
        passed = p95 <= max_p95 and (max_ratio is None or p50 / f50 <= max_ratio)
        ok = ok and passed
        target = f"p95 ≤ {max_p95:.0f} ms" + (f", ≤ {max_ratio}× floor" if max_ratio else "")
        matches = "/".join(str(c) for c in measured["counts"][category])
        print(
            f"{category:14} {matches:>16} {p50:8.1f} {p95:8.1f} {f50:10.1f} {f95:10.1f} "
            f"{p50 / f50:10.2f} {p95 / f95:10.2f}  {target} {'PASS' if passed else 'FAIL'}"
        )
    for category, texts in measured["queries"].items():
        print(f"  {category}: " + " | ".join(texts))
    return ok


def _kept_run(args):
    """(clerk, agency, rebuild result) of an earlier run with the same ``--n``, or None (and
    then the database must be empty: documents are only generated into an empty one)."""
    from coquan.accounts.models import User
    from coquan.documents.models import IncomingDocument
    from coquan.search.models import SearchEntry

    documents = IncomingDocument.objects.count()
    if documents == 0:
        return None
    if documents != args.n or SearchEntry.objects.filter(dirty=False).count() != args.n:
        raise SystemExit(
            f"--reuse: the kept database holds {documents} documents, not --n {args.n} "
            "indexed ones; run again with --drop first"
        )
    user = User.objects.get(username="bench_clerk")
    agency = user.memberships.order_by("pk").first().agency
    return user, agency, {"peaks": [0.0], "ok": True, "killed_at": 0, "reused": True}


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, skip_checks=True)
    settings.DEBUG = False  # no query log, as in production
    kept = _kept_run(args) if args.reuse else None
    if kept is not None:
        user, agency, rebuilt = kept
        print(f"reusing {args.n} documents and their index from an earlier run", flush=True)
    else:
        print(f"generating {args.n} documents in {args.agencies} agencies …", flush=True)
        started = time.monotonic()
        user, agency = generate(args.n, args.agencies)
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)

        print("rebuilding the index in a child process (killed once, then resumed) …", flush=True)
        rebuilt = rebuild_with_interruption(args.n, args.chunk, args.interrupt_at)
        print(
            f"  rebuild {'OK' if rebuilt['ok'] else 'FAILED'} in {rebuilt['seconds']:.0f} s; "
            f"peak memory per run: {', '.join(f'{p:.0f} MiB' for p in rebuilt['peaks'])}"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum (PostgreSQL) or PRAGMA optimize do
    peak = max(rebuilt["peaks"])

    print(f"timing {args.rounds} runs per query (clerk of one agency, top 20 with total) …")
    measured = measure(user, agency, args.rounds)
    print(f"database: {connection.vendor}, {args.n} documents, {args.agencies} agencies")
    queries_ok = report(measured)
    memory_ok = peak <= args.max_rss_mb
    resumed = f"yes, at {rebuilt['killed_at']}" if rebuilt["killed_at"] else "no kill"
    if rebuilt.get("reused"):
        print("rebuild: not run (--reuse; its memory and resume were checked when generated)")
    else:
        print(
            f"rebuild peak memory {peak:.0f} MiB (target ≤ {args.max_rss_mb:.0f}): "
            f"{'PASS' if memory_ok else 'FAIL'}; resumed after kill: {resumed}"
        )
    if queries_ok and memory_ok and rebuilt["ok"]:
        print("PASS")
        return 0
    print("FAIL")
    return 1


def main(argv=None) -> int:
    args = parse_args(argv)
    return bench_main(
        "search",
        "search benchmark",
        run,
        args,
        env=lambda tmp: {
            "COQUAN_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        },
        reuse=args.reuse,
        keep=args.reuse and not args.drop,
    )


if __name__ == "__main__":
    sys.exit(main())
