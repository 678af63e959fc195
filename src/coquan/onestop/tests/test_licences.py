"""Licences issued as outgoing documents (issue 6 part 4): approving the last step of a
procedure whose result is a licence drafts an outgoing document through the documents
actions, linked to the dossier; when that document is issued (real signing with pyHanko,
numbering, seal) the dossier records its number and becomes "Đã xử lý xong"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coquan.core.testing.factories import make_member
from coquan.documents import actions as documents
from coquan.documents.models import OutgoingDocument
from coquan.documents.tests.conftest import give_keys
from coquan.documents.tests.samples import draft_pdf_upload
from coquan.onestop import actions
from coquan.onestop.choices import DossierStatus
from coquan.onestop.tests.conftest import make_procedure


def at_last_step(office, procedure):
    dossier = office.accept(procedure=procedure)
    dossier = actions.forward(office.desk, dossier=dossier)
    dossier = actions.forward(office.officer, dossier=dossier)
    return actions.forward(office.unit_leader, dossier=dossier)


@pytest.mark.django_db
def test_approval_drafts_the_licence_and_issue_completes_the_dossier(client, office):
    procedure = make_procedure(
        office.admin,
        office.agency,
        office.telecom,
        code="1.005130",
        name="Cấp giấy phép hoạt động in",
        licence_document_type="quyet-dinh",
    )
    dossier = at_last_step(office, procedure)
    dossier = actions.approve(office.leader, dossier=dossier, result_note="Đủ điều kiện")
    assert dossier.status == DossierStatus.IN_PROGRESS  # waits for the licence
    document = OutgoingDocument.objects.get(pk=dossier.licence_document_id)
    assert document.status == "draft" and document.document_type.code == "quyet-dinh"
    assert dossier.dossier_code in document.subject and document.signer == office.leader
    with pytest.raises(ValidationError) as error:
        actions.approve(office.leader, dossier=dossier, result_note="lần nữa")
    assert error.value.code == "licence_pending"

    # The licence goes through the documents workflow: file, review, signature, issue.
    clerk = make_member(office.agency, "clerk", username="os_clerk")
    give_keys(office.agency, office.leader)
    document = documents.update_draft(
        office.leader, document=document, main_file=draft_pdf_upload(subject="cấp phép in")
    )
    document = documents.submit(office.leader, document=document, form_check=False)
    while document.status == "in_review":
        document = documents.approve(office.leader, document=document)
    document = documents.sign(office.leader, document=document)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS  # signed is not issued
    document = documents.issue(clerk, document=document)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESOLVED
    assert dossier.licence_number == document.number_and_notation
    assert document.number_and_notation in dossier.result_note
    assert dossier.result_ready_at == document.issued_at
    assert dossier.timeliness in ("early", "on_time")
    assert dossier.status_changes.order_by("-pk").first().to_status == DossierStatus.RESOLVED
    client.force_login(office.desk)
    page = client.get(reverse("onestop:dossier_detail", args=[dossier.pk])).content.decode()
    assert document.number_and_notation in page and 'data-step="return_result"' in page


@pytest.mark.django_db
def test_missing_document_type_changes_nothing(office):
    procedure = make_procedure(
        office.admin,
        office.agency,
        office.telecom,
        code="1.005131",
        name="Cấp giấy phép xuất bản bản tin",
        licence_document_type="giay-phep-khong-co",
    )
    dossier = at_last_step(office, procedure)
    with pytest.raises(ValidationError) as error:
        actions.approve(office.leader, dossier=dossier, result_note="Đủ điều kiện")
    assert error.value.code == "licence_type"
    dossier.refresh_from_db()
    assert dossier.licence_document_id is None and dossier.status == DossierStatus.IN_PROGRESS
    assert not OutgoingDocument.objects.exists()
