"""``coquan onestop_seed_demo``: the Department's demo procedure catalogue and the staff who
handle it (idempotent: running it again creates nothing twice).

Runs ``seed_demo`` first when the demo province is missing. The four procedures of
``onestop.demo`` are imported and published by the Department's administrator through
``actions.import_catalogue`` (one audit entry); two telecom and two press staff are added
so that the demo permits can go through all their steps. The BTS permit is issued as a
licence: the Department's own document type "Giấy phép" (GP) is added through the documents
actions when missing and set as the procedure's ``licence_document_type`` (a demo database
made before that gets a new published version of the procedure with it).
"""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from coquan.accounts.models import User
from coquan.onestop import actions, catalogue_io
from coquan.onestop.choices import ProcedureState
from coquan.onestop.demo import (
    DEMO_AGENCY,
    DEMO_CATALOGUE,
    DEMO_LICENCE_TYPE,
    DEMO_LICENCES,
    DEMO_STAFF,
)
from coquan.onestop.models import Procedure
from coquan.org.management.commands.seed_demo import DEMO_PASSWORD
from coquan.org.models import Agency, Membership, Position, Role, Unit

ADMIN_USERNAME = "quantri"


class Command(BaseCommand):
    help = "Create the Department's demo one-stop catalogue and staff (idempotent)."

    def handle(self, *args, **options):
        if not Agency.objects.filter(organ_id=DEMO_AGENCY).exists():
            call_command("seed_demo", quiet_logins=True, stdout=self.stdout)
        with transaction.atomic():
            agency = Agency.objects.get(organ_id=DEMO_AGENCY)
            staff = self._staff(agency)
            imported = self._catalogue(agency)
        self.stdout.write(
            self.style.SUCCESS(
                f"One-stop demo ready: {imported} procedure(s) imported, {staff} person(s) added."
            )
        )

    def _staff(self, agency) -> int:
        added = 0
        for username, full_name, unit_code, position_name, roles in DEMO_STAFF:
            user, new = User.objects.get_or_create(
                username=username,
                defaults={"full_name": full_name, "email": f"{username}@bacgiang.gov.vn"},
            )
            if new:
                user.set_password(DEMO_PASSWORD)
                user.save()
                added += 1
            unit = Unit.objects.get(agency=agency, code=unit_code)
            position, _ = Position.objects.get_or_create(agency=agency, name=position_name)
            membership, _ = Membership.objects.get_or_create(
                user=user,
                agency=agency,
                unit=unit,
                start_date=dt.date(2020, 1, 1),
                defaults={"position": position},
            )
            for code in roles:
                Role.objects.get_or_create(code=code)
            membership.roles.add(*Role.objects.filter(code__in=roles))
        return added

    def _licence_type(self, admin, agency) -> None:
        from coquan.documents.actions.types import save_document_type
        from coquan.documents.models import DocumentType

        code, name, abbreviation = DEMO_LICENCE_TYPE
        if not DocumentType.objects.available_to(agency).filter(code=code).exists():
            save_document_type(
                admin, agency=agency, code=code, name=name, abbreviation=abbreviation
            )

    def _catalogue(self, agency) -> int:
        admin = User.objects.get(username=ADMIN_USERNAME)
        self._licence_type(admin, agency)
        procedures = Procedure.objects.filter(agency=agency)
        known = set(procedures.values_list("code", flat=True))
        # A demo database made before the licence: its published version gets a successor.
        known -= {
            code
            for code, licence_type in DEMO_LICENCES.items()
            if not procedures.filter(code=code, state=ProcedureState.DRAFT).exists()
            and not procedures.filter(
                code=code, state=ProcedureState.PUBLISHED, licence_document_type=licence_type
            ).exists()
        }
        wanted = {
            **DEMO_CATALOGUE,
            "procedures": [p for p in DEMO_CATALOGUE["procedures"] if p["code"] not in known],
        }
        if not wanted["procedures"]:
            return 0
        entries = catalogue_io.parse(wanted, agency)
        for entry in entries:
            if entry.get("code") in DEMO_LICENCES:
                entry["licence_document_type"] = DEMO_LICENCES[entry["code"]]
        created = actions.import_catalogue(admin, agency=agency, entries=entries, publish=True)
        return len(created)
