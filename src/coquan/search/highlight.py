"""Marking matched words in the original text (with its tone marks) for display.

The index matches folded words; the results show the original text. ``highlight`` folds the
original character by character (``folding.aligned_fold``), finds the query's words, prefixes
and phrases among the folded words, and puts ``<mark>`` around the matching spans of the
original. Everything else is escaped: the result is safe HTML.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from coquan.search.folding import aligned_fold
from coquan.search.query import Term

_WORD = re.compile(r"[^\W_]+")


def _spans(folded: str, terms: list[Term]) -> list[tuple[int, int]]:
    """(start, end) spans of ``folded`` covered by one of ``terms``."""
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(folded)]
    spans = []
    for term in terms:
        size = len(term.words)
        for i in range(len(words) - size + 1):
            ok = True
            for j, wanted in enumerate(term.words):
                word = words[i + j][2]
                last = j == size - 1
                if not (word == wanted or (last and term.prefix and word.startswith(wanted))):
                    ok = False
                    break
            if ok:
                spans.append((words[i][0], words[i + size - 1][1]))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: list[Term]) -> SafeString:
    """``text`` escaped, with ``<mark>`` around the words matching ``terms``."""
    if not text:
        return mark_safe("")
    folded, origin = aligned_fold(text)
    if not terms or not any(term.words[0] in folded for term in terms):
        return escape(text)
    spans = _merge(_spans(folded, terms))
    if not spans:
        return escape(text)
    out = []
    position = 0
    for start, end in spans:
        begin = origin[start] if origin else start
        finish = (origin[end - 1] if origin else end - 1) + 1
        # Combining marks after the last letter (NFD text) belong to the marked word.
        while finish < len(text) and unicodedata.category(text[finish]) == "Mn":
            finish += 1
        begin = max(begin, position)
        out.append(escape(text[position:begin]))
        out.append(f"<mark>{escape(text[begin:finish])}</mark>")
        position = finish
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # every piece is escaped


def snippet(excerpt: str, terms: list[Term]) -> SafeString:
    """A window of longer text (cut in SQL) with ellipses and marks."""
    excerpt = excerpt.strip()
    if not excerpt:
        return mark_safe("")
    return mark_safe(f"… {highlight(excerpt, terms)} …")
