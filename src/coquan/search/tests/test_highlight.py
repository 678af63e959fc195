"""Marks around matched words in the original text: safe HTML, never a changed text."""

from __future__ import annotations

import html
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from coquan.search.highlight import highlight, snippet
from coquan.search.query import QueryError, parse


def marks(text: str, query: str) -> str:
    return highlight(text, parse(query).highlight_terms())


def test_words_phrases_and_prefixes_are_marked_in_the_original():
    title = "Quyết định cấp phép xuất bản bản tin"
    assert (
        marks(title, "quyet dinh")
        == "<mark>Quyết</mark> <mark>định</mark> cấp phép xuất bản bản tin"
    )
    assert marks(title, '"cap phep"') == "Quyết định <mark>cấp phép</mark> xuất bản bản tin"
    assert marks(title, "xu*") == "Quyết định cấp phép <mark>xuất</mark> bản bản tin"
    assert marks("Số 05/QĐ-UBND", "05/QD-UBND") == "Số <mark>05/QĐ-UBND</mark>"


def test_nfd_text_keeps_its_marks_inside_the_highlight():
    text = unicodedata.normalize("NFD", "quận Đống Đa")
    out = marks(text, "dong da")
    assert out.startswith(unicodedata.normalize("NFD", "quận <mark>Đống</mark>"))


def test_everything_else_is_escaped():
    assert marks('<script>alert("đa")</script>', "da") == (
        "&lt;script&gt;alert(&quot;<mark>đa</mark>&quot;)&lt;/script&gt;"
    )
    assert snippet("  ", []) == ""
    assert (
        snippet("văn bản <b>", parse("van").highlight_terms())
        == "… <mark>văn</mark> bản &lt;b&gt; …"
    )


@given(st.text(max_size=120), st.text(max_size=40))
def test_highlight_only_adds_marks(text, query):
    try:
        terms = parse(query).highlight_terms()
    except QueryError:
        terms = []
    out = str(highlight(text, terms))
    assert html.unescape(out.replace("<mark>", "").replace("</mark>", "")) == text
