"""``coquan onestop_gen_data --dossiers N``: a generated province full of one-stop dossiers,
for benchmarks and for trying the reports with realistic volumes.

It creates (once) a province ``000.00.00.H99`` with departments and communes under it
(``Agency.parent``), each with a small published catalogue (limits of 3 to 15 working
days, three steps) and a desk officer, plus a province leader (``gen_lanhdao``) who opens
the province-level report. Then it writes ``N`` accepted dossiers (and about 5 % more
refused at the desk) spread over a year (``--year``, default last year, plus the last month
of the year before so that dossiers are carried over), weighted towards the departments,
on working hours of working days, with the channels (about 45 % online, 50 % at the
desk, 5 % by post) and the outcomes seen in provinces (about 80 % resolved — early 60 %,
on time 25 %, late 15 % — the rest in progress, waiting for a supplement or stopped).

Appointments use the real working-day calendar (the rule of ``deadlines.due_after`` on
the calendar read once, cached per day and limit, so the Tết week and the 15:00 cut-off
apply) and the stored timeliness is
``deadlines.classify`` of the result time against it: the data obey the same rules as
dossiers received through the actions. The actions themselves are not used (one audit
entry and several rows per dossier would take hours for 10^6): rows are written with
``bulk_create`` in chunks (``--chunk``, default 5000) so memory stays bounded, and the
daily code counters are written at the end. Deterministic for a ``--seed``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries, transaction
from django.utils import timezone

from coquan.accounts.models import User
from coquan.onestop import deadlines
from coquan.onestop.choices import (
    ApplicantType,
    Channel,
    DossierStatus,
    ProcedureState,
)
from coquan.onestop.models import (
    Dossier,
    DossierCounter,
    Procedure,
    ProcedureComponent,
    ProcedureStep,
)
from coquan.org.models import Agency, Membership, Position, Role, Unit
from coquan.workdays.calendar import current_calendar

PROVINCE = "000.00.00.H99"
DEPARTMENTS = 12
COMMUNES = 24
CATALOGUE = (
    # code, name, sector, limit (working days), weight
    ("1.005129", "Cấp phép xây dựng công trình trạm BTS", "VT", 10, 4),
    ("1.003554", "Cấp giấy phép hoạt động in", "XB", 7, 2),
    ("1.004001", "Đăng ký đại lý Internet", "VT", 5, 3),
    ("2.000815", "Cấp giấy phép xuất bản bản tin", "BC", 15, 1),
    ("2.001234", "Chứng thực bản sao từ bản chính", "TP", 3, 6),
)


class Command(BaseCommand):
    help = "Generate a province of one-stop dossiers (bulk, chunked) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True, help="accepted dossiers")
        parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
        parser.add_argument("--chunk", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        total, year, chunk = options["dossiers"], options["year"], options["chunk"]
        if total < 1 or chunk < 1:
            raise CommandError("--dossiers and --chunk must be positive.")
        rng = random.Random(options["seed"])  # noqa: S311 (test data, not secrets)
        started = time.perf_counter()
        with transaction.atomic():
            world = self._world()
        self.stdout.write(f"{len(world)} agencies ready; writing {total} dossiers…")
        generator = _Generator(world, year, rng)
        written = 0
        while written < total:
            size = min(chunk, total - written)
            rows = [generator.dossier() for _ in range(size)]
            rows += [generator.refused() for _ in range(size // 20)]
            with transaction.atomic():
                Dossier.objects.bulk_create(rows, batch_size=2500)
            reset_queries()  # with DEBUG on, Django keeps every statement: keep memory flat
            written += size
            if written % (chunk * 20) == 0 or written == total:
                self.stdout.write(f"  {written} ({time.perf_counter() - started:.0f} s)")
        with transaction.atomic():
            generator.save_counters()
        self.stdout.write(
            self.style.SUCCESS(
                f"{written} dossiers generated in {time.perf_counter() - started:.0f} s."
            )
        )

    def _world(self) -> list[dict]:
        """The province, its agencies, their catalogues and desk officers (idempotent)."""
        province, _ = Agency.objects.get_or_create(
            organ_id=PROVINCE,
            defaults={"name": "UBND tỉnh Thử nghiệm", "short_name": "UBND", "level": "province"},
        )
        agencies = [province]
        for number in range(1, DEPARTMENTS + 1):
            agency, _ = Agency.objects.get_or_create(
                organ_id=f"000.00.{number:02d}.H99",
                defaults={
                    "name": f"Sở số {number}",
                    "short_name": f"S{number}",
                    "level": "department",
                    "parent": province,
                },
            )
            agencies.append(agency)
        for number in range(1, COMMUNES + 1):
            agency, _ = Agency.objects.get_or_create(
                organ_id=f"{number:03d}.00.31.H99",
                defaults={
                    "name": f"UBND xã số {number}",
                    "short_name": f"X{number}",
                    "level": "commune",
                    "parent": province,
                },
            )
            agencies.append(agency)
        leader = _person("gen_lanhdao", "Lãnh đạo tỉnh (dữ liệu sinh)")
        _member(leader, province, None, "leader")
        world = []
        for agency in agencies[1:]:
            unit, _ = Unit.objects.get_or_create(
                agency=agency, code="MC", defaults={"name": "Bộ phận một cửa"}
            )
            desk = _person(f"gen_motcua_{agency.short_name.lower()}", f"Một cửa {agency.name}")
            _member(desk, agency, unit, "desk_officer")
            procedures = []
            for code, name, sector, limit, weight in CATALOGUE:
                procedure = Procedure.objects.filter(
                    agency=agency, code=code, state=ProcedureState.PUBLISHED
                ).first()
                if procedure is None:
                    procedure = Procedure.objects.create(
                        agency=agency,
                        code=code,
                        name=name,
                        sector_code=sector,
                        sector_name=sector,
                        level="commune" if agency.level == "commune" else "province",
                        competent_authority=agency.name,
                        time_limit=Decimal(limit),
                        time_unit="working_days",
                        online_level="partial",
                        state=ProcedureState.PUBLISHED,
                        created_by=desk,
                        published_at=timezone.now(),
                        published_by=desk,
                    )
                    ProcedureComponent.objects.create(procedure=procedure, name="Đơn đề nghị")
                    budgets = (limit - limit // 2 - 1 or 1, max(limit // 2, 1), 1)
                    for order, budget in enumerate(budgets, start=1):
                        ProcedureStep.objects.create(
                            procedure=procedure,
                            order=order,
                            name=f"Bước {order}",
                            responsible_unit=unit,
                            time_budget=Decimal(budget),
                        )
                procedures.append((procedure, limit, weight))
            # Departments receive about three times as many dossiers as a commune.
            world.append(
                {
                    "agency": agency,
                    "desk": desk,
                    "procedures": procedures,
                    "weight": 3 if agency.level == "department" else 1,
                }
            )
        return world


def _person(username: str, full_name: str) -> User:
    user, new = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if new:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _member(user, agency, unit, role: str) -> None:
    position, _ = Position.objects.get_or_create(agency=agency, name="Chuyên viên")
    membership, _ = Membership.objects.get_or_create(
        user=user,
        agency=agency,
        unit=unit,
        start_date=dt.date(2020, 1, 1),
        defaults={"position": position},
    )
    membership.roles.add(Role.objects.get_or_create(code=role)[0])


class _Generator:
    """Dossier rows, one at a time, with the counters of the day kept in memory (one int
    per agency and day: bounded)."""

    def __init__(self, world, year: int, rng: random.Random):
        self.world = world
        self.rng = rng
        self.weights = [w["weight"] for w in world]
        self.calendar = calendar = current_calendar()
        self.tz = calendar.tz
        first, last = dt.date(year - 1, 12, 1), dt.date(year, 12, 31)
        self.days = [
            first + dt.timedelta(days=n)
            for n in range((last - first).days + 1)
            if calendar.is_working_day(first + dt.timedelta(days=n))
        ]
        self.now = timezone.now()
        self.end = min(self.now, dt.datetime.combine(last, dt.time(17), tzinfo=self.tz))
        # Continue the day's numbers of an earlier run (one row per agency and day).
        self.counters: dict[tuple[int, dt.date], int] = {
            (agency_id, day): value
            for agency_id, day, value in DossierCounter.objects.filter(
                agency_id__in=[w["agency"].pk for w in world]
            ).values_list("agency_id", "period", "last_value")
        }
        self.due_cache: dict[tuple[int, dt.date, bool], dt.datetime] = {}

    def _pick(self):
        place = self.rng.choices(self.world, weights=self.weights)[0]
        procedure, limit, _weight = self.rng.choices(
            place["procedures"], weights=[p[2] for p in place["procedures"]]
        )[0]
        return place, procedure, limit

    def _moment(self) -> dt.datetime:
        day = self.rng.choice(self.days)
        minutes = self.rng.randrange(7 * 60 + 30, 17 * 60)
        return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=self.tz)

    def _due(self, procedure, limit: int, at: dt.datetime) -> dt.datetime:
        """``deadlines.due_after`` on the calendar read once (the generated procedures have
        no cut-off of their own, so the appointment depends on the day, the side of the
        cut-off and the limit only)."""
        key = (limit, at.date(), at.time() >= dt.time(15))
        if key not in self.due_cache:
            self.due_cache[key] = self.calendar.add_working_days(
                at, Decimal(limit), cutoff=deadlines.cutoff_for(procedure)
            )
        return self.due_cache[key]

    def _base(self, place, procedure, at) -> dict:
        return {
            "agency": place["agency"],
            "procedure": procedure,
            "applicant_type": ApplicantType.PERSON,
            "applicant_name": "Nguyễn Văn An",
            "applicant_id_number": f"0{self.rng.randrange(10**10, 10**11)}",
            "applicant_address": "Tỉnh Thử nghiệm",
            "created_at": at,
            "created_by": place["desk"],
        }

    def refused(self) -> Dossier:
        place, procedure, _limit = self._pick()
        at = self._moment()
        return Dossier(
            **self._base(place, procedure, at),
            status=DossierStatus.NOT_ACCEPTED,
            refusal_reason="Không thuộc thẩm quyền",
        )

    def dossier(self) -> Dossier:
        rng = self.rng
        place, procedure, limit = self._pick()
        at = self._moment()
        agency = place["agency"]
        key = (agency.pk, at.date())
        sequence = self.counters.get(key, 0) + 1
        self.counters[key] = sequence
        due = self._due(procedure, limit, at)
        channel = rng.choices(
            (Channel.ONLINE, Channel.DIRECT, Channel.POSTAL), weights=(45, 50, 5)
        )[0]
        values = self._base(place, procedure, at)
        values.update(
            dossier_code=f"{agency.organ_id}-{at:%y%m%d}-{sequence:04d}",
            sequence=sequence,
            channel=channel,
            received_at=at,
            received_by=place["desk"],
            time_limit_days=Decimal(limit),
            clock_started_at=at,
            due_at=due,
            original_due_at=due,
            status=DossierStatus.IN_PROGRESS,
        )
        outcome = rng.random()
        if outcome < 0.80:
            wanted = rng.choices(("early", "on_time", "late"), weights=(60, 25, 15))[0]
            if wanted == "early":
                done = at + (due - at) * rng.uniform(0.2, 0.8)
                if done.date() == due.date():
                    done -= dt.timedelta(days=1)
            elif wanted == "on_time":
                done = due - dt.timedelta(minutes=rng.randrange(10, 8 * 60))
            else:
                done = due + dt.timedelta(hours=rng.randrange(16, 24 * 10))
            done = max(done, at + dt.timedelta(minutes=30))
            if done <= self.end:
                returned = done + dt.timedelta(hours=rng.randrange(1, 72))
                values.update(
                    result_ready_at=done,
                    timeliness=deadlines.classify(done, due),
                    status=DossierStatus.RESOLVED,
                )
                if returned <= self.end and rng.random() < 0.85:
                    values.update(returned_at=returned, status=DossierStatus.RETURNED)
                return Dossier(**values)
        elif outcome < 0.85:
            paused = at + dt.timedelta(days=rng.uniform(0.5, 3))
            if paused <= self.end:
                values.update(status=DossierStatus.SUPPLEMENT, paused_at=paused, due_at=None)
                return Dossier(**values)
        elif outcome < 0.88:
            stopped = at + dt.timedelta(days=rng.uniform(1, limit))
            if stopped <= self.end:
                values.update(status=DossierStatus.STOPPED, stopped_at=stopped)
                return Dossier(**values)
        return Dossier(**values)

    def save_counters(self) -> None:
        rows = [
            DossierCounter(agency_id=agency_id, period=day, last_value=value)
            for (agency_id, day), value in self.counters.items()
        ]
        DossierCounter.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["agency", "period"],
            update_fields=["last_value"],
        )
