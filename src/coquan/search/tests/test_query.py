"""The query language: parsing user input into a tree and rendering it safely."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coquan.search.query import (
    MAX_QUERY_CHARS,
    Group,
    QueryError,
    Term,
    parse,
    to_fts5,
    to_tsquery,
)


def groups(text, **kwargs):
    return parse(text, **kwargs).groups


def test_words_must_all_match():
    assert groups("Quyết định cấp phép") == (
        Group((Term(("quyet",)),)),
        Group((Term(("dinh",)),)),
        Group((Term(("cap",)),)),
        Group((Term(("phep",)),)),
    )


def test_quoted_phrase_keeps_order():
    assert groups('"cấp phép" xuất') == (
        Group((Term(("cap", "phep")),)),
        Group((Term(("xuat",)),)),
    )


@pytest.mark.parametrize("text", ["05/QĐ-UBND", "05/QD-UBND", "05/qd-ubnd"])
def test_number_and_notation_is_one_phrase_of_folded_pieces(text):
    assert groups(text) == (Group((Term(("05", "qd", "ubnd")),)),)


def test_prefix_star_and_autocomplete():
    assert groups("chuyen*") == (Group((Term(("chuyen",), prefix=True),)),)
    # A word still too short to be a prefix is left out while it is being typed.
    assert groups("chuyển đổi s", autocomplete=True)[-1] == Group((Term(("doi",)),))
    assert groups("05/QĐ-U", autocomplete=True) == (Group((Term(("05", "qd")),)),)
    with pytest.raises(QueryError):
        parse("q", autocomplete=True)
    assert groups("chuyển đổ", autocomplete=True)[-1] == Group((Term(("do",), prefix=True),))
    assert groups("chuyển đổi ", autocomplete=True)[-1] == Group((Term(("doi",)),))
    assert groups("05/QĐ-UB", autocomplete=True) == (
        Group((Term(("05", "qd", "ub"), prefix=True),)),
    )


def test_exclusion_or_and_ignored_operators():
    assert groups("quyet -cap NOT phep") == (
        Group((Term(("quyet",)),)),
        Group((Term(("cap",)),), negated=True),
        Group((Term(("phep",)),), negated=True),
    )
    assert groups("a1 OR b2 AND c3 NEAR d4") == (
        Group((Term(("a1",)), Term(("b2",)))),
        Group((Term(("c3",)),)),
        Group((Term(("d4",)),)),
    )
    # Lower-case operators are words.
    assert groups("or and not") == (
        Group((Term(("or",)),)),
        Group((Term(("and",)),)),
        Group((Term(("not",)),)),
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ('"', "empty"),
        ("()", "empty"),
        ("*** ---", "empty"),
        ("-quyet NOT dinh", "only_exclusions"),
        ("a" * (MAX_QUERY_CHARS + 1), "too_long"),
        ("a" * 101, "word_too_long"),
        (" ".join(f"w{i}" for i in range(65)), "too_many_words"),
    ],
)
def test_unusable_input_raises_a_query_error_with_a_message(text, code):
    with pytest.raises(QueryError) as exc:
        parse(text)
    assert exc.value.code == code
    assert str(exc.value.message)


def test_rendering_quotes_every_word():
    query = parse('quyết "cấp phép" thu OR hồi -huỷ 05/QĐ-UBND chuyen*')
    assert to_fts5(query) == (
        '("quyet" AND "cap phep" AND ("thu" OR "hoi") AND "05 qd ubnd" AND "chuyen"*) NOT "huy"'
    )
    assert to_tsquery(query) == (
        "'quyet' & ('cap' <-> 'phep') & ('thu' | 'hoi') & ('05' <-> 'qd' <-> 'ubnd') "
        "& 'chuyen':* & !'huy'"
    )
    # OR after an exclusion joins nothing: the exclusion stays an exclusion.
    assert groups("-thu OR hoi") == (
        Group((Term(("thu",)),), negated=True),
        Group((Term(("hoi",)),)),
    )


def test_unbalanced_quotes_and_brackets_are_separators():
    assert groups('"quyết định (cấp') == (Group((Term(("quyet", "dinh", "cap")),)),)
    assert groups("(quyết) định)") == (
        Group((Term(("quyet",)),)),
        Group((Term(("dinh",)),)),
    )


SAFE_FTS5 = re.compile(r'^[\w "*()]+$')
SAFE_TSQUERY = re.compile(r"^[\w '&|!<>\-():*]+$")


@given(st.text(max_size=300))
def test_any_input_parses_or_gives_a_message_and_renders_safely(text):
    try:
        query = parse(text)
    except QueryError as exc:
        assert str(exc.message)
        return
    fts = to_fts5(query)
    tsq = to_tsquery(query)
    assert SAFE_FTS5.match(fts), fts
    assert SAFE_TSQUERY.match(tsq), tsq
    # Every quoted piece holds folded letters and digits only.
    for piece in re.findall(r'"([^"]*)"', fts):
        assert piece and all(word.isalnum() for word in piece.split(" "))
    assert "\x00" not in fts and "\x00" not in tsq


def test_without_prefixes_is_a_wider_query():
    def wider(text):
        query = parse(text, autocomplete=True).without_prefixes()
        return None if query is None else query.groups

    assert wider("quyet dinh cap ph") == (
        Group((Term(("quyet",)),)),
        Group((Term(("dinh",)),)),
        Group((Term(("cap",)),)),
    )
    assert wider("05/QĐ-UB") == (Group((Term(("05", "qd")),)),)
    assert wider("luc OR ng") is None  # an OR with a prefix cannot be narrowed
    assert wider("ph") is None
    assert wider("quyet -cap ph") == (Group((Term(("quyet",)),)),)
