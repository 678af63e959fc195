"""``KeysFirstPaginator``: the same pages as ``Paginator``, deep pages in two statements."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coquan.core.pagination import KeysFirstPaginator
from coquan.core.testing.factories import AgencyFactory
from coquan.org.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    parent = AgencyFactory(organ_id="000.00.00.H99", name="Tỉnh thử")
    for number in range(23):
        # Names repeat: the ordering needs its tie-breaker to be a total order.
        AgencyFactory(organ_id=f"000.{number:02d}.01.H99", name=f"Xã {number % 5}", parent=parent)
    return Agency.objects.select_related("parent").order_by("name", "pk")


@pytest.mark.parametrize("per_page,orphans", [(5, 0), (5, 2), (7, 0), (30, 0)])
def test_every_page_is_the_page_paginator_gives(agencies, per_page, orphans):
    plain = Paginator(agencies, per_page, orphans=orphans)
    keys_first = KeysFirstPaginator(agencies, per_page, orphans=orphans)
    assert keys_first.num_pages == plain.num_pages
    for number in plain.page_range:
        expected = [a.pk for a in plain.page(number)]
        got = keys_first.page(number)
        assert [a.pk for a in got] == expected
        assert got.has_next() == plain.page(number).has_next()


def test_a_deep_page_reads_keys_then_rows_with_their_joins(agencies):
    paginator = KeysFirstPaginator(agencies, 5)
    paginator.count  # noqa: B018 (counted once, as a list page does)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(3)
        parents = [agency.parent.name for agency in page]
    keys, rows = (query["sql"] for query in queries.captured_queries)
    assert len(parents) == 5 and set(parents) == {"Tỉnh thử"}  # no query per row
    assert "LIMIT 5 OFFSET 10" in keys and "parent" not in keys.split("FROM")[0]
    assert "JOIN" in rows and "LIMIT" not in rows


def test_the_first_page_and_plain_lists_are_one_statement(agencies):
    paginator = KeysFirstPaginator(agencies, 5)
    paginator.count  # noqa: B018
    with CaptureQueriesContext(connection) as queries:
        list(paginator.page(1))
    assert len(queries.captured_queries) == 1
    as_list = KeysFirstPaginator(list(agencies), 5)
    assert [a.pk for a in as_list.page(2)] == [a.pk for a in list(agencies)[5:10]]
    values = KeysFirstPaginator(agencies.values("pk"), 5)
    assert [row["pk"] for row in values.page(2)] == [a.pk for a in list(agencies)[5:10]]
