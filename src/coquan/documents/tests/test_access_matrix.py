"""The access matrix for every page and API endpoint of incoming documents.

Actors (core/testing/access_matrix.py): anonymous, a person of another agency holding every
role there, a member without the endpoint's role, a member with it, and, where the endpoint
has an ``involve`` hook, a member without the role who is involved (lead handler or
co-handler). Documents are created through the real actions; their lead is a person of a
separate unit, so the matrix's own users are never involved by accident.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse
from django.utils import timezone

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import UnitFactory, make_member
from coquan.documents import actions
from coquan.documents.models import DocumentType, IncomingDocument
from coquan.documents.tests.samples import pdf_upload


def _staff(world) -> dict:
    objects = world.objects
    if "clerk" not in objects:
        unit = UnitFactory(agency=world.agency, code="TH", name="Phòng Tổng hợp")
        objects["clerk"] = make_member(world.agency, "clerk", username="setup_clerk")
        objects["leader"] = make_member(world.agency, "leader", username="setup_leader")
        objects["officer"] = make_member(
            world.agency, "officer", unit=unit, username="setup_officer"
        )
    return objects


def _doc(world) -> IncomingDocument:
    return IncomingDocument.objects.get(pk=world.objects["doc"].pk)


def doc_in(state: str):
    """A setup hook: a document of the world's agency in ``state``, with one PDF."""

    def setup(world) -> None:
        staff = _staff(world)
        doc = actions.register_incoming(
            staff["clerk"],
            agency=world.agency,
            document_type=DocumentType.objects.get(agency=None, code="cong-van"),
            subject="Văn bản kiểm tra quyền truy cập",
            issued_date=timezone.localdate() - dt.timedelta(days=1),
            issuer_name="Sở Nội vụ",
            code_number="15",
            code_notation="SNV-VP",
            files=[pdf_upload()],
        )
        if state in ("presented", "assigned", "done"):
            doc = actions.present(staff["clerk"], document=doc, leader=staff["leader"])
        if state in ("assigned", "done"):
            doc = actions.assign(
                staff["leader"], document=doc, lead_user=staff["officer"], due_days=3
            )
        if state == "done":
            doc = actions.complete(staff["officer"], document=doc, result_note="Xong")
        world.objects["doc"] = doc

    return setup


def involve_as_lead(world, user) -> None:
    staff = _staff(world)
    doc = _doc(world)
    if doc.status == "registered":
        doc = actions.present(staff["clerk"], document=doc, leader=staff["leader"])
    actions.assign(staff["leader"], document=doc, lead_user=user, due_days=3)


def involve_as_co_handler(world, user) -> None:
    staff = _staff(world)
    actions.assign(
        staff["leader"],
        document=_doc(world),
        lead_user=staff["officer"],
        co_handlers=[user],
        due_days=3,
    )


def web_step(step: str) -> callable:
    return lambda w: reverse("documents:incoming_step", args=[w.objects["doc"].pk, step])


def api_step(suffix: str) -> callable:
    return lambda w: f"/api/v1/incoming-documents/{w.objects['doc'].pk}/{suffix}"


def register_form(world) -> dict:
    return {
        "document_type": DocumentType.objects.get(agency=None, code="cong-van").pk,
        "issued_date": (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "issuer_name": "Sở Y tế",
        "subject": "V/v phòng chống dịch",
        "urgency": "0",
        "secrecy": "none",
        "files": [pdf_upload()],
    }


def register_json(world) -> dict:
    return {
        "document_type": DocumentType.objects.get(agency=None, code="cong-van").pk,
        "issued_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "issuer_name": "Sở Y tế",
        "subject": "V/v phòng chống dịch",
    }


def _download_url(world) -> str:
    doc = world.objects["doc"]
    return reverse("documents:attachment_download", args=[doc.pk, doc.attachments.first().pk])


def _api_download_url(world) -> str:
    doc = world.objects["doc"]
    return reverse(
        "api:incoming-document-download",
        kwargs={"pk": doc.pk, "attachment_pk": doc.attachments.first().pk},
    )


def _leader(world):
    return _staff(world)["leader"].pk


def _officer(world):
    return _staff(world)["officer"].pk


def _agency(world) -> str:
    return f"?agency={world.agency.pk}"


def _book(kind: str, extra: str = "") -> callable:
    return lambda w: reverse("documents:incoming_register", args=[kind]) + _agency(w) + extra


REGISTERS = [
    Endpoint("web-register-book", _book("register"), roles=("clerk",), setup=doc_in("done")),
    Endpoint("web-register-book-leader", _book("register"), roles=("leader",)),
    Endpoint("web-register-pdf", _book("register", "&format=pdf"), roles=("clerk",)),
    Endpoint("web-tracking-xlsx", _book("tracking", "&format=xlsx"), roles=("leader",)),
    Endpoint(
        "web-handling-report",
        lambda w: reverse("documents:handling_report") + _agency(w) + "&format=xlsx",
        roles=("clerk",),
    ),
    Endpoint(
        "web-document-types",
        lambda w: reverse("documents:document_types") + _agency(w),
        roles=("admin",),
    ),
    Endpoint(
        "web-document-type-save",
        lambda w: reverse("documents:document_types") + _agency(w),
        method="post",
        roles=("admin",),
        data=lambda w: {"name": "Phiếu chuyển", "abbreviation": "PC", "is_active": "on"},
    ),
    Endpoint(
        "api-register-book",
        lambda w: "/api/v1/incoming-registers/register/" + _agency(w),
        roles=("clerk",),
        api=True,
        setup=doc_in("assigned"),
    ),
    Endpoint(
        "api-tracking-pdf",
        lambda w: "/api/v1/incoming-registers/tracking/" + _agency(w) + "&output=pdf",
        roles=("leader",),
        api=True,
    ),
    Endpoint(
        "api-handling-report",
        lambda w: "/api/v1/incoming-registers/handling/" + _agency(w),
        roles=("leader",),
        api=True,
    ),
]

WEB = [
    Endpoint("web-list", lambda w: reverse("documents:incoming_list") + _agency(w)),
    Endpoint(
        "web-list-queue",
        lambda w: reverse("documents:incoming_list") + _agency(w) + "&queue=to_present",
        setup=doc_in("registered"),
    ),
    Endpoint(
        "web-register-form",
        lambda w: reverse("documents:incoming_create") + _agency(w),
        roles=("clerk",),
    ),
    Endpoint(
        "web-register",
        lambda w: reverse("documents:incoming_create") + _agency(w),
        method="post",
        roles=("clerk",),
        data=register_form,
    ),
    Endpoint(
        "web-detail",
        lambda w: reverse("documents:incoming_detail", args=[w.objects["doc"].pk]),
        roles=("clerk",),
        object_endpoint=True,
        setup=doc_in("registered"),
        involve=involve_as_lead,
    ),
    Endpoint(
        "web-download",
        _download_url,
        roles=("clerk",),
        object_endpoint=True,
        setup=doc_in("registered"),
        involve=involve_as_lead,
    ),
    Endpoint(
        "web-present-form",
        web_step("present"),
        roles=("clerk",),
        object_endpoint=True,
        setup=doc_in("registered"),
    ),
    Endpoint(
        "web-present",
        web_step("present"),
        method="post",
        roles=("clerk",),
        object_endpoint=True,
        setup=doc_in("registered"),
        data=lambda w: {"present-leader": _leader(w)},
    ),
    Endpoint(
        "web-assign-form",
        web_step("assign"),
        roles=("leader",),
        object_endpoint=True,
        setup=doc_in("presented"),
    ),
    Endpoint(
        "web-assign",
        web_step("assign"),
        method="post",
        roles=("leader",),
        object_endpoint=True,
        setup=doc_in("presented"),
        data=lambda w: {"assign-lead": f"user:{_officer(w)}", "assign-due_days": "3"},
    ),
    Endpoint(
        "web-start",
        web_step("start"),
        method="post",
        roles=("leader",),
        object_endpoint=True,
        setup=doc_in("assigned"),
        involve=involve_as_lead,
        data=lambda w: {},
    ),
    Endpoint(
        "web-opinion",
        web_step("opinion"),
        method="post",
        roles=("leader",),
        object_endpoint=True,
        setup=doc_in("assigned"),
        involve=involve_as_co_handler,
        data=lambda w: {"opinion-text": "Thống nhất", "opinion-files": [pdf_upload()]},
    ),
    Endpoint(
        "web-add-file",
        web_step("add_file"),
        method="post",
        roles=("clerk",),
        object_endpoint=True,
        setup=doc_in("assigned"),
        involve=involve_as_lead,
        data=lambda w: {"add_file-file": pdf_upload("bo-sung.pdf")},
    ),
    Endpoint(
        "web-complete",
        web_step("complete"),
        method="post",
        roles=("leader",),
        object_endpoint=True,
        setup=doc_in("assigned"),
        involve=involve_as_lead,
        data=lambda w: {"complete-text": "Đã xử lý"},
    ),
    Endpoint(
        "web-reopen",
        web_step("reopen"),
        method="post",
        roles=("leader",),
        object_endpoint=True,
        setup=doc_in("done"),
        data=lambda w: {"reopen-text": "Bổ sung"},
    ),
    Endpoint(
        "web-return",
        web_step("return"),
        method="post",
        roles=("leader",),
        object_endpoint=True,
        setup=doc_in("assigned"),
        involve=involve_as_lead,
        data=lambda w: {"return-text": "Không thuộc thẩm quyền"},
    ),
    Endpoint(
        "web-refuse",
        web_step("refuse"),
        method="post",
        roles=("clerk",),
        object_endpoint=True,
        setup=doc_in("registered"),
        data=lambda w: {"refuse-text": "Gửi nhầm"},
    ),
]

API = [
    Endpoint("api-list", lambda w: "/api/v1/incoming-documents/" + _agency(w), api=True),
    Endpoint("api-document-types", lambda w: "/api/v1/document-types/" + _agency(w), api=True),
    Endpoint(
        "api-register",
        lambda w: "/api/v1/incoming-documents/" + _agency(w),
        method="post",
        roles=("clerk",),
        api=True,
        data=register_json,
    ),
    Endpoint(
        "api-register-multipart",
        lambda w: "/api/v1/incoming-documents/" + _agency(w),
        method="post",
        roles=("clerk",),
        api=True,
        data=register_form,
        content_type=MULTIPART_CONTENT,
    ),
    Endpoint(
        "api-detail",
        api_step(""),
        roles=("clerk",),
        api=True,
        object_endpoint=True,
        setup=doc_in("registered"),
        involve=involve_as_lead,
    ),
    Endpoint(
        "api-download",
        _api_download_url,
        roles=("clerk",),
        api=True,
        object_endpoint=True,
        setup=doc_in("registered"),
        involve=involve_as_lead,
    ),
    Endpoint(
        "api-present",
        api_step("present/"),
        method="post",
        roles=("clerk",),
        api=True,
        object_endpoint=True,
        setup=doc_in("registered"),
        data=lambda w: {"leader": _leader(w)},
    ),
    Endpoint(
        "api-assign",
        api_step("assign/"),
        method="post",
        roles=("leader",),
        api=True,
        object_endpoint=True,
        setup=doc_in("presented"),
        data=lambda w: {"lead_user": _officer(w), "due_days": 3},
    ),
    Endpoint(
        "api-start",
        api_step("start/"),
        method="post",
        roles=("leader",),
        api=True,
        object_endpoint=True,
        setup=doc_in("assigned"),
        involve=involve_as_lead,
        data=lambda w: {},
    ),
    Endpoint(
        "api-opinion",
        api_step("opinions/"),
        method="post",
        roles=("leader",),
        api=True,
        object_endpoint=True,
        setup=doc_in("assigned"),
        involve=involve_as_co_handler,
        data=lambda w: {"text": "Thống nhất"},
    ),
    Endpoint(
        "api-attachment-upload",
        api_step("attachments/"),
        method="post",
        roles=("clerk",),
        api=True,
        object_endpoint=True,
        setup=doc_in("assigned"),
        involve=involve_as_lead,
        data=lambda w: {"file": pdf_upload("bo-sung.pdf")},
        content_type=MULTIPART_CONTENT,
    ),
    Endpoint(
        "api-complete",
        api_step("complete/"),
        method="post",
        roles=("leader",),
        api=True,
        object_endpoint=True,
        setup=doc_in("assigned"),
        involve=involve_as_lead,
        data=lambda w: {"result_note": "Đã xử lý"},
    ),
    Endpoint(
        "api-reopen",
        api_step("reopen/"),
        method="post",
        roles=("leader",),
        api=True,
        object_endpoint=True,
        setup=doc_in("done"),
        data=lambda w: {"reason": "Bổ sung"},
    ),
    Endpoint(
        "api-return",
        api_step("return/"),
        method="post",
        roles=("leader",),
        api=True,
        object_endpoint=True,
        setup=doc_in("assigned"),
        involve=involve_as_lead,
        data=lambda w: {"reason": "Không thuộc thẩm quyền"},
    ),
    Endpoint(
        "api-refuse",
        api_step("refuse/"),
        method="post",
        roles=("clerk",),
        api=True,
        object_endpoint=True,
        setup=doc_in("registered"),
        data=lambda w: {"reason": "Gửi nhầm"},
    ),
]

ENDPOINTS = WEB + API + REGISTERS


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint,actor", access_matrix_params(ENDPOINTS))
def test_access_matrix(client, world, endpoint, actor):
    check_access(client, world, endpoint, actor)


def test_every_route_of_the_app_is_in_the_matrix():
    """A new page, step or API action must be added to ENDPOINTS (and so to the matrix)."""
    from django.urls import get_resolver

    from coquan.documents.api.views import IncomingDocumentViewSet
    from coquan.documents.step_views import STEPS

    names = {endpoint.name for endpoint in ENDPOINTS}
    documents = get_resolver().namespace_dict["documents"][1]
    url_names = {name for name in documents.reverse_dict if isinstance(name, str)}
    from coquan.documents.tests.test_outgoing_access_matrix import ROUTE_NAMES

    assert (
        url_names
        == {
            "index",
            "incoming_list",
            "incoming_create",
            "incoming_detail",
            "attachment_download",
            "incoming_step",
            "incoming_register",
            "handling_report",
            "document_types",
        }
        | ROUTE_NAMES
    )
    for step in STEPS:
        assert f"web-{step.replace('_', '-')}" in names, step
    api_rows = {
        "present": "api-present",
        "assign": "api-assign",
        "start": "api-start",
        "opinions": "api-opinion",
        "complete": "api-complete",
        "reopen": "api-reopen",
        "return_to_clerk": "api-return",
        "refuse": "api-refuse",
        "attachments": "api-attachment-upload",
        "download": "api-download",
    }
    extra = {action.__name__ for action in IncomingDocumentViewSet.get_extra_actions()}
    assert extra == set(api_rows)
    assert set(api_rows.values()) | {"api-list", "api-detail", "api-register"} <= names
