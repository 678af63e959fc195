"""Access matrix of every accounts endpoint (web and API).

Most endpoints concern the person's own account, so every signed-in actor may use them
(``anyone_signed_in``). Two kinds need care:

- revoking a token: the ``with_role`` actor owns the token (``_owner_token``); everyone
  else, in this agency or another, must get 404 as if it did not exist;
- the second-factor policy: deployment administrators only; the ``with_role`` actor is a
  superuser (``_superuser_actor``), agency administrators and everyone else are refused.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from coquan.accounts import actions
from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import PASSWORD, make_member

OWNER_ROLES = ("officer",)  # any role: it only separates the owner from the no_role actor
SUPERUSER_ROLES = ("admin",)


def _owner_token(world):
    key = ("with_role", OWNER_ROLES)
    owner = world.users.get(key)
    if owner is None:
        owner = make_member(
            world.agency, *OWNER_ROLES, username="matrix_token_owner", unit=world.unit
        )
        world.users[key] = owner
    world.objects["token"] = actions.create_token(owner, name="Matrix").token


def _superuser_actor(world):
    key = ("with_role", SUPERUSER_ROLES)
    if key not in world.users:
        user = make_member(
            world.agency, *SUPERUSER_ROLES, username="matrix_superuser", unit=world.unit
        )
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
        world.users[key] = user


def _url(name, **kwargs):
    return lambda world: reverse(name, kwargs=kwargs or None)


def _token_url(name):
    return lambda world: reverse(name, kwargs={"pk": world.objects["token"].pk})


NEW_PASSWORD = "Mot-mat-khau-moi-2026"

ENDPOINTS = [
    Endpoint("logout_page", _url("accounts:logout"), anyone_signed_in=True),
    Endpoint("password_change", _url("accounts:password_change"), anyone_signed_in=True),
    Endpoint(
        "password_change_post",
        _url("accounts:password_change"),
        method="post",
        data=lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        anyone_signed_in=True,
    ),
    Endpoint("otp_setup", _url("accounts:otp_setup"), anyone_signed_in=True),
    Endpoint(
        "otp_setup_post",
        _url("accounts:otp_setup"),
        method="post",
        data=lambda w: {"code": "000000"},
        anyone_signed_in=True,
    ),
    Endpoint("otp_verify", _url("accounts:otp_verify"), anyone_signed_in=True),
    Endpoint(
        "otp_verify_post",
        _url("accounts:otp_verify"),
        method="post",
        data=lambda w: {"code": "000000"},
        anyone_signed_in=True,
    ),
    Endpoint(
        "otp_disable",
        _url("accounts:otp_disable"),
        method="post",
        data=lambda w: {"disable-code": "000000"},
        anyone_signed_in=True,
    ),
    Endpoint(
        "otp_backup_codes",
        _url("accounts:otp_backup_codes"),
        method="post",
        data=lambda w: {"codes-code": "000000"},
        anyone_signed_in=True,
    ),
    Endpoint(
        "second_factor_policy",
        _url("accounts:second_factor_policy"),
        roles=SUPERUSER_ROLES,
        setup=_superuser_actor,
    ),
    Endpoint(
        "second_factor_policy_post",
        _url("accounts:second_factor_policy"),
        method="post",
        data=lambda w: {"role": "clerk", "required": "1"},
        roles=SUPERUSER_ROLES,
        setup=_superuser_actor,
    ),
    Endpoint("token_list", _url("accounts:token_list"), anyone_signed_in=True),
    Endpoint(
        "token_create",
        _url("accounts:token_list"),
        method="post",
        data=lambda w: {"name": "Kết nối cổng dịch vụ công", "expires_on": ""},
        anyone_signed_in=True,
    ),
    Endpoint(
        "token_revoke",
        _token_url("accounts:token_revoke"),
        method="post",
        roles=OWNER_ROLES,
        setup=_owner_token,
        object_endpoint=True,
    ),
    # API
    Endpoint("api_me", _url("api:me"), api=True, anyone_signed_in=True),
    Endpoint("api_my_tokens", _url("api:me-tokens"), api=True, anyone_signed_in=True),
    Endpoint(
        "api_my_tokens_create",
        _url("api:me-tokens"),
        method="post",
        data=lambda w: {"name": "Đồng bộ hồ sơ"},
        api=True,
        anyone_signed_in=True,
    ),
    Endpoint(
        "api_my_token_revoke",
        _token_url("api:me-token-revoke"),
        method="post",
        roles=OWNER_ROLES,
        setup=_owner_token,
        object_endpoint=True,
        api=True,
    ),
]


@pytest.mark.parametrize("endpoint,actor", access_matrix_params(ENDPOINTS))
def test_access_matrix(client, world, endpoint, actor):
    check_access(client, world, endpoint, actor)


@pytest.mark.parametrize("name", ["token_revoke", "api_my_token_revoke"])
def test_revoking_another_persons_token_leaves_it_working(client, world, name):
    endpoint = next(e for e in ENDPOINTS if e.name == name)
    endpoint.setup(world)
    token = world.objects["token"]
    client.force_login(world.users["no_role"])
    response = client.post(endpoint.url(world))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_agency_administrator_cannot_change_the_policy(client, world):
    admin = make_member(world.agency, "admin", username="agency_admin")
    client.force_login(admin)
    response = client.post(
        reverse("accounts:second_factor_policy"), {"role": "clerk", "required": "1"}
    )
    assert response.status_code == 403
    from coquan.org.models import Role

    assert Role.objects.get(code="clerk").require_second_factor is False
