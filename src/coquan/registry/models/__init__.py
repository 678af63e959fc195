"""Models of the sector registry (DESIGN.md §1 item 4; the seed's "shared databases")."""

from coquan.registry.models.indicators import (
    AnnualPlan,
    Indicator,
    IndicatorValue,
    IndicatorValueRevision,
)
from coquan.registry.models.inspections import (
    Inspection,
    InspectionFinding,
    ProjectAppraisal,
    Violation,
)
from coquan.registry.models.licences import Licence, LicenceEvent, LicenceReminder, LicenceType
from coquan.registry.models.registers import BtsStation, InternetAgent

__all__ = [
    "AnnualPlan",
    "BtsStation",
    "Indicator",
    "IndicatorValue",
    "IndicatorValueRevision",
    "Inspection",
    "InspectionFinding",
    "InternetAgent",
    "Licence",
    "LicenceEvent",
    "LicenceReminder",
    "LicenceType",
    "ProjectAppraisal",
    "Violation",
]
