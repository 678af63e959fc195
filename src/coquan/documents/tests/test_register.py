"""Registering incoming documents: numbering, duplicates, validation, nothing half-stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import AgencyFactory
from coquan.documents import actions
from coquan.documents.choices import BookKind, Secrecy, StepKind
from coquan.documents.models import (
    Attachment,
    ExternalAgency,
    HandlingStep,
    IncomingDocument,
    RegisterBook,
    SecrecyGrant,
)
from coquan.documents.tests import samples
from coquan.documents.tests.samples import pdf_upload, upload


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def nothing_stored():
    return (
        IncomingDocument.objects.count() == 0
        and Attachment.objects.count() == 0
        and HandlingStep.objects.count() == 0
        and RegisterBook.objects.filter(last_number__gt=0).count() == 0
        and stored_files() == []
    )


@pytest.mark.django_db
def test_registration_numbers_consecutively_and_records_everything(office):
    first = office.register(files=[pdf_upload("Công văn 1234.pdf")])
    second = office.register(code_number="77", code_notation="UBND-VP")
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    book = RegisterBook.objects.get(agency=office.agency, kind=BookKind.INCOMING)
    assert book.year == timezone.localdate().year and book.last_number == 2
    assert first.status == "registered" and first.registered_by == office.clerk
    attachment = first.attachments.get()
    assert attachment.original_name == "Công văn 1234.pdf"
    assert attachment.mime_type == "application/pdf"
    assert attachment.size == len(samples.PDF_BYTES)
    assert len(attachment.sha256) == 64
    assert attachment.file.name.startswith(f"documents/incoming/{office.agency.pk}/")
    assert "Công" not in attachment.file.name
    assert [p.read_bytes() for p in stored_files()] == [samples.PDF_BYTES]
    assert list(first.steps.values_list("kind", flat=True)) == [StepKind.REGISTERED]
    entry = AuditEntry.objects.get(action="documents.incoming.register", object_id=str(first.pk))
    assert entry.after["arrival_number"] == 1 and entry.actor_id == office.clerk.pk
    # The issuer went into the agency's directory once.
    assert ExternalAgency.objects.filter(name="Bộ Khoa học và Công nghệ").count() == 1


@pytest.mark.django_db
def test_each_agency_and_year_has_its_own_series(office):
    other = AgencyFactory(organ_id="000.00.14.H10")
    from coquan.core.testing.factories import make_member

    other_clerk = make_member(other, "clerk")
    office.register()
    doc = office.register(agency=other, actor=other_clerk)
    assert doc.arrival_number == 1
    last_year = timezone.now() - dt.timedelta(days=370)
    old = office.register(
        arrival_date=last_year,
        issued_date=timezone.localtime(last_year).date(),
        code_number="9",
    )
    assert old.arrival_number == 1 and old.register_book.year == last_year.year


@pytest.mark.django_db
def test_secret_documents_have_their_own_book_and_a_grant_for_the_clerk(office):
    office.register()
    secret = office.register(secrecy=Secrecy.SECRET, code_number="01", code_notation="M")
    assert secret.register_book.kind == BookKind.INCOMING_SECRET
    assert secret.arrival_number == 1
    assert SecrecyGrant.objects.filter(document=secret, user=office.clerk).exists()
    nxt = office.register(code_number="2", code_notation="X")
    assert nxt.arrival_number == 2  # the ordinary series has no gap


@pytest.mark.django_db
def test_secret_documents_cannot_arrive_electronically(office):
    with pytest.raises(ValidationError) as exc:
        office.register(secrecy=Secrecy.CONFIDENTIAL, channel="electronic")
    assert "secrecy" in exc.value.error_dict
    assert nothing_stored()


@pytest.mark.django_db
def test_electronic_registration_from_edxml_values(office):
    from coquan.core.testing.factories import AgencyFactory

    sender = AgencyFactory(organ_id="000.00.00.G22", name="Văn phòng Chính phủ")
    doc = office.register(
        channel="electronic",
        edxml_document_id="000.00.00.G22,2026/01/05,7816/VPCP-TTĐT",
        issuer_name="Văn phòng Chính phủ",
        issuer_organ_id="000.00.00.G22",
        code_number="7816",
        code_notation="VPCP-TTĐT",
        urgency=3,
        signer_competence="KT",
        signer_position="Phó Chủ nhiệm",
        signer_name="Nguyễn Văn A",
        page_count=3,
    )
    assert doc.issuer_agency == sender and doc.issuer_external is None
    assert doc.get_urgency_display() == "Hỏa tốc"
    assert doc.signer_display == "KT. Phó Chủ nhiệm Nguyễn Văn A"


@pytest.mark.django_db
def test_duplicate_by_number_notation_issuer_and_date_is_refused_unless_confirmed(office):
    first = office.register()
    with pytest.raises(actions.DuplicateDocument) as exc:
        office.register(files=[pdf_upload()])
    assert exc.value.code == "duplicate"
    assert exc.value.duplicates == [first]
    assert "1" in exc.value.messages[0]
    assert IncomingDocument.objects.count() == 1 and len(stored_files()) == 0
    # Another issuer with the same number is not a duplicate.
    office.register(issuer_name="Sở Tài chính")
    again = office.register(confirm_duplicate=True)
    assert again.arrival_number == 3


@pytest.mark.django_db
def test_duplicate_by_edxml_document_id(office):
    key = "000.00.00.G22,2026/01/05,7816/VPCP-TTĐT"
    office.register(edxml_document_id=key, channel="electronic")
    with pytest.raises(actions.DuplicateDocument):
        office.register(
            edxml_document_id=key, channel="electronic", code_number="other", issuer_name="X"
        )


@pytest.mark.django_db
def test_only_clerks_register(office):
    with pytest.raises(PermissionDenied):
        office.register(actor=office.leader)
    with pytest.raises(PermissionDenied):
        office.register(actor=office.outsider)
    assert nothing_stored()
    assert AuditEntry.objects.filter(action="permission_denied").count() == 2


BAD_INPUT = {
    "future issue date": {"issued_date": timezone.localdate() + dt.timedelta(days=1)},
    "missing subject": {"subject": "  "},
    "missing issue date": {"issued_date": None},
    "missing issuer": {"issuer_name": ""},
    "subject too long": {"subject": "đ" * 501},
    "unknown urgency": {"urgency": 9},
    "arrives before issued": {
        "arrival_date": timezone.now() - dt.timedelta(days=10),
        "issued_date": timezone.localdate() - dt.timedelta(days=2),
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_bad_metadata_is_refused_and_nothing_is_stored(office, case):
    with pytest.raises(ValidationError) as exc:
        office.register(files=[pdf_upload()], **BAD_INPUT[case])
    assert exc.value.error_dict
    assert nothing_stored()


@pytest.mark.django_db
def test_an_executable_named_pdf_is_refused(office):
    with pytest.raises(ValidationError) as exc:
        office.register(files=[pdf_upload(), upload("scan.pdf", samples.EXE_BYTES)])
    message = exc.value.error_dict["files"][0].messages[0]
    assert "scan.pdf" in message and "không phải" in message
    assert nothing_stored()


@pytest.mark.django_db
def test_an_oversized_file_is_refused(office, settings):
    settings.COQUAN_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        office.register(files=[upload("big.pdf", samples.PDF_BYTES + b"0" * 200)])
    assert "giới hạn" in exc.value.error_dict["files"][0].messages[0]
    assert nothing_stored()


@pytest.mark.django_db
def test_a_path_traversal_name_is_kept_only_as_safe_text(office):
    doc = office.register(files=[upload("../../../etc/cron.d/evil.pdf", samples.PDF_BYTES)])
    attachment = doc.attachments.get()
    assert attachment.original_name == "evil.pdf"
    media = Path(settings.MEDIA_ROOT).resolve()
    (path,) = stored_files()
    assert path.resolve().is_relative_to(media)
    assert ".." not in attachment.file.name


@pytest.mark.django_db
def test_files_written_before_a_late_failure_are_removed(office, monkeypatch):
    """A failure after the files were written (here: the audit entry) leaves nothing behind."""
    from coquan.audit import services

    def broken_append(**kwargs):
        raise RuntimeError("audit storage unavailable")

    monkeypatch.setattr(services, "append", broken_append)
    with pytest.raises(RuntimeError):
        office.register(files=[pdf_upload(), upload("b.docx", samples.docx_bytes())])
    assert nothing_stored()
