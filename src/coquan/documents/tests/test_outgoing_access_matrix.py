"""The access matrix for every page and API endpoint of outgoing documents.

Actors (core/testing/access_matrix.py): anonymous, a person of another agency holding every
role there, a member without the endpoint's role, a member with it and, where the
endpoint has an ``involve`` hook, a member without the role whom the hook puts on the
document's chain (asked for an opinion). Documents are built through the real actions by
staff of a separate unit. Steps that only a chain member may take (review, opinion,
approval, signature) put the matrix's own "with role" person in that place of the chain
(``holder``), so "with role" means "the role and the place on the chain".
"""

from __future__ import annotations

import pytest
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import UnitFactory, make_member
from coquan.documents import actions
from coquan.documents.choices import RecipientKind, SeriesScope
from coquan.documents.models import DocumentType, OutgoingDocument, OutgoingSeries
from coquan.documents.tests.conftest import give_keys
from coquan.documents.tests.samples import draft_pdf_upload

ROUTE_NAMES = {
    "outgoing_list",
    "draft_create",
    "series_list",
    "series_create",
    "series_edit",
    "outgoing_detail",
    "draft_edit",
    "outgoing_file_download",
    "outgoing_step",
    "outgoing_register",
    "outgoing_report",
}


def holder(world, *roles):
    """The person the matrix uses as "with role" for ``roles`` (created here if needed)."""
    key = ("with_role", tuple(roles))
    user = world.users.get(key)
    if user is None:
        name = "matrix_role_" + ("_".join(roles) or "member")
        user = make_member(world.agency, *roles, username=name, unit=world.unit)
        world.users[key] = user
    return user


def _staff(world) -> dict:
    objects = world.objects
    if "officer" not in objects:
        unit = UnitFactory(agency=world.agency, code="TH", name="Phòng Tổng hợp")
        objects["unit"] = unit
        objects["officer"] = make_member(world.agency, "officer", unit=unit, username="o_officer")
        objects["leader"] = make_member(world.agency, "leader", username="o_leader")
        objects["clerk"] = make_member(world.agency, "clerk", username="o_clerk")
        objects["admin"] = make_member(world.agency, "admin", username="o_admin")
        give_keys(world.agency, objects["leader"])
    return objects


def _draft(world, drafter=None, signer=None) -> OutgoingDocument:
    staff = _staff(world)
    return actions.create_draft(
        drafter or staff["officer"],
        agency=world.agency,
        document_type=DocumentType.objects.get(agency=None, code="cong-van"),
        subject="Văn bản kiểm tra quyền truy cập",
        signer=signer or staff["leader"],
        drafting_unit=staff["unit"],
        recipients=[(RecipientKind.TEXT, "Lưu: VT.")],
        main_file=draft_pdf_upload(),
    )


def doc_in(state: str, place: str = ""):
    """A setup hook: a document in ``state``; ``place`` puts the matrix's holder on the chain.

    Places: ``drafter`` (officer), ``reviewer`` (unit leader), ``opinion`` (officer),
    ``signer`` (leader). Without a place, the chain is staff only and the pending stage is
    the form check by any clerk.
    """

    def setup(world) -> None:
        staff = _staff(world)
        drafter = holder(world, "officer") if place == "drafter" else staff["officer"]
        signer = staff["leader"]
        if place == "signer":
            signer = holder(world, "leader")
            give_keys(world.agency, signer)
        doc = _draft(world, drafter=drafter, signer=signer)
        if state != "draft":
            kwargs = {"skip_review": True, "form_check": place == ""}
            if place == "reviewer":
                kwargs = {"reviewer": holder(world, "unit_leader")}
            if place == "opinion":
                kwargs["opinions"] = [holder(world, "officer")]
            doc = actions.submit(drafter, document=doc, **kwargs)
        if state in ("approved", "signed", "issued"):
            if place == "":
                doc = actions.check_form(staff["clerk"], document=doc)
            doc = actions.approve(signer, document=doc)
        if state in ("signed", "issued"):
            doc = actions.sign(signer, document=doc)
        if state == "issued":
            doc = actions.issue(staff["clerk"], document=doc)
        world.objects["doc"] = doc

    return setup


def involve_by_opinion(world, user) -> None:
    """Put ``user`` on a document's chain: a new document asks them for an opinion."""
    staff = _staff(world)
    doc = _draft(world)
    world.objects["doc"] = actions.submit(
        staff["officer"], document=doc, skip_review=True, opinions=[user]
    )


def web_step(step: str):
    return lambda w: reverse("documents:outgoing_step", args=[w.objects["doc"].pk, step])


def api_step(suffix: str):
    return lambda w: f"/api/v1/outgoing-documents/{w.objects['doc'].pk}/{suffix}"


def _agency(world) -> str:
    return f"?agency={world.agency.pk}"


def _file_url(world) -> str:
    doc = world.objects["doc"]
    return reverse("documents:outgoing_file_download", args=[doc.pk, doc.files.first().pk])


def _api_file_url(world) -> str:
    doc = world.objects["doc"]
    return reverse(
        "api:outgoing-document-download", kwargs={"pk": doc.pk, "file_pk": doc.files.first().pk}
    )


def _series(world) -> None:
    staff = _staff(world)
    world.objects["series"] = actions.save_series(
        staff["admin"], agency=world.agency, name="Hội đồng thi đua", scope=SeriesScope.BOARD
    )


def _type_id() -> int:
    return DocumentType.objects.get(agency=None, code="cong-van").pk


def draft_form(world) -> dict:
    return {
        "document_type": _type_id(),
        "subject": "V/v dự thảo mới",
        "urgency": "0",
        "secrecy": "none",
        "copies": "1",
        "recipient_lines": "Lưu: VT.",
        "main_file": draft_pdf_upload(),
    }


def draft_json(world) -> dict:
    return {
        "document_type": _type_id(),
        "subject": "V/v dự thảo qua API",
        "recipients": [{"kind": "text", "text": "Lưu: VT."}],
    }


def series_form(world) -> dict:
    return {"name": "Sổ hội đồng", "scope": "board", "is_active": "on"}


DETAIL_ROLES = ("clerk",)  # the pending form check is left to any clerk of the agency

WEB = [
    Endpoint("web-out-list", lambda w: reverse("documents:outgoing_list") + _agency(w)),
    Endpoint(
        "web-out-list-queue",
        lambda w: reverse("documents:outgoing_list") + _agency(w) + "&queue=to_review",
        setup=doc_in("in_review"),
        involve=involve_by_opinion,
    ),
    Endpoint(
        "web-out-draft-form",
        lambda w: reverse("documents:draft_create") + _agency(w),
        roles=("officer",),
    ),
    Endpoint(
        "web-out-draft-create",
        lambda w: reverse("documents:draft_create") + _agency(w),
        method="post",
        roles=("officer",),
        data=draft_form,
    ),
    Endpoint(
        "web-out-detail",
        lambda w: reverse("documents:outgoing_detail", args=[w.objects["doc"].pk]),
        roles=DETAIL_ROLES,
        object_endpoint=True,
        setup=doc_in("in_review"),
        involve=involve_by_opinion,
    ),
    Endpoint(
        "web-out-download",
        _file_url,
        roles=DETAIL_ROLES,
        object_endpoint=True,
        setup=doc_in("in_review"),
        involve=involve_by_opinion,
    ),
    Endpoint(
        "web-out-edit-form",
        lambda w: reverse("documents:draft_edit", args=[w.objects["doc"].pk]),
        roles=("officer",),
        object_endpoint=True,
        setup=doc_in("draft", "drafter"),
    ),
    Endpoint(
        "web-out-edit",
        lambda w: reverse("documents:draft_edit", args=[w.objects["doc"].pk]),
        method="post",
        roles=("officer",),
        object_endpoint=True,
        setup=doc_in("draft", "drafter"),
        data=lambda w: {**draft_form(w), "subject": "V/v dự thảo đã sửa", "main_file": ""},
    ),
    Endpoint(
        "web-out-series-list",
        lambda w: reverse("documents:series_list") + _agency(w),
        roles=("admin",),
    ),
    Endpoint(
        "web-out-series-form",
        lambda w: reverse("documents:series_create") + _agency(w),
        roles=("admin",),
    ),
    Endpoint(
        "web-out-series-create",
        lambda w: reverse("documents:series_create") + _agency(w),
        method="post",
        roles=("admin",),
        data=series_form,
    ),
    Endpoint(
        "web-out-series-edit-form",
        lambda w: reverse("documents:series_edit", args=[w.objects["series"].pk]),
        roles=("admin",),
        object_endpoint=True,
        setup=_series,
    ),
    Endpoint(
        "web-out-series-edit",
        lambda w: reverse("documents:series_edit", args=[w.objects["series"].pk]),
        method="post",
        roles=("admin",),
        object_endpoint=True,
        setup=_series,
        data=lambda w: {"name": "Hội đồng thi đua khen thưởng", "scope": "board"},
    ),
]

WEB += [
    Endpoint(
        f"web-out-register{name}",
        lambda w, query=query: reverse("documents:outgoing_register") + _agency(w) + query,
        roles=("clerk",),
        setup=doc_in("issued"),
    )
    for name, query in (("", ""), ("-pdf", "&format=pdf"), ("-xlsx", "&format=xlsx"))
]

WEB += [
    Endpoint(
        f"web-out-report{name}",
        lambda w, query=query: reverse("documents:outgoing_report") + _agency(w) + query,
        roles=("leader",),
        setup=doc_in("in_review"),
    )
    for name, query in (("", ""), ("-pdf", "&format=pdf"), ("-xlsx", "&format=xlsx"))
]

# Each step: (name, roles, setup, form data, involve).
STEP_ROWS = [
    (
        "submit",
        ("officer",),
        doc_in("draft", "drafter"),
        {"submit-skip_review": "on", "submit-opinion_due_days": "3", "submit-form_check": "on"},
        None,
    ),
    (
        "request_opinions",
        ("officer",),
        doc_in("in_review", "drafter"),
        lambda w: {
            "request_opinions-due_days": "2",
            "request_opinions-opinion_users": [w.objects["officer"].pk],
        },
        None,
    ),
    ("review", ("unit_leader",), doc_in("in_review", "reviewer"), {"review-comment": "Đạt"}, None),
    (
        "opinion",
        ("officer",),
        doc_in("in_review", "opinion"),
        {"opinion-text": "Nhất trí"},
        involve_by_opinion,
    ),
    ("check", ("clerk",), doc_in("in_review"), {"check-comment": ""}, None),
    ("approve", ("leader",), doc_in("in_review", "signer"), {"approve-comment": ""}, None),
    (
        "reject",
        ("clerk",),
        doc_in("in_review"),
        {"reject-comment": "Sai thể thức", "reject-back_to": "drafter"},
        None,
    ),
    ("sign", ("leader",), doc_in("approved", "signer"), {}, None),
    ("issue", ("clerk",), doc_in("signed"), {}, None),
    ("recall", ("clerk",), doc_in("issued"), {"recall-reason": "Ban hành nhầm"}, None),
    ("revise", ("leader",), doc_in("issued"), {"revise-kind": "replace"}, None),
    ("withdraw", ("officer",), doc_in("in_review", "drafter"), {"withdraw-reason": ""}, None),
]

for _name, _roles, _setup, _data, _involve in STEP_ROWS:
    slug = _name.replace("_", "-")
    WEB.append(
        Endpoint(
            f"web-out-{slug}-form",
            web_step(_name),
            roles=_roles,
            object_endpoint=True,
            setup=_setup,
            involve=_involve,
        )
    )
    WEB.append(
        Endpoint(
            f"web-out-{slug}",
            web_step(_name),
            method="post",
            roles=_roles,
            object_endpoint=True,
            setup=_setup,
            involve=_involve,
            data=_data if callable(_data) else (lambda w, _data=_data: dict(_data)),
        )
    )

API = [
    Endpoint("api-out-list", lambda w: "/api/v1/outgoing-documents/" + _agency(w), api=True),
    Endpoint(
        "api-out-list-queue",
        lambda w: "/api/v1/outgoing-documents/" + _agency(w) + "&queue=to_review",
        api=True,
        setup=doc_in("in_review"),
        involve=involve_by_opinion,
    ),
    Endpoint(
        "api-out-create",
        lambda w: "/api/v1/outgoing-documents/" + _agency(w),
        method="post",
        roles=("officer",),
        api=True,
        data=draft_json,
    ),
    Endpoint(
        "api-out-create-multipart",
        lambda w: "/api/v1/outgoing-documents/" + _agency(w),
        method="post",
        roles=("officer",),
        api=True,
        data=lambda w: {
            "document_type": _type_id(),
            "subject": "V/v tải tệp",
            "main_file": draft_pdf_upload(),
        },
        content_type=MULTIPART_CONTENT,
    ),
    Endpoint(
        "api-out-detail",
        api_step(""),
        roles=DETAIL_ROLES,
        api=True,
        object_endpoint=True,
        setup=doc_in("in_review"),
        involve=involve_by_opinion,
    ),
    Endpoint(
        "api-out-update",
        api_step(""),
        method="patch",
        roles=("officer",),
        api=True,
        object_endpoint=True,
        setup=doc_in("draft", "drafter"),
        data=lambda w: {"subject": "V/v sửa qua API"},
    ),
    Endpoint(
        "api-out-files",
        api_step("files/"),
        method="post",
        roles=("officer",),
        api=True,
        object_endpoint=True,
        setup=doc_in("draft", "drafter"),
        data=lambda w: {"file": draft_pdf_upload("ban-moi.pdf"), "kind": "main"},
        content_type=MULTIPART_CONTENT,
    ),
    Endpoint(
        "api-out-download",
        _api_file_url,
        roles=DETAIL_ROLES,
        api=True,
        object_endpoint=True,
        setup=doc_in("in_review"),
        involve=involve_by_opinion,
    ),
    Endpoint(
        "api-out-verification",
        api_step("verification/"),
        roles=DETAIL_ROLES,
        api=True,
        object_endpoint=True,
        setup=doc_in("in_review"),
        involve=involve_by_opinion,
    ),
    Endpoint(
        "api-out-series-list",
        lambda w: "/api/v1/outgoing-series/" + _agency(w),
        roles=("admin",),
        api=True,
    ),
    Endpoint(
        "api-out-series-create",
        lambda w: "/api/v1/outgoing-series/" + _agency(w),
        method="post",
        roles=("admin",),
        api=True,
        data=lambda w: {"name": "Sổ hội đồng", "scope": "board"},
    ),
    Endpoint(
        "api-out-series-detail",
        lambda w: f"/api/v1/outgoing-series/{w.objects['series'].pk}/" + _agency(w),
        roles=("admin",),
        api=True,
        object_endpoint=True,
        setup=_series,
    ),
    Endpoint(
        "api-out-series-update",
        lambda w: f"/api/v1/outgoing-series/{w.objects['series'].pk}/" + _agency(w),
        method="patch",
        roles=("admin",),
        api=True,
        object_endpoint=True,
        setup=_series,
        data=lambda w: {"issuer_abbreviation": "HĐTĐ"},
    ),
]

API.append(
    Endpoint(
        "api-out-report",
        lambda w: (
            "/api/v1/outgoing-report/" + _agency(w) + "&date_from=2020-01-01&date_to=2020-12-31"
        ),
        roles=("clerk",),
        api=True,
        setup=doc_in("issued"),
    )
)

API_STEP_DATA = {
    "submit": {"skip_review": True},
    "request_opinions": lambda w: {"due_days": 2, "users": [w.objects["officer"].pk]},
    "review": {"comment": "Đạt"},
    "opinion": {"text": "Nhất trí"},
    "check": {},
    "approve": {},
    "reject": {"comment": "Sai thể thức"},
    "sign": {},
    "issue": {},
    "recall": {"reason": "Ban hành nhầm"},
    "revise": {"kind": "replace"},
    "withdraw": {},
}

for _name, _roles, _setup, _data, _involve in STEP_ROWS:
    slug = _name.replace("_", "-")
    API.append(
        Endpoint(
            f"api-out-{slug}",
            api_step(f"{slug}/"),
            method="post",
            roles=_roles,
            api=True,
            object_endpoint=True,
            setup=_setup,
            involve=_involve,
            data=lambda w, _name=_name: (
                API_STEP_DATA[_name](w)
                if callable(API_STEP_DATA[_name])
                else dict(API_STEP_DATA[_name])
            ),
        )
    )

ENDPOINTS = WEB + API


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint,actor", access_matrix_params(ENDPOINTS))
def test_access_matrix(client, world, endpoint, actor):
    check_access(client, world, endpoint, actor)


def test_every_outgoing_route_step_and_api_action_is_in_the_matrix():
    """A new page, step or API action must be added to ENDPOINTS (and so to the matrix)."""
    from django.urls import get_resolver

    from coquan.documents.api.outgoing_views import OutgoingDocumentViewSet
    from coquan.documents.outgoing_step_views import STEPS

    names = {endpoint.name for endpoint in ENDPOINTS}
    documents = get_resolver().namespace_dict["documents"][1]
    url_names = {name for name in documents.reverse_dict if isinstance(name, str)}
    assert url_names >= ROUTE_NAMES
    for step in STEPS:
        slug = step.replace("_", "-")
        assert {f"web-out-{slug}", f"web-out-{slug}-form", f"api-out-{slug}"} <= names, step
    extra = {action.__name__ for action in OutgoingDocumentViewSet.get_extra_actions()}
    api_rows = {
        name.replace("-", "_"): f"api-out-{name}"
        for name in (
            "submit",
            "review",
            "opinion",
            "check",
            "approve",
            "reject",
            "sign",
            "issue",
            "recall",
            "revise",
            "withdraw",
            "files",
            "download",
            "verification",
        )
    }
    api_rows["request_opinions"] = "api-out-request-opinions"
    assert extra == set(api_rows)
    assert set(api_rows.values()) <= names
    assert {"api-out-list", "api-out-create", "api-out-detail", "api-out-update"} <= names
    assert {
        "web-out-report",
        "web-out-report-pdf",
        "web-out-report-xlsx",
        "api-out-report",
    } <= names


def test_the_matrix_leaves_no_series_or_document_of_other_agencies(db):
    assert not OutgoingSeries.objects.exists() and not OutgoingDocument.objects.exists()
