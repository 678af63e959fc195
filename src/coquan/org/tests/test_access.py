"""The access matrix of every org page and API endpoint (core.testing.access_matrix)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import UserFactory, make_member
from coquan.org.models import Membership, Position, Unit

ADMIN = ("admin",)
SUPERUSER = ("superuser",)  # not a role: the setup below makes "with_role" a superuser


def as_superuser(world):
    """For deployment-administrator endpoints, the actor "with_role" is a superuser."""
    if ("with_role", SUPERUSER) not in world.users:
        user = make_member(world.agency, username="matrix_superuser")
        user.is_superuser = True
        user.save()
        world.users[("with_role", SUPERUSER)] = user


def spare_unit(world):
    """A unit without people, that may be closed."""
    world.objects["spare"] = Unit.objects.create(agency=world.agency, code="TMP", name="Tạm")


def position(world):
    world.objects["position"] = Position.objects.create(agency=world.agency, name="Chuyên viên")


def target_membership(world):
    user = UserFactory(username="matrix_target")
    world.objects["membership"] = Membership.objects.create(
        user=user, agency=world.agency, unit=world.unit
    )


def existing_account(world):
    UserFactory(username="matrix_existing")


def agency_q(world):
    return f"?agency={world.agency.pk}"


def import_file(world):
    content = "kind,code,name\nunit,NEW1,Đơn vị mới\n".encode()
    return {"file": SimpleUploadedFile("org.csv", content, content_type="text/csv")}


def agency_data(world):
    return {
        "organ_id": "000.09.09.H98",
        "name": "Cơ quan mới",
        "short_name": "CQM",
        "level": "department",
        "valid_from": "01/01/2025",
    }


WEB = [
    Endpoint("unit_list", lambda w: "/org/units/" + agency_q(w), roles=ADMIN),
    Endpoint("unit_create_form", lambda w: "/org/units/new/" + agency_q(w), roles=ADMIN),
    Endpoint(
        "unit_create",
        lambda w: "/org/units/new/" + agency_q(w),
        method="post",
        roles=ADMIN,
        data=lambda w: {"code": "KHTC", "name": "Phòng Kế hoạch", "valid_from": "01/01/2025"},
    ),
    Endpoint(
        "unit_detail", lambda w: f"/org/units/{w.unit.pk}/", roles=ADMIN, object_endpoint=True
    ),
    Endpoint(
        "unit_edit_form",
        lambda w: f"/org/units/{w.unit.pk}/edit/",
        roles=ADMIN,
        object_endpoint=True,
    ),
    Endpoint(
        "unit_edit",
        lambda w: f"/org/units/{w.unit.pk}/edit/",
        method="post",
        roles=ADMIN,
        object_endpoint=True,
        data=lambda w: {"code": "VP", "name": "Văn phòng Sở", "valid_from": "01/01/2000"},
    ),
    Endpoint(
        "unit_close_form",
        lambda w: f"/org/units/{w.objects['spare'].pk}/close/",
        roles=ADMIN,
        object_endpoint=True,
        setup=spare_unit,
    ),
    Endpoint(
        "unit_close",
        lambda w: f"/org/units/{w.objects['spare'].pk}/close/",
        method="post",
        roles=ADMIN,
        object_endpoint=True,
        setup=spare_unit,
        data=lambda w: {"valid_to": "01/01/2026"},
    ),
    Endpoint("position_list", lambda w: "/org/positions/" + agency_q(w), roles=ADMIN),
    Endpoint("position_create_form", lambda w: "/org/positions/new/" + agency_q(w), roles=ADMIN),
    Endpoint(
        "position_create",
        lambda w: "/org/positions/new/" + agency_q(w),
        method="post",
        roles=ADMIN,
        data=lambda w: {"name": "Trưởng phòng", "rank": "20"},
    ),
    Endpoint(
        "position_edit_form",
        lambda w: f"/org/positions/{w.objects['position'].pk}/edit/",
        roles=ADMIN,
        object_endpoint=True,
        setup=position,
    ),
    Endpoint(
        "position_edit",
        lambda w: f"/org/positions/{w.objects['position'].pk}/edit/",
        method="post",
        roles=ADMIN,
        object_endpoint=True,
        setup=position,
        data=lambda w: {"name": "Chuyên viên chính", "rank": "30"},
    ),
    Endpoint("member_list", lambda w: "/org/people/" + agency_q(w), roles=ADMIN),
    Endpoint("person_add_form", lambda w: "/org/people/new/" + agency_q(w), roles=ADMIN),
    Endpoint(
        "person_add",
        lambda w: "/org/people/new/" + agency_q(w),
        method="post",
        roles=ADMIN,
        data=lambda w: {
            "full_name": "Phạm Văn Mới",
            "username": "phamvanmoi",
            "roles": ["officer"],
            "start_date": "01/01/2025",
        },
    ),
    Endpoint("membership_add_form", lambda w: "/org/people/existing/" + agency_q(w), roles=ADMIN),
    Endpoint(
        "membership_add",
        lambda w: "/org/people/existing/" + agency_q(w),
        method="post",
        roles=ADMIN,
        setup=existing_account,
        data=lambda w: {"username": "matrix_existing", "start_date": "01/01/2025"},
    ),
    Endpoint(
        "membership_edit_form",
        lambda w: f"/org/people/{w.objects['membership'].pk}/",
        roles=ADMIN,
        object_endpoint=True,
        setup=target_membership,
    ),
    Endpoint(
        "membership_edit",
        lambda w: f"/org/people/{w.objects['membership'].pk}/",
        method="post",
        roles=ADMIN,
        object_endpoint=True,
        setup=target_membership,
        data=lambda w: {"roles": ["clerk"], "start_date": "01/01/2000"},
    ),
    Endpoint(
        "membership_end_form",
        lambda w: f"/org/people/{w.objects['membership'].pk}/end/",
        roles=ADMIN,
        object_endpoint=True,
        setup=target_membership,
    ),
    Endpoint(
        "membership_end",
        lambda w: f"/org/people/{w.objects['membership'].pk}/end/",
        method="post",
        roles=ADMIN,
        object_endpoint=True,
        setup=target_membership,
        data=lambda w: {"end_date": "01/01/2026"},
    ),
    Endpoint("import_form", lambda w: "/org/import/" + agency_q(w), roles=ADMIN),
    Endpoint(
        "import",
        lambda w: "/org/import/" + agency_q(w),
        method="post",
        roles=ADMIN,
        data=import_file,
    ),
    Endpoint("import_template", lambda w: "/org/import/template.csv" + agency_q(w), roles=ADMIN),
    Endpoint("agency_list", lambda w: "/org/agencies/", roles=SUPERUSER, setup=as_superuser),
    Endpoint(
        "agency_create_form", lambda w: "/org/agencies/new/", roles=SUPERUSER, setup=as_superuser
    ),
    Endpoint(
        "agency_create",
        lambda w: "/org/agencies/new/",
        method="post",
        roles=SUPERUSER,
        setup=as_superuser,
        data=agency_data,
    ),
    Endpoint(
        "agency_edit_form",
        lambda w: f"/org/agencies/{w.agency.pk}/edit/",
        roles=SUPERUSER,
        setup=as_superuser,
    ),
    Endpoint(
        "agency_edit",
        lambda w: f"/org/agencies/{w.agency.pk}/edit/",
        method="post",
        roles=SUPERUSER,
        setup=as_superuser,
        data=lambda w: {**agency_data(w), "organ_id": w.agency.organ_id},
    ),
    Endpoint(
        "switch_agency",
        lambda w: "/org/switch/",
        method="post",
        object_endpoint=True,
        data=lambda w: {"agency": w.agency.pk, "next": "/"},
    ),
]

API = [
    Endpoint("api_agency_list", lambda w: "/api/v1/agencies/", api=True, anyone_signed_in=True),
    Endpoint(
        "api_agency_detail",
        lambda w: f"/api/v1/agencies/{w.agency.pk}/",
        api=True,
        anyone_signed_in=True,
    ),
    Endpoint(
        "api_agency_create",
        lambda w: "/api/v1/agencies/",
        method="post",
        api=True,
        roles=SUPERUSER,
        setup=as_superuser,
        data=lambda w: {**agency_data(w), "valid_from": "2025-01-01"},
    ),
    Endpoint(
        "api_agency_update",
        lambda w: f"/api/v1/agencies/{w.agency.pk}/",
        method="patch",
        api=True,
        roles=SUPERUSER,
        setup=as_superuser,
        data=lambda w: {"short_name": "STNA2"},
    ),
    Endpoint("api_unit_list", lambda w: "/api/v1/units/", api=True, anyone_signed_in=True),
    Endpoint(
        "api_unit_detail", lambda w: f"/api/v1/units/{w.unit.pk}/", api=True, object_endpoint=True
    ),
    Endpoint(
        "api_unit_create",
        lambda w: "/api/v1/units/",
        method="post",
        api=True,
        roles=ADMIN,
        data=lambda w: {"agency": w.agency.pk, "code": "KHTC", "name": "Phòng Kế hoạch"},
    ),
    Endpoint(
        "api_unit_update",
        lambda w: f"/api/v1/units/{w.unit.pk}/",
        method="patch",
        api=True,
        roles=ADMIN,
        object_endpoint=True,
        data=lambda w: {"name": "Văn phòng Sở"},
    ),
    Endpoint(
        "api_unit_close",
        lambda w: f"/api/v1/units/{w.objects['spare'].pk}/close/",
        method="post",
        api=True,
        roles=ADMIN,
        object_endpoint=True,
        setup=spare_unit,
        data=lambda w: {"valid_to": "2026-01-01"},
    ),
    Endpoint(
        "api_membership_list", lambda w: "/api/v1/memberships/", api=True, anyone_signed_in=True
    ),
    Endpoint(
        "api_membership_detail",
        lambda w: f"/api/v1/memberships/{w.objects['membership'].pk}/",
        api=True,
        object_endpoint=True,
        setup=target_membership,
    ),
    Endpoint(
        "api_membership_create",
        lambda w: "/api/v1/memberships/",
        method="post",
        api=True,
        roles=ADMIN,
        data=lambda w: {
            "agency": w.agency.pk,
            "person": {"username": "api_new", "full_name": "Người Mới Qua API"},
            "roles": ["officer"],
        },
    ),
    Endpoint(
        "api_membership_update",
        lambda w: f"/api/v1/memberships/{w.objects['membership'].pk}/",
        method="patch",
        api=True,
        roles=ADMIN,
        object_endpoint=True,
        setup=target_membership,
        data=lambda w: {"roles": ["clerk"]},
    ),
    Endpoint(
        "api_membership_end",
        lambda w: f"/api/v1/memberships/{w.objects['membership'].pk}/end/",
        method="post",
        api=True,
        roles=ADMIN,
        object_endpoint=True,
        setup=target_membership,
        data=lambda w: {"end_date": "2026-12-31"},
    ),
]


@pytest.mark.parametrize("endpoint,actor", access_matrix_params(WEB))
def test_web_access(client, world, endpoint, actor):
    check_access(client, world, endpoint, actor)


@pytest.mark.parametrize("endpoint,actor", access_matrix_params(API))
def test_api_access(client, world, endpoint, actor):
    check_access(client, world, endpoint, actor)
