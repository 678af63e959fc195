"""Hostile input never reaches MATCH/tsquery raw and never causes an error — on the engine of
the database the tests run on (run the suite on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coquan.search.query import QueryError

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    '""',
    '"quyet',
    "quyet\"'",
    "*",
    "quyet*",
    "*quyet",
    "q*",
    "NEAR(quyet dinh)",
    "NEAR/2 quyet",
    "quyet OR",
    "OR quyet",
    "OR",
    "AND",
    "NOT",
    "quyet AND NOT dinh",
    "- quyet",
    "--quyet",
    "!quyet",
    "quyet & dinh | !cap",
    "'quyet' <-> 'dinh'",
    "quyet:*",
    "(((quyet",
    "quyet)))",
    "()",
    "{quyet} [dinh]",
    "text_a:quyet",
    "search_fts MATCH 'x'",
    "^quyet",
    "quyet\\",
    "\\' OR 1=1 --",
    "'; DROP TABLE search_searchentry; --",
    "\x00quyet\x00",
    "quyet\x1b[31m\x07",
    "\u202equyet\u200b",
    "\ud83d\ude00 đống đa \U0001f600",
    "%_%",
    "a" * 10_000,
    ("quyết định " * 1000)[:10_240],
    "05/QĐ-UBND" * 500,
    "ảảảảả" * 2000,
]


def run_everything(desk, text):
    """Search, facets and autocomplete; an unusable query may raise QueryError only."""
    for call in (
        lambda: desk.search(text, facets=True),
        lambda: desk.backend.autocomplete(text, desk.clerk, agency=desk.agency),
    ):
        try:
            call()
        except QueryError as exc:
            assert str(exc.message)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_answer_normally_or_with_a_message(golden, text):
    run_everything(golden, text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_arbitrary_text_never_raises(golden, text):
    run_everything(golden, text)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.lists(
        st.sampled_from(
            [
                '"',
                "*",
                "-",
                "OR",
                "AND",
                "NOT",
                "NEAR",
                "(",
                ")",
                ":",
                "'",
                "\\",
                "quyết",
                "dinh",
                "05/QĐ-UBND",
                "đống",
                " ",
                "\x00",
                "^",
                "|",
                "&",
            ]
        ),
        max_size=20,
    ).map("".join)
)
def test_operator_soup_never_raises(golden, text):
    run_everything(golden, text)


@pytest.mark.parametrize("text", HOSTILE[::3], ids=range(len(HOSTILE[::3])))
def test_pages_and_api_never_fail_on_hostile_input(golden, client, api_client, text):
    client.force_login(golden.clerk)
    api_client.force_authenticate(golden.clerk)
    for url in (reverse("search:results"), reverse("search:autocomplete")):
        response = client.get(url, {"q": text})
        assert response.status_code == 200
        response = client.get(url, {"q": text}, headers={"HX-Request": "true"})
        assert response.status_code == 200
    response = api_client.get(reverse("api:search"), {"q": text})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["error"]["code"] in ("invalid_query", "invalid")
        assert response.json()["error"]["message"]
    assert api_client.get(reverse("api:search-autocomplete"), {"q": text}).status_code == 200
