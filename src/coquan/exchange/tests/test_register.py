"""A received electronic document becomes an incoming document (documents app), status 03."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coquan.audit.models import AuditEntry
from coquan.documents.actions import DuplicateDocument, register_incoming
from coquan.documents.models import DocumentType, IncomingDocument
from coquan.exchange.actions import receive_package, refuse_package, register_package
from coquan.exchange.choices import PackageState
from coquan.exchange.edxml import DocumentType as EdxmlDocumentType
from coquan.exchange.edxml import build_document_package, parse_package
from coquan.exchange.models import OutgoingStatus
from coquan.exchange.pipeline import status_content
from coquan.exchange.tests.helpers import SENDER, make_package

pytestmark = pytest.mark.django_db


def received(agency, **overrides):
    raw = build_document_package(make_package(recipients=(agency.organ_id,), **overrides))
    return receive_package(None, agency=agency, raw=raw, source="local").package


def test_clerk_registers_a_received_document(recipient, clerk):
    package = received(recipient)
    document, status = register_package(clerk, package=package)

    assert document.agency == recipient
    assert document.arrival_number == 1
    assert document.channel == "electronic"
    assert document.edxml_document_id == package.document_id
    assert document.subject == "V/v triển khai chuyển đổi số cấp xã năm 2026"
    assert document.issued_date == dt.date(2026, 3, 2)
    assert document.issuer_organ_id == SENDER
    assert document.code_number == "125"
    assert document.code_notation == "STTTT-CĐS"
    assert document.urgency == 1
    assert document.signer_name == "Nguyễn Văn Đức"
    assert document.document_type.name == "Công văn"
    assert document.attachments.count() == 1
    package.refresh_from_db()
    assert package.state == PackageState.REGISTERED
    assert status.status_code == "03"
    answer = parse_package(status_content(status))
    assert answer.description == "Đã tiếp nhận"
    assert answer.response_for.document_id == package.document_id
    assert [s.status_code for s in OutgoingStatus.objects.order_by("pk")] == ["01", "03"]
    assert AuditEntry.objects.filter(action="exchange.package.register").count() == 1
    assert AuditEntry.objects.filter(action="documents.incoming.register").count() == 1
    with pytest.raises(ValidationError):
        register_package(clerk, package=package)


def test_redelivery_after_registration_creates_nothing(recipient, clerk):
    package = received(recipient)
    register_package(clerk, package=package)
    again = receive_package(
        None,
        agency=recipient,
        raw=build_document_package(make_package(recipients=(recipient.organ_id,))),
        source="local",
    )
    assert not again.created and again.package.pk == package.pk
    assert IncomingDocument.objects.count() == 1


def test_unknown_type_name_needs_a_choice(recipient, clerk):
    package = received(
        recipient,
        document_type=EdxmlDocumentType(type=1, type_detail=0, type_name="Văn bản lạ"),
    )
    with pytest.raises(ValidationError) as refused:
        register_package(clerk, package=package)
    assert "document_type" in refused.value.error_dict
    chosen = DocumentType.objects.available_to(recipient).get(name="Công văn")
    document, _status = register_package(clerk, package=package, document_type=chosen)
    assert document.document_type == chosen


def test_document_registered_by_hand_is_a_duplicate_until_confirmed(recipient, clerk):
    package = received(recipient)
    register_incoming(
        clerk,
        agency=recipient,
        document_type=DocumentType.objects.available_to(recipient).get(name="Công văn"),
        subject="Bản giấy của công văn 125",
        issued_date=dt.date(2026, 3, 2),
        issuer_name="Sở Thông tin và Truyền thông tỉnh Bắc Giang",
        code_number="125",
        code_notation="STTTT-CĐS",
        edxml_document_id=package.document_id,
    )
    with pytest.raises(DuplicateDocument):
        register_package(clerk, package=package)
    package.refresh_from_db()
    assert package.state == PackageState.PARSED
    document, _status = register_package(clerk, package=package, confirm_duplicate=True)
    assert document.arrival_number == 2


def test_refused_document_cannot_be_registered(recipient, clerk):
    package = received(recipient)
    refuse_package(clerk, package=package, reason="Gửi nhầm")
    with pytest.raises(ValidationError):
        register_package(clerk, package=package)


def test_register_from_the_detail_page(client, recipient, clerk):
    package = received(recipient)
    client.force_login(clerk)
    detail = reverse("exchange:package_detail", args=[package.pk])
    page = client.get(detail).content.decode()
    assert "Vào sổ văn bản đến" in page
    chosen = DocumentType.objects.available_to(recipient).get(name="Công văn")
    response = client.post(
        reverse("exchange:package_register", args=[package.pk]),
        {"document_type": chosen.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "số đến 1" in page
    document = IncomingDocument.objects.get()
    assert reverse("documents:incoming_detail", args=[document.pk]) in page
    again = client.post(
        reverse("exchange:package_register", args=[package.pk]), {"document_type": chosen.pk}
    )
    assert again.status_code == 400


def test_duplicate_warning_on_the_page_then_confirmation(client, recipient, clerk):
    package = received(recipient)
    chosen = DocumentType.objects.available_to(recipient).get(name="Công văn")
    register_incoming(
        clerk,
        agency=recipient,
        document_type=chosen,
        subject="Bản giấy",
        issued_date=dt.date(2026, 3, 2),
        issuer_name="Sở TT&TT",
        code_number="125",
        code_notation="STTTT-CĐS",
        edxml_document_id=package.document_id,
    )
    client.force_login(clerk)
    url = reverse("exchange:package_register", args=[package.pk])
    response = client.post(url, {"document_type": chosen.pk})
    assert response.status_code == 400
    assert "Đây là văn bản khác: vẫn vào sổ" in response.content.decode()
    response = client.post(url, {"document_type": chosen.pk, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert IncomingDocument.objects.count() == 2
