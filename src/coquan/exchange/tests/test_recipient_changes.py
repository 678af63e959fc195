"""An update that changes the recipient list (``DocumentReceiver`` 1, ``ReceiverList``,
standards §1.4): the sender lists who was removed (0) and added (1); a receiver removed
answers it like a recall (15 cancels its incoming document, 16 refuses with a reason) and
cannot register it; a receiver added registers it.

Three agencies of one deployment (local transport), through the real documents actions,
receive pipeline, exchange actions, pages and API.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coquan.core.testing.factories import AgencyFactory, make_member
from coquan.documents import actions as documents
from coquan.documents.choices import RecipientKind, RecipientPurpose
from coquan.documents.models import OutgoingRecipient
from coquan.exchange import outbox
from coquan.exchange.actions import answer_recall, install_agency_key, register_package
from coquan.exchange.edxml import parse_package
from coquan.exchange.models import ReceivedPackage, RecipientStatus
from coquan.exchange.tests.helpers import RECIPIENT, key_pair, make_package
from coquan.exchange.tests.test_outbox import dept, partner_clerk  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def make_commune():
    agency = AgencyFactory(organ_id="000.01.40.H06", name="UBND xã Đức Thắng", short_name="UBND")
    key_pem, cert_pem = key_pair(agency.organ_id)
    install_agency_key(None, agency=agency, private_key_pem=key_pem, certificate_pem=cert_pem)
    return agency


def moved_world(sender, clerk, commune):
    """The original went to Sở Tài chính, which registered it; its update goes to the
    commune instead (Sở Tài chính removed, the commune added). Returns the original, the
    update, Sở Tài chính's incoming document and the update package it received."""
    from coquan.documents.tests import samples

    original = sender.advance(sender.draft(subject="V/v kế hoạch năm"), "issued")
    outbox.run_until_idle()
    received = ReceivedPackage.objects.get(agency=sender.partner, business_doc_type=0)
    incoming, _status = register_package(clerk, package=received)
    outbox.run_until_idle()
    draft = documents.create_revision(
        sender.officer,
        document=original,
        kind="update",
        subject="V/v kế hoạch năm (điều chỉnh nơi nhận)",
        main_file=samples.draft_pdf_upload("sua-doi.pdf", "sửa đổi"),
    )
    draft.recipients.filter(agency=sender.partner).delete()
    OutgoingRecipient.objects.create(
        document=draft, kind=RecipientKind.AGENCY, agency=commune, purpose=RecipientPurpose.ACTION
    )
    revision = sender.advance(draft, "issued")
    outbox.run_until_idle()
    update = ReceivedPackage.objects.get(agency=sender.partner, business_doc_type=2)
    return original, revision, incoming, update


@pytest.fixture
def commune(dept):  # noqa: F811
    return make_commune()


@pytest.fixture
def moved(dept, partner_clerk, commune):  # noqa: F811
    return moved_world(dept, partner_clerk, commune)


def test_the_update_lists_who_was_removed_and_who_added(dept, commune, moved):  # noqa: F811
    _original, revision, _incoming, update = moved
    to_partner = revision.deliveries.get(organ_id=dept.partner.organ_id)
    to_commune = revision.deliveries.get(organ_id=commune.organ_id)
    assert (to_partner.kind, to_commune.kind) == ("update", "send")
    info = parse_package(bytes(to_partner.outbox.content)).business.document_info
    assert (info.document_info, info.document_receiver) == (1, 1)
    assert [(r.organ_id, r.receiver_type) for r in info.receivers] == [
        (dept.partner.organ_id, 0),
        (commune.organ_id, 1),
    ]
    # The commune never had the original: it gets the update as a new document.
    assert ReceivedPackage.objects.get(agency=commune).business_doc_type == 0
    assert update.recipient_change == 0 and update.withdraws


def test_an_update_to_the_same_recipients_lists_no_change(dept):  # noqa: F811
    from coquan.documents.tests import samples

    original = dept.advance(dept.draft(subject="V/v gốc"), "issued")
    revision = dept.advance(
        documents.create_revision(
            dept.officer,
            document=original,
            kind="update",
            main_file=samples.draft_pdf_upload("sua-doi.pdf", "sửa đổi"),
        ),
        "issued",
    )
    info = parse_package(outbox.build_delivery_package(revision.deliveries.get())).business
    assert (info.document_info.document_receiver, info.document_info.receivers) == (0, [])


def test_the_removed_agency_accepts_and_its_incoming_document_is_cancelled(
    client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
    moved,
):
    _original, revision, incoming, update = moved
    client.force_login(partner_clerk)
    url = reverse("exchange:package_detail", args=[update.pk])
    page = client.get(url).content.decode()
    assert "Cơ quan gửi bỏ cơ quan này khỏi nơi nhận" in page
    assert 'name="document_type"' not in page  # no register form
    assert 'data-testid="recall-form"' in page and "Đồng ý bỏ khỏi nơi nhận" in page
    with pytest.raises(ValidationError) as caught:
        register_package(partner_clerk, package=update)
    assert caught.value.code == "removed_from_recipients"

    # Refusing needs a reason (the form says so; nothing changes).
    response = client.post(
        reverse("exchange:package_recall", args=[update.pk]), {"decision": "refuse"}
    )
    assert response.status_code == 400
    assert "Hãy nêu lý do từ chối việc bỏ khỏi nơi nhận." in response.content.decode()
    update.refresh_from_db()
    assert update.state == "parsed"

    response = client.post(
        reverse("exchange:package_recall", args=[update.pk]), {"decision": "accept"}, follow=True
    )
    assert "Đã đồng ý bỏ khỏi nơi nhận; nơi gửi sẽ được báo." in response.content.decode()
    incoming.refresh_from_db()
    assert incoming.status == "recalled"
    recalled_step = incoming.steps.get(kind="recalled")
    assert f"Bị bỏ khỏi nơi nhận theo văn bản cập nhật {update.document_id}" in (recalled_step.text)
    original_package = ReceivedPackage.objects.get(agency=dept.partner, business_doc_type=0)
    assert original_package.state == "recalled"
    page = client.get(
        reverse("exchange:package_detail", args=[original_package.pk])
    ).content.decode()
    assert "Cơ quan gửi đã bỏ cơ quan này khỏi nơi nhận của văn bản" in page

    outbox.run_until_idle()  # 15 goes back to the sender
    delivery = revision.deliveries.get(organ_id=dept.partner.organ_id)
    codes = set(RecipientStatus.objects.filter(delivery=delivery).values_list("code", flat=True))
    assert "15" in codes


def test_the_removed_agency_refuses_through_the_api(
    client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
    moved,
):
    _original, revision, incoming, update = moved
    client.force_login(partner_clerk)
    base = f"/api/v1/exchange/packages/{update.pk}/"
    detail = client.get(base).json()
    assert (detail["recipient_change"], detail["withdraws"]) == (0, True)
    refused = client.post(f"{base}register/", {}, content_type="application/json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "invalid"
    assert "bỏ cơ quan của bạn khỏi nơi nhận" in error["details"]["non_field_errors"][0]
    answered = client.post(
        f"{base}recall-answer/",
        {"decision": "refuse", "reason": "Văn bản vẫn thuộc thẩm quyền của Sở"},
        content_type="application/json",
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == "refused"
    incoming.refresh_from_db()
    assert incoming.status != "recalled"
    outbox.run_until_idle()
    delivery = revision.deliveries.get(organ_id=dept.partner.organ_id)
    assert "16" in set(
        RecipientStatus.objects.filter(delivery=delivery).values_list("code", flat=True)
    )
    # Answered once.
    with pytest.raises(ValidationError):
        answer_recall(partner_clerk, package=update, accept=True)


def test_an_update_from_another_system_adding_this_agency_is_registered(client, dept):  # noqa: F811
    """A system that sends the update itself to an added recipient (ReceiverType 1)."""
    from coquan.exchange.actions import receive_package
    from coquan.exchange.edxml import build_document_package
    from coquan.exchange.edxml.model import Business, BusinessDocumentInfo, Receiver

    recipient = AgencyFactory(organ_id=RECIPIENT, name="UBND xã Đức Thắng", short_name="UBND")
    clerk = make_member(recipient, "clerk", username="vt_xa", full_name="Lê Văn Thư")
    package = make_package(
        number="126",
        business=Business(
            document_id=make_package(number="125").document_id,
            doc_type=2,
            doc_reason="Cập nhật văn bản điện tử",
            paper=0,
            document_info=BusinessDocumentInfo(
                document_info=1,
                document_receiver=1,
                receivers=[Receiver(organ_id=RECIPIENT, receiver_type=1)],
            ),
        ),
    )
    receipt = receive_package(
        None, agency=recipient, raw=build_document_package(package), source="api"
    )
    received = receipt.package
    assert (received.recipient_change, received.withdraws) == (1, False)
    client.force_login(clerk)
    page = client.get(reverse("exchange:package_detail", args=[received.pk])).content.decode()
    assert "bổ sung cơ quan này vào nơi nhận" in page and 'name="document_type"' in page
    document, _status = register_package(clerk, package=received)
    assert document.edxml_document_id == received.document_id
