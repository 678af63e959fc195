"""Signing, numbering, issuing and recalling (issue 4, parts 3–6): PAdES with pyHanko."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import make_member
from coquan.documents import actions
from coquan.documents import files as file_store
from coquan.documents.actions.outgoing_common import current_files, current_main
from coquan.documents.choices import (
    DeliveryKind,
    DeliveryState,
    IncomingStatus,
    OutgoingStatus,
    RecipientKind,
    SignatureLevel,
    StepKind,
)
from coquan.documents.models import (
    Delivery,
    ExternalAgency,
    InternalReceipt,
    OutgoingDocument,
    OutgoingFile,
    RegisterBook,
    SigningKey,
)
from coquan.documents.signing import trusted_certificates
from coquan.documents.signing.verify import verify_pdf
from coquan.documents.tests import samples

pytestmark = pytest.mark.django_db


def _pdf(document) -> bytes:
    return file_store.read_bytes(current_main(document).file.name)


def _pyhanko_status(data: bytes, agency):
    """Validate every signature with pyHanko directly (independently of CoQuan's wrapper).

    pyHanko's coroutine runs through ``run_coroutine``: a browser test earlier in the same
    process leaves Playwright's event loop running, where ``asyncio.run`` is refused.
    """
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from coquan.documents.signing.server import run_coroutine

    roots = [
        asn1_x509.Certificate.load(pem.unarmor(text.encode())[2])
        for text in trusted_certificates(agency)
    ]
    reader = PdfFileReader(io.BytesIO(data))
    return [
        run_coroutine(
            lambda sig=sig: async_validate_pdf_signature(
                sig, ValidationContext(trust_roots=roots, allow_fetching=False)
            )
        )
        for sig in reader.embedded_signatures
    ]


def test_the_signer_signs_and_the_pdf_validates_with_pyhanko(dept):
    doc = dept.advance(dept.draft(), "approved")
    unsigned = current_main(doc)
    doc = actions.sign(dept.leader, document=doc)
    assert doc.status == OutgoingStatus.SIGNED and doc.signed_at
    signed = current_main(doc)
    assert signed.signature == SignatureLevel.PERSONAL and signed.replaces == unsigned
    data = _pdf(doc)
    import hashlib

    assert hashlib.sha256(data).hexdigest() == signed.sha256  # kept byte for byte
    (status,) = _pyhanko_status(data, dept.agency)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Lê Văn Quyết"
    assert verify_pdf(data, trusted_certificates(dept.agency)).ok


def test_issue_numbers_seals_queues_and_freezes(dept):
    external = ExternalAgency.objects.create(
        name="Bộ Thông tin và Truyền thông", organ_id="000.00.00.G12"
    )
    paper_only = ExternalAgency.objects.create(name="Công ty Viễn thông A")
    doc = dept.draft(
        document_type=dept.doc_type("quyet-dinh"),
        recipients=[
            (RecipientKind.AGENCY, dept.partner),
            (RecipientKind.EXTERNAL, external),
            (RecipientKind.EXTERNAL, paper_only),
            (RecipientKind.UNIT, dept.other_unit),
            (RecipientKind.USER, dept.admin),
            (RecipientKind.TEXT, "Lưu: VT, CNTT."),
        ],
        attachments=[samples.draft_pdf_upload("phu-luc.pdf", "phụ lục")],
    )
    doc = dept.advance(doc, "issued")
    assert doc.status == OutgoingStatus.ISSUED
    assert doc.number_and_notation == "01/QĐ-STTTT"
    assert doc.code_number == "01" and doc.register_number == 1
    assert doc.issued_date == timezone.localdate() and doc.issued_by == dept.clerk
    book = RegisterBook.objects.get(pk=doc.register_book_id)
    assert book.last_number == 1 and book.year == timezone.localdate().year
    main = current_main(doc)
    assert main.signature == SignatureLevel.SEAL
    statuses = _pyhanko_status(_pdf(doc), dept.agency)
    assert len(statuses) == 2 and all(s.bottom_line for s in statuses)
    assert statuses[1].signing_cert.subject.native["common_name"] == "Sở Thông tin và Truyền thông"
    appendix = next(f for f in current_files(doc) if f.kind == "appendix")
    assert appendix.signature == SignatureLevel.SEAL
    (appendix_status,) = _pyhanko_status(file_store.read_bytes(appendix.file.name), dept.agency)
    assert appendix_status.bottom_line
    deliveries = Delivery.objects.filter(document=doc)
    assert sorted(deliveries.values_list("organ_id", flat=True)) == [
        "000.00.00.G12",
        "000.00.15.H06",
    ]
    assert set(deliveries.values_list("state", "kind")) == {
        (DeliveryState.QUEUED, DeliveryKind.SEND)
    }
    receipts = InternalReceipt.objects.filter(document=doc)
    assert {(r.unit_id, r.user_id) for r in receipts} == {
        (dept.other_unit.pk, None),
        (None, dept.admin.pk),
    }
    entry = AuditEntry.objects.filter(action="documents.outgoing.issue").get()
    assert entry.after["number"] == "01/QĐ-STTTT"


def test_cong_van_notation_uses_the_drafting_unit_and_numbers_follow_the_book(dept):
    first = dept.advance(dept.draft(), "issued")
    second = dept.advance(dept.draft(subject="V/v thứ hai"), "issued")
    assert first.number_and_notation == "01/STTTT-CNTT"
    assert second.number_and_notation == "02/STTTT-CNTT"


def test_signing_an_unapproved_draft_is_refused_and_nothing_changes(dept):
    doc = dept.advance(dept.draft(), "in_review")
    files_before = OutgoingFile.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.sign(dept.leader, document=doc)
    assert caught.value.code == "invalid_transition"
    assert "Đang xem xét" in caught.value.messages[0]
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.IN_REVIEW and doc.signed_at is None
    assert OutgoingFile.objects.count() == files_before


def test_only_the_signer_signs(dept):
    doc = dept.advance(dept.draft(), "approved")
    other_leader = make_member(dept.agency, "leader", username="pgd2_so")
    for person in (other_leader, dept.officer, dept.clerk, dept.outsider):
        with pytest.raises(PermissionDenied):
            actions.sign(person, document=doc)
    assert OutgoingDocument.objects.get(pk=doc.pk).status == OutgoingStatus.APPROVED


def test_issuing_twice_is_refused_and_uses_no_number(dept):
    doc = dept.advance(dept.draft(), "issued")
    with pytest.raises(ValidationError) as caught:
        actions.issue(dept.clerk, document=doc)
    assert caught.value.code == "invalid_transition"
    assert RegisterBook.objects.get().last_number == 1
    assert Delivery.objects.count() == 1
    assert OutgoingFile.objects.filter(document=doc, signature=SignatureLevel.SEAL).count() == 1


def test_editing_an_issued_document_is_refused_with_a_clear_error(dept):
    doc = dept.advance(dept.draft(), "issued")
    with pytest.raises(ValidationError) as caught:
        actions.update_draft(dept.officer, document=doc, changes={"subject": "Sửa sau ban hành"})
    assert caught.value.code == "frozen"
    assert "không thể thay đổi" in caught.value.messages[0]
    doc.refresh_from_db()
    assert doc.subject != "Sửa sau ban hành" and doc.version == 1


def test_a_main_file_that_is_not_a_pdf_cannot_be_signed(dept):
    doc = dept.draft(main_file=samples.upload("du-thao.docx", samples.docx_bytes()))
    doc = dept.advance(doc, "approved")
    with pytest.raises(ValidationError) as caught:
        actions.sign(dept.leader, document=doc)
    assert caught.value.code == "not_pdf"
    assert OutgoingDocument.objects.get(pk=doc.pk).status == OutgoingStatus.APPROVED


def test_a_signer_without_a_key_gets_a_clear_error(dept):
    SigningKey.objects.filter(holder=dept.leader).update(active=False)
    doc = dept.advance(dept.draft(), "approved")
    with pytest.raises(ValidationError) as caught:
        actions.sign(dept.leader, document=doc)
    assert caught.value.code == "no_signing_key"
    assert "documents_signing_key" in caught.value.messages[0]


def test_an_agency_without_a_seal_key_cannot_issue_and_no_number_is_used(dept):
    doc = dept.advance(dept.draft(), "signed")
    SigningKey.objects.filter(holder__isnull=True).update(active=False)
    with pytest.raises(ValidationError) as caught:
        actions.issue(dept.clerk, document=doc)
    assert caught.value.code == "no_signing_key"
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.SIGNED and doc.register_number is None
    assert not RegisterBook.objects.filter(series__isnull=False, last_number__gt=0).exists()


def test_a_tampered_pdf_fails_verification(dept):
    doc = dept.advance(dept.draft(), "issued")
    data = bytearray(_pdf(doc))
    trusted = trusted_certificates(dept.agency)
    assert verify_pdf(bytes(data), trusted, use_cache=False).ok
    position = data.find(b"stream") + 40  # inside the first page's content stream
    data[position] = (data[position] + 1) % 256
    result = verify_pdf(bytes(data), trusted, use_cache=False)
    assert not result.ok and result.reason == "tampered"
    assert "bị thay đổi" in result.message
    appended = _pdf(doc) + b"\n% added after signing\n"
    assert verify_pdf(appended, trusted, use_cache=False).reason in ("not_covered", "tampered")
    assert verify_pdf(b"not a pdf", trusted, use_cache=False).reason == "unreadable"
    assert verify_pdf(samples.draft_pdf_bytes(), trusted, use_cache=False).reason == "unsigned"


def test_a_signature_by_an_unknown_certificate_is_untrusted(dept):
    doc = dept.advance(dept.draft(), "signed")
    result = verify_pdf(_pdf(doc), [], use_cache=False)
    assert not result.ok and result.reason == "untrusted"


def test_issue_marks_the_incoming_document_it_answers_as_done(dept):
    incoming = actions.register_incoming(
        dept.clerk,
        agency=dept.agency,
        document_type=dept.doc_type(),
        subject="Đề nghị cung cấp số liệu hạ tầng viễn thông",
        issued_date=timezone.localdate(),
        issuer_name="Sở Tài chính",
    )
    incoming = actions.present(dept.clerk, document=incoming, leader=dept.leader)
    incoming = actions.assign(dept.leader, document=incoming, lead_user=dept.officer, due_days=5)
    doc = dept.draft(reply_to=incoming)
    assert list(incoming.replies.all()) == [doc]
    dept.advance(doc, "issued")
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.DONE
    assert "01/STTTT-CNTT" in incoming.result_note
    assert incoming.steps.filter(kind=StepKind.DONE, actor=dept.clerk).exists()


def test_recall_freezes_and_queues_recall_notices(dept):
    doc = dept.advance(dept.draft(), "issued")
    with pytest.raises(PermissionDenied):
        actions.recall(dept.officer, document=doc, reason="Sai")
    with pytest.raises(ValidationError):
        actions.recall(dept.clerk, document=doc, reason="")
    doc = actions.recall(dept.leader, document=doc, reason="Ban hành nhầm đối tượng")
    assert doc.status == OutgoingStatus.RECALLED and doc.recalled_at
    notices = Delivery.objects.filter(document=doc, kind=DeliveryKind.RECALL)
    assert list(notices.values_list("organ_id", "state")) == [
        ("000.00.15.H06", DeliveryState.QUEUED)
    ]
    with pytest.raises(ValidationError) as caught:
        actions.update_draft(dept.officer, document=doc, changes={"copies": 2})
    assert caught.value.code == "frozen"
    with pytest.raises(ValidationError):
        actions.recall(dept.clerk, document=doc, reason="Lần hai")


def test_a_secret_document_is_numbered_apart_and_never_queued_for_exchange(dept):
    from coquan.documents.choices import Secrecy

    ordinary = dept.advance(dept.draft(), "issued")
    secret = dept.advance(dept.draft(secrecy=Secrecy.CONFIDENTIAL), "issued")
    assert ordinary.register_book_id != secret.register_book_id
    assert secret.code_number == "01"
    assert not Delivery.objects.filter(document=secret).exists()
