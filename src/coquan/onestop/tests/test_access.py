"""The access matrix of every staff page and API endpoint of the one-stop shop.

Actors (core/testing/access_matrix.py): anonymous, a person of another agency holding every
role there, a member without the endpoint's role, a member with it, and where the endpoint
has an ``involve`` hook a member without any role to whom the dossier is handed by name.
State is built through the real actions by people of a separate unit, so the matrix's own
users are never involved by accident. The procedure has three steps: the telecom unit, its
head, then the leaders.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import UnitFactory, make_member
from coquan.onestop import actions
from coquan.onestop.models import Dossier
from coquan.onestop.tests.conftest import COMPONENTS, bts_fields
from coquan.workdays.calendar import add_working_days_to_date

PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


def _staff(world) -> dict:
    objects = world.objects
    if "desk" not in objects:
        agency = world.agency
        telecom = UnitFactory(agency=agency, code="BCVT", name="Phòng Bưu chính, Viễn thông")
        objects["telecom"] = telecom
        objects["admin"] = make_member(agency, "admin", username="setup_admin")
        objects["desk"] = make_member(agency, "desk_officer", username="setup_desk")
        objects["officer"] = make_member(agency, "officer", unit=telecom, username="setup_officer")
        objects["leader"] = make_member(agency, "leader", username="setup_leader")
        steps = [
            {"name": "Thẩm định", "responsible_unit": telecom, "time_budget": 2},
            {"name": "Xem xét", "responsible_unit": telecom, "time_budget": 2},
            {"name": "Ký duyệt", "responsible_role": "leader", "time_budget": 1},
        ]
        procedure = actions.create_procedure(
            objects["admin"], agency=agency, components=COMPONENTS, steps=steps, **bts_fields()
        )
        objects["procedure"] = actions.publish_procedure(objects["admin"], procedure=procedure)
    return objects


def _components(world) -> list[int]:
    procedure = world.objects["procedure"]
    return [c.pk for c in procedure.components.all() if c.required]


APPLICANT = {
    "applicant_type": "organisation",
    "applicant_name": "Công ty Viễn thông Kinh Bắc",
    "applicant_id_number": "2400123456",
    "applicant_address": "Bắc Giang",
}


def _dossier(world) -> Dossier:
    return Dossier.objects.get(pk=world.objects["dossier"].pk)


def dossier_in(state: str):
    """Setup: a dossier of the world's agency in ``state``."""

    def setup(world) -> None:
        staff = _staff(world)
        if state == "online":
            world.objects["dossier"] = online_dossier(staff["procedure"], _components(world))
            return
        dossier = actions.accept_dossier(
            staff["desk"],
            agency=world.agency,
            procedure=staff["procedure"],
            received_components=_components(world),
            **APPLICANT,
        )
        steps = {"step1": 1, "step2": 2, "step3": 3, "supplement": 2, "resolved": 3, "fees": 2}.get(
            state, 0
        )
        if steps:
            dossier = actions.forward(
                staff["desk"], dossier=dossier, assignee_user=staff["officer"]
            )
        for _ in range(steps - 1):
            dossier = actions.forward(
                staff["leader"], dossier=dossier, assignee_user=staff["officer"]
            )
        if state == "supplement":
            dossier = actions.request_supplement(
                staff["officer"], dossier=dossier, items=["Bản vẽ"]
            )
        if state == "resolved":
            dossier = actions.approve(staff["leader"], dossier=dossier, result_note="GP số 1")
        if state == "fees":
            dossier = actions.request_fees(
                staff["leader"], dossier=dossier, amount=150000, reason="Lệ phí cấp phép"
            )
        world.objects["dossier"] = dossier

    return setup


def online_dossier(procedure, components) -> Dossier:
    """A dossier submitted on the portal (status 1) by a new applicant account."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    applicant = actions.register_applicant(
        None,
        email=f"dan{Dossier.objects.count()}@example.vn",
        password="Mat-khau-2026!",
        full_name="Nguyễn Văn Dân",
    )
    return actions.submit_online(
        applicant,
        procedure=procedure,
        attached_components=components,
        files=[SimpleUploadedFile("don.pdf", PDF_BYTES)],
        **APPLICANT,
    )


def involve(world, user) -> None:
    """Hand the dossier's current step (2 or 3) to ``user`` by name: a leader returns it to
    the previous step and forwards it again."""
    staff = _staff(world)
    dossier = actions.return_to_previous(
        staff["leader"], dossier=_dossier(world), reason="Giao lại"
    )
    actions.forward(staff["leader"], dossier=dossier, assignee_user=user)


def involve_fees(world, user) -> None:
    """Hand the dossier waiting for fees to ``user``: the payment is recorded, the step is
    handed again by name, and the fees are requested again."""
    staff = _staff(world)
    actions.record_payment(staff["leader"], dossier=_dossier(world), payment_method="cash")
    involve(world, user)
    actions.request_fees(
        staff["leader"], dossier=_dossier(world), amount=50000, reason="Phí thẩm định"
    )


def procedure_setup(draft: bool = False):
    def setup(world) -> None:
        staff = _staff(world)
        world.objects["target"] = (
            actions.new_version(staff["admin"], procedure=staff["procedure"])
            if draft
            else staff["procedure"]
        )

    return setup


def web_step(step: str):
    return lambda w: reverse("onestop:dossier_step", args=[w.objects["dossier"].pk, step])


def api_step(suffix: str):
    return lambda w: f"/api/v1/onestop/dossiers/{w.objects['dossier'].pk}/{suffix}/"


def extend_web(world) -> dict:
    due = _dossier(world).due_at
    new = add_working_days_to_date(due.date(), 3)
    return {"extend-new_due_date": new.strftime("%d/%m/%Y"), "extend-reason": "Chờ ý kiến"}


def extend_api(world) -> dict:
    due = _dossier(world).due_at
    return {"new_due_date": add_working_days_to_date(due.date(), 3).isoformat(), "reason": "Chờ"}


def reception_web(world) -> dict:
    return {
        **APPLICANT,
        "components": [str(pk) for pk in _components(world)],
        "set_count": "1",
        "outcome": "accept",
        "files": [SimpleUploadedFile("don.pdf", PDF_BYTES, "application/pdf")],
    }


def reception_api(world) -> dict:
    return {
        **APPLICANT,
        "procedure": world.objects["procedure"].pk,
        "components": _components(world),
    }


def procedure_form(world) -> dict:
    return {
        "code": "1.000999",
        "name": "Thủ tục thử",
        "sector_code": "VT",
        "sector_name": "Viễn thông",
        "level": "province",
        "competent_authority": "Sở",
        "time_limit": "3",
        "time_unit": "working_days",
        "online_level": "none",
        "components-TOTAL_FORMS": "0",
        "components-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
    }


def procedure_json(world) -> dict:
    data = {k: v for k, v in procedure_form(world).items() if "-" not in k}
    return data


def file_url(world) -> str:
    dossier = world.objects["dossier"]
    stored = dossier.files.first()
    return reverse("onestop:dossier_file", args=[dossier.pk, stored.pk])


def with_file(world) -> None:
    staff = _staff(world)
    dossier = actions.accept_dossier(
        staff["desk"],
        agency=world.agency,
        procedure=staff["procedure"],
        received_components=_components(world),
        files=[SimpleUploadedFile("don.pdf", PDF_BYTES, "application/pdf")],
        **APPLICANT,
    )
    dossier = actions.forward(staff["desk"], dossier=dossier, assignee_user=staff["officer"])
    world.objects["dossier"] = actions.forward(
        staff["leader"], dossier=dossier, assignee_user=staff["officer"]
    )


DESK = ("desk_officer",)
LEADER = ("leader",)
ADMIN = ("admin",)
DETAIL = {"roles": LEADER, "object_endpoint": True, "involve": involve}
HANDLER = {"method": "post", "roles": LEADER, "object_endpoint": True, "involve": involve}


def _target(world) -> int:
    return world.objects["target"].pk


def web(name: str):
    """A page about the world's agency, named with ``?agency=`` (another agency's people get
    404 instead of their own agency's page)."""
    return lambda w: f"{reverse(name)}?agency={w.agency.pk}"


def api(path: str):
    return lambda w: f"/api/v1/onestop/{path}?agency={w.agency.organ_id}"


RATING = {
    "channel": "paper",
    "time_to_result": "satisfied",
    "bodies_contacted": "one_stop",
    "contact_count": 0,
    "information": "satisfied",
    "staff_attitude": "satisfied",
    "lawful_result": "satisfied",
}
EVALUATION_ROLES = ("leader", "desk_officer", "admin")

ENDPOINTS = [
    # Evaluation
    Endpoint(
        "evaluation",
        web("onestop:evaluation"),
        roles=EVALUATION_ROLES,
        setup=lambda w: _staff(w),
    ),
    Endpoint(
        "api-evaluation",
        lambda w: api("evaluation/")(w) + "&start=2026-01-01&end=2026-12-31",
        api=True,
        roles=EVALUATION_ROLES,
        setup=lambda w: _staff(w),
    ),
    Endpoint(
        "dossier-rating",
        lambda w: reverse("onestop:dossier_rating", args=[w.objects["dossier"].pk]),
        method="post",
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("resolved"),
        data=lambda w: {f"rating-{k}": v for k, v in RATING.items()},
    ),
    Endpoint(
        "api-rating",
        api_step("rating"),
        method="post",
        api=True,
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("resolved"),
        data=lambda w: RATING,
    ),
    Endpoint(
        "api-scores",
        api_step("scores"),
        api=True,
        setup=dossier_in("step2"),
        **DETAIL,
    ),
    # Desk
    Endpoint("desk", web("onestop:desk"), roles=DESK, setup=lambda w: _staff(w)),
    Endpoint(
        "receive-form",
        lambda w: reverse("onestop:receive", args=[w.objects["procedure"].pk]),
        roles=DESK,
        object_endpoint=True,
        setup=lambda w: _staff(w),
    ),
    Endpoint(
        "receive-post",
        lambda w: reverse("onestop:receive", args=[w.objects["procedure"].pk]),
        method="post",
        roles=DESK,
        object_endpoint=True,
        setup=lambda w: _staff(w),
        data=reception_web,
    ),
    # Dossiers
    Endpoint("dossier-list", web("onestop:dossier_list"), setup=dossier_in("step2")),
    Endpoint(
        "dossier-detail",
        lambda w: reverse("onestop:dossier_detail", args=[w.objects["dossier"].pk]),
        setup=dossier_in("step2"),
        **DETAIL,
    ),
    Endpoint(
        "dossier-form-01",
        lambda w: reverse("onestop:dossier_form", args=[w.objects["dossier"].pk, "01"]),
        setup=dossier_in("step2"),
        **DETAIL,
    ),
    Endpoint("dossier-file", file_url, setup=with_file, **DETAIL),
    Endpoint(
        "step-forward-desk",
        web_step("forward"),
        method="post",
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("accepted"),
        data=lambda w: {},
    ),
    Endpoint(
        "step-forward", web_step("forward"), setup=dossier_in("step2"), data=lambda w: {}, **HANDLER
    ),
    Endpoint(
        "step-return",
        web_step("return"),
        setup=dossier_in("step2"),
        data=lambda w: {"return-reason": "Thiếu ý kiến"},
        **HANDLER,
    ),
    Endpoint(
        "step-supplement",
        web_step("request_supplement"),
        setup=dossier_in("step2"),
        data=lambda w: {"request_supplement-items": "Bản vẽ móng"},
        **HANDLER,
    ),
    Endpoint(
        "step-extend", web_step("extend"), setup=dossier_in("step2"), data=extend_web, **HANDLER
    ),
    Endpoint(
        "step-stop",
        web_step("stop"),
        setup=dossier_in("step2"),
        data=lambda w: {"stop-reason": "Không đủ điều kiện"},
        **HANDLER,
    ),
    Endpoint(
        "step-approve",
        web_step("approve"),
        setup=dossier_in("step3"),
        data=lambda w: {"approve-result_note": "GP số 9"},
        **HANDLER,
    ),
    Endpoint(
        "step-accept-online",
        web_step("accept_online"),
        method="post",
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("online"),
        data=lambda w: {"accept_online-note": ""},
    ),
    Endpoint(
        "step-return-online",
        web_step("return_online"),
        method="post",
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("online"),
        data=lambda w: {"return_online-items": "Bản vẽ rõ hơn"},
    ),
    Endpoint(
        "step-refuse-online",
        web_step("refuse_online"),
        method="post",
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("online"),
        data=lambda w: {"refuse_online-reason": "Sai thẩm quyền"},
    ),
    Endpoint(
        "step-request-fees",
        web_step("request_fees"),
        setup=dossier_in("step2"),
        data=lambda w: {"request_fees-amount": "150000", "request_fees-reason": "Lệ phí"},
        **HANDLER,
    ),
    Endpoint(
        "step-record-payment",
        web_step("record_payment"),
        method="post",
        roles=("desk_officer", "leader"),
        object_endpoint=True,
        involve=involve_fees,
        setup=dossier_in("fees"),
        data=lambda w: {"record_payment-payment_method": "cash"},
    ),
    Endpoint(
        "api-request-fees",
        api_step("fees"),
        api=True,
        setup=dossier_in("step2"),
        data=lambda w: {"amount": 150000, "reason": "Lệ phí"},
        **HANDLER,
    ),
    Endpoint(
        "api-record-payment",
        api_step("fees/paid"),
        method="post",
        api=True,
        roles=("desk_officer", "leader"),
        object_endpoint=True,
        involve=involve_fees,
        setup=dossier_in("fees"),
        data=lambda w: {"payment_method": "transfer", "payment_reference": "FT123"},
    ),
    Endpoint(
        "step-resubmit",
        web_step("resubmit"),
        method="post",
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("supplement"),
        data=lambda w: {"resubmit-note": "Đủ"},
    ),
    Endpoint(
        "step-return-result",
        web_step("return_result"),
        method="post",
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("resolved"),
        data=lambda w: {},
    ),
    # Catalogue
    Endpoint("procedure-list", web("onestop:procedure_list"), setup=lambda w: _staff(w)),
    Endpoint(
        "procedure-detail",
        lambda w: reverse("onestop:procedure_detail", args=[_target(w)]),
        object_endpoint=True,
        setup=procedure_setup(),
    ),
    Endpoint(
        "procedure-export",
        lambda w: reverse("onestop:procedure_export", args=[_target(w)]),
        object_endpoint=True,
        setup=procedure_setup(),
    ),
    Endpoint("catalogue-export", web("onestop:catalogue_export"), setup=lambda w: _staff(w)),
    Endpoint("procedure-create-form", web("onestop:procedure_create"), roles=ADMIN),
    Endpoint(
        "procedure-create",
        web("onestop:procedure_create"),
        method="post",
        roles=ADMIN,
        data=procedure_form,
    ),
    Endpoint(
        "procedure-edit",
        lambda w: reverse("onestop:procedure_edit", args=[_target(w)]),
        roles=ADMIN,
        object_endpoint=True,
        setup=procedure_setup(draft=True),
    ),
    Endpoint(
        "procedure-publish",
        lambda w: reverse("onestop:procedure_publish", args=[_target(w)]),
        method="post",
        roles=ADMIN,
        object_endpoint=True,
        setup=procedure_setup(draft=True),
        data=lambda w: {},
    ),
    Endpoint(
        "procedure-new-version",
        lambda w: reverse("onestop:procedure_new_version", args=[_target(w)]),
        method="post",
        roles=ADMIN,
        object_endpoint=True,
        setup=procedure_setup(),
        data=lambda w: {},
    ),
    Endpoint("procedure-import-form", web("onestop:procedure_import"), roles=ADMIN),
    # API: catalogue
    Endpoint("api-procedures", api("procedures/"), api=True, setup=lambda w: _staff(w)),
    Endpoint(
        "api-procedure",
        lambda w: f"/api/v1/onestop/procedures/{_target(w)}/",
        api=True,
        object_endpoint=True,
        setup=procedure_setup(),
    ),
    Endpoint(
        "api-procedure-export",
        lambda w: f"/api/v1/onestop/procedures/{_target(w)}/export/",
        api=True,
        object_endpoint=True,
        setup=procedure_setup(),
    ),
    Endpoint(
        "api-catalogue-export",
        api("procedures/export/"),
        api=True,
        setup=lambda w: _staff(w),
    ),
    Endpoint(
        "api-procedure-create",
        api("procedures/"),
        method="post",
        api=True,
        roles=ADMIN,
        data=procedure_json,
    ),
    Endpoint(
        "api-procedure-patch",
        lambda w: f"/api/v1/onestop/procedures/{_target(w)}/",
        method="patch",
        api=True,
        roles=ADMIN,
        object_endpoint=True,
        setup=procedure_setup(draft=True),
        data=lambda w: {"name": "Tên mới"},
    ),
    Endpoint(
        "api-procedure-publish",
        lambda w: f"/api/v1/onestop/procedures/{_target(w)}/publish/",
        method="post",
        api=True,
        roles=ADMIN,
        object_endpoint=True,
        setup=procedure_setup(draft=True),
        data=lambda w: {},
    ),
    Endpoint(
        "api-procedure-new-version",
        lambda w: f"/api/v1/onestop/procedures/{_target(w)}/new-version/",
        method="post",
        api=True,
        roles=ADMIN,
        object_endpoint=True,
        setup=procedure_setup(),
        data=lambda w: {},
    ),
    Endpoint(
        "api-procedure-import",
        api("procedures/import/"),
        method="post",
        api=True,
        roles=ADMIN,
        setup=lambda w: _staff(w),
        data=lambda w: {
            "catalogue": {
                "format": "coquan.onestop.procedures",
                "format_version": 1,
                "procedures": [
                    {
                        **procedure_json(w),
                        "sector": {"code": "VT", "name": "Viễn thông"},
                        "components": [{"name": "Đơn"}],
                        "steps": [
                            {"name": "Xử lý", "responsible_role": "leader", "time_budget": "3"}
                        ],
                    }
                ],
            },
            "publish": True,
        },
    ),
    # API: reception
    *[
        Endpoint(
            f"api-reception-{name}",
            lambda w, name=name: api(f"reception/{name}/")(w),
            method="post",
            api=True,
            roles=DESK,
            setup=lambda w: _staff(w),
            data=lambda w, extra=extra: {**reception_api(w), **extra},
        )
        for name, extra in (
            ("accept", {}),
            ("supplement", {"items": ["Ảnh chụp vị trí"]}),
            ("refuse", {"reason": "Sai thẩm quyền"}),
        )
    ],
    # API: dossiers
    Endpoint("api-dossiers", api("dossiers/"), api=True, setup=dossier_in("step2")),
    Endpoint(
        "api-dossier",
        lambda w: f"/api/v1/onestop/dossiers/{w.objects['dossier'].pk}/",
        api=True,
        setup=dossier_in("step2"),
        **DETAIL,
    ),
    Endpoint(
        "api-dossier-form",
        lambda w: f"/api/v1/onestop/dossiers/{w.objects['dossier'].pk}/forms/05/",
        api=True,
        setup=dossier_in("step2"),
        **DETAIL,
    ),
    Endpoint(
        "api-forward-desk",
        api_step("forward"),
        method="post",
        api=True,
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("accepted"),
        data=lambda w: {},
    ),
    Endpoint(
        "api-forward",
        api_step("forward"),
        api=True,
        setup=dossier_in("step2"),
        data=lambda w: {},
        **HANDLER,
    ),
    Endpoint(
        "api-return",
        api_step("return"),
        api=True,
        setup=dossier_in("step2"),
        data=lambda w: {"reason": "Thiếu"},
        **HANDLER,
    ),
    Endpoint(
        "api-supplement",
        api_step("supplement"),
        api=True,
        setup=dossier_in("step2"),
        data=lambda w: {"items": ["Bản vẽ"]},
        **HANDLER,
    ),
    Endpoint(
        "api-extend",
        api_step("extend"),
        api=True,
        setup=dossier_in("step2"),
        data=extend_api,
        **HANDLER,
    ),
    Endpoint(
        "api-stop",
        api_step("stop"),
        api=True,
        setup=dossier_in("step2"),
        data=lambda w: {"reason": "Không đủ điều kiện"},
        **HANDLER,
    ),
    Endpoint(
        "api-approve",
        api_step("approve"),
        api=True,
        setup=dossier_in("step3"),
        data=lambda w: {"result_note": "GP số 3"},
        **HANDLER,
    ),
    Endpoint(
        "api-accept-online",
        api_step("accept-online"),
        method="post",
        api=True,
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("online"),
        data=lambda w: {},
    ),
    Endpoint(
        "api-return-online",
        api_step("return-online"),
        method="post",
        api=True,
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("online"),
        data=lambda w: {"items": ["Bản vẽ"]},
    ),
    Endpoint(
        "api-refuse-online",
        api_step("refuse-online"),
        method="post",
        api=True,
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("online"),
        data=lambda w: {"reason": "Sai thẩm quyền"},
    ),
    Endpoint(
        "api-resubmit",
        api_step("resubmit"),
        method="post",
        api=True,
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("supplement"),
        data=lambda w: {"note": "Đủ"},
    ),
    Endpoint(
        "api-return-result",
        api_step("return-result"),
        method="post",
        api=True,
        roles=DESK,
        object_endpoint=True,
        setup=dossier_in("resolved"),
        data=lambda w: {},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint,actor", access_matrix_params(ENDPOINTS))
def test_access_matrix(client, api_client, world, endpoint, actor):
    response = check_access(api_client if endpoint.api else client, world, endpoint, actor)
    if endpoint.allowed(actor) and endpoint.method != "get":
        assert response.status_code in (200, 201, 302), response.content[:500]


@pytest.mark.django_db
def test_every_url_of_the_app_is_in_the_matrix():
    from coquan.onestop.urls import urlpatterns

    names = {pattern.name for pattern in urlpatterns}
    public = {"home", "lookup", "lookup_code"}
    # The online portal is for applicant accounts, not staff: test_portal.py checks that
    # an applicant sees only their own dossiers and that staff sessions get no portal access.
    portal = {
        "portal_home",
        "portal_procedure",
        "portal_submit",
        "portal_register",
        "portal_login",
        "portal_logout",
        "portal_dossiers",
        "portal_dossier",
        "portal_answer",
        "portal_withdraw",
        "portal_rate",
    }
    covered = {
        "desk",
        "receive",
        "dossier_list",
        "dossier_detail",
        "dossier_form",
        "dossier_file",
        "dossier_step",
        "procedure_list",
        "procedure_detail",
        "procedure_export",
        "catalogue_export",
        "procedure_create",
        "procedure_edit",
        "procedure_publish",
        "procedure_new_version",
        "procedure_import",
        "evaluation",
        "dossier_rating",
    }
    covered |= {"report", "report_xlsx", "report_pdf", "register"}  # test_reports.py
    covered |= {"procedure_import_xlsx", "catalogue_export_xlsx"}  # test_catalogue_xlsx.py
    assert names == covered | public | portal


@pytest.mark.django_db
def test_public_pages_need_no_sign_in(client, world):
    assert client.get(reverse("onestop:lookup")).status_code == 200
    assert client.get("/api/v1/onestop/lookup/000.01.01.H98-260101-0001/").status_code == 404
