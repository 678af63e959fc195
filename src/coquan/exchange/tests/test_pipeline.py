"""The receive pipeline through ``receive_package``: accepted, redelivered, refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import AgencyFactory, make_member
from coquan.exchange import actions, pipeline
from coquan.exchange.actions import install_agency_key, receive_package, refuse_package
from coquan.exchange.choices import PackageKind, PackageState, SignatureStatus
from coquan.exchange.edxml import (
    Attachment,
    Business,
    StatusPackage,
    TraceHeader,
    build_document_package,
    parse_package,
)
from coquan.exchange.edxml.safe import parse_xml
from coquan.exchange.edxml.signing import verify_tree
from coquan.exchange.models import OutgoingStatus, ReceivedAttachment, ReceivedPackage
from coquan.exchange.pipeline import status_content
from coquan.exchange.tests.helpers import (
    RECIPIENT,
    SAMPLE_NEW,
    SAMPLE_STATUS,
    SENDER,
    certificate_for,
    key_pair,
    make_package,
    minimal_pdf,
    sample,
    signed_pdf,
    signer_for,
)

pytestmark = pytest.mark.django_db


def signed(package=None) -> bytes:
    return build_document_package(package or make_package(), signer=signer_for(SENDER))


def receive_actions():
    return AuditEntry.objects.filter(action="exchange.package.receive")


def counts():
    return (
        ReceivedPackage.objects.count(),
        ReceivedAttachment.objects.count(),
        OutgoingStatus.objects.count(),
    )


# --- accepted -------------------------------------------------------------------------------


def test_signed_document_from_a_known_agency_is_received(recipient, sender_agency, clerk):
    pdf = signed_pdf(SENDER)
    package = make_package(
        attachments=[
            Attachment(
                content_id="cid:1",
                attachment_name="cong-van-125.pdf",
                description="Công văn số 125",
                content_type="application/pdf",
                data=pdf,
            ),
            Attachment(
                content_id="cid:2",
                attachment_name="phu-luc.txt",
                content_type="text/plain",
                data="Phụ lục: danh sách xã".encode(),
            ),
        ]
    )
    raw = signed(package)
    receipt = receive_package(clerk, agency=recipient, raw=raw, source="web")

    assert receipt.created and receipt.accepted
    row = receipt.package
    assert row.state == PackageState.PARSED
    assert row.kind == PackageKind.DOCUMENT
    assert row.document_id == "000.00.14.H06,2026/03/02,125/STTTT-CĐS"
    assert row.receipt_key == row.document_id
    assert row.sender_organ_id == SENDER
    assert row.sender_name == "Sở Thông tin và Truyền thông tỉnh Bắc Giang"
    assert row.code_text == "125/STTTT-CĐS"
    assert row.promulgation_date == dt.date(2026, 3, 2)
    assert row.subject == "V/v triển khai chuyển đổi số cấp xã năm 2026"
    assert row.priority == 1
    assert row.received_by == clerk
    assert row.signature_status == SignatureStatus.VALID
    assert row.problems == []
    assert row.header["recipients"][0]["organ_id"] == RECIPIENT
    # the raw package is kept byte for byte, with its hash
    with default_storage.open(row.raw_file.name, "rb") as handle:
        assert handle.read() == raw
    assert row.raw_size == len(raw)
    # attachments decoded and stored; the PDF's PAdES signature checked
    files = list(row.attachments.order_by("position"))
    assert [f.name for f in files] == ["cong-van-125.pdf", "phu-luc.txt"]
    with default_storage.open(files[0].file.name, "rb") as handle:
        assert handle.read() == pdf
    assert files[0].pdf_signature_status == SignatureStatus.VALID
    assert files[1].pdf_signature_status == ""
    # status 01 built for the sender
    status = receipt.status
    assert status.status_code == "01"
    assert status.recipient_organ_id == SENDER
    answer = parse_package(status_content(status))
    assert isinstance(answer, StatusPackage)
    assert answer.status_code == "01"
    assert answer.description == "Đã đến"
    assert answer.sender.organ_id == RECIPIENT
    assert answer.response_for.document_id == row.document_id
    assert answer.response_for.code == "125/STTTT-CĐS"
    assert answer.staff_info.staff == "Lê Thị Văn Thư"
    assert status.signed is False  # the recipient has no key yet
    # exactly one audit entry, naming the package
    entry = receive_actions().get()
    assert entry.object_id == str(row.pk)
    assert entry.agency_id == recipient.pk
    assert entry.after["status_sent"] == "01"


def test_status_01_is_signed_with_the_recipients_key(recipient, sender_agency, clerk):
    key_pem, cert_pem = key_pair(RECIPIENT)
    install_agency_key(None, agency=recipient, private_key_pem=key_pem, certificate_pem=cert_pem)
    receipt = receive_package(clerk, agency=recipient, raw=signed(), source="api")
    # Recorded in the receipt's transaction; built and signed by the worker before sending.
    row = OutgoingStatus.objects.get(pk=receipt.status.pk)
    assert row.content is None and not row.signed and row.sha256 == ""
    content = status_content(row)
    result = verify_tree(
        parse_xml(content),
        sender_organ_id=RECIPIENT,
        trusted=lambda organ_id: [certificate_for(RECIPIENT)],
    )
    assert result.status == "valid"
    stored = OutgoingStatus.objects.get(pk=row.pk)
    assert stored.signed and bytes(stored.content) == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    # Built once: the same bytes on every later call, whoever asks.
    assert status_content(OutgoingStatus.objects.get(pk=row.pk)) == content
    answer = parse_package(content)
    assert answer.status_code == "01"
    assert answer.staff_info.staff == (clerk.full_name or clerk.get_username())
    assert answer.timestamp == timezone.localtime(row.created_at).replace(
        tzinfo=None, microsecond=0
    )
    assert answer.response_for.document_id == row.document_id


def test_interop_sample_is_received_with_an_unverifiable_signature(sample_recipient, sample_clerk):
    receipt = receive_package(
        sample_clerk, agency=sample_recipient, raw=sample(SAMPLE_NEW), source="web"
    )
    row = receipt.package
    assert row.state == PackageState.PARSED
    assert row.subject == "Báo cáo tài chính tỉnh"
    assert row.promulgation_date == dt.date(2020, 10, 30)
    assert row.signature_status == SignatureStatus.UNVERIFIABLE
    assert row.signature.reason == "bad_certificate"
    assert {p.code for p in row.problem_list} >= {"invalid_document_id_date"}
    assert all(not p.is_error for p in row.problem_list)
    attachment = row.attachments.get()
    assert attachment.size == 270823
    assert attachment.pdf_signature_status == ""  # a zip file: no PDF check


def test_unsigned_package_is_accepted_and_shown_unverifiable(recipient, clerk):
    receipt = receive_package(
        clerk, agency=recipient, raw=build_document_package(make_package()), source="web"
    )
    assert receipt.accepted
    assert receipt.package.signature.reason == "unsigned"


def test_sender_unknown_here_gives_an_unverifiable_signature(recipient, clerk):
    receipt = receive_package(clerk, agency=recipient, raw=signed(), source="web")
    assert receipt.accepted
    assert receipt.package.signature.reason == "untrusted"


def test_system_actor_may_receive(recipient, sender_agency):
    receipt = receive_package(None, agency=recipient, raw=signed(), source="local")
    assert receipt.accepted
    assert receipt.package.received_by is None
    assert receipt.status.created_by is None
    answer = parse_package(status_content(receipt.status))
    assert answer.staff_info.staff == pipeline.SYSTEM_STAFF


# --- redelivery -----------------------------------------------------------------------------


def test_redelivery_returns_the_first_receipt(recipient, sender_agency, clerk):
    raw = signed()
    first = receive_package(clerk, agency=recipient, raw=raw, source="web")
    before = counts()
    again = receive_package(clerk, agency=recipient, raw=raw, source="api")
    assert not again.created
    assert again.package.pk == first.package.pk
    assert again.status is None
    assert counts() == before
    assert receive_actions().count() == 2  # the redelivery is on record too


def test_redelivery_through_a_hub_with_another_trace_is_the_same_document(
    recipient, sender_agency, clerk
):
    package = make_package()
    first = receive_package(clerk, agency=recipient, raw=signed(package), source="http")
    relayed = dataclasses.replace(
        package,
        trace_headers=[
            *package.trace_headers,
            TraceHeader(organ_id="000.00.00.H06", timestamp=dt.datetime(2026, 3, 2, 10, 0)),
        ],
    )
    again = receive_package(clerk, agency=recipient, raw=signed(relayed), source="hub")
    assert not again.created and again.package.pk == first.package.pk
    assert ReceivedPackage.objects.count() == 1


def test_concurrent_delivery_is_settled_by_the_database(
    recipient, sender_agency, clerk, monkeypatch
):
    raw = signed()
    first = receive_package(clerk, agency=recipient, raw=raw, source="web")
    looked_up = []
    existing = actions._existing

    def spy(agency, prepared):
        looked_up.append(1)
        return existing(agency, prepared)

    monkeypatch.setattr(actions, "_existing", spy)
    # No look-up before writing (two workers would both see nothing): the receipt key's
    # unique constraint refuses the second row and only then is the first one read.
    again = receive_package(clerk, agency=recipient, raw=raw, source="api")
    assert not again.created and again.package.pk == first.package.pk
    assert looked_up == [1]
    assert counts() == (1, 1, 1)


def test_one_accepted_receipt_per_document_and_agency(recipient):
    values = {
        "agency": recipient,
        "kind": PackageKind.DOCUMENT,
        "state": PackageState.PARSED,
        "source": "web",
        "raw_sha256": "0" * 64,
        "raw_size": 1,
        "document_id": "000.00.14.H06,2026/03/02,125/STTTT-CĐS",
        "business_doc_type": 0,
    }
    ReceivedPackage.objects.create(**values, receipt_key="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceivedPackage.objects.create(**values, receipt_key="b")
    # quarantined copies are evidence, not receipts
    ReceivedPackage.objects.create(**{**values, "state": PackageState.QUARANTINED})
    ReceivedPackage.objects.create(**{**values, "state": PackageState.QUARANTINED})


def test_an_update_of_a_received_document_is_a_new_receipt(recipient, sender_agency, clerk):
    package = make_package()
    receive_package(clerk, agency=recipient, raw=signed(package), source="web")
    update = dataclasses.replace(
        package,
        subject="V/v triển khai chuyển đổi số cấp xã năm 2026 (cập nhật)",
        business=Business(
            document_id=package.document_id, doc_type=2, doc_reason="Cập nhật văn bản điện tử"
        ),
    )
    receipt = receive_package(clerk, agency=recipient, raw=signed(update), source="web")
    assert receipt.created and receipt.accepted
    assert receipt.package.business_doc_type == 2
    assert receipt.package.receipt_key.startswith(f"{package.document_id}|2|")
    assert ReceivedPackage.objects.accepted().count() == 2


# --- refused ----------------------------------------------------------------------------------


def assert_only_quarantine(receipt, *, status_02: bool):
    row = receipt.package
    assert row.state == PackageState.QUARANTINED
    assert not receipt.accepted
    assert row.attachments.count() == 0
    assert ReceivedPackage.objects.count() == 1
    assert receive_actions().count() == 1
    statuses = list(OutgoingStatus.objects.all())
    if status_02:
        assert [s.status_code for s in statuses] == ["02"]
        assert statuses[0].description.startswith("Từ chối tiếp nhận: ")
    else:
        assert statuses == []


def test_package_for_another_agency_is_refused_with_status_02(recipient, clerk):
    other = make_package(recipients=("000.02.40.H06",))
    receipt = receive_package(
        clerk, agency=recipient, raw=build_document_package(other), source="web"
    )
    assert_only_quarantine(receipt, status_02=True)
    row = receipt.package
    assert row.error_code == "wrong_recipient"
    assert row.document_id == other.document_id  # read, for the list
    assert default_storage.exists(row.raw_file.name)
    status = OutgoingStatus.objects.get()
    assert status.recipient_organ_id == SENDER
    assert "000.01.40.H06" in status.description
    answer = parse_package(status_content(status))
    assert answer.status_code == "02"
    assert answer.response_for.document_id == other.document_id


def test_invalid_fields_are_all_listed_and_refused(recipient, clerk):
    package = make_package(subject="", due_date="31/02/2026")
    receipt = receive_package(
        clerk, agency=recipient, raw=build_document_package(package), source="web"
    )
    assert_only_quarantine(receipt, status_02=True)
    row = receipt.package
    assert row.error_code == "invalid"
    assert {p.code for p in row.problem_list if p.is_error} == {"required", "invalid_date"}
    assert row.refusal.code == "invalid"
    assert "2" in row.refusal.message


def test_tampered_signature_is_refused(recipient, sender_agency, clerk):
    raw = signed().replace("chuyển đổi số".encode(), b"chuyen doi so", 1)
    receipt = receive_package(clerk, agency=recipient, raw=raw, source="web")
    assert_only_quarantine(receipt, status_02=True)
    assert receipt.package.error_code == "bad_signature"
    assert receipt.package.signature_status == SignatureStatus.INVALID


def test_invalid_signatures_can_be_only_shown(recipient, sender_agency, clerk, settings):
    settings.COQUAN_EXCHANGE_REFUSE_INVALID_SIGNATURE = False
    raw = signed().replace("chuyển đổi số".encode(), b"chuyen doi so", 1)
    receipt = receive_package(clerk, agency=recipient, raw=raw, source="web")
    assert receipt.accepted
    assert receipt.package.signature_status == SignatureStatus.INVALID


def test_oversized_package_is_refused_unread_and_not_stored(recipient, clerk, settings):
    settings.COQUAN_EXCHANGE_MAX_PACKAGE_BYTES = 1000
    raw = build_document_package(make_package())
    receipt = receive_package(clerk, agency=recipient, raw=raw, source="web")
    assert_only_quarantine(receipt, status_02=False)
    row = receipt.package
    assert row.error_code == "too_large"
    assert row.raw_file.name == ""
    assert row.raw_size == len(raw)


def test_our_own_failure_quarantines_without_blaming_the_sender(recipient, clerk, monkeypatch):
    def broken(prepared):
        raise RuntimeError("bug")

    monkeypatch.setattr(pipeline, "step_validate", broken)
    receipt = receive_package(
        clerk, agency=recipient, raw=build_document_package(make_package()), source="web"
    )
    assert_only_quarantine(receipt, status_02=False)
    assert receipt.package.error_code == "processing_failed"


def test_a_failing_write_leaves_nothing_half_written(recipient, clerk, monkeypatch):
    def broken_status(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "_status_row", broken_status)
    with pytest.raises(RuntimeError):
        receive_package(
            clerk, agency=recipient, raw=build_document_package(make_package()), source="web"
        )
    assert counts() == (0, 0, 0)
    assert receive_actions().count() == 0


def test_status_package_is_received_by_the_original_sender():
    agency = AgencyFactory(organ_id="000.00.00.G22", name="Văn phòng Chính phủ")
    clerk = make_member(agency, "clerk")
    receipt = receive_package(clerk, agency=agency, raw=sample(SAMPLE_STATUS), source="hub")
    row = receipt.package
    assert row.kind == PackageKind.STATUS
    assert row.state == PackageState.PARSED
    assert row.status_code == "05"
    assert row.sender_organ_id == "000.00.00.H41"
    assert row.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert receipt.status is None  # a status is never answered
    again = receive_package(clerk, agency=agency, raw=sample(SAMPLE_STATUS), source="hub")
    assert not again.created


# --- who may receive ----------------------------------------------------------------------------


def test_member_without_the_role_may_not_receive(recipient):
    officer = make_member(recipient, "officer")
    with pytest.raises(PermissionDenied):
        receive_package(officer, agency=recipient, raw=b"<x/>", source="web")
    assert ReceivedPackage.objects.count() == 0
    denial = AuditEntry.objects.get(action="permission_denied")
    assert "exchange.package.receive" in denial.summary


def test_admin_may_receive(recipient):
    admin = make_member(recipient, "admin")
    receipt = receive_package(
        admin, agency=recipient, raw=build_document_package(make_package()), source="web"
    )
    assert receipt.accepted


# --- refusing a received document -----------------------------------------------------------------


def test_clerk_refuses_a_received_document(recipient, clerk):
    receipt = receive_package(
        clerk, agency=recipient, raw=build_document_package(make_package()), source="web"
    )
    package = receipt.package
    with pytest.raises(ValidationError):
        refuse_package(clerk, package=package, reason="  ")
    status = refuse_package(clerk, package=package, reason="Văn bản không thuộc thẩm quyền xã")
    package.refresh_from_db()
    assert package.state == PackageState.REFUSED
    assert package.refusal.code == "refused_by_clerk"
    assert status.status_code == "02"
    assert status.description == "Từ chối tiếp nhận: Văn bản không thuộc thẩm quyền xã"
    assert parse_package(status_content(status)).response_for.document_id == package.document_id
    with pytest.raises(ValidationError):
        refuse_package(clerk, package=package, reason="lần nữa")
    assert AuditEntry.objects.filter(action="exchange.package.refuse").count() == 1


def test_refusing_needs_the_role(recipient, clerk):
    receipt = receive_package(
        clerk, agency=recipient, raw=build_document_package(make_package()), source="web"
    )
    officer = make_member(recipient, "officer")
    with pytest.raises(PermissionDenied):
        refuse_package(officer, package=receipt.package, reason="Không")


def test_minimal_pdf_helper_is_a_readable_unsigned_pdf(recipient, clerk):
    package = make_package(
        attachments=[
            Attachment(
                content_id="cid:1",
                attachment_name="a.pdf",
                content_type="application/pdf",
                data=minimal_pdf(),
            )
        ]
    )
    receipt = receive_package(
        clerk, agency=recipient, raw=build_document_package(package), source="web"
    )
    assert receipt.package.attachments.get().pdf_signature_status == SignatureStatus.UNSIGNED
