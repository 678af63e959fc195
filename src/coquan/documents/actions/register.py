"""Registering incoming documents (Decree 30/2020 Art. 22): the số đến, duplicates, files."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.documents.actions.common import (
    DuplicateDocument,
    add_step,
    check_files,
    grant,
    store_files,
    stores_files,
)
from coquan.documents.choices import BookKind, Channel, Competence, Secrecy, StepKind, Urgency
from coquan.documents.models import (
    DocumentType,
    ExternalAgency,
    IncomingDocument,
    RegisterBook,
)
from coquan.documents.permissions import can_register

# --- Registration ------------------------------------------------------------------------------


def _require_clerk(actor, *, agency, **_kwargs):
    if not can_register(actor, agency):
        raise PermissionDenied(_("Only the agency's clerks register incoming documents."))


def _book_for(agency, kind: str, year: int) -> RegisterBook:
    """The agency's book of ``kind`` for ``year``, locked until the transaction ends.

    ``INSERT ... ON CONFLICT DO NOTHING`` creates it when missing without failing when a
    concurrent registration creates it at the same time; ``SELECT ... FOR UPDATE`` then
    makes every registration of the book wait for the previous one to commit.
    """
    RegisterBook.objects.bulk_create(
        [RegisterBook(agency=agency, kind=kind, year=year)], ignore_conflicts=True
    )
    return RegisterBook.objects.select_for_update().get(agency=agency, kind=kind, year=year)


def _resolve_issuer(agency, *, issuer_agency, issuer_external, issuer_name, issuer_organ_id):
    """(org agency, external issuer, name, organ_id) of the issuing body.

    An ``organ_id`` of an agency of this deployment links to that agency; any other issuer
    becomes (or reuses) an entry of the agency's external-issuer directory.
    """
    from coquan.org.models import Agency

    name = (issuer_name or "").strip()
    organ_id = (issuer_organ_id or "").strip()
    if issuer_agency is None and issuer_external is None:
        if organ_id:
            issuer_agency = Agency.objects.filter(organ_id=organ_id).first()
        if issuer_agency is None:
            known = ExternalAgency.objects.available_to(agency)
            issuer_external = (
                known.filter(organ_id=organ_id).first() if organ_id else None
            ) or known.filter(name__iexact=name).first()
            if issuer_external is None:
                issuer_external, _created = ExternalAgency.objects.get_or_create(
                    agency=agency, name=name, defaults={"organ_id": organ_id}
                )
    if issuer_agency is not None:
        return issuer_agency, None, name or issuer_agency.name, issuer_agency.organ_id
    return None, issuer_external, name or issuer_external.name, organ_id or issuer_external.organ_id


def find_duplicates(
    agency,
    *,
    edxml_document_id,
    code_number,
    code_notation,
    issued_date,
    issuer_name,
    issuer_organ_id,
):
    """Earlier documents of the agency with the same edXML id or number/notation/date/issuer."""
    same = Q(pk__in=[])
    if edxml_document_id:
        same |= Q(edxml_document_id=edxml_document_id)
    if code_number and issued_date:
        issuer = Q(issuer_organ_id=issuer_organ_id) if issuer_organ_id else Q()
        if issuer_name:
            issuer = (
                (issuer | Q(issuer_name__iexact=issuer_name))
                if issuer_organ_id
                else Q(issuer_name__iexact=issuer_name)
            )
        same |= (
            Q(
                code_number=code_number,
                code_notation__iexact=code_notation or "",
                issued_date=issued_date,
            )
            & issuer
        )
    return IncomingDocument.objects.filter(agency=agency).filter(same).order_by("arrival_number")


def _validate_registration(agency, values: dict, uploads, channel, arrival_date) -> None:
    errors: dict[str, list] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    today = timezone.localdate()
    if not (values["subject"] or "").strip():
        add("subject", _("Enter the subject (trích yếu)."))
    issued = values["issued_date"]
    if issued is None:
        add("issued_date", _("Enter the date of the document."))
    elif issued > today:
        add("issued_date", _("The date of the document cannot be in the future."))
    if arrival_date > timezone.now() + dt.timedelta(minutes=5):
        add("arrival_date", _("The arrival date cannot be in the future."))
    elif issued is not None and timezone.localtime(arrival_date).date() < issued:
        add("arrival_date", _("A document cannot arrive before the date it was issued."))
    if (
        not (values["issuer_name"] or "").strip()
        and values["issuer_agency"] is None
        and (values["issuer_external"] is None)
    ):
        add("issuer_name", _("Enter the issuing agency."))
    doc_type = values["document_type"]
    if doc_type is None:
        add("document_type", _("Choose the document type."))
    elif not DocumentType.objects.available_to(agency).filter(pk=doc_type.pk).exists():
        add("document_type", _("This document type is not used by the agency."))
    if values["urgency"] not in Urgency.values:
        add("urgency", _("Unknown urgency."))
    if values["secrecy"] not in Secrecy.values:
        add("secrecy", _("Unknown secrecy level."))
    if values["signer_competence"] not in Competence.values:
        add("signer_competence", _("Unknown signing authority."))
    if channel not in Channel.values:
        add("channel", _("Unknown channel."))
    elif channel == Channel.ELECTRONIC and values["secrecy"] != Secrecy.NONE:
        add("secrecy", _("Secret documents are never exchanged electronically."))
    page_count = values["page_count"]
    if page_count is not None and not 0 < page_count <= 999:
        add("page_count", _("The number of pages must be between 1 and 999."))
    limits = {
        "code_number": 11,
        "code_notation": 30,
        "place": 50,
        "subject": 500,
        "description": 500,
        "issuer_name": 200,
        "issuer_organ_id": 13,
        "signer_position": 100,
        "signer_name": 50,
    }
    for field, limit in limits.items():
        if len(values[field] or "") > limit:
            add(field, _("At most %(limit)d characters.") % {"limit": limit})
    for message in check_files(uploads):
        add("files", message)
    if errors:
        raise ValidationError(errors)


@stores_files
@action("documents.incoming.register", permission=_require_clerk)
def register_incoming(
    actor,
    *,
    agency,
    document_type,
    subject: str,
    issued_date: dt.date | None,
    issuer_name: str = "",
    issuer_organ_id: str = "",
    issuer_agency=None,
    issuer_external=None,
    code_number: str = "",
    code_notation: str = "",
    place: str = "",
    description: str = "",
    signer_competence: str = "",
    signer_position: str = "",
    signer_name: str = "",
    urgency: int = Urgency.NORMAL,
    secrecy: str = Secrecy.NONE,
    page_count: int | None = None,
    due_date: dt.date | None = None,
    arrival_date: dt.datetime | None = None,
    files=(),
    channel: str = Channel.PAPER,
    edxml_document_id: str | None = None,
    confirm_duplicate: bool = False,
) -> IncomingDocument:
    """Register a received document in the agency's book and give it the next số đến.

    Who: a clerk of ``agency``. Decree 30/2020 Art. 22: the arrival number runs
    consecutively through the year in order of receipt, one series for paper and electronic
    documents (secret documents use their own book). The number comes from the book row
    locked in this transaction, so it is gapless and unique under concurrency (plus the
    unique constraint on (book, number)). The fields are the App. VI incoming metadata, so
    the exchange app passes values parsed from an edXML package (``channel="electronic"``,
    ``edxml_document_id`` = edXML ``DocumentId``, ``urgency`` = ``Priority``).

    Refuses (``ValidationError``, nothing stored): missing subject, date or issuer, a date
    of the document in the future, a file too large or whose content is not an accepted
    type; ``DuplicateDocument`` (code ``duplicate``) when the same edXML id or the same
    issuer + number + notation + date is already registered, unless ``confirm_duplicate``.
    Writes a ``registered`` step; a secret document is granted to the registering clerk.
    """
    values = {
        "document_type": document_type,
        "subject": (subject or "").strip(),
        "issued_date": issued_date,
        "issuer_name": (issuer_name or "").strip(),
        "issuer_organ_id": (issuer_organ_id or "").strip(),
        "issuer_agency": issuer_agency,
        "issuer_external": issuer_external,
        "code_number": (code_number or "").strip(),
        "code_notation": (code_notation or "").strip(),
        "place": (place or "").strip(),
        "description": (description or "").strip(),
        "signer_competence": signer_competence or "",
        "signer_position": (signer_position or "").strip(),
        "signer_name": (signer_name or "").strip(),
        "urgency": int(urgency) if urgency is not None else Urgency.NORMAL,
        "secrecy": secrecy or Secrecy.NONE,
        "page_count": page_count,
    }
    now = timezone.now()
    arrival_date = arrival_date or now
    uploads = list(files)
    _validate_registration(agency, values, uploads, channel, arrival_date)
    edxml_document_id = (edxml_document_id or "").strip()
    if not confirm_duplicate:
        duplicates = find_duplicates(
            agency,
            edxml_document_id=edxml_document_id,
            code_number=values["code_number"],
            code_notation=values["code_notation"],
            issued_date=values["issued_date"],
            issuer_name=values["issuer_name"]
            or getattr(values["issuer_agency"] or values["issuer_external"], "name", ""),
            issuer_organ_id=values["issuer_organ_id"],
        )
        if duplicates.exists():
            raise DuplicateDocument(duplicates[:5])

    kind = BookKind.INCOMING if values["secrecy"] == Secrecy.NONE else BookKind.INCOMING_SECRET
    book = _book_for(agency, kind, timezone.localtime(arrival_date).year)
    number = book.last_number + 1
    RegisterBook.objects.filter(pk=book.pk).update(last_number=number)

    issuer_agency, issuer_external, name, organ_id = _resolve_issuer(
        agency,
        issuer_agency=values.pop("issuer_agency"),
        issuer_external=values.pop("issuer_external"),
        issuer_name=values.pop("issuer_name"),
        issuer_organ_id=values.pop("issuer_organ_id"),
    )
    document = IncomingDocument.objects.create(
        agency=agency,
        register_book=book,
        arrival_number=number,
        arrival_date=arrival_date,
        channel=channel,
        issuer_agency=issuer_agency,
        issuer_external=issuer_external,
        issuer_name=name,
        issuer_organ_id=organ_id,
        due_date=due_date,
        edxml_document_id=edxml_document_id,
        registered_by=actor,
        **values,
    )
    add_step(document, actor, StepKind.REGISTERED)
    grant(document, actor, actor)
    stored = store_files(document, uploads, actor)
    describe(
        agency=agency,
        obj=document,
        summary=f"{number}: {document.subject[:200]}",
        after={
            "arrival_number": number,
            "book": book.pk,
            "channel": channel,
            "number": document.number_and_notation,
            "issuer": name,
            "files": [a.sha256 for a in stored],
        },
    )
    return document
