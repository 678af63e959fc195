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
    # Changed by the sender through electronic exchange (final; received_recall.py):
    RECALLED = "recalled", _("Recalled")
    REPLACED = "replaced", _("Replaced")


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
    OUTGOING = "outgoing", _("Outgoing documents")


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
    # Changes the sender made through electronic exchange (received_recall.py):
    RECALLED = "recalled", _("Recalled")
    UPDATED_BY = "updated_by", _("Updated by a later document")
    REPLACED_BY = "replaced_by", _("Replaced by a later document")
    UPDATES = "updates", _("Update of a document sent before")
    REPLACES = "replaces", _("Replacement of a document sent before")


class AssignmentRole(models.TextChoices):
    """The part a unit or person plays in an assignment (chủ trì, phối hợp, để biết)."""

    NONE = "", "-"
    LEAD = "lead", _("Lead")
    CO_HANDLER = "co_handler", _("Co-handler")
    FOR_INFO = "for_info", _("For information")


# --- Outgoing documents (văn bản đi) ------------------------------------------------------------


class OutgoingStatus(models.TextChoices):
    """Where an outgoing document is in its life (the state machine is outgoing_workflow.py).

    Decree 30/2020 Arts. 10–19: drafted, reviewed and approved, signed by the competent
    person, then numbered, sealed and issued by the clerk. A draft sent back by a reviewer
    is ``returned`` to its drafter; the drafter may abandon it (``withdrawn``); the issuing
    agency may ``recall`` an issued document.
    """

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned to the drafter")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")
    ISSUED = "issued", _("Issued")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RECALLED = "recalled", _("Recalled")
    REPLACED = "replaced", _("Replaced")


#: Statuses in which the document's content may still change (frozen from ``signed`` on).
EDITABLE_OUTGOING = (
    OutgoingStatus.DRAFT,
    OutgoingStatus.RETURNED,
    OutgoingStatus.IN_REVIEW,
    OutgoingStatus.APPROVED,
)

#: Statuses of a document that left the agency (frozen; agency records).
ISSUED_OUTGOING = (OutgoingStatus.ISSUED, OutgoingStatus.RECALLED, OutgoingStatus.REPLACED)


class RevisionKind(models.TextChoices):
    """How a later document changes an issued one (edXML ``BussinessDocType`` 2 and 3).

    An update (đính chính / sửa đổi, bổ sung) leaves the original in force with the
    corrections; a replacement (thay thế) takes its place, and the original is ``replaced``.
    """

    UPDATE = "update", _("Update (correction or amendment)")
    REPLACE = "replace", _("Replacement")


#: QCVN 102:2016 edXML ``BussinessDocType`` of a document delivered as a revision.
EDXML_BUSINESS_DOC_TYPE = {RevisionKind.UPDATE: 2, RevisionKind.REPLACE: 3}


class TaskKind(models.TextChoices):
    """A stage of the review and approval chain of a draft (Decree 30/2020 Arts. 10–12)."""

    REVIEW = "review", _("Review by the unit leader")
    OPINION = "opinion", _("Opinion")
    FORM_CHECK = "form_check", _("Form check by the office")
    APPROVAL = "approval", _("Approval by the signer")


class TaskState(models.TextChoices):
    """The state of one task of the chain."""

    WAITING = "waiting", _("Waiting for an earlier stage")
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Sent back")
    CANCELLED = "cancelled", _("Cancelled")


class OutgoingStepKind(models.TextChoices):
    """One event in the life of an outgoing document (shown as its timeline)."""

    CREATED = "created", _("Draft created")
    EDITED = "edited", _("Draft changed")
    SUBMITTED = "submitted", _("Sent for review")
    OPINION_REQUESTED = "opinion_req", _("Opinion requested")
    REVIEWED = "reviewed", _("Reviewed")
    OPINION = "opinion", _("Opinion given")
    FORM_CHECKED = "form_checked", _("Form checked")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Sent back")
    BACK_TO_SIGNER = "to_signer", _("Changed after approval: back to the signer")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SIGNED = "signed", _("Signed")
    ISSUED = "issued", _("Numbered and issued")
    RECALLED = "recalled", _("Recalled")
    UPDATED_BY = "updated_by", _("Updated by a later document")
    REPLACED_BY = "replaced_by", _("Replaced by a later document")


class RecipientKind(models.TextChoices):
    """Who a document goes to (nơi nhận)."""

    AGENCY = "agency", _("Agency of this deployment")
    EXTERNAL = "external", _("Agency from the directory")
    UNIT = "unit", _("Unit of this agency")
    USER = "user", _("Person of this agency")
    TEXT = "text", _("Other (printed line)")


class RecipientPurpose(models.TextChoices):
    """Why the recipient receives the document (for action, or to know / report)."""

    ACTION = "action", _("For action")
    INFO = "info", _("For information")


class OutgoingFileKind(models.TextChoices):
    """The part a file plays in an outgoing document."""

    MAIN = "main", _("Main document")
    APPENDIX = "appendix", _("Attachment")
    OPINION = "opinion", _("Opinion file")


class SignatureLevel(models.TextChoices):
    """Which signatures a stored file carries (Decree 30/2020 Art. 13–14, App. I)."""

    NONE = "none", _("Not signed")
    PERSONAL = "personal", _("Signed by the signer")
    SEAL = "seal", _("Signed by the signer and the agency")


class DeliveryKind(models.TextChoices):
    """What a delivery carries to a recipient agency (edXML business document type)."""

    SEND = "send", _("Document")
    RECALL = "recall", _("Recall notice")
    UPDATE = "update", _("Update of a document sent before")
    REPLACE = "replace", _("Replacement of a document sent before")


class DeliveryState(models.TextChoices):
    """Where a delivery is; the exchange app moves it on from ``queued``."""

    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class SeriesScope(models.TextChoices):
    """Which documents a numbering series (sổ văn bản đi) numbers.

    Decree 30/2020 Art. 15 and App. I 3.a: the head of the agency decides the series of
    administrative documents (one shared series, or one per type); secret documents have
    their own series; advisory boards that use the agency's seal use a separate series.
    """

    GENERAL = "general", _("Every other document")
    TYPES = "types", _("Documents of the chosen types")
    SECRET = "secret", _("Secret documents")
    BOARD = "board", _("Documents of an advisory board")


class TextSource(models.TextChoices):
    """How the searchable text of an attachment was obtained (``text_extraction``)."""

    NONE = "none", pgettext_lazy("attachment text", "None")
    TEXT_LAYER = "text_layer", _("Text layer of the PDF")
    OCR = "ocr", _("Recognised text (OCR)")
