"""A realistic, province-shaped data set of incoming documents (issue 3, part 10).

``coquan gen_data --documents N [--agencies K] [--seed S]`` creates K agencies of one
province (the provincial People's Committee first, then departments), each with a clerk, a
leader and a deputy, units with a unit leader and officers, and N incoming documents:

- Vietnamese subjects (stacked diacritics, đ), issuers, signers, numbers and notations;
- skewed types (công văn most, then quyết định, thông báo, kế hoạch, báo cáo …), urgency and
  1 % secret documents (own book, granted to the clerk and the people handling them);
- arrival numbers consecutive and gapless per register book (agency, year, ordinary or
  secret), ``RegisterBook.last_number`` set to the last one;
- a legal trail consistent with each status: documents that reached an assignment have
  3–15 ``HandlingStep`` rows (registered, presented, assigned lead / co-handlers / for
  information, started, opinions, done); documents still waiting to be presented or
  assigned have 1–2;
- hot spots: the provincial committee receives ``HOT_SHARE`` of all documents and its
  leader is the one they are presented to (10^5 items at N = 10^6), with thousands waiting
  for his assignment; one unit of it leads a large share.

Rows are written in chunks without loading anything back: PostgreSQL through ``COPY``
(psycopg), other databases through ``executemany``; ids are given by the generator (from
the current maximum) and the sequences are moved past them at the end. Memory stays
bounded by the chunk size. It bypasses the actions on purpose (no audit entries, no search
index: run ``rebuild_search_index`` afterwards if needed): it is for tests and benchmarks.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.utils import timezone

from coquan.documents.choices import (
    AssignmentRole,
    BookKind,
    Channel,
    IncomingStatus,
    Secrecy,
    StepKind,
)

CHUNK = 10_000
#: Generated people cannot sign in (Django's unusable password marker).
UNUSABLE = "!"
HOT_SHARE = 0.2
YEARS = 3

OPENINGS = [
    "V/v", "Về việc", "Kế hoạch", "Báo cáo", "Thông báo", "Hướng dẫn", "Đề nghị", "Giấy mời",
    "Triển khai", "Tăng cường", "Đôn đốc", "Góp ý",
]  # fmt: skip
TOPICS = [
    "triển khai chuyển đổi số", "quyết toán ngân sách", "phòng chống lụt bão",
    "kiểm tra an toàn thông tin", "tuyển dụng công chức", "cải cách hành chính",
    "xây dựng nông thôn mới", "đầu tư công trung hạn", "quy hoạch sử dụng đất",
    "phát triển hạ tầng viễn thông", "cấp giấy phép xây dựng", "đào tạo bồi dưỡng cán bộ",
    "thi đua khen thưởng", "phòng cháy chữa cháy", "bảo vệ môi trường", "tiếp công dân",
    "giải quyết khiếu nại, tố cáo", "dịch vụ công trực tuyến", "sắp xếp tổ chức bộ máy",
    "phòng chống tham nhũng", "bảo đảm trật tự an toàn giao thông", "y tế dự phòng",
    "chăm sóc sức khỏe nhân dân", "hỗ trợ doanh nghiệp nhỏ và vừa", "khuyến nông khuyến công",
    "bồi thường giải phóng mặt bằng", "cập nhật dữ liệu dân cư", "vệ sinh an toàn thực phẩm",
    "chữ ký số chuyên dùng", "liên thông văn bản điện tử", "kinh phí sự nghiệp năm kế tiếp",
    "điều chỉnh chỉ tiêu kế hoạch", "đẩy mạnh xuất khẩu nông sản", "quản lý đê điều",
]  # fmt: skip
PLACES = [
    "tỉnh Bắc Giang", "thành phố Bắc Giang", "huyện Lục Ngạn", "huyện Lục Nam", "huyện Yên Thế",
    "huyện Tân Yên", "thị xã Việt Yên", "huyện Hiệp Hòa", "huyện Lạng Giang", "huyện Yên Dũng",
    "huyện Sơn Động", "xã Quý Sơn", "xã Nghĩa Hồ", "thị trấn Chũ", "phường Trần Phú",
    "xã Đồng Sơn", "xã Tiên Lục", "xã Xuân Hương", "phường Dĩnh Kế",
]  # fmt: skip
NOTATIONS = [
    "UBND-VX", "UBND-KTN", "STC-QLNS", "STTTT-BCVT", "SNV-TCBC", "KH-UBND", "BC-UBND",
    "TB-VP", "HD-BTTTT", "SKHĐT-ĐKKD", "STNMT-ĐĐBĐ", "BNV-CCVC", "VPCP-KSTT", "BTC-NSNN",
]  # fmt: skip
ISSUERS = [
    ("Ủy ban nhân dân tỉnh Bắc Giang", "Chủ tịch"), ("Bộ Thông tin và Truyền thông", "Bộ trưởng"),
    ("Sở Tài chính", "Giám đốc"), ("Sở Nội vụ", "Giám đốc"), ("Bộ Nội vụ", "Thứ trưởng"),
    ("Sở Kế hoạch và Đầu tư", "Giám đốc"), ("Văn phòng Chính phủ", "Phó Chủ nhiệm"),
    ("Sở Tài nguyên và Môi trường", "Phó Giám đốc"), ("Bộ Tài chính", "Thứ trưởng"),
    ("Ủy ban nhân dân huyện Lục Ngạn", "Chủ tịch"), ("Sở Y tế", "Giám đốc"),
    ("Hội đồng nhân dân tỉnh Bắc Giang", "Chủ tịch"), ("Công an tỉnh Bắc Giang", "Giám đốc"),
    ("Sở Giáo dục và Đào tạo", "Phó Giám đốc"), ("Tỉnh ủy Bắc Giang", "Bí thư"),
]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Hữu", "Ngọc", "Xuân", "Thu", "Đình"]
GIVEN = [
    "Lĩnh", "Hùng", "Dũng", "Hương", "Giang", "Thắng", "Quyết", "Tuấn", "Lan", "Phượng", "Đạt",
    "Hiếu", "Nga", "Sơn", "Khải", "Trường", "Thảo", "Bình", "Cường", "Duyên", "Hạnh", "Đông",
    "Mạnh", "Nhung", "Oanh", "Phúc", "Quân", "Tâm", "Uyên", "Vĩnh", "Yến", "Ánh", "Bảo", "Đức",
]  # fmt: skip
DEPARTMENTS = [
    ("Ủy ban nhân dân tỉnh Bắc Giang", "UBND", "province"),
    ("Sở Thông tin và Truyền thông", "STTTT", "department"),
    ("Sở Tài chính", "STC", "department"),
    ("Sở Nội vụ", "SNV", "department"),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT", "department"),
    ("Sở Tài nguyên và Môi trường", "STNMT", "department"),
    ("Sở Y tế", "SYT", "department"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT", "department"),
    ("Sở Xây dựng", "SXD", "department"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "SNN", "department"),
]
UNITS = [
    ("VP", "Văn phòng"), ("KHTC", "Phòng Kế hoạch - Tài chính"),
    ("TCCB", "Phòng Tổ chức cán bộ"), ("NV", "Phòng Nghiệp vụ"), ("TTr", "Thanh tra"),
]  # fmt: skip
#: (type code, weight): công văn dominates, as in every agency's incoming book.
TYPE_WEIGHTS = {
    "cong-van": 55, "quyet-dinh": 10, "thong-bao": 8, "ke-hoach": 6, "bao-cao": 6,
    "giay-moi": 5, "to-trinh": 3, "huong-dan": 2, "chi-thi": 1, "nghi-quyet": 1,
}  # fmt: skip
#: Status of documents older than a week, with its weight (recent ones are mostly open).
STATUS_WEIGHTS = [
    (IncomingStatus.DONE, 70),
    (IncomingStatus.IN_PROGRESS, 12),
    (IncomingStatus.ASSIGNED, 8),
    (IncomingStatus.PRESENTED, 4),
    (IncomingStatus.REGISTERED, 2),
    (IncomingStatus.RETURNED, 1),
    (IncomingStatus.REFUSED, 1),
]
OPINIONS = [
    "Đề nghị phòng chủ trì khẩn trương tham mưu.",
    "Thống nhất với dự thảo, đề nghị bổ sung số liệu năm trước.",
    "Phòng KHTC đã rà soát, không có ý kiến khác.",
    "Đã làm việc với đơn vị liên quan, sẽ báo cáo trước hạn.",
    "Kính đề nghị lãnh đạo cho ý kiến chỉ đạo.",
    "Đã dự thảo văn bản trả lời, trình lãnh đạo xem xét.",
]


@dataclass
class Staff:
    agency: object
    clerk: object
    leaders: list
    units: list
    unit_leaders: dict
    officers: dict


@dataclass
class Report:
    documents: int = 0
    steps: int = 0
    grants: int = 0
    agencies: int = 0
    users: int = 0
    seconds: float = 0.0
    hot_leader: object = None
    hot_items: int = 0
    books: dict = field(default_factory=dict)


# --- Writing rows fast -------------------------------------------------------------------------


class RowWriter:
    """Writes rows of one model in chunks: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.

    Rows are tuples in the order of ``columns`` (attnames); date and datetime values are
    adapted by the fields for databases that need it (SQLite stores text).
    """

    def __init__(self, model, columns: list[str]):
        self.model = model
        self.columns = columns
        self.table = model._meta.db_table
        self.postgres = connection.vendor == "postgresql"
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.adapters: list[Callable | None] = []
        for name in columns:
            field_ = fields[name]
            needs = isinstance(field_, models.DateField) and not self.postgres
            self.adapters.append(
                (lambda value, f=field_: f.get_db_prep_save(value, connection)) if needs else None
            )
        self.buffer: list[tuple] = []
        self.written = 0

    def add(self, row: tuple) -> None:
        self.buffer.append(row)

    def flush(self) -> None:
        if not self.buffer:
            return
        rows = self.buffer
        if any(self.adapters):
            rows = [
                tuple(
                    a(v) if a and v is not None else v
                    for a, v in zip(self.adapters, row, strict=True)
                )
                for row in rows
            ]
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor
                with raw.copy(f"COPY {quote(self.table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
        self.written += len(rows)
        self.buffer = []


def next_id(model) -> int:
    top = model.objects.aggregate(top=models.Max("pk"))["top"]
    return (top or 0) + 1


def reset_sequences(models_: Iterable) -> None:
    """Move the id sequences past the ids the generator gave (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            sql = "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM "
            sql += f'"{table}"), 1))'  # our own table name
            cursor.execute(sql, [table])


def _can_skip_fk_triggers() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


# --- People ------------------------------------------------------------------------------------


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def make_staff(rng: random.Random, agencies: int, officers_per_unit: int, prefix: str):
    """Agencies with their clerk, leaders, units, unit leaders and officers."""
    from coquan.accounts.models import User
    from coquan.org.models import Agency, Membership, Role, Unit

    roles = {code: Role.objects.get_or_create(code=code)[0] for code in (
        "clerk", "leader", "unit_leader", "officer"
    )}  # fmt: skip
    start = Agency.objects.count()
    staff = []
    parent = None
    for index in range(agencies):
        name, short, level = DEPARTMENTS[index % len(DEPARTMENTS)]
        serial = start + index + 1
        if index >= len(DEPARTMENTS):
            name = f"{name} (đơn vị {index + 1})"
        agency = Agency.objects.create(
            organ_id=f"000.{serial % 100:02d}.{serial // 100 % 100:02d}.H06",
            name=name,
            short_name=short,
            level=level,
            parent=parent,
        )
        parent = parent or agency

        def member(username, *codes, unit=None, agency=agency):
            user = User.objects.create(
                username=f"{prefix}{username}", full_name=_person(rng), password=UNUSABLE
            )
            membership = Membership.objects.create(user=user, agency=agency, unit=unit)
            membership.roles.set([roles[c] for c in codes])
            return user

        units = [
            Unit.objects.create(agency=agency, code=code, name=unit_name)
            for code, unit_name in UNITS
        ]
        staff.append(
            Staff(
                agency=agency,
                clerk=member(f"vt{serial}", "clerk"),
                leaders=[member(f"gd{serial}", "leader"), member(f"pgd{serial}", "leader")],
                units=units,
                unit_leaders={
                    u.pk: member(f"tp{serial}_{u.code.lower()}", "unit_leader", "officer", unit=u)
                    for u in units
                },
                officers={
                    u.pk: [
                        member(f"cv{serial}_{u.code.lower()}{k}", "officer", unit=u)
                        for k in range(officers_per_unit)
                    ]
                    for u in units
                },
            )
        )
    return staff


# --- Documents ---------------------------------------------------------------------------------


def _subject(rng: random.Random) -> str:
    parts = [rng.choice(OPENINGS), rng.choice(TOPICS)]
    if rng.random() < 0.3:
        parts += ["và", rng.choice(TOPICS)]
    if rng.random() < 0.7:
        parts += ["trên địa bàn", rng.choice(PLACES)]
    if rng.random() < 0.4:
        parts += ["năm", str(rng.randint(2024, 2027))]
    return " ".join(parts)[:500]


def _weighted(rng: random.Random, items: list[tuple]):
    total = sum(w for _i, w in items)
    pick = rng.uniform(0, total)
    for item, weight in items:
        pick -= weight
        if pick <= 0:
            return item
    return items[-1][0]


def generate(
    documents: int,
    agencies: int = 10,
    seed: int = 1,
    *,
    officers_per_unit: int = 4,
    progress: Callable[[str], None] | None = None,
    today: dt.date | None = None,
) -> Report:
    """Create the data set; returns counts (see the module docstring)."""
    from coquan.documents.models import (
        DocumentType,
        HandlingStep,
        IncomingDocument,
        RegisterBook,
        SecrecyGrant,
    )

    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
    now = timezone.now()
    report = Report()
    prefix = f"gen{seed}_{next_id(IncomingDocument)}_"
    with transaction.atomic():
        staff = make_staff(rng, max(1, agencies), officers_per_unit, prefix)
    report.agencies = len(staff)
    report.users = sum(3 + len(s.units) + sum(len(v) for v in s.officers.values()) for s in staff)
    types = {t.code: t.pk for t in DocumentType.objects.filter(agency=None)}
    type_items = [(types[c], w) for c, w in TYPE_WEIGHTS.items() if c in types] or [
        (next(iter(types.values())), 1)
    ]
    status_items = [(s, w) for s, w in STATUS_WEIGHTS]
    years = [today.year - k for k in range(YEARS - 1, -1, -1)]
    first_day = dt.date(years[0], 1, 1)

    doc_columns = [
        "id", "agency_id", "register_book_id", "arrival_number", "arrival_date", "channel",
        "issuer_name", "issuer_organ_id", "to_places", "status", "edxml_document_id",
        "registered_by_id", "presented_to_id", "presented_at", "lead_unit_id", "lead_user_id",
        "assigned_at", "assignment_round", "completed_at", "result_note", "document_type_id",
        "code_number", "code_notation", "issued_date", "place", "subject", "description",
        "signer_competence", "signer_position", "signer_name", "urgency", "secrecy",
        "page_count", "due_date", "created_at", "updated_at",
    ]  # fmt: skip
    step_columns = [
        "id", "document_id", "kind", "role", "actor_id", "unit_id", "user_id", "deadline",
        "text", "round", "created_at",
    ]  # fmt: skip
    docs = RowWriter(IncomingDocument, doc_columns)
    steps = RowWriter(HandlingStep, step_columns)
    grants = RowWriter(
        SecrecyGrant, ["id", "document_id", "user_id", "granted_by_id", "granted_at"]
    )
    doc_id = next_id(IncomingDocument)
    step_id = next_id(HandlingStep)
    grant_id = next_id(SecrecyGrant)
    books: dict[tuple, RegisterBook] = {}
    numbers: dict[int, int] = {}
    hot = staff[0]
    hot_leader = hot.leaders[0]
    hot_count = int(documents * HOT_SHARE) if len(staff) > 1 else documents
    # Documents are produced in arrival order: the i-th document arrives at a time that grows
    # with i, so numbers within each book follow the order of receipt.
    start_at = dt.datetime.combine(first_day, dt.time(7, 30), tzinfo=zone)
    seconds_span = max(1.0, (now - start_at).total_seconds() - 1)

    fast = _can_skip_fk_triggers()

    def flush() -> None:
        # One transaction per chunk: documents first, then their steps and grants. On
        # PostgreSQL, as a superuser, the foreign-key triggers are skipped for the chunk
        # (the rows are consistent by construction; it divides the load time by ~3).
        with transaction.atomic():
            if fast:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            docs.flush()
            steps.flush()
            grants.flush()
        if progress:
            progress(f"{docs.written} documents ({time.monotonic() - started:.0f} s)")

    if True:
        for index in range(documents):
            owner = hot if (index * 7919) % max(documents, 1) < hot_count else None
            if owner is None:
                owner = staff[1 + rng.randrange(len(staff) - 1)] if len(staff) > 1 else hot
            arrival = start_at + dt.timedelta(
                seconds=seconds_span * (index + rng.random()) / max(documents, 1)
            )
            local_day = timezone.localtime(arrival, zone).date()
            secret = rng.random() < 0.01
            kind = BookKind.INCOMING_SECRET if secret else BookKind.INCOMING
            key = (owner.agency.pk, kind, local_day.year)
            book = books.get(key)
            if book is None:
                book, _created = RegisterBook.objects.get_or_create(
                    agency=owner.agency, kind=kind, year=local_day.year, series=None
                )
                books[key] = book
                numbers[book.pk] = book.last_number
            numbers[book.pk] += 1
            issuer, position = rng.choice(ISSUERS)
            issued = local_day - dt.timedelta(days=rng.choice((0, 1, 1, 2, 3, 5, 7)))
            age = (today - local_day).days
            if age <= 2:
                status = _weighted(
                    rng,
                    [
                        (IncomingStatus.REGISTERED, 3),
                        (IncomingStatus.PRESENTED, 3),
                        (IncomingStatus.ASSIGNED, 2),
                        (IncomingStatus.IN_PROGRESS, 1),
                    ],
                )
            else:
                status = _weighted(rng, status_items)
            leader = hot_leader if owner is hot else owner.leaders[rng.random() < 0.3]
            unit = owner.units[0 if rng.random() < 0.35 else rng.randrange(len(owner.units))]
            officer = rng.choice(owner.officers[unit.pk])
            urgency = _weighted(rng, [(0, 85), (1, 10), (2, 4), (3, 1)])
            reached_assignment = status in (
                IncomingStatus.ASSIGNED, IncomingStatus.IN_PROGRESS, IncomingStatus.DONE
            )  # fmt: skip
            presented = status != IncomingStatus.REGISTERED and status != IncomingStatus.REFUSED
            presented_at = arrival + dt.timedelta(hours=rng.randint(1, 20)) if presented else None
            assigned_at = (
                presented_at + dt.timedelta(hours=rng.randint(1, 30))
                if reached_assignment
                else None
            )
            due = None
            if reached_assignment:
                due = timezone.localtime(assigned_at, zone).date() + dt.timedelta(
                    days=rng.choice((3, 5, 7, 10, 15, 30))
                )
            completed_at = None
            if status == IncomingStatus.DONE:
                late = rng.random() < 0.15
                base = dt.datetime.combine(due, dt.time(16), tzinfo=zone)
                completed_at = base + dt.timedelta(
                    days=rng.randint(1, 6) if late else -rng.randint(0, 4)
                )
                completed_at = max(completed_at, assigned_at + dt.timedelta(hours=2))
                completed_at = min(completed_at, now)
            lead_user = officer if reached_assignment and rng.random() < 0.6 else None
            lead_unit = (
                unit if reached_assignment and (lead_user is None or rng.random() < 0.7) else None
            )
            if secret and reached_assignment:
                lead_unit, lead_user = None, officer
            to_places = "; ".join(
                str(t) for t in (lead_unit.name if lead_unit else None, lead_user) if t
            )
            docs.add(
                (
                    doc_id, owner.agency.pk, book.pk, numbers[book.pk], arrival,
                    Channel.ELECTRONIC if rng.random() < 0.7 else Channel.PAPER,
                    issuer, "", to_places[:1000], status, "", owner.clerk.pk,
                    leader.pk if presented else None, presented_at,
                    lead_unit.pk if lead_unit else None, lead_user.pk if lead_user else None,
                    assigned_at, 1 if reached_assignment else 0, completed_at,
                    "Đã tham mưu văn bản trả lời." if completed_at else "",
                    _weighted(rng, type_items), str(rng.randint(1, 4999)),
                    rng.choice(NOTATIONS), issued, "Bắc Giang", _subject(rng), "", "",
                    position, _person(rng), urgency, Secrecy.SECRET if secret else Secrecy.NONE,
                    rng.randint(1, 12), due, arrival, completed_at or assigned_at or arrival,
                )
            )  # fmt: skip
            # The legal trail.
            trail: list[tuple] = [
                (StepKind.REGISTERED, "", owner.clerk.pk, None, None, None, "", 0, arrival)
            ]
            if presented:
                trail.append(
                    (
                        StepKind.PRESENTED,
                        "",
                        owner.clerk.pk,
                        None,
                        leader.pk,
                        None,
                        "",
                        0,
                        presented_at,
                    )
                )
            if status == IncomingStatus.RETURNED:
                trail.append(
                    (
                        StepKind.RETURNED,
                        "",
                        leader.pk,
                        None,
                        None,
                        None,
                        "Trả lại văn thư để bổ sung.",
                        0,
                        presented_at,
                    )
                )
            if status == IncomingStatus.REFUSED:
                trail.append(
                    (
                        StepKind.REFUSED,
                        "",
                        owner.clerk.pk,
                        None,
                        None,
                        None,
                        "Không thuộc thẩm quyền.",
                        0,
                        arrival,
                    )
                )
            if reached_assignment:
                instruction = "Giao chủ trì tham mưu, báo cáo trước hạn."
                if lead_unit:
                    trail.append(
                        (
                            StepKind.ASSIGNED,
                            AssignmentRole.LEAD,
                            leader.pk,
                            lead_unit.pk,
                            None,
                            due,
                            instruction,
                            1,
                            assigned_at,
                        )
                    )
                if lead_user:
                    trail.append(
                        (
                            StepKind.ASSIGNED,
                            AssignmentRole.LEAD,
                            leader.pk,
                            None,
                            lead_user.pk,
                            due,
                            instruction,
                            1,
                            assigned_at,
                        )
                    )
                target_total = rng.randint(3, 15)
                extra = max(
                    0,
                    target_total
                    - len(trail)
                    - (status == IncomingStatus.IN_PROGRESS)
                    - 2 * (status == IncomingStatus.DONE),
                )
                co = min(extra, rng.choice((0, 0, 1, 2)))
                for _k in range(co):
                    other = owner.units[rng.randrange(len(owner.units))]
                    trail.append(
                        (
                            StepKind.ASSIGNED,
                            AssignmentRole.CO_HANDLER,
                            leader.pk,
                            None if secret else other.pk,
                            rng.choice(owner.officers[other.pk]).pk if secret else None,
                            due,
                            instruction,
                            1,
                            assigned_at,
                        )
                    )
                extra -= co
                if status in (IncomingStatus.IN_PROGRESS, IncomingStatus.DONE):
                    started_at = assigned_at + dt.timedelta(hours=1)
                    trail.append(
                        (StepKind.STARTED, "", officer.pk, None, None, None, "", 1, started_at)
                    )
                    end = completed_at or now
                    for k in range(extra):
                        when = started_at + (end - started_at) * (k + 1) / (extra + 2)
                        actor = officer if k % 2 == 0 else owner.unit_leaders[unit.pk]
                        trail.append(
                            (
                                StepKind.OPINION,
                                "",
                                actor.pk,
                                None,
                                None,
                                None,
                                rng.choice(OPINIONS),
                                1,
                                when,
                            )
                        )
                    if completed_at:
                        trail.append(
                            (
                                StepKind.DONE,
                                "",
                                officer.pk,
                                None,
                                None,
                                None,
                                "Đã tham mưu văn bản trả lời.",
                                1,
                                completed_at,
                            )
                        )
                else:
                    for _k in range(extra):
                        trail.append(
                            (
                                StepKind.ASSIGNED,
                                AssignmentRole.FOR_INFO,
                                leader.pk,
                                None,
                                rng.choice(
                                    owner.officers[owner.units[rng.randrange(len(owner.units))].pk]
                                ).pk,
                                None,
                                instruction,
                                1,
                                assigned_at,
                            )
                        )
            for step in trail:
                steps.add((step_id, doc_id, *step))
                step_id += 1
            if secret:
                people = {owner.clerk.pk: owner.clerk.pk}
                for step in trail:
                    for person in (step[4],):  # user_id of the step
                        if person:
                            people[person] = owner.clerk.pk
                if presented:
                    people[leader.pk] = owner.clerk.pk
                for person in people:
                    grants.add((grant_id, doc_id, person, owner.clerk.pk, arrival))
                    grant_id += 1
            if owner is hot and presented:
                report.hot_items += 1
            doc_id += 1
            if len(docs.buffer) >= CHUNK:
                flush()
        if docs.buffer:
            flush()
        for book in books.values():
            RegisterBook.objects.filter(pk=book.pk).update(last_number=numbers[book.pk])
            report.books[book.pk] = numbers[book.pk]
        reset_sequences([IncomingDocument, HandlingStep, SecrecyGrant])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (IncomingDocument, HandlingStep, SecrecyGrant):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    report.documents = docs.written
    report.steps = steps.written
    report.grants = grants.written
    report.hot_leader = hot_leader
    report.seconds = time.monotonic() - started
    return report
