"""Updates and replacements of issued documents (issue 4, part 6; edXML BussinessDocType 2/3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import make_member
from coquan.documents import actions
from coquan.documents.choices import (
    EDXML_BUSINESS_DOC_TYPE,
    DeliveryKind,
    DeliveryState,
    OutgoingStatus,
    OutgoingStepKind,
    RecipientKind,
    RevisionKind,
)
from coquan.documents.models import Delivery, ExternalAgency, OutgoingDocument, RegisterBook
from coquan.documents.tests import samples

pytestmark = pytest.mark.django_db


def _issued(dept, **overrides):
    return dept.advance(dept.draft(**overrides), "issued")


def _revise(dept, original, kind, actor=None, **kwargs):
    kwargs.setdefault("main_file", samples.draft_pdf_upload("sua-doi.pdf", "sửa đổi"))
    return actions.create_revision(actor or dept.officer, document=original, kind=kind, **kwargs)


def test_edxml_business_types_of_the_standard():
    assert EDXML_BUSINESS_DOC_TYPE == {RevisionKind.UPDATE: 2, RevisionKind.REPLACE: 3}


def test_a_replacement_replaces_the_original_and_is_queued_for_its_recipients(dept):
    external = ExternalAgency.objects.create(name="Bộ Thông tin và Truyền thông", organ_id="G12")
    original = _issued(
        dept,
        recipients=[
            (RecipientKind.AGENCY, dept.partner),
            (RecipientKind.EXTERNAL, external),
            (RecipientKind.UNIT, dept.other_unit),
        ],
    )
    new = _revise(dept, original, RevisionKind.REPLACE, subject="V/v thay thế công văn 01")
    assert new.status == OutgoingStatus.DRAFT and new.revises == original
    assert new.revision_kind == RevisionKind.REPLACE
    assert new.subject == "V/v thay thế công văn 01" and new.signer == dept.leader
    assert [r.kind for r in new.recipients.all()] == ["agency", "external", "unit"]
    # Until the replacement is issued, the original is in force.
    assert OutgoingDocument.objects.get(pk=original.pk).status == OutgoingStatus.ISSUED

    new = dept.advance(new, "issued")
    assert new.number_and_notation == "02/STTTT-CNTT"
    original.refresh_from_db()
    assert original.status == OutgoingStatus.REPLACED
    assert original.steps.filter(kind=OutgoingStepKind.REPLACED_BY, text="02/STTTT-CNTT").exists()
    replace = Delivery.objects.filter(document=new)
    assert sorted(replace.values_list("organ_id", "kind", "state")) == [
        ("000.00.15.H06", DeliveryKind.REPLACE, DeliveryState.QUEUED),
        ("G12", DeliveryKind.REPLACE, DeliveryState.QUEUED),
    ]
    # The original keeps its number in the register; it cannot be recalled or revised again.
    assert original.is_issued and original.register_number == 1
    with pytest.raises(ValidationError) as caught:
        actions.recall(dept.clerk, document=original, reason="Thu hồi")
    assert caught.value.code == "invalid_transition"
    with pytest.raises(ValidationError):
        _revise(dept, original, RevisionKind.UPDATE)
    entry = AuditEntry.objects.filter(action="documents.outgoing.issue").order_by("pk").last()
    assert entry.after["revises"] == original.pk and entry.after["revision_kind"] == "replace"


def test_an_update_leaves_the_original_in_force_and_new_recipients_get_the_document(dept):
    original = _issued(dept)
    third = ExternalAgency.objects.create(name="UBND tỉnh", organ_id="000.00.00.H06")
    new = _revise(dept, original, RevisionKind.UPDATE, description="Đính chính số liệu")
    new = actions.update_draft(
        dept.officer,
        document=new,
        recipients=[(RecipientKind.AGENCY, dept.partner), (RecipientKind.EXTERNAL, third)],
    )
    new = dept.advance(new, "issued")
    original.refresh_from_db()
    assert original.status == OutgoingStatus.ISSUED
    assert original.steps.filter(kind=OutgoingStepKind.UPDATED_BY).count() == 1
    rows = sorted(Delivery.objects.filter(document=new).values_list("organ_id", "kind"))
    # The original's recipient gets the update; a recipient new to this document gets it sent.
    assert rows == [("000.00.00.H06", DeliveryKind.SEND), ("000.00.15.H06", DeliveryKind.UPDATE)]
    # A later update is possible once this one is issued.
    second = _revise(dept, original, RevisionKind.UPDATE)
    assert second.revises == original
    # Recalling the update reaches every agency it went to, as an update or as a document.
    actions.recall(dept.clerk, document=new, reason="Đính chính nhầm")
    notices = Delivery.objects.filter(document=new, kind=DeliveryKind.RECALL)
    assert sorted(notices.values_list("organ_id", flat=True)) == ["000.00.00.H06", "000.00.15.H06"]


def test_updating_a_draft_is_refused(dept):
    draft = dept.draft()
    with pytest.raises(ValidationError) as caught:
        _revise(dept, draft, RevisionKind.UPDATE)
    assert caught.value.code == "invalid_transition"
    assert "Dự thảo" in caught.value.messages[0]
    assert OutgoingDocument.objects.count() == 1


def test_replacing_a_recalled_document_is_refused(dept):
    recalled = dept.advance(dept.draft(), "recalled")
    with pytest.raises(ValidationError) as caught:
        _revise(dept, recalled, RevisionKind.REPLACE)
    assert caught.value.code == "invalid_transition"
    assert "Đã thu hồi" in caught.value.messages[0]
    assert not recalled.revisions.exists()


def test_replacing_twice_and_two_updates_at_once_are_refused(dept):
    original = _issued(dept)
    first = _revise(dept, original, RevisionKind.REPLACE)
    with pytest.raises(ValidationError) as caught:
        _revise(dept, original, RevisionKind.REPLACE)
    assert caught.value.code == "already_replaced"
    assert "đã có văn bản thay thế" in caught.value.messages[0]
    _revise(dept, original, RevisionKind.UPDATE)
    with pytest.raises(ValidationError) as caught:
        _revise(dept, original, RevisionKind.UPDATE)
    assert caught.value.code == "revision_in_progress"
    # A withdrawn replacement frees the place for another one.
    actions.withdraw(dept.officer, document=first, reason="Soạn lại")
    assert _revise(dept, original, RevisionKind.REPLACE).revises == original
    assert original.revisions.count() == 3


def test_an_unknown_kind_is_refused(dept):
    original = _issued(dept)
    with pytest.raises(ValidationError) as caught:
        _revise(dept, original, "delete")
    assert "kind" in caught.value.message_dict


def test_issuing_a_replacement_of_a_document_recalled_meanwhile_uses_no_number(dept):
    original = _issued(dept)
    new = dept.advance(_revise(dept, original, RevisionKind.REPLACE), "signed")
    actions.recall(dept.clerk, document=original, reason="Sai đối tượng")
    with pytest.raises(ValidationError) as caught:
        actions.issue(dept.clerk, document=new)
    assert caught.value.code == "original_changed"
    assert RegisterBook.objects.get().last_number == 1
    new.refresh_from_db()
    assert new.status == OutgoingStatus.SIGNED and new.register_number is None
    assert not Delivery.objects.filter(document=new).exists()


def test_who_may_draft_a_revision(dept):
    original = _issued(dept)
    other_leader_of_unit = make_member(
        dept.agency, "unit_leader", unit=dept.other_unit, username="tp2_so"
    )
    for person in (dept.clerk, dept.officer2, dept.admin, dept.outsider, other_leader_of_unit):
        with pytest.raises(PermissionDenied):
            _revise(dept, original, RevisionKind.UPDATE, actor=person)
    assert not original.revisions.exists()
    for person in (dept.officer, dept.leader, dept.unit_leader):
        new = _revise(dept, original, RevisionKind.UPDATE, actor=person)
        assert new.drafter == person
        actions.withdraw(person, document=new)


def test_a_secret_revision_queues_nothing(dept):
    original = _issued(dept, secrecy="confidential")
    new = dept.advance(_revise(dept, original, RevisionKind.REPLACE), "issued")
    assert new.secrecy == "confidential"
    assert not Delivery.objects.filter(document=new).exists()
    assert OutgoingDocument.objects.get(pk=original.pk).status == OutgoingStatus.REPLACED


# --- Pages and API ------------------------------------------------------------------------------


def test_the_pages_show_the_chain_both_ways(client, dept):
    from django.urls import reverse

    original = _issued(dept)
    client.force_login(dept.officer)
    page = reverse("documents:outgoing_detail", args=[original.pk])
    body = client.get(page).content.decode()
    assert 'data-step-card="revise"' in body
    response = client.post(
        reverse("documents:outgoing_step", args=[original.pk, "revise"]),
        {
            "revise-kind": "replace",
            "revise-subject": "V/v thay thế",
            "revise-main_file": samples.draft_pdf_upload("thay-the.pdf", "thay thế"),
        },
    )
    new = OutgoingDocument.objects.get(revises=original)
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:outgoing_detail", args=[new.pk])
    body = client.get(response["Location"]).content.decode()
    assert 'data-testid="revises"' in body and "01/STTTT-CNTT" in body
    assert "Thay thế" in body
    body = client.get(page).content.decode()
    assert 'data-revision-kind="replace"' in body and "Dự thảo" in body

    new = dept.advance(new, "issued")
    client.force_login(dept.clerk)
    body = client.get(page).content.decode()
    assert 'data-testid="replaced-note"' in body and new.number_and_notation in body
    assert 'data-step-card="revise"' not in body and 'data-step-card="recall"' not in body


def test_a_refused_revision_shows_a_clear_error_on_the_page(client, dept):
    from django.urls import reverse

    original = _issued(dept)
    _revise(dept, original, RevisionKind.REPLACE)
    client.force_login(dept.officer)
    response = client.post(
        reverse("documents:outgoing_step", args=[original.pk, "revise"]),
        {"revise-kind": "replace"},
    )
    assert response.status_code == 200
    assert "đã có văn bản thay thế" in response.content.decode()
    assert original.revisions.count() == 1


def test_revise_through_the_api(api_client, dept):
    original = _issued(dept)
    api_client.force_authenticate(dept.officer)
    url = f"/api/v1/outgoing-documents/{original.pk}/revise/"
    response = api_client.post(url, {"kind": "update"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["revision_kind"] == "update"
    assert body["revises"]["id"] == original.pk
    assert body["revises"]["number_and_notation"] == "01/STTTT-CNTT"
    assert body["subject"] == original.subject
    again = api_client.post(url, {"kind": "update"}, format="json")
    assert again.status_code == 400
    (message,) = again.json()["error"]["details"]["non_field_errors"]
    assert "chưa ban hành" in message
    bad = api_client.post(url, {"kind": "delete"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["details"]
    detail = api_client.get(f"/api/v1/outgoing-documents/{original.pk}/").json()
    assert [(r["id"], r["revision_kind"], r["status"]) for r in detail["revisions"]] == [
        (body["id"], "update", "draft")
    ]
    api_client.force_authenticate(dept.officer2)
    assert api_client.post(url, {"kind": "update"}, format="json").status_code in (403, 404)
    draft = dept.draft()
    api_client.force_authenticate(dept.officer)
    response = api_client.post(
        f"/api/v1/outgoing-documents/{draft.pk}/revise/", {"kind": "update"}, format="json"
    )
    assert response.status_code == 400
    (message,) = response.json()["error"]["details"]["non_field_errors"]
    assert "Dự thảo" in message


def test_the_register_keeps_the_replaced_original_with_a_note(dept):
    from coquan.documents import outgoing_register

    original = _issued(dept)
    dept.advance(_revise(dept, original, RevisionKind.REPLACE), "issued")
    original.refresh_from_db()
    register = outgoing_register.build(
        dept.clerk, dept.agency, original.register_book.series, original.register_book.year
    )
    assert [row[0] for row in register.rows] == ["01/STTTT-CNTT", "02/STTTT-CNTT"]
    assert "Đã bị thay thế" in register.rows[0][9]
