"""``coquan registry_seed_demo``: the seed's 2008 figures as registry demo data (idempotent).

The Department of Information and Communications of Bắc Giang (organ_id 000.00.14.H06,
created by ``coquan seed_demo``, which this command runs first when the agency is missing)
reported for 2008: 274 LANs, 8 WANs, about 30,000 computers, 231 postal service points of
which 46 post offices, 950,000 telephone subscribers for 1.616 million inhabitants (58.8 per
100), revenue 806.7 billion VND — 46.7 % above plan — of which postal 40 and telecom 766.7
billion, 97 publishing licences, 8 inspections and 11 appraised projects (5 IT, 6 telecom,
about 2.2 billion VND before appraisal). Register rows are created through the registry
actions so that the report's counts come from the registers. The revenue plan is not in the
seed; it is chosen so that revenue is 46.7 % above it: 806.7 / 1.467 ≈ 549.9 billion VND.

Running it again creates nothing twice and writes no audit entry for unchanged data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from coquan.registry import actions
from coquan.registry.choices import AppraisalOutcome, BtsStatus, BtsType, EntityKind
from coquan.registry.demo_data import (
    AGENTS,
    APPRAISALS,
    BTS_STATIONS,
    DEMO_AGENCY,
    DEMO_EDITOR,
    INDICATORS_2007,
    INDICATORS_2008,
    INSPECTIONS,
    PLAN_2009,
    publishing_licences,
)


class Command(BaseCommand):
    help = "Load the seed's 2008 figures into the registry of the demo Department (idempotent)."

    def handle(self, *args, **options):
        from coquan.org.models import Agency

        if not Agency.objects.filter(organ_id=DEMO_AGENCY).exists():
            call_command("seed_demo", quiet_logins=True, stdout=self.stdout)
        agency = Agency.objects.filter(organ_id=DEMO_AGENCY).first()
        if agency is None:
            raise CommandError(f"The demo agency {DEMO_AGENCY} does not exist.")
        actor = self._editor(agency)
        counts = {
            "licences": self._licences(actor, agency),
            "inspections": self._inspections(actor, agency),
            "appraisals": self._appraisals(actor, agency),
            "bts": self._bts(actor, agency),
            "agents": self._agents(actor, agency),
            "indicator values": self._indicators(actor, agency),
            "plans": self._plan(actor, agency),
        }
        created = ", ".join(f"{name}: {n}" for name, n in counts.items())
        self.stdout.write(f"Registry demo data for {agency.name} — created/changed {created}.")

    def _editor(self, agency):
        from django.contrib.auth import get_user_model

        from coquan.registry.permissions import can_edit

        user = get_user_model().objects.filter(username=DEMO_EDITOR).first()
        if user is None or not can_edit(user, agency):
            raise CommandError(f"The demo officer {DEMO_EDITOR!r} cannot edit the registry.")
        return user

    def _licences(self, actor, agency) -> int:
        from coquan.registry.models import Licence, LicenceType

        types = {t.code: t for t in LicenceType.objects.all()}
        existing = set(
            Licence.objects.filter(agency=agency).values_list("licence_type__code", "number")
        )
        created = 0
        for row in publishing_licences():
            if (row["type"], row["number"]) in existing:
                continue
            actions.issue_licence(
                actor,
                agency=agency,
                licence_type=types[row["type"]],
                number=row["number"],
                holder_kind=row.get("holder_kind", "org"),
                holder_name=row["holder"],
                holder_id_number=row.get("holder_id", ""),
                issue_date=row["issued"],
                expiry_date=row.get("expires"),
                extra=row["extra"],
                outgoing_document_ref=row.get("document", ""),
            )
            created += 1
        return created

    def _inspections(self, actor, agency) -> int:
        from coquan.registry.models import Inspection

        created = 0
        for row in INSPECTIONS:
            if Inspection.objects.filter(
                agency=agency, subject=row["subject"], start_date=row["start"]
            ).exists():
                continue
            inspection = actions.plan_inspection(
                actor,
                agency=agency,
                subject=row["subject"],
                scope=row["scope"],
                decision_ref=row["decision"],
                team="Thanh tra Sở\nPhòng Bưu chính, Viễn thông",
                start_date=row["start"],
                end_date=row["start"] + dt.timedelta(days=row["days"]),
            )
            for entity, finding, violation in row["findings"]:
                found = actions.record_finding(
                    actor,
                    inspection=inspection,
                    entity_kind=row.get("entity_kind", EntityKind.INTERNET_AGENT),
                    entity_name=entity,
                    finding=finding,
                )
                if violation:
                    actions.record_violation(
                        actor,
                        finding=found,
                        description=violation["description"],
                        legal_basis=violation["basis"],
                        sanction=violation["sanction"],
                        fine_amount=Decimal(violation["fine"]),
                        decided_on=inspection.end_date,
                        follow_up_days=10,
                    )
            actions.close_inspection(
                actor,
                inspection=inspection,
                closed_on=inspection.end_date,
                conclusion=row["conclusion"],
            )
            created += 1
        return created

    def _appraisals(self, actor, agency) -> int:
        from coquan.registry.models import ProjectAppraisal

        created = 0
        for name, field, before, after, submitted, appraised in APPRAISALS:
            if ProjectAppraisal.objects.filter(agency=agency, name=name).exists():
                continue
            actions.record_appraisal(
                actor,
                agency=agency,
                name=name,
                field=field,
                investor=(
                    "Sở Thông tin và Truyền thông tỉnh Bắc Giang"
                    if field == "it"
                    else "Viễn thông Bắc Giang"
                ),
                investment_before=Decimal(before),
                investment_after=Decimal(after),
                submitted_on=submitted,
                appraised_on=appraised,
                outcome=AppraisalOutcome.APPROVED_WITH_CHANGES
                if after < before
                else AppraisalOutcome.APPROVED,
            )
            created += 1
        return created

    def _bts(self, actor, agency) -> int:
        from coquan.registry.models import BtsStation

        existing = set(BtsStation.objects.filter(agency=agency).values_list("operator", "code"))
        created = 0
        for operator, code, address, commune, lat, lon, kind, height, permit, day in BTS_STATIONS:
            if (operator, code) in existing:
                continue
            actions.create_bts_station(
                actor,
                agency=agency,
                operator=operator,
                code=code,
                address=address,
                commune=commune,
                latitude=Decimal(lat),
                longitude=Decimal(lon),
                station_type=BtsType.TYPE_1 if kind == 1 else BtsType.TYPE_2,
                height_m=Decimal(height),
                permit_number=permit,
                permit_date=day,
                status=BtsStatus.ON_AIR,
            )
            created += 1
        return created

    def _agents(self, actor, agency) -> int:
        from coquan.registry.models import InternetAgent

        existing = set(
            InternetAgent.objects.filter(agency=agency).values_list(
                "registration_number", flat=True
            )
        )
        created = 0
        for row in AGENTS:
            if row["registration_number"] in existing:
                continue
            actions.create_internet_agent(actor, agency=agency, **row)
            created += 1
        return created

    def _indicators(self, actor, agency) -> int:
        from coquan.registry.models import IndicatorValue

        changed = 0
        for year, values in ((2007, INDICATORS_2007), (2008, INDICATORS_2008)):
            stored = dict(
                IndicatorValue.objects.filter(
                    agency=agency, year=year, area__isnull=True, indicator__code__in=list(values)
                ).values_list("indicator__code", "value")
            )
            wanted = {code: Decimal(v) for code, v in values.items()}
            if all(stored.get(code) == value for code, value in wanted.items()):
                continue
            changed += len(
                actions.set_indicator_values(actor, agency=agency, year=year, values=wanted)
            )
        return changed

    def _plan(self, actor, agency) -> int:
        from coquan.registry.models import AnnualPlan

        if AnnualPlan.objects.filter(agency=agency, year=2009).exists():
            return 0
        actions.save_annual_plan(actor, agency=agency, year=2009, items="\n".join(PLAN_2009))
        return 1
