"""Search index of incoming documents (found by ``coquan.search`` at start-up).

Weights (DESIGN.md §6): number/notation and subject high (A), issuing agency and signer
medium (B), text of the attached files low (C). Filters: document type, issuer, date of
the document (and its year), status, lead unit, urgency. Visibility is not indexed: a
search applies ``IncomingDocument.objects.visible_to(user)`` inside its SQL.
"""

from __future__ import annotations

from django.urls import reverse

from coquan.documents.choices import IncomingStatus
from coquan.documents.models import IncomingDocument
from coquan.search.registry import IndexedObject, SearchIndex, register


def attachment_text(document) -> str:
    """Text of the document's files, indexed with weight C.

    The hook for text extracted from attachments (OCR of scans, text of electronic files):
    an attachment contributes its ``text`` attribute when it has one. Attachments carry no
    extracted text yet, so this is empty until extraction lands; the index is ready for it
    (a new attachment marks the document dirty through ``related``).
    """
    return "\n".join(
        text for text in (getattr(a, "text", "") for a in document.attachments.all()) if text
    )


class IncomingDocumentIndex(SearchIndex):
    """Incoming documents (văn bản đến): one entry per document."""

    model_label = "documents.IncomingDocument"
    related = {"documents.Attachment": "document_id"}
    # visible_to(user) is one SQL statement on user.pk, user.is_superuser and today's date;
    # memberships, roles, grants and assignments are read by it when it runs.
    visibility_cacheable = True

    def queryset(self):
        return IncomingDocument.objects.select_related("document_type").prefetch_related(
            "attachments"
        )

    def visible(self, user):
        return IncomingDocument.objects.visible_to(user)

    def entry(self, obj) -> IndexedObject:
        return IndexedObject(
            agency_id=obj.agency_id,
            number=obj.number_and_notation,
            title=obj.subject,
            issuer=obj.issuer_name,
            signer=obj.signer_display,
            body=attachment_text(obj),
            type_code=obj.document_type.code,
            type_name=obj.document_type.name,
            status=obj.status,
            date=obj.issued_date,
            unit_id=obj.lead_unit_id,
            urgency=obj.urgency,
        )

    def url(self, object_id: int) -> str:
        return reverse("documents:incoming_detail", args=[object_id])

    def status_label(self, code: str) -> str:
        try:
            return str(IncomingStatus(code).label)
        except ValueError:
            return code


register(IncomingDocumentIndex())
