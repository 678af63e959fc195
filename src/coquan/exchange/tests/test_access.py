"""The access matrix of every exchange page and API endpoint (roles clerk and admin)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.exchange import outbox
from coquan.exchange.actions import receive_package
from coquan.exchange.edxml import build_document_package
from coquan.exchange.models import Route
from coquan.exchange.tests.helpers import make_package

ROLES = ("clerk", "admin")


def package_for(world) -> bytes:
    return build_document_package(make_package(recipients=(world.agency.organ_id,)))


def received(world) -> None:
    receipt = receive_package(None, agency=world.agency, raw=package_for(world), source="local")
    world.objects["package"] = receipt.package


def recall_received(world) -> None:
    """A document received, then its recall (``BussinessDocType`` 1) from the same sender."""
    from coquan.exchange.edxml import Business

    received(world)
    original = world.objects["package"]
    recall = make_package(
        recipients=(world.agency.organ_id,),
        business=Business(
            document_id=original.document_id, doc_type=1, doc_reason="Ban hành nhầm", paper=0
        ),
    )
    receipt = receive_package(
        None, agency=world.agency, raw=build_document_package(recall), source="local"
    )
    assert receipt.accepted, receipt.refusal
    world.objects["package"] = receipt.package


def status_undeliverable(world) -> None:
    """A document received whose status 01 back could not be delivered."""
    from coquan.exchange.models import OutboxMessage

    received(world)
    status = world.objects["package"].statuses.get(status_code="01")
    OutboxMessage.objects.filter(status=status).update(state="failed", last_error="down")
    world.objects["status"] = status


def delivery_failed(world) -> None:
    """A document of the agency issued to the other agency, whose node is unreachable:
    the delivery failed (one attempt allowed), so "retry" queues it again."""
    from django.test import override_settings

    from coquan.core.testing.factories import make_member
    from coquan.documents import actions as documents
    from coquan.documents.choices import RecipientKind
    from coquan.documents.models import DocumentType
    from coquan.documents.tests.conftest import give_keys
    from coquan.documents.tests.samples import draft_pdf_upload

    officer = make_member(world.agency, "officer", unit=world.unit, username="x_officer")
    leader = make_member(world.agency, "leader", username="x_leader")
    clerk = make_member(world.agency, "clerk", username="x_clerk")
    give_keys(world.agency, leader)
    draft = documents.create_draft(
        officer,
        agency=world.agency,
        document_type=DocumentType.objects.get(agency=None, code="cong-van"),
        subject="Văn bản gửi liên thông",
        signer=leader,
        drafting_unit=world.unit,
        recipients=[(RecipientKind.AGENCY, world.other)],
        main_file=draft_pdf_upload(),
    )
    draft = documents.submit(officer, document=draft, skip_review=True, form_check=False)
    draft = documents.approve(leader, document=draft)
    draft = documents.sign(leader, document=draft)
    issued = documents.issue(clerk, document=draft)
    Route.objects.create(
        organ_id=world.other.organ_id, transport="http", endpoint="http://127.0.0.1:9/"
    )
    with override_settings(COQUAN_EXCHANGE_MAX_ATTEMPTS=1):
        assert outbox.run_until_idle() == {"failed": 1}
    world.objects["delivery"] = issued.deliveries.get()


def _agency(world) -> str:
    return f"?agency={world.agency.pk}"


def _cong_van(world):
    from coquan.documents.models import DocumentType

    return DocumentType.objects.available_to(world.agency).get(name="Công văn").pk


def _package(world):
    return world.objects["package"].pk


ENDPOINTS = [
    Endpoint("web-home", lambda w: reverse("exchange:home") + _agency(w), roles=ROLES),
    Endpoint("web-upload-form", lambda w: reverse("exchange:upload") + _agency(w), roles=ROLES),
    Endpoint(
        "web-upload",
        lambda w: reverse("exchange:upload") + _agency(w),
        method="post",
        roles=ROLES,
        data=lambda w: {"file": SimpleUploadedFile("goi.edxml", package_for(w))},
    ),
    Endpoint(
        "web-detail",
        lambda w: reverse("exchange:package_detail", args=[_package(w)]),
        roles=ROLES,
        object_endpoint=True,
        setup=received,
    ),
    Endpoint(
        "web-raw",
        lambda w: reverse("exchange:package_raw", args=[_package(w)]),
        roles=ROLES,
        object_endpoint=True,
        setup=received,
    ),
    Endpoint(
        "web-attachment",
        lambda w: reverse("exchange:attachment_download", args=[_package(w), 1]),
        roles=ROLES,
        object_endpoint=True,
        setup=received,
    ),
    Endpoint(
        "web-refuse",
        lambda w: reverse("exchange:package_refuse", args=[_package(w)]),
        method="post",
        roles=ROLES,
        object_endpoint=True,
        setup=received,
        data=lambda w: {"reason": "Không thuộc thẩm quyền"},
    ),
    Endpoint(
        "web-register",
        lambda w: reverse("exchange:package_register", args=[_package(w)]),
        method="post",
        roles=("clerk",),
        object_endpoint=True,
        setup=received,
        data=lambda w: {"document_type": _cong_van(w)},
    ),
    Endpoint(
        "web-recall-answer",
        lambda w: reverse("exchange:package_recall", args=[_package(w)]),
        method="post",
        roles=ROLES,
        object_endpoint=True,
        setup=recall_received,
        data=lambda w: {"decision": "accept"},
    ),
    Endpoint(
        "web-reconciliation",
        lambda w: reverse("exchange:reconciliation") + _agency(w),
        roles=ROLES,
    ),
    Endpoint(
        "web-status-resend",
        lambda w: reverse("exchange:status_resend", args=[w.objects["status"].pk]),
        method="post",
        roles=ROLES,
        object_endpoint=True,
        setup=status_undeliverable,
    ),
    Endpoint(
        "api-status-resend",
        lambda w: f"/api/v1/exchange/statuses/{w.objects['status'].pk}/resend/",
        method="post",
        roles=ROLES,
        api=True,
        object_endpoint=True,
        setup=status_undeliverable,
    ),
    Endpoint(
        "web-delivery-retry",
        lambda w: reverse("exchange:delivery_retry", args=[w.objects["delivery"].pk]),
        method="post",
        roles=ROLES,
        object_endpoint=True,
        setup=delivery_failed,
    ),
    Endpoint(
        "api-list",
        lambda w: "/api/v1/exchange/packages/" + _agency(w),
        roles=ROLES,
        api=True,
        setup=received,
    ),
    Endpoint(
        "api-detail",
        lambda w: f"/api/v1/exchange/packages/{_package(w)}/",
        roles=ROLES,
        api=True,
        object_endpoint=True,
        setup=received,
    ),
    Endpoint(
        "api-register",
        lambda w: f"/api/v1/exchange/packages/{_package(w)}/register/",
        method="post",
        roles=("clerk",),
        api=True,
        object_endpoint=True,
        setup=received,
        data=lambda w: {"document_type": _cong_van(w)},
    ),
    Endpoint(
        "api-refuse",
        lambda w: f"/api/v1/exchange/packages/{_package(w)}/refuse/",
        method="post",
        roles=ROLES,
        api=True,
        object_endpoint=True,
        setup=received,
        data=lambda w: {"reason": "Không thuộc thẩm quyền"},
    ),
    Endpoint(
        "api-recall-answer",
        lambda w: f"/api/v1/exchange/packages/{_package(w)}/recall-answer/",
        method="post",
        roles=ROLES,
        api=True,
        object_endpoint=True,
        setup=recall_received,
        data=lambda w: {"decision": "accept"},
    ),
    Endpoint(
        "api-deliveries",
        lambda w: "/api/v1/exchange/deliveries/" + _agency(w),
        roles=ROLES,
        api=True,
    ),
    Endpoint(
        "api-delivery-retry",
        lambda w: f"/api/v1/exchange/deliveries/{w.objects['delivery'].pk}/retry/",
        method="post",
        roles=ROLES,
        api=True,
        object_endpoint=True,
        setup=delivery_failed,
    ),
    Endpoint(
        "api-receive",
        lambda w: "/api/v1/exchange/packages/" + _agency(w),
        method="post",
        roles=ROLES,
        api=True,
        data=package_for,
        content_type="application/xml",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint,actor", access_matrix_params(ENDPOINTS))
def test_access_matrix(client, world, endpoint, actor):
    check_access(client, world, endpoint, actor)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_alone_is_enough(client, world, role):
    from coquan.core.testing.factories import make_member

    received(world)
    client.force_login(make_member(world.agency, role))
    assert client.get(reverse("exchange:home")).status_code == 200
    detail = reverse("exchange:package_detail", args=[_package(world)])
    assert client.get(detail).status_code == 200


@pytest.mark.django_db
def test_officers_do_not_see_the_exchange_menu(client, world):
    from coquan.core.testing.factories import make_member

    client.force_login(make_member(world.agency, "officer"))
    page = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("exchange:home") not in page
    client.force_login(make_member(world.agency, "clerk"))
    page = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("exchange:home") in page
