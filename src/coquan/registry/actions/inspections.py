"""Inspections (plan → findings and violations → closure) and project appraisals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.registry.actions.common import (
    UNSET,
    apply_changes,
    full_clean,
    refresh_derived_on_commit,
    snapshot,
)
from coquan.registry.choices import InspectionStatus
from coquan.registry.models import (
    Inspection,
    InspectionFinding,
    ProjectAppraisal,
    Violation,
)
from coquan.registry.permissions import require_editor

INSPECTION_FIELDS = (
    "subject",
    "scope",
    "decision_ref",
    "team",
    "start_date",
    "end_date",
    "status",
    "conclusion",
    "closed_on",
)
EDITABLE_INSPECTION_FIELDS = ("subject", "scope", "decision_ref", "team", "start_date", "end_date")
VIOLATION_FIELDS = (
    "description",
    "legal_basis",
    "sanction",
    "fine_amount",
    "decided_on",
    "follow_up_days",
    "follow_up_due",
    "resolved_on",
    "resolution",
)
APPRAISAL_FIELDS = (
    "name",
    "field",
    "investor",
    "investment_before",
    "investment_after",
    "submitted_on",
    "appraised_on",
    "outcome",
    "notes",
)


def _require_open(inspection: Inspection) -> None:
    if inspection.status == InspectionStatus.CLOSED:
        raise ValidationError(_("This inspection is closed."), code="closed")


@action("registry.inspection.plan", permission=require_editor)
def plan_inspection(
    actor,
    *,
    agency,
    subject: str,
    start_date: dt.date,
    scope: str = "",
    decision_ref: str = "",
    team: str = "",
    end_date: dt.date | None = None,
) -> Inspection:
    """Plan an inspection (subject, scope, decision, team, dates). Who: the agency's
    editors. It counts in the statistics of the year it starts."""
    inspection = Inspection(
        agency=agency,
        subject=(subject or "").strip(),
        scope=scope or "",
        decision_ref=(decision_ref or "").strip(),
        team=team or "",
        start_date=start_date,
        end_date=end_date,
    )
    full_clean(inspection)
    inspection.save()
    describe(
        obj=inspection,
        agency=agency,
        summary=_("Inspection planned: %(subject)s") % {"subject": inspection.subject},
        after=snapshot(inspection, INSPECTION_FIELDS),
    )
    refresh_derived_on_commit(agency, start_date.year)
    return inspection


@action("registry.inspection.update", permission=require_editor)
def update_inspection(actor, *, inspection: Inspection, **changes) -> Inspection:
    """Change the plan of an inspection that is not closed. Who: the agency's editors."""
    _require_open(inspection)
    before = snapshot(inspection, INSPECTION_FIELDS)
    if not apply_changes(inspection, EDITABLE_INSPECTION_FIELDS, changes):
        return inspection
    full_clean(inspection)
    inspection.save()
    describe(
        obj=inspection,
        summary=_("Inspection changed: %(subject)s") % {"subject": inspection.subject},
        before=before,
        after=snapshot(inspection, INSPECTION_FIELDS),
    )
    refresh_derived_on_commit(
        inspection.agency, min(before["start_date"], inspection.start_date).year
    )
    return inspection


@action("registry.inspection.finding", permission=require_editor)
def record_finding(
    actor,
    *,
    inspection: Inspection,
    entity_kind: str,
    entity_name: str,
    finding: str,
    licence=None,
    internet_agent=None,
) -> InspectionFinding:
    """Record what the inspection found at one entity, optionally linked to its licence or
    internet-agent registration (of the same agency). A planned inspection is then in
    progress. Who: the agency's editors."""
    _require_open(inspection)
    for name, linked in (("licence", licence), ("internet_agent", internet_agent)):
        if linked is not None and linked.agency_id != inspection.agency_id:
            raise ValidationError({name: _("Choose a record of the same agency.")})
    row = InspectionFinding(
        agency_id=inspection.agency_id,
        inspection=inspection,
        entity_kind=entity_kind,
        entity_name=(entity_name or "").strip(),
        finding=finding or "",
        licence=licence,
        internet_agent=internet_agent,
    )
    full_clean(row, exclude=("agency",))
    row.save()
    if inspection.status == InspectionStatus.PLANNED:
        inspection.status = InspectionStatus.IN_PROGRESS
        inspection.save(update_fields=["status"])
    describe(
        obj=row,
        agency=inspection.agency,
        summary=_("Finding recorded at %(entity)s") % {"entity": row.entity_name},
        after={"entity_kind": row.entity_kind, "entity_name": row.entity_name},
    )
    refresh_derived_on_commit(inspection.agency, inspection.start_date.year)
    return row


def _follow_up_due(decided_on: dt.date, days: int | None) -> dt.date | None:
    if not days:
        return None
    from coquan.workdays.calendar import add_working_days_to_date

    try:
        return add_working_days_to_date(decided_on, days)
    except ValueError:  # outside the years the working-day calendar covers
        raise ValidationError(
            {"decided_on": _("The working-day calendar does not cover this date.")}
        ) from None


@action("registry.inspection.violation", permission=require_editor)
def record_violation(
    actor,
    *,
    finding: InspectionFinding,
    description: str,
    legal_basis: str,
    decided_on: dt.date,
    sanction: str = "",
    fine_amount: Decimal | None = None,
    follow_up_days: int | None = None,
) -> Violation:
    """Record a violation found at an entity: legal basis, sanction, fine and a follow-up
    period in working days; the due date is computed with the working-day calendar
    (``coquan.workdays``: holidays and make-up days). Who: the agency's editors."""
    _require_open(finding.inspection)
    violation = Violation(
        agency_id=finding.agency_id,
        finding=finding,
        description=description or "",
        legal_basis=(legal_basis or "").strip(),
        sanction=(sanction or "").strip(),
        fine_amount=fine_amount,
        decided_on=decided_on,
        follow_up_days=follow_up_days,
    )
    full_clean(violation, exclude=("agency",))
    violation.follow_up_due = _follow_up_due(decided_on, follow_up_days)
    violation.save()
    describe(
        obj=violation,
        agency=finding.inspection.agency,
        summary=_("Violation recorded at %(entity)s") % {"entity": finding.entity_name},
        after=snapshot(violation, VIOLATION_FIELDS),
    )
    refresh_derived_on_commit(finding.inspection.agency, decided_on.year)
    return violation


@action("registry.inspection.resolve", permission=require_editor)
def resolve_violation(
    actor, *, violation: Violation, resolved_on: dt.date, resolution: str = ""
) -> Violation:
    """Record that the entity remedied a violation (follow-up done). Who: the agency's
    editors. The date may not precede the decision."""
    if violation.resolved_on is not None:
        raise ValidationError(_("This violation is already resolved."), code="resolved")
    if resolved_on < violation.decided_on:
        raise ValidationError({"resolved_on": _("The date is before the decision.")})
    before = snapshot(violation, VIOLATION_FIELDS)
    violation.resolved_on, violation.resolution = resolved_on, resolution or ""
    violation.save(update_fields=["resolved_on", "resolution"])
    describe(
        obj=violation,
        agency=violation.finding.inspection.agency,
        summary=_("Violation resolved"),
        before=before,
        after=snapshot(violation, VIOLATION_FIELDS),
    )
    return violation


@action("registry.inspection.close", permission=require_editor)
def close_inspection(
    actor, *, inspection: Inspection, closed_on: dt.date, conclusion: str
) -> Inspection:
    """Close an inspection with its conclusion. Who: the agency's editors. Open follow-ups
    of its violations stay open until resolved."""
    _require_open(inspection)
    if not (conclusion or "").strip():
        raise ValidationError({"conclusion": _("Write the conclusion of the inspection.")})
    if closed_on < inspection.start_date:
        raise ValidationError({"closed_on": _("The date is before the start of the inspection.")})
    before = snapshot(inspection, INSPECTION_FIELDS)
    inspection.status = InspectionStatus.CLOSED
    inspection.closed_on = closed_on
    inspection.conclusion = conclusion.strip()
    if inspection.end_date is None:
        inspection.end_date = closed_on
    inspection.save()
    describe(
        obj=inspection,
        summary=_("Inspection closed: %(subject)s") % {"subject": inspection.subject},
        before=before,
        after=snapshot(inspection, INSPECTION_FIELDS),
    )
    return inspection


# --- Project appraisals ------------------------------------------------------------------------


@action("registry.appraisal.record", permission=require_editor)
def record_appraisal(actor, *, agency, **fields) -> ProjectAppraisal:
    """Record an IT or telecom project submitted for appraisal (and its outcome when known).
    Who: the agency's editors. Rules: the appraisal date is not before the submission;
    investment amounts are not negative."""
    appraisal = ProjectAppraisal(agency=agency, **fields)
    full_clean(appraisal)
    appraisal.save()
    describe(
        obj=appraisal,
        agency=agency,
        summary=_("Project appraisal recorded: %(name)s") % {"name": appraisal.name},
        after=snapshot(appraisal, APPRAISAL_FIELDS),
    )
    if appraisal.appraised_on:
        refresh_derived_on_commit(agency, appraisal.appraised_on.year)
    return appraisal


@action("registry.appraisal.update", permission=require_editor)
def update_appraisal(actor, *, appraisal: ProjectAppraisal, **changes) -> ProjectAppraisal:
    """Change an appraisal (outcome, investment after appraisal, dates). Who: the agency's
    editors. Same rules as ``record_appraisal``."""
    before = snapshot(appraisal, APPRAISAL_FIELDS)
    changes = {k: v for k, v in changes.items() if v is not UNSET}
    if not apply_changes(appraisal, APPRAISAL_FIELDS, changes):
        return appraisal
    full_clean(appraisal)
    appraisal.save()
    describe(
        obj=appraisal,
        summary=_("Project appraisal changed: %(name)s") % {"name": appraisal.name},
        before=before,
        after=snapshot(appraisal, APPRAISAL_FIELDS),
    )
    years = [d.year for d in (before["appraised_on"], appraisal.appraised_on) if d]
    if years:
        refresh_derived_on_commit(appraisal.agency, min(years))
    return appraisal
