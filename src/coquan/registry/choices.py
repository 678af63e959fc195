"""Fixed value lists of the sector registry (statuses, kinds, fields)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HolderKind(models.TextChoices):
    """Who holds a licence: an organisation (public) or a person (personal data)."""

    ORGANISATION = "org", _("Organisation")
    PERSON = "person", _("Individual")


class LicenceStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("licence status", "Valid")
    SUSPENDED = "suspended", pgettext_lazy("licence status", "Suspended")
    REVOKED = "revoked", pgettext_lazy("licence status", "Revoked")
    EXPIRED = "expired", pgettext_lazy("licence status", "Expired")


class LicenceEventKind(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("licence event", "Issued")
    AMENDED = "amended", pgettext_lazy("licence event", "Amended")
    RENEWED = "renewed", pgettext_lazy("licence event", "Renewed")
    SUSPENDED = "suspended", pgettext_lazy("licence event", "Suspended")
    REINSTATED = "reinstated", pgettext_lazy("licence event", "Reinstated")
    REVOKED = "revoked", pgettext_lazy("licence event", "Revoked")
    EXPIRED = "expired", pgettext_lazy("licence event", "Expired")


class LicenceGroup(models.TextChoices):
    """The report section a licence type counts in (the seed's structure)."""

    PUBLISHING = "publishing", _("Publishing (bulletins, non-business publications)")
    PRINTING = "printing", _("Printing")
    TELECOM = "telecom", _("Telecommunications and radio frequencies")
    INTERNET = "internet", _("Internet")


class ExtraFieldType(models.TextChoices):
    """Types of the extra fields a licence type declares (``LicenceType.field_schema``)."""

    TEXT = "text", pgettext_lazy("field type", "Text")
    INTEGER = "integer", pgettext_lazy("field type", "Whole number")
    DECIMAL = "decimal", pgettext_lazy("field type", "Number")
    DATE = "date", pgettext_lazy("field type", "Date")
    CHOICE = "choice", pgettext_lazy("field type", "Choice")


class BtsType(models.TextChoices):
    """Joint Circular 12/2007/TTLT: type 1 on the ground, type 2 on an existing building."""

    TYPE_1 = "type1", _("Type 1 (tower on the ground)")
    TYPE_2 = "type2", _("Type 2 (mast on a building)")


class BtsStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("bts status", "Planned")
    PERMITTED = "permitted", pgettext_lazy("bts status", "Permitted")
    ON_AIR = "on_air", pgettext_lazy("bts status", "On air")
    DISMANTLED = "dismantled", pgettext_lazy("bts status", "Dismantled")


class AgentStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("agent status", "Active")
    SUSPENDED = "suspended", pgettext_lazy("agent status", "Suspended")
    CLOSED = "closed", pgettext_lazy("agent status", "Closed")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("inspection status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("inspection status", "In progress")
    CLOSED = "closed", pgettext_lazy("inspection status", "Closed")


class EntityKind(models.TextChoices):
    """What kind of entity an inspection finding is about."""

    INTERNET_AGENT = "internet_agent", _("Internet agent")
    TELECOM_BUSINESS = "telecom_business", _("Telecom business")
    POSTAL_BUSINESS = "postal_business", _("Postal business")
    PUBLISHER = "publisher", _("Press or publishing organisation")
    OTHER = "other", pgettext_lazy("entity kind", "Other")


class ProjectField(models.TextChoices):
    IT = "it", _("Information technology")
    TELECOM = "telecom", _("Telecommunications")


class AppraisalOutcome(models.TextChoices):
    PENDING = "pending", pgettext_lazy("appraisal outcome", "Pending")
    APPROVED = "approved", pgettext_lazy("appraisal outcome", "Approved")
    APPROVED_WITH_CHANGES = "changed", _("Approved with changes")
    REJECTED = "rejected", pgettext_lazy("appraisal outcome", "Rejected")


class IndicatorKind(models.TextChoices):
    ENTERED = "entered", pgettext_lazy("indicator kind", "Entered")
    FORMULA = "formula", pgettext_lazy("indicator kind", "Formula")


class IndicatorPeriod(models.TextChoices):
    YEAR = "year", pgettext_lazy("indicator period", "Year")


class ReportSection(models.TextChoices):
    """The sections of the annual report, in the seed's order."""

    IT = "it", _("Information technology")
    TELECOM = "telecom", _("Post and telecommunications")
    PRESS = "press", _("Press and publishing")
    APPRAISAL = "appraisal", _("Project appraisal")
    INSPECTION = "inspection", _("Inspection")
    OTHER = "other", pgettext_lazy("report section", "Other")


class ValueSource(models.TextChoices):
    FORM = "form", pgettext_lazy("value source", "Form")
    IMPORT = "import", pgettext_lazy("value source", "File import")
    API = "api", pgettext_lazy("value source", "API")
    FORMULA = "formula", pgettext_lazy("value source", "Formula")
