"""Enumerations of the documents app, with the codes of the decree and of edXML.

Stored values are stable codes (English, or the edXML number where one exists); labels are
translated. Database ``CheckConstraint`` rows in the models keep the columns inside these sets.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Urgency(models.IntegerChoices):
    """Độ khẩn (App. I part II.2). The stored value is the edXML ``OtherInfo/Priority`` code."""

    NORMAL = 0, pgettext_lazy("urgency", "Normal")
    URGENT = 1, _("Urgent")
    VERY_URGENT = 2, _("Very urgent")
    FLASH = 3, _("Flash")
    FLASH_TIMED = 4, _("Flash, timed")


class Secrecy(models.TextChoices):
    """Độ mật under the state-secrets law: Mật, Tối mật, Tuyệt mật (+ not secret).

    A secret document is visible only to people holding a ``SecrecyGrant`` and is never sent
    by electronic exchange (QCVN 102; standards §2.6).
    """

    NONE = "none", _("Not secret")
    CONFIDENTIAL = "confidential", _("Confidential (Mật)")
    SECRET = "secret", _("Secret (Tối mật)")
    TOP_SECRET = "top_secret", _("Top secret (Tuyệt mật)")


class Competence(models.TextChoices):
    """Signature authority prefix (Decree 30/2020 Art. 13; App. I item 7)."""

    NONE = "", _("None (signs in own name)")
    TM = "TM", "TM."
    KT = "KT", "KT."
    TL = "TL", "TL."
    TUQ = "TUQ", "TUQ."
    Q = "Q", "Q."


class Channel(models.TextChoices):
    """How the document arrived: on paper (scanned at the clerk's office) or by exchange."""

    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")


class IncomingStatus(models.TextChoices):
    """Where an incoming document is in its handling (the state machine is workflow.py)."""

    REGISTERED = "registered", _("Registered")
    PRESENTED = "presented", _("Presented")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    RETURNED = "returned", _("Returned")
    REFUSED = "refused", _("Refused")


#: Statuses in which the document still waits for someone (open work).
OPEN_STATUSES = (
    IncomingStatus.REGISTERED,
    IncomingStatus.PRESENTED,
    IncomingStatus.ASSIGNED,
    IncomingStatus.IN_PROGRESS,
    IncomingStatus.RETURNED,
)


class BookKind(models.TextChoices):
    """Kinds of register book (sổ văn bản).

    Secret incoming documents are registered in their own book, as the state-secrets law
    requires (Decree 30/2020 Art. 22.4), so the ordinary book stays gapless for everyone
    who may read it.
    """

    INCOMING = "incoming", _("Incoming documents")
    INCOMING_SECRET = "incoming_secret", _("Secret incoming documents")


class StepKind(models.TextChoices):
    """One event in the handling trail of an incoming document (shown as its timeline)."""

    REGISTERED = "registered", _("Registered")
    PRESENTED = "presented", _("Presented to a leader")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Handling started")
    OPINION = "opinion", _("Opinion")
    ATTACHMENT = "attachment", _("File added")
    DONE = "done", _("Done")
    REOPENED = "reopened", _("Reopened")
    RETURNED = "returned", _("Returned")
    REFUSED = "refused", _("Refused")
    GRANTED = "granted", _("Access to a secret document granted")


class AssignmentRole(models.TextChoices):
    """The part a unit or person plays in an assignment (chủ trì, phối hợp, để biết)."""

    NONE = "", "-"
    LEAD = "lead", _("Lead")
    CO_HANDLER = "co_handler", _("Co-handler")
    FOR_INFO = "for_info", _("For information")
