"""Models of the documents app (split by subject; import from here)."""

from coquan.documents.models.attachments import Attachment, ImmutableRecordError, StoredFile
from coquan.documents.models.incoming import (
    HandlingStep,
    IncomingDocument,
    RegisterBook,
    SecrecyGrant,
)
from coquan.documents.models.outgoing import (
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingSeries,
    OutgoingVersion,
)
from coquan.documents.models.outgoing_flow import (
    ChainTask,
    Delivery,
    InternalReceipt,
    OutgoingFile,
    OutgoingStep,
)
from coquan.documents.models.signing import SigningKey
from coquan.documents.models.types import DocumentType, ExternalAgency

__all__ = [
    "Attachment",
    "ChainTask",
    "Delivery",
    "DocumentType",
    "ExternalAgency",
    "HandlingStep",
    "ImmutableRecordError",
    "IncomingDocument",
    "InternalReceipt",
    "OutgoingDocument",
    "OutgoingFile",
    "OutgoingRecipient",
    "OutgoingSeries",
    "OutgoingStep",
    "OutgoingVersion",
    "RegisterBook",
    "SecrecyGrant",
    "SigningKey",
    "StoredFile",
]
