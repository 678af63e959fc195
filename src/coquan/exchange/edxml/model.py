"""The edXML envelope as plain dataclasses (standards §1.3–1.4; no Django models here).

Field names follow the element names in snake case (``OrganAdd`` → ``organ_add``); the
misspelt ``Bussiness`` block is ``Business`` here but is written and read as ``Bussiness``.
Scalars that did not read as their type keep the text found (see ``values``), so a package
always parses and ``validate`` lists what is wrong with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import ClassVar

from coquan.exchange.edxml.codes import BUSINESS_NEW
from coquan.exchange.edxml.values import BoolValue, DateValue, IntValue, TimestampValue


@dataclass
class Organization:
    """``From`` / ``To``: an agency with its QCVN 102 identifier and contact data."""

    organ_id: str = ""
    organization_in_charge: str = ""
    organ_name: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class Code:
    """``Code``: the document's number (số) and notation (ký hiệu)."""

    code_number: str = ""
    code_notation: str = ""

    @property
    def text(self) -> str:
        """``number/notation`` as printed on the document (``2491/STC-BCTC``)."""
        if self.code_number and self.code_notation:
            return f"{self.code_number}/{self.code_notation}"
        return self.code_number or self.code_notation


@dataclass
class PromulgationInfo:
    """``PromulgationInfo``: place (địa danh) and date of issue."""

    place: str = ""
    promulgation_date: DateValue = None


@dataclass
class DocumentType:
    """``DocumentType``: ``Type`` (1 or 2), ``TypeDetail`` code and ``TypeName``."""

    type: IntValue = None
    type_detail: IntValue = None
    type_name: str = ""


@dataclass
class SignerInfo:
    """``SignerInfo``: competence (``KT.``, ``TL.``), position and name of the signer."""

    competence: str = ""
    position: str = ""
    full_name: str = ""


@dataclass
class OtherInfo:
    """``OtherInfo``: priority (0–4), sphere, typist, copies, pages, appendixes."""

    priority: IntValue = None
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: IntValue = None
    page_amount: IntValue = None
    direction: BoolValue = None
    appendixes: list[str] = field(default_factory=list)


@dataclass
class ResponseFor:
    """``ResponseFor``: the document answered (and, in a status, the one reported on)."""

    organ_id: str = ""
    code: str = ""
    promulgation_date: DateValue = None
    document_id: str = ""


@dataclass
class StaffInfo:
    """``StaffInfo``: the clerk or officer acting (department, name, mobile, e-mail)."""

    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass
class TraceHeader:
    """``TraceHeader``: one agency or hub the package passed through, and when."""

    organ_id: str = ""
    timestamp: TimestampValue = None


@dataclass
class Receiver:
    """``ReceiverList/Receiver`` of an update: 0 = removed from the recipients, 1 = added."""

    organ_id: str = ""
    receiver_type: IntValue = None


@dataclass
class BusinessDocumentInfo:
    """``BussinessDocumentInfo`` (update packages): what changed, and the recipient changes."""

    document_info: IntValue = None
    document_receiver: IntValue = None
    receivers: list[Receiver] = field(default_factory=list)


@dataclass
class ReplacementInfo:
    """``ReplacementInfo`` (replace packages): the document replaced, for which recipients."""

    document_id: str = ""
    organ_ids: list[str] = field(default_factory=list)


@dataclass
class Business:
    """The ``Bussiness`` block of ``TraceHeaderList`` (element name misspelt by the standard).

    ``doc_type``: 0 new, 1 recall, 2 update, 3 replace; ``document_id`` is the document acted
    on (for a recall, update or replacement: the original document).
    """

    document_id: str = ""
    doc_type: IntValue = BUSINESS_NEW
    doc_reason: str = ""
    paper: IntValue = None
    staff_info: StaffInfo | None = None
    document_info: BusinessDocumentInfo | None = None
    replacement_info: list[ReplacementInfo] = field(default_factory=list)


@dataclass
class ManifestReference:
    """``edXMLManifest/Reference``: describes one attachment, linked by ``ContentId``."""

    content_id: str = ""
    content_type: str = ""
    description: str = ""
    attachment_name: str = ""


@dataclass
class Attachment:
    """``AttachmentEncoded/Attachment``: one file, carried base64-encoded in the package."""

    content_id: str = ""
    attachment_name: str = ""
    description: str = ""
    content_type: str = ""
    data: bytes = b""

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def reference(self) -> ManifestReference:
        return ManifestReference(
            content_id=self.content_id,
            content_type=self.content_type,
            description=self.description,
            attachment_name=self.attachment_name,
        )


@dataclass
class DocumentPackage:
    """A document package: ``MessageHeader`` + ``TraceHeaderList`` + manifest + attachments.

    When ``manifest`` is left empty it is derived from ``attachments`` (one reference each).
    """

    kind: ClassVar[str] = "document"

    sender: Organization = field(default_factory=Organization)
    recipients: list[Organization] = field(default_factory=list)
    document_id: str = ""
    code: Code = field(default_factory=Code)
    promulgation_info: PromulgationInfo = field(default_factory=PromulgationInfo)
    document_type: DocumentType = field(default_factory=DocumentType)
    subject: str = ""
    content: str = ""
    signer_info: SignerInfo = field(default_factory=SignerInfo)
    due_date: DateValue = None
    other_info: OtherInfo = field(default_factory=OtherInfo)
    steering_type: IntValue = None
    to_places: list[str] = field(default_factory=list)
    response_for: list[ResponseFor] = field(default_factory=list)
    trace_headers: list[TraceHeader] = field(default_factory=list)
    business: Business | None = None
    attachments: list[Attachment] = field(default_factory=list)
    manifest: list[ManifestReference] = field(default_factory=list)

    def __post_init__(self):
        if not self.manifest and self.attachments:
            self.manifest = [attachment.reference() for attachment in self.attachments]

    @property
    def business_doc_type(self) -> IntValue:
        """0 (new) when the package has no ``Bussiness`` block."""
        return BUSINESS_NEW if self.business is None else self.business.doc_type

    @property
    def recipient_ids(self) -> list[str]:
        return [recipient.organ_id for recipient in self.recipients]

    @property
    def promulgation_date(self) -> dt.date | None:
        value = self.promulgation_info.promulgation_date
        return value if isinstance(value, dt.date) else None


@dataclass
class StatusPackage:
    """A status package: who reports (``From``), on which document (``ResponseFor``), the
    two-digit ``StatusCode``, a ``Description`` and the ``Timestamp``; no body."""

    kind: ClassVar[str] = "status"

    sender: Organization = field(default_factory=Organization)
    response_for: ResponseFor = field(default_factory=ResponseFor)
    staff_info: StaffInfo | None = None
    status_code: str = ""
    description: str = ""
    timestamp: TimestampValue = None

    @property
    def document_id(self) -> str:
        return self.response_for.document_id

    @property
    def recipient_ids(self) -> list[str]:
        """A status goes to the original sender of the document it reports on."""
        return [self.response_for.organ_id] if self.response_for.organ_id else []


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bytes):
        return None
    return value


def header_json(package) -> dict:
    """The package's header as JSON-ready data (attachment contents left out)."""
    from dataclasses import asdict, replace

    if isinstance(package, DocumentPackage):
        package = replace(package, attachments=[])
    data = _plain(asdict(package))
    data["kind"] = package.kind
    return data
