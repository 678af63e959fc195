"""Generated access-matrix tests (the NetBox habit, DESIGN.md §5).

An app lists its endpoints once as ``Endpoint`` rows; ``access_matrix_params`` turns the list
into one pytest case per (endpoint, actor). The actors are:

- ``anonymous``: not signed in;
- ``other_agency``: holds every role, but in another agency;
- ``no_role``: a member of the agency without the endpoint's role;
- ``with_role``: a member holding the endpoint's role;
- ``involved``: a member without the role whom ``Endpoint.involve`` makes involved
  (assigned, co-handler, drafter ...); only for endpoints that have an ``involve`` hook.

``check_access`` asserts the outcome: allowed actors get a success (2xx, or a redirect that
is not to the login page); denied ones get 401/403/404 or the login redirect; an endpoint
about one object must answer 404 (not 403) to the other agency, so existence does not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member
from coquan.org.choices import RoleCode

ACTORS = ("anonymous", "other_agency", "no_role", "with_role", "involved")


@dataclass
class World:
    """Two agencies and one person per actor, plus whatever objects a test adds."""

    agency: object
    other: object
    unit: object
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def build_world() -> World:
    agency = AgencyFactory(organ_id="000.01.01.H98", name="Sở Thử nghiệm A", short_name="STNA")
    other = AgencyFactory(organ_id="000.02.01.H98", name="Sở Thử nghiệm B", short_name="STNB")
    unit = UnitFactory(agency=agency, code="VP", name="Văn phòng")
    all_roles = [code for code, _ in RoleCode.choices]
    world = World(agency=agency, other=other, unit=unit)
    world.users["other_agency"] = make_member(other, *all_roles, username="matrix_other")
    world.users["no_role"] = make_member(agency, username="matrix_norole", unit=unit)
    world.users["involved"] = make_member(agency, username="matrix_involved", unit=unit)
    return world


@dataclass
class Endpoint:
    """One URL of the web UI or the API, and who may use it.

    ``url`` and ``data`` receive the World (after ``setup`` ran). ``roles`` are the roles
    that grant access (empty: any member). ``involve(world, user)`` makes a person involved.
    ``anyone_signed_in`` marks endpoints open to every signed-in person (own profile, token
    list): then other_agency and no_role are allowed too.
    """

    name: str
    url: Callable[[World], str]
    method: str = "get"
    roles: tuple[str, ...] = ()
    data: Callable[[World], dict] | None = None
    api: bool = False
    object_endpoint: bool = False
    setup: Callable[[World], None] | None = None
    involve: Callable[[World, object], None] | None = None
    anyone_signed_in: bool = False
    content_type: str | None = None
    fmt: str = "json"

    def allowed(self, actor: str) -> bool:
        if actor == "anonymous":
            return False
        if self.anyone_signed_in:
            return True
        if actor == "with_role":
            return True
        if actor == "involved":
            return self.involve is not None
        if actor == "no_role":
            return not self.roles
        return False


def access_matrix_params(endpoints: list[Endpoint]):
    params = []
    for endpoint in endpoints:
        for actor in ACTORS:
            if actor == "involved" and endpoint.involve is None:
                continue
            params.append(pytest.param(endpoint, actor, id=f"{endpoint.name}-{actor}"))
    return params


def _actor_user(world: World, endpoint: Endpoint, actor: str):
    if actor == "anonymous":
        return None
    if actor == "with_role":
        user = world.users.get(("with_role", endpoint.roles))
        if user is None:
            name = "matrix_role_" + ("_".join(endpoint.roles) or "member")
            user = make_member(world.agency, *endpoint.roles, username=name, unit=world.unit)
            world.users[("with_role", endpoint.roles)] = user
        return user
    user = world.users[actor]
    if actor == "involved" and endpoint.involve is not None:
        endpoint.involve(world, user)
    return user


def check_access(client, world: World, endpoint: Endpoint, actor: str):
    """Request ``endpoint`` as ``actor`` and assert the outcome the matrix expects."""
    if endpoint.setup is not None:
        endpoint.setup(world)
    user = _actor_user(world, endpoint, actor)
    if user is not None:
        client.force_login(user)
    url = endpoint.url(world)
    data = endpoint.data(world) if endpoint.data else None
    method = getattr(client, endpoint.method)
    kwargs = {}
    if endpoint.api and endpoint.method != "get":
        kwargs["content_type"] = endpoint.content_type or "application/json"
    response = method(url, data, **kwargs) if data is not None else method(url, **kwargs)
    status = response.status_code
    location = response.get("Location", "")
    to_login = status == 302 and "/accounts/login/" in location
    if endpoint.allowed(actor):
        assert status < 400 and not to_login, (
            f"{endpoint.name} as {actor}: expected success, got {status} {location}"
        )
    else:
        assert status in (401, 403, 404) or to_login, (
            f"{endpoint.name} as {actor}: expected denial, got {status}"
        )
        if endpoint.object_endpoint and actor == "other_agency":
            assert status == 404, f"{endpoint.name}: other agency must get 404, got {status}"
    return response
