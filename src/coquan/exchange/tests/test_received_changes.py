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

