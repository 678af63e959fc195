"""``coquan gen_data``: counts, consistent numbering, gapless arrival numbers per book,
a legal trail consistent with each status, the hot-spot leader, and a working inbox."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.urls import reverse

from coquan.documents.choices import IncomingStatus, Secrecy, StepKind
from coquan.documents.models import HandlingStep, IncomingDocument, RegisterBook, SecrecyGrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    out = io.StringIO()
    call_command("gen_data", documents=1500, agencies=4, seed=3, stdout=out)
    return out.getvalue()


def test_counts_and_gapless_numbers_per_book(generated):
    assert IncomingDocument.objects.count() == 1500
    assert "1500 documents" in generated
    for book in RegisterBook.objects.filter(documents__isnull=False).distinct():
        numbers = book.documents.aggregate(
            low=Min("arrival_number"), high=Max("arrival_number"), n=Count("pk")
        )
        assert numbers == {"low": 1, "high": book.last_number, "n": book.last_number}
        by_arrival = list(
            book.documents.order_by("arrival_date", "pk").values_list("arrival_number", flat=True)
        )
        assert by_arrival == sorted(by_arrival)  # numbers follow the order of receipt
        assert set(book.documents.values_list("arrival_date__year", flat=True)) == {book.year}


def test_trail_matches_status_and_subjects_are_vietnamese(generated):
    per_doc = dict(
        HandlingStep.objects.values("document").annotate(n=Count("pk")).values_list("document", "n")
    )
    assert len(per_doc) == 1500
    for doc in IncomingDocument.objects.only("pk", "status", "lead_unit", "lead_user"):
        kinds = list(doc.steps.order_by("created_at", "pk").values_list("kind", flat=True))
        assert kinds[0] == StepKind.REGISTERED
        if doc.status in (IncomingStatus.ASSIGNED, IncomingStatus.IN_PROGRESS, IncomingStatus.DONE):
            assert 3 <= len(kinds) <= 15, (doc.status, kinds)
            assert StepKind.ASSIGNED in kinds and (doc.lead_unit_id or doc.lead_user_id)
        if doc.status == IncomingStatus.DONE:
            assert kinds[-1] == StepKind.DONE
    subjects = " ".join(IncomingDocument.objects.values_list("subject", flat=True)[:400])
    assert "đ" in subjects and any(ch in subjects for ch in "ệếềểễộốồổỗựứừửữ")
    types = IncomingDocument.objects.values("document_type__code").annotate(n=Count("pk"))
    top = max(types, key=lambda row: row["n"])
    assert top["document_type__code"] == "cong-van"


def test_secret_documents_are_granted_and_in_their_own_book(generated):
    secret = IncomingDocument.objects.exclude(secrecy=Secrecy.NONE)
    assert secret.exists()
    assert not secret.exclude(register_book__kind="incoming_secret").exists()
    for doc in secret:
        granted = set(SecrecyGrant.objects.filter(document=doc).values_list("user_id", flat=True))
        assert doc.registered_by_id in granted
        if doc.presented_to_id:
            assert doc.presented_to_id in granted


def test_the_hot_leader_has_the_big_inbox_and_it_works(generated, client):
    from coquan.accounts.models import User

    leader = User.objects.get(username__endswith="_gd1")
    presented = IncomingDocument.objects.filter(presented_to=leader).count()
    assert presented >= 0.15 * 1500
    client.force_login(leader)
    response = client.get(reverse("documents:incoming_list") + "?queue=to_assign")
    assert response.status_code == 200
    count = dict((tab.key, n) for tab, n in response.context["tabs"])["to_assign"]
    assert (
        count
        == IncomingDocument.objects.filter(
            presented_to=leader, status=IncomingStatus.PRESENTED
        ).count()
    )
    assert count > 0


def test_a_second_run_adds_to_the_data_set(generated):
    call_command("gen_data", documents=200, agencies=2, seed=4, stdout=io.StringIO())
    assert IncomingDocument.objects.count() == 1700
    doc = IncomingDocument.objects.order_by("-pk").first()
    assert doc.steps.exists()


def test_big_tabs_show_a_labelled_capped_count_and_the_list_its_exact_total(client):
    """Tabs over ``COUNT_CAP`` read "1000+" (with an explanation); totals stay exact."""
    from coquan.accounts.models import User
    from coquan.documents import queues

    call_command("gen_data", documents=1300, agencies=1, seed=5, stdout=io.StringIO())
    leader = User.objects.get(username__endswith="_gd1")
    visible = IncomingDocument.objects.visible_to(leader).count()
    assert visible > queues.COUNT_CAP
    client.force_login(leader)
    response = client.get(reverse("documents:incoming_list") + "?queue=all")
    tabs = {tab.key: n for tab, n in response.context["tabs"]}
    assert tabs["all"] == queues.COUNT_CAP + 1  # stopped at the cap
    assert response.context["page"].paginator.count == visible  # the list's total is exact
    html = response.content.decode()
    assert 'data-testid="count-all" title="Nhiều hơn 1000: chỉ đếm đến mức này.">1000+<' in html
    waiting = IncomingDocument.objects.filter(
        presented_to=leader, status=IncomingStatus.PRESENTED
    ).count()
    assert tabs["to_assign"] == waiting  # not capped: exact
    assert f'data-testid="count-to_assign">{waiting}<' in html
