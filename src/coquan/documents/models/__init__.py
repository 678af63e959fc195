"""Models of the documents app (split by subject; import from here)."""

from coquan.documents.models.attachments import Attachment, ImmutableRecordError
from coquan.documents.models.incoming import (
    HandlingStep,
    IncomingDocument,
    RegisterBook,
    SecrecyGrant,
)
from coquan.documents.models.types import DocumentType, ExternalAgency

__all__ = [
    "Attachment",
    "DocumentType",
    "ExternalAgency",
    "HandlingStep",
    "ImmutableRecordError",
    "IncomingDocument",
    "RegisterBook",
    "SecrecyGrant",
]
