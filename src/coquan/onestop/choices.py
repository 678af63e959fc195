"""Code lists of the one-stop shop (standards/vn-standards.md §3).

Labels carry a ``pgettext`` context so that a word another app translates differently
(``Accepted``, ``Copy`` …) keeps the one-stop meaning on the page.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class DossierStatus(models.TextChoices):
    """The 10 statuses of a dossier with the codes the national DVC portal uses (§3.6,
    ``TrangThaiHoSo``). The internal processing step is kept apart (``Dossier.current_step``)."""

    NEW = "1", pgettext_lazy("dossier status", "Newly registered")
    ACCEPTED = "2", pgettext_lazy("dossier status", "Accepted")
    NOT_ACCEPTED = "3", pgettext_lazy("dossier status", "Not accepted")
    IN_PROGRESS = "4", pgettext_lazy("dossier status", "Being processed")
    SUPPLEMENT = "5", pgettext_lazy("dossier status", "Supplement requested")
    FINANCIAL = "6", pgettext_lazy("dossier status", "Financial obligation requested")
    WITHDRAWN = "7", pgettext_lazy("dossier status", "Withdrawal requested by the applicant")
    STOPPED = "8", pgettext_lazy("dossier status", "Processing stopped")
    RESOLVED = "9", pgettext_lazy("dossier status", "Processing completed")
    RETURNED = "10", pgettext_lazy("dossier status", "Result returned")


# Statuses whose clock runs (the dossier is in time or overdue against now).
RUNNING_STATUSES = (DossierStatus.ACCEPTED, DossierStatus.IN_PROGRESS)
# Statuses where the clock is stopped (the "paused" block of the report, §3.10).
PAUSED_STATUSES = (DossierStatus.SUPPLEMENT, DossierStatus.FINANCIAL, DossierStatus.STOPPED)
# Statuses of a resolved dossier (classified early / on time / late).
RESOLVED_STATUSES = (DossierStatus.RESOLVED, DossierStatus.RETURNED)


class ApplicantType(models.TextChoices):
    PERSON = "person", pgettext_lazy("applicant type", "Person")
    ORGANISATION = "organisation", pgettext_lazy("applicant type", "Organisation")


class AppliesTo(models.TextChoices):
    """Which applicants must bring a component."""

    ALL = "all", pgettext_lazy("component applies to", "Every applicant")
    PERSON = "person", pgettext_lazy("component applies to", "Persons only")
    ORGANISATION = "organisation", pgettext_lazy("component applies to", "Organisations only")


class PaperForm(models.TextChoices):
    ORIGINAL = "original", pgettext_lazy("paper form", "Original")
    COPY = "copy", pgettext_lazy("paper form", "Copy")
    CERTIFIED_COPY = "certified_copy", pgettext_lazy("paper form", "Certified copy")


class TimeUnit(models.TextChoices):
    """The unit of a legal time limit, stored per procedure version (§3.7.2)."""

    WORKING_DAYS = "working_days", pgettext_lazy("time unit", "working days")
    HALF_DAYS = "half_days", pgettext_lazy("time unit", "half working days")
    HOURS = "hours", pgettext_lazy("time unit", "working hours")


class OnlineLevel(models.TextChoices):
    """Online public service level (NĐ 42/2022, §3.9)."""

    FULL = "full", pgettext_lazy("online level", "Full online service")
    PARTIAL = "partial", pgettext_lazy("online level", "Partial online service")
    NONE = "none", pgettext_lazy("online level", "No online service")


class ProcedureLevel(models.TextChoices):
    CENTRAL = "central", pgettext_lazy("procedure level", "Central")
    PROVINCE = "province", pgettext_lazy("procedure level", "Province")
    DISTRICT = "district", pgettext_lazy("procedure level", "District (before 07/2025)")
    COMMUNE = "commune", pgettext_lazy("procedure level", "Commune")


class ProcedureState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("procedure state", "Draft")
    PUBLISHED = "published", pgettext_lazy("procedure state", "Published")
    RETIRED = "retired", pgettext_lazy("procedure state", "Replaced")


class Channel(models.TextChoices):
    """Submission channel (NĐ 61 Art. 16), coded as implementations do (§3.3)."""

    DIRECT = "1", pgettext_lazy("submission channel", "At the desk")
    ONLINE = "2", pgettext_lazy("submission channel", "Online")
    POSTAL = "3", pgettext_lazy("submission channel", "By public postal service")


class TransferKind(models.TextChoices):
    """Why a dossier changed hands (one row of the control slip, form 05)."""

    RECEPTION = "reception", pgettext_lazy("transfer kind", "Received at the desk")
    FORWARD = "forward", pgettext_lazy("transfer kind", "Forwarded")
    RETURN = "return", pgettext_lazy("transfer kind", "Returned to the previous step")
    SUPPLEMENT = "supplement", pgettext_lazy("transfer kind", "Supplement requested")
    RESUBMISSION = "resubmission", pgettext_lazy("transfer kind", "Completed dossier received")
    RESULT = "result", pgettext_lazy("transfer kind", "Result handed to the desk")
    STOP = "stop", pgettext_lazy("transfer kind", "Processing stopped")
    DELIVERY = "delivery", pgettext_lazy("transfer kind", "Result returned to the applicant")


class Timeliness(models.TextChoices):
    """Early / on time / late (§3.7.5; TT 01/2018 indicator 1)."""

    EARLY = "early", pgettext_lazy("timeliness", "Early")
    ON_TIME = "on_time", pgettext_lazy("timeliness", "On time")
    LATE = "late", pgettext_lazy("timeliness", "Late")


class PendingState(models.TextChoices):
    """Where an unresolved dossier stands against now (§3.7.5)."""

    IN_TIME = "in_time", pgettext_lazy("pending state", "In time")
    OVERDUE = "overdue", pgettext_lazy("pending state", "Overdue")
    PAUSED = "paused", pgettext_lazy("pending state", "Clock stopped")
