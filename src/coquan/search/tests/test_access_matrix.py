"""Access matrix of every search page and API endpoint (core.testing.access_matrix).

Searching is open to every signed-in person: what they find is limited inside the query
(test_access.py proves no other agency's or secret document leaks). A saved search belongs
to its owner only: in the rows about one saved search the "with_role" actor is its owner
(an officer), and everyone else — same agency or not — gets 404.
"""

from __future__ import annotations

import pytest

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import make_member
from coquan.search.models import SavedSearch

OWNER_ROLES = ("officer",)


def _owned_search(world) -> None:
    key = ("with_role", OWNER_ROLES)
    if key not in world.users:
        world.users[key] = make_member(
            world.agency, *OWNER_ROLES, username="matrix_role_officer", unit=world.unit
        )
    world.objects["saved"] = SavedSearch.objects.create(
        owner=world.users[key], name="Quyết định tháng này", query="quyet dinh"
    )


def _saved_url(path):
    return lambda world: path.format(pk=world.objects["saved"].pk)


ENDPOINTS = [
    Endpoint("results", lambda w: "/search/?q=quyet+dinh", anyone_signed_in=True),
    Endpoint("results-empty", lambda w: "/search/", anyone_signed_in=True),
    Endpoint("autocomplete", lambda w: "/search/autocomplete/?q=quy", anyone_signed_in=True),
    Endpoint("saved-list", lambda w: "/search/saved/", anyone_signed_in=True),
    Endpoint(
        "saved-create",
        lambda w: "/search/saved/new/",
        method="post",
        data=lambda w: {"name": "Tìm công văn", "q": "cong van"},
        anyone_signed_in=True,
    ),
    Endpoint(
        "saved-delete",
        _saved_url("/search/saved/{pk}/delete/"),
        method="post",
        roles=OWNER_ROLES,
        setup=_owned_search,
        object_endpoint=True,
    ),
    Endpoint("api-search", lambda w: "/api/v1/search/?q=quyet", api=True, anyone_signed_in=True),
    Endpoint(
        "api-autocomplete",
        lambda w: "/api/v1/search/autocomplete/?q=quy",
        api=True,
        anyone_signed_in=True,
    ),
    Endpoint(
        "api-saved-list", lambda w: "/api/v1/saved-searches/", api=True, anyone_signed_in=True
    ),
    Endpoint(
        "api-saved-create",
        lambda w: "/api/v1/saved-searches/",
        method="post",
        data=lambda w: {"name": "Tìm giấy mời", "query": "giay moi"},
        api=True,
        anyone_signed_in=True,
    ),
    Endpoint(
        "api-saved-detail",
        _saved_url("/api/v1/saved-searches/{pk}/"),
        api=True,
        roles=OWNER_ROLES,
        setup=_owned_search,
        object_endpoint=True,
    ),
    Endpoint(
        "api-saved-update",
        _saved_url("/api/v1/saved-searches/{pk}/"),
        method="patch",
        data=lambda w: {"name": "Đổi tên"},
        api=True,
        roles=OWNER_ROLES,
        setup=_owned_search,
        object_endpoint=True,
    ),
    Endpoint(
        "api-saved-delete",
        _saved_url("/api/v1/saved-searches/{pk}/"),
        method="delete",
        api=True,
        roles=OWNER_ROLES,
        setup=_owned_search,
        object_endpoint=True,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint,actor", access_matrix_params(ENDPOINTS))
def test_access_matrix(client, api_client, world, endpoint, actor):
    response = check_access(api_client if endpoint.api else client, world, endpoint, actor)
    if endpoint.object_endpoint and response.status_code >= 400:
        # Refused: the saved search is untouched.
        saved = SavedSearch.objects.get(pk=world.objects["saved"].pk)
        assert saved.name == "Quyết định tháng này"
