"""Access inside the search SQL: another agency's and secret documents never appear —
not in results, counts, facets or suggestions — for people who may not see them."""

from __future__ import annotations

import pytest

from coquan.accounts.models import User
from coquan.core.testing.factories import make_member
from coquan.documents import actions
from coquan.documents.choices import Secrecy

pytestmark = pytest.mark.django_db

WORDS = "kế hoạch chuyển đổi số"


@pytest.fixture
def mixed(desk):
    """Same words in an open, a secret and another agency's document."""
    docs = desk.docs
    docs["open"] = desk.register(subject="Kế hoạch chuyển đổi số năm 2026", code_number="11")
    docs["secret"] = desk.register(
        subject="Kế hoạch chuyển đổi số trong lĩnh vực quốc phòng",
        code_number="12",
        code_notation="KH-BQP",
        secrecy=Secrecy.SECRET,
        issuer_name="Bộ Quốc phòng",
        type_code="ke-hoach",
    )
    docs["foreign"] = desk.register(
        desk.outsider,
        agency=desk.other,
        subject="Kế hoạch chuyển đổi số ngành tài chính",
        code_number="13",
        issuer_name="Bộ Tài chính",
        type_code="ke-hoach",
    )
    return desk


def everything(desk, user, agency=None, text=WORDS):
    agency = agency or desk.agency
    page = desk.backend.search(text, user, agency=agency, facets=True)
    suggestions = desk.backend.autocomplete("chuyển đổ", user, agency=agency)
    return page, suggestions


def ids(items):
    return {item.object_id for item in items}


def facet_total(page, key):
    return sum(value.count for value in page.facets[key])


def test_leader_without_grant_sees_no_trace_of_the_secret_document(mixed):
    page, suggestions = everything(mixed, mixed.leader)
    assert ids(page.hits) == {mixed.docs["open"].pk}
    assert page.count == 1
    assert facet_total(page, "type") == facet_total(page, "status") == 1
    assert [v.value for v in page.facets["issuer"]] == ["Bộ Khoa học và Công nghệ"]
    assert "ke-hoach" not in [v.value for v in page.facets["type"]]
    assert ids(suggestions) == {mixed.docs["open"].pk}
    # Not even when searching for its number or its issuer.
    assert mixed.backend.search("12/KH-BQP", mixed.leader, agency=mixed.agency).count == 0
    assert mixed.backend.search("quoc phong", mixed.leader, agency=mixed.agency).count == 0


def test_the_clerk_holding_the_grant_finds_it(mixed):
    page, suggestions = everything(mixed, mixed.clerk)
    assert ids(page.hits) == {mixed.docs["open"].pk, mixed.docs["secret"].pk}
    assert page.count == 2 and facet_total(page, "year") == 2
    assert mixed.docs["secret"].pk in ids(suggestions)


def test_a_grant_takes_effect_at_once_without_reindexing(mixed):
    actions.present(mixed.clerk, document=mixed.docs["secret"], leader=mixed.leader)
    page, _ = everything(mixed, mixed.leader)
    assert mixed.docs["secret"].pk in ids(page.hits)


def test_superusers_need_a_grant_too(mixed):
    root = User.objects.create_superuser("vanhanh_search", "vh@example.gov.vn", "x")
    make_member(mixed.agency, user=root)
    page, suggestions = everything(mixed, root)
    assert ids(page.hits) == {mixed.docs["open"].pk}
    assert mixed.docs["secret"].pk not in ids(suggestions)


def test_another_agencys_documents_never_appear(mixed):
    for user in (mixed.clerk, mixed.leader):
        page, suggestions = everything(mixed, user)
        assert mixed.docs["foreign"].pk not in ids(page.hits) | ids(suggestions)
        assert "Bộ Tài chính" not in [v.value for v in page.facets["issuer"]]
        assert mixed.backend.search("tai chinh", user, agency=mixed.agency).count == 0


def test_the_other_agency_sees_its_own_only_even_naming_ours(mixed):
    page, suggestions = everything(mixed, mixed.outsider, agency=mixed.other)
    assert ids(page.hits) == ids(suggestions) == {mixed.docs["foreign"].pk}
    # Asking for our agency is not a way in: visible_to(user) is inside the SQL.
    page, suggestions = everything(mixed, mixed.outsider, agency=mixed.agency)
    assert page.count == 0 and not page.hits and not suggestions
    assert all(not values for values in page.facets.values())


def test_officers_find_only_what_involves_them(mixed):
    page, _ = everything(mixed, mixed.officer)
    assert page.count == 0
    doc = mixed.docs["open"]
    actions.present(mixed.clerk, document=doc, leader=mixed.leader)
    actions.assign(mixed.leader, document=doc, lead_unit=mixed.unit, due_days=5)
    page, suggestions = everything(mixed, mixed.officer)
    assert ids(page.hits) == ids(suggestions) == {doc.pk}
    assert everything(mixed, mixed.bystander)[0].count == 0


def test_anonymous_and_no_agency_find_nothing(mixed):
    from django.contrib.auth.models import AnonymousUser

    assert mixed.backend.search(WORDS, AnonymousUser(), agency=mixed.agency).count == 0
    assert mixed.backend.search(WORDS, mixed.clerk, agency=None).count == 0


def test_access_changes_apply_to_the_next_search_despite_the_compiled_scope(mixed):
    import datetime as dt

    from django.utils import timezone

    from coquan.org.models import Membership

    def next_request(user):
        # Each request loads its user, and with it the roles (core.access, once per request).
        return User.objects.get(pk=user.pk)

    leader = next_request(mixed.leader)
    assert mixed.backend.search(WORDS, leader, agency=mixed.agency).count == 1
    assert mixed.backend.search(WORDS, leader, agency=mixed.agency).count == 1  # cached
    # The leader role taken away: the compiled rule of an overseer no longer applies.
    membership = Membership.objects.get(user=mixed.leader, agency=mixed.agency)
    membership.roles.remove("leader")
    leader = next_request(mixed.leader)
    assert mixed.backend.search(WORDS, leader, agency=mixed.agency).count == 0
    membership.roles.add("leader")
    leader = next_request(mixed.leader)
    assert mixed.backend.search(WORDS, leader, agency=mixed.agency).count == 1
    Membership.objects.filter(user=mixed.leader).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    leader = next_request(mixed.leader)
    assert mixed.backend.search(WORDS, leader, agency=mixed.agency).count == 0
    assert mixed.backend.autocomplete("chuyển đổ", leader, agency=mixed.agency) == []


def test_visibility_is_one_statement_with_the_match(mixed, django_assert_num_queries):
    from coquan.core.access import roles_in

    # The person's roles are read once per request, by every access check (the header's
    # navigation first); the search itself is then one statement.
    roles_in(mixed.leader, mixed.agency)
    with django_assert_num_queries(1) as captured:
        page = mixed.backend.search(WORDS, mixed.leader, agency=mixed.agency)
    assert page.count == 1
    sql = captured.captured_queries[0]["sql"].upper()
    assert "EXISTS" in sql and "SECRECYGRANT" in sql and "COUNT(*) OVER ()" in sql
