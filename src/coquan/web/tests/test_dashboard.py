"""The role dashboard: one card per role in the active agency, constant queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import AgencyFactory, UserFactory, make_member
from coquan.org.choices import RoleCode
from coquan.web.context_processors import visible_nav_items
from coquan.web.dashboard import ROLE_CARDS
from coquan.web.navigation import NAV_ITEMS

ALL_ROLES = [code for code, _ in RoleCode.choices]

ENDPOINTS = [
    # Open to every signed-in person: without a membership it shows the "no agency" state.
    Endpoint("dashboard", url=lambda w: reverse("web:dashboard"), anyone_signed_in=True),
]


@pytest.mark.parametrize("endpoint,actor", access_matrix_params(ENDPOINTS))
def test_access_matrix(client, world, endpoint, actor):
    check_access(client, world, endpoint, actor)


def _cards(page: str) -> list[str]:
    return re.findall(r'data-role="([a-z_]+)"', page)


def _dashboard(client) -> str:
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_sees_its_own_card_only(client, role):
    agency = AgencyFactory(name="Sở Thông tin và Truyền thông")
    client.force_login(make_member(agency, role))
    page = _dashboard(client)
    assert _cards(page) == [role]
    card = next(card for card in ROLE_CARDS if card.role == role)
    assert str(card.title) in page
    assert str(card.upcoming[0]) in page
    assert "Sở Thông tin và Truyền thông" in page


@pytest.mark.django_db
def test_person_with_every_role_sees_every_card_in_order(client):
    client.force_login(make_member(AgencyFactory(), *ALL_ROLES))
    assert _cards(_dashboard(client)) == [card.role for card in ROLE_CARDS]


@pytest.mark.django_db
def test_cards_link_to_the_pages_that_exist(client):
    client.force_login(make_member(AgencyFactory(), "admin", "clerk"))
    admin_card = _dashboard(client).split('data-role="admin"')[1].split("</section>")[0]
    admin = next(card for card in ROLE_CARDS if card.role == "admin")
    resolved = 0
    for link in admin.links:
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue  # the page is not installed yet: no dead link
        assert f'href="{url}"' in admin_card
        resolved += 1
    assert admin_card.count('class="btn btn-sm btn-outline-primary"') == resolved
    assert f'href="{reverse("api-docs")}"' in admin_card


@pytest.mark.django_db
def test_clerk_does_not_see_administration_links(client):
    client.force_login(make_member(AgencyFactory(), "clerk"))
    page = _dashboard(client)
    assert "Quản trị cơ quan" not in page
    assert 'data-role="admin"' not in page


@pytest.mark.django_db
def test_member_without_role_is_told_so(client):
    client.force_login(make_member(AgencyFactory()))
    page = _dashboard(client)
    assert _cards(page) == []
    assert 'data-testid="no-role"' in page
    assert "Bạn chưa được giao vai trò nào trong cơ quan này" in page


@pytest.mark.django_db
def test_person_without_agency_sees_the_empty_state(client):
    client.force_login(UserFactory())
    page = _dashboard(client)
    assert 'data-testid="no-agency"' in page
    assert "Bạn chưa là thành viên của cơ quan nào" in page
    assert _cards(page) == []


@pytest.mark.django_db
def test_superuser_sees_the_deployment_card(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = _dashboard(client)
    assert _cards(page) == ["superuser"]
    assert "Quản trị hệ thống" in page
    assert 'data-testid="no-agency"' not in page


@pytest.mark.django_db
def test_cards_follow_the_active_agency(client):
    first = AgencyFactory(organ_id="000.01.01.H10", name="UBND tỉnh Thử nghiệm")
    second = AgencyFactory(organ_id="000.02.01.H10", name="Sở Thử nghiệm")
    user = make_member(first, "leader")
    make_member(second, "officer", user=user)
    client.force_login(user)

    page = _dashboard(client)  # the first agency by organ_id is active at first
    assert _cards(page) == ["leader"]
    assert 'data-testid="dashboard-agency">UBND tỉnh Thử nghiệm<' in page

    client.post(reverse("org:switch_agency"), {"agency": second.pk, "next": "/"})
    page = _dashboard(client)
    assert _cards(page) == ["officer"]
    assert 'data-testid="dashboard-agency">Sở Thử nghiệm<' in page


def _count_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        _dashboard(client)
    return len(captured)


@pytest.mark.django_db
def test_dashboard_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    # Both switch between agencies (the header then lists them); one has far more of everything.
    small = make_member(AgencyFactory(), "clerk")
    make_member(AgencyFactory(), user=small)
    big = make_member(AgencyFactory(), *ALL_ROLES)
    for _ in range(4):
        make_member(AgencyFactory(), *ALL_ROLES, user=big)
    assert _count_queries(client, small) == _count_queries(client, big)
    client.force_login(big)
    with django_assert_max_num_queries(8):
        _dashboard(client)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_navigation_shows_each_role_only_what_it_may_use(rf, role):
    agency = AgencyFactory()
    request = rf.get("/")
    request.user = make_member(agency, role)
    shown = {entry["item"].url_name for entry in visible_nav_items(request, agency)}
    for item in NAV_ITEMS:
        try:
            reverse(item.url_name)
        except NoReverseMatch:
            assert item.url_name not in shown  # not installed: no dead link
            continue
        expected = not item.superuser and (not item.roles or role in item.roles)
        assert (item.url_name in shown) == expected, (item.url_name, role)


@pytest.mark.django_db
def test_navigation_marks_the_current_page(client):
    client.force_login(make_member(AgencyFactory(), "clerk"))
    page = _dashboard(client)
    current = re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page">', page)
    assert current == [reverse("web:dashboard")]
