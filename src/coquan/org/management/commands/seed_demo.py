"""``coquan seed_demo``: the province of the seed document, with staff for every role.

Bắc Giang as its Department of Information and Communications planned it in 2009: the
provincial People's Committee, the Department (Sở TT&TT) with its five units, a few other
departments, the ten districts/city of 2009 and some communes. The ``organ_id`` values are
illustrative (the real H-code table is unconfirmed, standards §1.2). Idempotent: running it
again changes nothing and creates nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction

from coquan.accounts.models import User
from coquan.audit import services as audit
from coquan.org.choices import AgencyLevel
from coquan.org.models import Agency, Membership, Position, Role, Unit

DEMO_PASSWORD = "CoQuan@2026"  # noqa: S105 — published demo password, printed by `make run`
PROVINCE = "000.00.00.H06"

DEPARTMENTS = [
    ("000.00.01.H06", "Văn phòng UBND tỉnh Bắc Giang", "VP"),
    ("000.00.02.H06", "Sở Nội vụ tỉnh Bắc Giang", "SNV"),
    ("000.00.03.H06", "Sở Tài chính tỉnh Bắc Giang", "STC"),
    ("000.00.04.H06", "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang", "SKHĐT"),
    ("000.00.14.H06", "Sở Thông tin và Truyền thông tỉnh Bắc Giang", "STTTT"),
]
DOIC = "000.00.14.H06"
DOIC_UNITS = [
    ("VP", "Văn phòng Sở"),
    ("TTRA", "Thanh tra Sở"),
    ("CNTT", "Phòng Công nghệ thông tin"),
    ("BCVT", "Phòng Bưu chính, Viễn thông"),
    ("BCXB", "Phòng Báo chí, Xuất bản"),
]
DISTRICTS = [
    ("000.00.31.H06", "UBND thành phố Bắc Giang", "UBND"),
    ("000.00.32.H06", "UBND huyện Yên Thế", "UBND"),
    ("000.00.33.H06", "UBND huyện Tân Yên", "UBND"),
    ("000.00.34.H06", "UBND huyện Lạng Giang", "UBND"),
    ("000.00.35.H06", "UBND huyện Lục Nam", "UBND"),
    ("000.00.36.H06", "UBND huyện Lục Ngạn", "UBND"),
    ("000.00.37.H06", "UBND huyện Sơn Động", "UBND"),
    ("000.00.38.H06", "UBND huyện Yên Dũng", "UBND"),
    ("000.00.39.H06", "UBND huyện Việt Yên", "UBND"),
    ("000.00.40.H06", "UBND huyện Hiệp Hòa", "UBND"),
]
COMMUNES = [
    ("000.01.31.H06", "UBND phường Trần Phú", "000.00.31.H06"),
    ("000.02.31.H06", "UBND phường Hoàng Văn Thụ", "000.00.31.H06"),
    ("000.01.34.H06", "UBND xã Xuân Hương", "000.00.34.H06"),
    ("000.01.36.H06", "UBND xã Phượng Sơn", "000.00.36.H06"),
    ("000.01.40.H06", "UBND xã Đức Thắng", "000.00.40.H06"),
]
POSITIONS = [
    ("Giám đốc", 10),
    ("Phó Giám đốc", 20),
    ("Chánh Văn phòng", 30),
    ("Trưởng phòng", 40),
    ("Phó Trưởng phòng", 50),
    ("Chuyên viên", 60),
    ("Văn thư", 70),
]
# username, full name, unit code, position, roles
DOIC_STAFF = [
    ("quantri", "Nguyễn Thị Hồng Nhung", "VP", "Chuyên viên", ["admin"]),
    ("vanthu", "Trần Thị Thu Hà", "VP", "Văn thư", ["clerk"]),
    ("giamdoc", "Đặng Đình Quảng", None, "Giám đốc", ["leader"]),
    ("truongphong", "Lê Văn Đức", "CNTT", "Trưởng phòng", ["unit_leader"]),
    ("chuyenvien", "Phạm Thị Ngọc Ánh", "CNTT", "Chuyên viên", ["officer"]),
    ("motcua", "Hoàng Văn Dũng", "VP", "Chuyên viên", ["desk_officer"]),
]


class Command(BaseCommand):
    help = "Create the Bắc Giang demo province with staff for every role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        province, new = Agency.objects.get_or_create(
            organ_id=PROVINCE,
            defaults={
                "name": "UBND tỉnh Bắc Giang",
                "short_name": "UBND",
                "level": AgencyLevel.PROVINCE,
                "address": "Số 82 đường Hùng Vương, TP Bắc Giang, tỉnh Bắc Giang",
                "email": "ubnd@bacgiang.gov.vn",
                "telephone": "0204 3854 125",
                "website": "https://bacgiang.gov.vn",
            },
        )
        created += new
        agencies = {PROVINCE: province}
        for organ_id, name, short in DEPARTMENTS:
            agencies[organ_id], new = Agency.objects.get_or_create(
                organ_id=organ_id,
                defaults={
                    "name": name,
                    "short_name": short,
                    "level": AgencyLevel.DEPARTMENT,
                    "parent": province,
                    "address": "TP Bắc Giang, tỉnh Bắc Giang",
                },
            )
            created += new
        for organ_id, name, short in DISTRICTS:
            agencies[organ_id], new = Agency.objects.get_or_create(
                organ_id=organ_id,
                defaults={
                    "name": name,
                    "short_name": short,
                    "level": AgencyLevel.DISTRICT,
                    "parent": province,
                },
            )
            created += new
        for organ_id, name, parent in COMMUNES:
            agencies[organ_id], new = Agency.objects.get_or_create(
                organ_id=organ_id,
                defaults={
                    "name": name,
                    "short_name": "UBND",
                    "level": AgencyLevel.COMMUNE,
                    "parent": agencies[parent],
                },
            )
            created += new

        doic = agencies[DOIC]
        units = {}
        for code, name in DOIC_UNITS:
            units[code], new = Unit.objects.get_or_create(
                agency=doic, code=code, defaults={"name": name}
            )
            created += new
        positions = {}
        for agency in (doic, province):
            for name, rank in POSITIONS:
                positions[(agency.pk, name)], new = Position.objects.get_or_create(
                    agency=agency, name=name, defaults={"rank": rank}
                )
                created += new

        logins = []
        for username, full_name, unit_code, position, roles in DOIC_STAFF:
            user, new = self._user(username, full_name)
            created += new
            membership, new = Membership.objects.get_or_create(
                user=user,
                agency=doic,
                unit=units.get(unit_code),
                start_date=dt.date(2020, 1, 1),
                defaults={"position": positions[(doic.pk, position)]},
            )
            created += new
            membership.roles.add(*Role.objects.filter(code__in=roles))
            logins.append((username, ", ".join(roles), doic.short_name))

        # A leader of the province's office who also works in the Department: two agencies.
        user, new = self._user("lanhdaotinh", "Vũ Minh Tuấn")
        created += new
        for agency, roles in ((province, ["leader"]), (doic, ["officer"])):
            membership, new = Membership.objects.get_or_create(
                user=user,
                agency=agency,
                unit=None,
                start_date=dt.date(2020, 1, 1),
                defaults={
                    "position": positions[(agency.pk, "Phó Giám đốc")] if agency == doic else None
                },
            )
            created += new
            membership.roles.add(*Role.objects.filter(code__in=roles))
        logins.append(("lanhdaotinh", "leader (UBND), officer (STTTT)", "UBND + STTTT"))

        superuser, new = User.objects.get_or_create(
            username="admin",
            defaults={
                "full_name": "Quản trị hệ thống",
                "is_superuser": True,
                "is_staff": True,
                "email": "admin@example.gov.vn",
            },
        )
        if new:
            superuser.set_password(DEMO_PASSWORD)
            superuser.save()
            created += 1
        logins.insert(0, ("admin", "superuser (deployment administrator)", "—"))

        if created:
            audit.append(action="demo.seed", summary=f"demo data: {created} rows created")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({created} new rows; {len(agencies)} agencies).")
        )
        if not options["quiet_logins"]:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for username, roles, agency in logins:
                self.stdout.write(f"  {username:<12} {roles:<40} {agency}")

    def _user(self, username: str, full_name: str):
        user, new = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "email": f"{username}@bacgiang.gov.vn"},
        )
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user, new
