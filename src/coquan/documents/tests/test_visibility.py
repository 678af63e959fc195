"""Who sees which incoming document: one SQL query, secrecy respected everywhere."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coquan.accounts.models import User
from coquan.core.testing.factories import make_member
from coquan.documents import actions
from coquan.documents.choices import Secrecy
from coquan.documents.models import IncomingDocument


def visible_ids(user):
    return set(IncomingDocument.objects.visible_to(user).values_list("pk", flat=True))


def everyone(office):
    """Every kind of person for the visibility rule; the superuser last."""
    admin = make_member(office.agency, "admin", username="quantri2")
    nobody = make_member(office.agency, username="khong-lien-quan2")
    superuser = User.objects.create_superuser("vanhanh2", "vh2@example.gov.vn", "x")
    return (
        office.clerk, office.leader, office.unit_leader, office.officer, office.officer2,
        office.outsider, admin, nobody, superuser,
    )  # fmt: skip


@pytest.fixture
def docs(office):
    plain = office.register(subject="Văn bản thường")
    presented = office.register(subject="Đã trình", code_number="2")
    presented = actions.present(office.clerk, document=presented, leader=office.leader)
    to_unit = office.register(subject="Giao phòng", code_number="3")
    to_unit = actions.present(office.clerk, document=to_unit, leader=office.leader)
    to_unit = actions.assign(
        office.leader,
        document=to_unit,
        lead_unit=office.unit,
        due_days=2,
        for_info=[office.officer2],
    )
    secret = office.register(subject="Mật", code_number="4", secrecy=Secrecy.SECRET)
    return {"plain": plain, "presented": presented, "to_unit": to_unit, "secret": secret}


@pytest.mark.django_db
def test_overseeing_roles_see_every_non_secret_document(office, docs):
    non_secret = {docs["plain"].pk, docs["presented"].pk, docs["to_unit"].pk}
    assert visible_ids(office.leader) == non_secret
    admin = make_member(office.agency, "admin", username="quantri")
    assert visible_ids(admin) == non_secret
    # The clerk registered the secret one and holds its grant.
    assert visible_ids(office.clerk) == non_secret | {docs["secret"].pk}


@pytest.mark.django_db
def test_officers_see_only_what_involves_them_or_their_unit(office, docs):
    assert visible_ids(office.officer) == {docs["to_unit"].pk}  # lead unit member
    assert visible_ids(office.unit_leader) == {docs["to_unit"].pk}
    assert visible_ids(office.officer2) == {docs["to_unit"].pk}  # for information
    nobody = make_member(office.agency, username="khong-lien-quan")
    assert visible_ids(nobody) == set()


@pytest.mark.django_db
def test_other_agencies_and_anonymous_see_nothing(office, docs):
    from django.contrib.auth.models import AnonymousUser

    assert visible_ids(office.outsider) == set()
    assert visible_ids(AnonymousUser()) == set()


@pytest.mark.django_db
def test_secret_documents_only_for_granted_people(office, docs):
    secret = docs["secret"]
    superuser = User.objects.create_superuser("vanhanh", "vh@example.gov.vn", "x")
    assert secret.pk not in visible_ids(office.leader)
    assert secret.pk not in visible_ids(superuser)
    assert visible_ids(superuser) >= {docs["plain"].pk}
    assert IncomingDocument.objects.visible_to(office.leader).count() == 3
    actions.present(office.clerk, document=secret, leader=office.leader)
    assert secret.pk in visible_ids(office.leader)


@pytest.mark.django_db
def test_a_person_who_left_the_agency_sees_nothing(office, docs):
    import datetime as dt

    from django.utils import timezone

    membership = office.officer.memberships.get()
    membership.end_date = timezone.localdate() - dt.timedelta(days=1)
    membership.start_date = membership.end_date - dt.timedelta(days=10)
    membership.save()
    from coquan.core.access import clear_access_cache

    clear_access_cache(office.officer)
    assert visible_ids(office.officer) == set()


@pytest.mark.django_db
def test_visibility_is_one_sql_query(office, docs):
    for user in (office.clerk, office.leader, office.officer, office.outsider):
        with CaptureQueriesContext(connection) as queries:
            count = IncomingDocument.objects.visible_to(user).count()
            rows = list(IncomingDocument.objects.visible_to(user).for_list()[:25])
        assert len(queries) == 2, [q["sql"] for q in queries]
        assert count == len(rows)


@pytest.mark.django_db
def test_visible_in_an_agency_gives_the_same_rows_as_visible_to(office, docs):
    """The reduced rule for people overseeing the agency changes the plan, never the rows."""
    from coquan.core.access import clear_access_cache

    people = everyone(office)
    superuser = people[-1]
    actions.present(office.clerk, document=docs["secret"], leader=office.leader)
    for user in people:
        clear_access_cache(user)
        expected = set(
            IncomingDocument.objects.visible_to(user)
            .for_agency(office.agency)
            .values_list("pk", flat=True)
        )
        got = set(
            IncomingDocument.objects.visible_in(user, office.agency).values_list("pk", flat=True)
        )
        assert got == expected, user.username
    assert docs["secret"].pk in set(
        IncomingDocument.objects.visible_in(office.leader, office.agency).values_list(
            "pk", flat=True
        )
    )
    assert docs["secret"].pk not in set(
        IncomingDocument.objects.visible_in(superuser, office.agency).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_visible_without_query_never_claims_more_than_the_rule(office, docs):
    """The shortcut of a detail page says "visible" only where ``visible_in`` agrees, and
    ``get_visible_or_404`` (shortcut or query) answers like ``visible_to`` for everyone."""
    from django.http import Http404

    from coquan.core.access import clear_access_cache, get_visible_or_404

    people = everyone(office)
    shortcuts = 0
    for user in people:
        clear_access_cache(user)
        rule = set(IncomingDocument.objects.visible_to(user).values_list("pk", flat=True))
        for document in IncomingDocument.objects.filter(agency=office.agency):
            if IncomingDocument.objects.visible_without_query(user, document):
                shortcuts += 1
                assert document.pk in rule, (user.username, document.subject)
            try:
                found = get_visible_or_404(IncomingDocument, user, pk=document.pk) is not None
            except Http404:
                found = False
            assert found == (document.pk in rule), (user.username, document.subject)
    # Clerk, leader, admin and superuser, each on the three documents that are not secret.
    assert shortcuts == 12
    assert not IncomingDocument.objects.visible_without_query(office.clerk, docs["secret"])


@pytest.mark.django_db
def test_detail_page_data_is_five_queries_for_overseers(office, docs):
    """The detail page's data: the document with three joins, its steps, its files, every
    person named in one query, the units in one more — and no visibility statement
    for an overseer and a document that is not secret."""
    from coquan.core.access import clear_access_cache, roles_in
    from coquan.documents.tests.samples import pdf_upload
    from coquan.documents.views import incoming_for_detail

    to_unit = docs["to_unit"]
    actions.add_attachment(office.clerk, document=to_unit, file=pdf_upload("to-trinh.pdf"))
    clear_access_cache(office.leader)
    roles_in(office.leader, office.agency)  # read once per request, before the page
    with CaptureQueriesContext(connection) as queries:
        document, steps, files = incoming_for_detail(office.leader, to_unit.pk)
        shown = (
            document.document_type.name,
            document.agency.name,
            document.register_book.year,
            document.registered_by.username,
            document.presented_to.username,
            document.lead_unit.name,
            document.lead_user,
            [(s.actor.username, s.user and s.user.username, s.unit and s.unit.name) for s in steps],
            [(f.uploaded_by.username, f.is_current) for f in files],
        )
    assert len(queries) == 5, [q["sql"] for q in queries]
    assert shown[3:6] == (office.clerk.username, office.leader.username, office.unit.name)
    assert shown[6] is None  # assigned to the unit, no person: an empty key stays None
    expected = [
        (s.actor.username, s.user and s.user.username, s.unit and s.unit.name)
        for s in to_unit.steps.timeline()
    ]
    assert shown[7] == expected and len(expected) >= 4
    assert (office.unit.name in {unit for _, _, unit in expected}) is True
    assert shown[8] == [(office.clerk.username, True)]


@pytest.mark.django_db
def test_tab_counts_are_exact_and_one_query(office, docs):
    """``queues.counts`` (one UNION ALL statement) equals counting each tab on its own."""
    from django.utils import timezone

    from coquan.core.access import roles_in
    from coquan.documents import queues

    today = timezone.localdate()
    for user in (office.clerk, office.leader, office.unit_leader, office.officer2):
        tabs = queues.queues_for(roles_in(user, office.agency))
        base = IncomingDocument.objects.visible_in(user, office.agency)
        with CaptureQueriesContext(connection) as queries:
            counts = queues.counts(base, tabs, user, today)
        assert len(queries) == 1
        expected = {tab.key: queues.apply(base, tab, user, today).count() for tab in tabs}
        assert counts == expected, user.username
    leader_tabs = queues.queues_for(roles_in(office.leader, office.agency))
    leader = queues.counts(
        IncomingDocument.objects.visible_in(office.leader, office.agency),
        leader_tabs,
        office.leader,
        today,
    )
    assert leader["all"] == 3 and leader["to_assign"] == 1
    assert queues.counts(IncomingDocument.objects.none(), [], office.leader, today) == {}
    officer2 = queues.counts(
        IncomingDocument.objects.visible_in(office.officer2, office.agency),
        queues.queues_for(roles_in(office.officer2, office.agency)),
        office.officer2,
        today,
    )
    assert officer2["for_info"] == 1
