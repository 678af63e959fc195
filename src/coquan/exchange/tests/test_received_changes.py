"""Recall, update and replace reach the receiver's incoming document (issue 5 part 6).

Two agencies of the same deployment (local transport): Sở TT&TT issues, recalls and
revises through the real documents actions; Sở Tài chính receives through the real receive
pipeline and its clerk answers through the real exchange actions.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import make_member
from coquan.documents import actions as documents
from coquan.documents.models import IncomingDocument
from coquan.exchange import outbox
from coquan.exchange.actions import answer_recall, register_package
from coquan.exchange.models import ReceivedPackage, RecipientStatus
from coquan.exchange.tests.test_outbox import dept, partner_clerk  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _received_and_assigned(dept, partner_clerk, subject):  # noqa: F811
    issued = dept.advance(dept.draft(subject=subject), "issued")
    outbox.run_until_idle()
    package = ReceivedPackage.objects.get(agency=dept.partner, subject=subject)
    incoming, _status = register_package(partner_clerk, package=package)
    leader = make_member(dept.partner, "leader", username=f"ld_{incoming.pk}")
    officer = make_member(dept.partner, "officer", username=f"cv_{incoming.pk}")
    reader = make_member(dept.partner, "officer", username=f"rd_{incoming.pk}")
    incoming = documents.present(partner_clerk, document=incoming, leader=leader)
    incoming = documents.assign(
        leader, document=incoming, lead_user=officer, for_info=[reader], due_days=5
    )
    return issued, incoming, officer, reader


def test_an_accepted_recall_cancels_the_incoming_document(
    client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    first, incoming, officer, reader = _received_and_assigned(dept, partner_clerk, "V/v thứ nhất")
    second, kept, _officer2, _reader2 = _received_and_assigned(dept, partner_clerk, "V/v thứ hai")
    assert IncomingDocument.objects.handled_by(officer).filter(pk=incoming.pk).exists()
    assert IncomingDocument.objects.for_info_of(reader).filter(pk=incoming.pk).exists()
    documents.recall(dept.clerk, document=first, reason="Ban hành nhầm")
    documents.recall(dept.clerk, document=second, reason="Sai số liệu")
    outbox.run_until_idle()
    recalls = {
        p.subject: p
        for p in ReceivedPackage.objects.filter(agency=dept.partner, business_doc_type=1)
    }
    answer_recall(partner_clerk, package=recalls["V/v thứ nhất"], accept=True)
    answer_recall(
        partner_clerk, package=recalls["V/v thứ hai"], accept=False, reason="Đã thực hiện"
    )

    incoming.refresh_from_db()
    assert incoming.status == "recalled"
    step = incoming.steps.get(kind="recalled")
    assert step.actor == partner_clerk
    assert "Ban hành nhầm" in step.text and "Sở Thông tin và Truyền thông" in step.text
    # Out of every handling queue, including the lists "for information".
    assert not IncomingDocument.objects.handled_by(officer).filter(pk=incoming.pk).exists()
    assert not IncomingDocument.objects.for_info_of(reader).filter(pk=incoming.pk).exists()
    assert not IncomingDocument.objects.overdue().filter(pk=incoming.pk).exists()
    assert not IncomingDocument.objects.to_present().filter(pk=incoming.pk).exists()
    entry = AuditEntry.objects.get(action="documents.incoming.recalled")
    assert entry.object_id == str(incoming.pk) and entry.after["reason"] == "Ban hành nhầm"
    assert entry.before == {"status": "assigned"}
    # No step of the workflow starts from a recalled document.
    with pytest.raises(ValidationError):
        documents.start_handling(officer, document=incoming)

    # A refused recall leaves the document alone.
    kept.refresh_from_db()
    assert kept.status == "assigned" and not kept.steps.filter(kind="recalled").exists()

    # The senders see 15 and 16.
    outbox.run_until_idle()
    assert set(
        RecipientStatus.objects.filter(delivery__document=first).values_list("code", flat=True)
    ) >= {"15"}
    assert "16" in RecipientStatus.objects.filter(delivery__document=second).values_list(
        "code", flat=True
    )

    # The incoming document's page: the badge and the timeline row.
    client.force_login(partner_clerk)
    page = client.get(reverse("documents:incoming_detail", args=[incoming.pk])).content.decode()
    assert 'data-testid="document-status">Đã thu hồi<' in page
    assert 'data-step-kind="recalled"' in page and "Ban hành nhầm" in page
    assert "Cơ quan gửi thu hồi: Sở Thông tin và Truyền thông" in page


def test_a_recall_of_a_document_not_registered_yet_only_marks_the_package(
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    issued = dept.advance(dept.draft(subject="V/v chưa vào sổ"), "issued")
    outbox.run_until_idle()
    documents.recall(dept.clerk, document=issued, reason="Ban hành nhầm")
    outbox.run_until_idle()
    recall = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=1)
    answer_recall(partner_clerk, package=recall, accept=True)
    original = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=0)
    assert original.state == "recalled"
    assert not IncomingDocument.objects.filter(agency=dept.partner).exists()
    assert not AuditEntry.objects.filter(action="documents.incoming.recalled").exists()


# --- update and replace (BussinessDocType 2 and 3) ------------------------------------------


def _revise(dept, original, kind, subject):  # noqa: F811
    from coquan.documents.tests import samples

    draft = documents.create_revision(
        dept.officer,
        document=original,
        kind=kind,
        subject=subject,
        main_file=samples.draft_pdf_upload("sua-doi.pdf", "sửa đổi"),
    )
    return dept.advance(draft, "issued")


@pytest.mark.parametrize("kind", ["update", "replace"])
def test_update_and_replace_packages_round_trip(dept, kind):  # noqa: F811
    from coquan.exchange.edxml import parse_package, validate
    from coquan.exchange.edxml.problems import errors

    original = dept.advance(dept.draft(subject="V/v gốc"), "issued")
    revision = _revise(dept, original, kind, "V/v sửa đổi")
    delivery = revision.deliveries.get()
    assert delivery.kind == kind and delivery.organ_id == dept.partner.organ_id
    content = outbox.build_delivery_package(delivery)
    package = parse_package(content)
    assert not errors(validate(package))
    assert package.document_id == outbox.document_id_of(revision)
    business = package.business
    assert business.document_id == outbox.document_id_of(original)
    assert package.recipient_ids == [dept.partner.organ_id]
    assert package.attachments and package.attachments[0].data.startswith(b"%PDF")
    if kind == "update":
        assert business.doc_type == 2 and business.doc_reason == "Cập nhật văn bản điện tử"
        assert (business.document_info.document_info, business.document_info.document_receiver) == (
            1,
            0,
        )
        assert business.replacement_info == []
    else:
        assert business.doc_type == 3 and business.doc_reason == "Thay thế văn bản điện tử"
        [replaced] = business.replacement_info
        assert replaced.document_id == outbox.document_id_of(original)
        assert replaced.organ_ids == [dept.partner.organ_id]
        assert business.document_info is None
    # Built again from the parsed package, the same Bussiness block comes back.
    from coquan.exchange.edxml import build_document_package

    assert parse_package(build_document_package(package)).business == business


@pytest.mark.parametrize("kind", ["update", "replace"])
def test_a_revision_is_delivered_registered_and_linked_end_to_end(
    client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
    kind,
):
    from coquan.exchange.transports import LocalTransport

    original, earlier, officer, _reader = _received_and_assigned(
        dept, partner_clerk, "V/v kế hoạch năm"
    )
    outbox.run_until_idle()  # 03 and 04 of the original go back
    revision = _revise(dept, original, kind, "V/v sửa đổi kế hoạch năm")
    assert outbox.run_until_idle() == {"delivered": 2}  # the revision, its 01 back
    delivery = revision.deliveries.get()
    delivery.refresh_from_db()
    assert delivery.state == "delivered"
    received = ReceivedPackage.objects.get(
        agency=dept.partner, business_doc_type=2 if kind == "update" else 3
    )
    assert received.state == "parsed" and received.signature_status == "valid"
    assert received.document_id == outbox.document_id_of(revision)

    # Redelivery of the same bytes: the first receipt is kept, nothing new.
    message = delivery.outbox
    LocalTransport(dept.partner).send(message, bytes(message.content))
    assert ReceivedPackage.objects.filter(agency=dept.partner, kind="document").count() == 2

    # The clerk sees the register form on the package page and registers it (03).
    client.force_login(partner_clerk)
    page = client.get(reverse("exchange:package_detail", args=[received.pk])).content.decode()
    assert 'name="document_type"' in page
    said = "thay thế văn bản" if kind == "replace" else "đính chính, sửa đổi văn bản"
    assert f"Văn bản này {said} {outbox.document_id_of(original)}" in page
    document, _status = register_package(partner_clerk, package=received)
    assert document.edxml_document_id == received.document_id
    assert document.arrival_number == earlier.arrival_number + 1
    earlier.refresh_from_db()
    own = "replaces" if kind == "replace" else "updates"
    other = "replaced_by" if kind == "replace" else "updated_by"
    assert str(earlier.arrival_number) in document.steps.get(kind=own).text
    assert str(document.arrival_number) in earlier.steps.get(kind=other).text
    if kind == "replace":
        assert earlier.status == "replaced"
        assert not IncomingDocument.objects.handled_by(officer).filter(pk=earlier.pk).exists()
    else:
        assert earlier.status == "assigned"
    assert AuditEntry.objects.filter(action="documents.incoming.revised").count() == 1

    # Registering twice is refused; the statuses of the new document flow back.
    with pytest.raises(ValidationError):
        register_package(partner_clerk, package=received)
    leader = make_member(dept.partner, "leader", username="ld_rev")
    documents.present(partner_clerk, document=document, leader=leader)
    documents.assign(leader, document=document, lead_user=officer, due_days=5)
    outbox.run_until_idle()
    codes = list(
        RecipientStatus.objects.filter(delivery=delivery)
        .order_by("rank")
        .values_list("code", flat=True)
    )
    assert codes == ["01", "03", "04"]
    assert IncomingDocument.objects.filter(agency=dept.partner).count() == 2

    # The earlier document's page shows the status and the link row.
    page = client.get(reverse("documents:incoming_detail", args=[earlier.pk])).content.decode()
    assert f'data-step-kind="{other}"' in page
    if kind == "replace":
        assert 'data-testid="document-status">Đã bị thay thế<' in page


def test_a_revision_of_a_document_never_registered_stands_alone(
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    original = dept.advance(dept.draft(subject="V/v chưa vào sổ"), "issued")
    outbox.run_until_idle()
    revision = _revise(dept, original, "replace", "V/v thay thế")
    outbox.run_until_idle()
    received = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=3)
    document, _status = register_package(partner_clerk, package=received)
    assert not document.steps.filter(kind="replaces").exists()
    assert document.edxml_document_id == outbox.document_id_of(revision)


@pytest.mark.django_db(transaction=True)
def test_replacement_and_recall_between_two_nodes_over_http(
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
    live_server,
):
    """The receiving agency behind another node: packages go over HTTP to its inbox."""
    from coquan.exchange.directory import add_peer_node
    from coquan.exchange.models import Route

    _node, token = add_peer_node(None, name="Sở TT&TT", sender_organ_ids=dept.agency.organ_id)
    Route.objects.create(
        organ_id=dept.partner.organ_id,
        transport="http",
        endpoint=f"{live_server.url}/api/v1/exchange/inbox/",
        token=token,
    )
    original, earlier, _officer, _reader = _received_and_assigned(
        dept, partner_clerk, "V/v qua mạng"
    )
    recalled, cancelled, _officer2, _reader2 = _received_and_assigned(
        dept, partner_clerk, "V/v sẽ thu hồi"
    )
    outbox.run_until_idle()
    revision = _revise(dept, original, "replace", "V/v thay thế qua mạng")
    documents.recall(dept.clerk, document=recalled, reason="Ban hành nhầm")
    outbox.run_until_idle()
    replacement = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=3)
    recall = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=1)
    assert replacement.source == "http" and recall.source == "http"
    assert replacement.signature_status == "valid"

    document, _status = register_package(partner_clerk, package=replacement)
    answer_recall(partner_clerk, package=recall, accept=True)
    outbox.run_until_idle()
    earlier.refresh_from_db()
    cancelled.refresh_from_db()
    assert earlier.status == "replaced" and earlier.steps.filter(kind="replaced_by").exists()
    assert document.steps.filter(kind="replaces").exists()
    assert (
        cancelled.status == "recalled"
        and "Ban hành nhầm" in cancelled.steps.get(kind="recalled").text
    )
    assert set(
        RecipientStatus.objects.filter(delivery__document=revision).values_list("code", flat=True)
    ) == {"01", "03"}
    assert "15" in RecipientStatus.objects.filter(
        delivery__document=recalled, delivery__kind="recall"
    ).values_list("code", flat=True)


@pytest.mark.parametrize("kind", ["update", "replace"])
def test_a_recalled_revision_is_cancelled_at_the_receiver(
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
    kind,
):
    """Recalling an update or a replacement reaches the agencies it was sent to: their
    incoming document registered from it is cancelled, the original stays as it was."""
    original = dept.advance(dept.draft(subject="V/v văn bản gốc"), "issued")
    outbox.run_until_idle()
    first = ReceivedPackage.objects.get(agency=dept.partner, subject="V/v văn bản gốc")
    earlier, _status = register_package(partner_clerk, package=first)
    revision = _revise(dept, original, kind, "V/v văn bản sửa đổi")
    outbox.run_until_idle()
    package = ReceivedPackage.objects.get(
        agency=dept.partner, business_doc_type=2 if kind == "update" else 3
    )
    revised, _status = register_package(partner_clerk, package=package)

    documents.recall(dept.clerk, document=revision, reason="Sửa đổi ban hành nhầm")
    assert revision.deliveries.filter(kind="recall").count() == 1
    outbox.run_until_idle()
    recall = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=1)
    answer_recall(partner_clerk, package=recall, accept=True)
    outbox.run_until_idle()

    revised.refresh_from_db()
    earlier.refresh_from_db()
    assert revised.status == "recalled"
    assert "Sửa đổi ban hành nhầm" in revised.steps.get(kind="recalled").text
    assert earlier.status != "recalled" and not earlier.steps.filter(kind="recalled").exists()
    assert "15" in RecipientStatus.objects.filter(delivery__document=revision).values_list(
        "code", flat=True
    )
