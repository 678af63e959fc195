"""Search indexes of incoming and outgoing documents (found by ``coquan.search`` at start-up).

Weights (DESIGN.md §6): number/notation and subject high (A), issuing agency and signer
medium (B), text of the attached files low (C). Filters: document type, issuer, date of
the document (and its year), status, lead unit, urgency. Visibility is not indexed: a
search applies the model's own ``visible_to(user)`` inside its SQL (for outgoing documents:
drafts only to the people on their chain and the drafting unit's leaders, issued documents to
the agency's overseers and recipients; secret ones only as that queryset allows).
"""

from __future__ import annotations

from django.urls import reverse

from coquan.documents.choices import IncomingStatus, OutgoingStatus
from coquan.documents.models import IncomingDocument, OutgoingDocument
from coquan.search.registry import IndexedObject, SearchIndex, register


def files_text(files) -> str:
    """Text extracted from stored files (their ``text`` attribute), indexed with weight C.

    A file without extracted text (a scan before OCR, a format without a text layer)
    contributes nothing; a new or changed file marks its document dirty through ``related``.
    """
    return "\n".join(text for text in (getattr(f, "text", "") for f in files) if text)


def attachment_text(document) -> str:
    """Text of an incoming document's attachments."""
    return files_text(document.attachments.all())


class IncomingDocumentIndex(SearchIndex):
    """Incoming documents (văn bản đến): one entry per document."""

    model_label = "documents.IncomingDocument"
    status_choices = IncomingStatus
    related = {"documents.Attachment": "document_id"}
    # visible_to(user) is one SQL statement on user.pk, user.is_superuser and today's date;
    # memberships, roles, grants and assignments are read by it when it runs.
    visibility_cacheable = True

    def queryset(self):
        return IncomingDocument.objects.select_related("document_type").prefetch_related(
            "attachments"
        )

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


class OutgoingDocumentIndex(SearchIndex):
    """Outgoing documents (văn bản đi), drafts included: one entry per document.

    The issuer is the agency itself; the date is the date of issue, or the day the draft
    was created while it has no number. Text of the current (not replaced) files is indexed.
    """

    model_label = "documents.OutgoingDocument"
    status_choices = OutgoingStatus
    related = {"documents.OutgoingFile": "document_id"}
    # visible_to(user) reads memberships, roles, chain tasks and receipts in its own SQL.
    visibility_cacheable = True

    def queryset(self):
        return OutgoingDocument.objects.select_related("document_type", "agency").prefetch_related(
            "files"
        )

    def entry(self, obj) -> IndexedObject:
        files = list(obj.files.all())
        replaced = {f.replaces_id for f in files if f.replaces_id}
        current = [f for f in files if f.pk not in replaced]
        return IndexedObject(
            agency_id=obj.agency_id,
            number=obj.number_and_notation,
            title=obj.subject,
            issuer=obj.agency.name,
            signer=obj.signer_display,
            body=files_text(current),
            type_code=obj.document_type.code,
            type_name=obj.document_type.name,
            status=obj.status,
            date=obj.issued_date or obj.created_at.date(),
            unit_id=obj.drafting_unit_id,
            urgency=obj.urgency,
        )

    def url(self, object_id: int) -> str:
        return reverse("documents:outgoing_detail", args=[object_id])


register(IncomingDocumentIndex())
register(OutgoingDocumentIndex())
