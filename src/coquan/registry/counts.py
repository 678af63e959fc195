"""Figures computed from the registers for one agency and one year.

The annual report and the indicator formulas read the same facts (so the report's "97
licences" is the register's count, not a typed number). ``register_facts`` runs a fixed,
small number of aggregate queries (one per register, grouped), whatever the register size;
``COUNT_SOURCES`` names the facts a formula may use, e.g. ``licences.publishing``.

What counts in year N:
- licences: issued (``issue_date``) in N, grouped by the report group of their type;
- inspections: started in N; their findings (entities) and violations decided in N;
- project appraisals: appraised in N, by field, with the investment sums;
- BTS stations: not dismantled, permitted on or before 31/12/N (or without permit date);
- internet agents: active, registered on or before 31/12/N.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from coquan.registry.choices import (
    AgentStatus,
    BtsStatus,
    LicenceGroup,
    ProjectField,
)

COUNT_SOURCES: dict[str, str] = {
    "licences.issued": _("Licences issued in the year"),
    "licences.publishing": _("Publishing licences issued in the year"),
    "licences.printing": _("Printing licences issued in the year"),
    "licences.telecom": _("Telecom and frequency licences issued in the year"),
    "licences.internet": _("Internet agent registrations issued in the year"),
    "inspections.held": _("Inspections started in the year"),
    "inspections.entities": _("Entities inspected in the year"),
    "inspections.violations": _("Violations decided in the year"),
    "appraisals.total": _("Projects appraised in the year"),
    "appraisals.it": _("IT projects appraised in the year"),
    "appraisals.telecom": _("Telecom projects appraised in the year"),
    "bts.stations": _("BTS stations in the register at the end of the year"),
    "agents.active": _("Active internet agents at the end of the year"),
}


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def register_facts(agency, year: int) -> dict[str, Decimal]:
    """Every fact of ``COUNT_SOURCES`` plus sums used by the report, for ``agency``/``year``.

    Seven aggregate queries in all. Extra keys (not formula sources): ``appraisals.
    investment_before``, ``appraisals.investment_after`` (VND), ``inspections.fines`` (VND).
    """
    from coquan.registry.models import (
        BtsStation,
        Inspection,
        InspectionFinding,
        InternetAgent,
        Licence,
        ProjectAppraisal,
        Violation,
    )

    start, end = year_bounds(year)
    agency_id = getattr(agency, "pk", agency)
    facts: dict[str, Decimal] = {key: Decimal(0) for key in COUNT_SOURCES}

    licences = (
        Licence.objects.filter(agency_id=agency_id, issue_date__range=(start, end))
        .values("licence_type__group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in licences:
        group, count = row["licence_type__group"], Decimal(row["n"])
        facts["licences.issued"] += count
        key = {
            LicenceGroup.PUBLISHING: "licences.publishing",
            LicenceGroup.PRINTING: "licences.printing",
            LicenceGroup.TELECOM: "licences.telecom",
            LicenceGroup.INTERNET: "licences.internet",
        }.get(group)
        if key:
            facts[key] += count

    facts["inspections.held"] = Decimal(
        Inspection.objects.filter(agency_id=agency_id, start_date__range=(start, end)).count()
    )
    facts["inspections.entities"] = Decimal(
        InspectionFinding.objects.filter(
            agency_id=agency_id, inspection__start_date__range=(start, end)
        ).count()
    )
    violations = Violation.objects.filter(
        agency_id=agency_id, decided_on__range=(start, end)
    ).aggregate(n=Count("pk"), fines=Sum("fine_amount"))
    facts["inspections.violations"] = Decimal(violations["n"])
    facts["inspections.fines"] = Decimal(violations["fines"] or 0)

    facts["appraisals.investment_before"] = Decimal(0)
    facts["appraisals.investment_after"] = Decimal(0)
    appraisals = (
        ProjectAppraisal.objects.filter(agency_id=agency_id, appraised_on__range=(start, end))
        .values("field")
        .annotate(n=Count("pk"), before=Sum("investment_before"), after=Sum("investment_after"))
        .order_by()
    )
    for row in appraisals:
        count = Decimal(row["n"])
        facts["appraisals.total"] += count
        if row["field"] == ProjectField.IT:
            facts["appraisals.it"] += count
        elif row["field"] == ProjectField.TELECOM:
            facts["appraisals.telecom"] += count
        facts["appraisals.investment_before"] += Decimal(row["before"] or 0)
        facts["appraisals.investment_after"] += Decimal(row["after"] or 0)

    facts["bts.stations"] = Decimal(
        BtsStation.objects.filter(agency_id=agency_id)
        .exclude(status=BtsStatus.DISMANTLED)
        .filter(Q(permit_date__isnull=True) | Q(permit_date__lte=end))
        .count()
    )
    facts["agents.active"] = Decimal(
        InternetAgent.objects.filter(
            agency_id=agency_id, status=AgentStatus.ACTIVE, registered_on__lte=end
        ).count()
    )
    return facts
