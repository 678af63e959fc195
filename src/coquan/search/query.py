"""The search query language: user input → a query tree → a safe engine expression.

What a person may type (docs/search.md has the long version):

- words: every word must match (``quyet dinh cap phep``), with or without tone marks;
- ``"quoted phrases"``: the words in this order, next to each other;
- a trailing ``*`` makes the last word a prefix (``chuyen*``); the autocomplete box treats
  the word being typed as a prefix by itself;
- numbers and notations (``05/QĐ-UBND``, ``2491/STC-BCTC``, ``1.005129``): a piece of text
  holding punctuation between letters or digits is one phrase of its folded pieces, so
  ``05/QD-UBND`` finds ``05/QĐ-UBND``;
- ``-word`` or ``NOT word`` leaves out what contains the word; ``OR`` (upper case) between two
  items accepts either; ``AND`` and ``NEAR`` (upper case) are accepted and ignored (every word
  must match anyway; there is no proximity search).

Nothing the person typed reaches ``MATCH`` or ``to_tsquery`` as written: the input is cut
into folded words (letters and digits only) and the tree is rendered by ``to_fts5`` /
``to_tsquery`` from those words, each one quoted. Brackets, stray quotes and operators are
separators. Input that leaves nothing to look for, only exclusions, or too much text raises
``QueryError`` with a message for the person; nothing else raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from coquan.search.folding import tokens

#: Longest input accepted (characters); a subject (trích yếu) is at most 500.
MAX_QUERY_CHARS = 2000
#: Most words in one query (every word is one more posting list to intersect).
MAX_WORDS = 64
#: Longest word (characters); longer runs are not words a person searches for.
MAX_WORD_CHARS = 100
#: Shortest prefix: one letter would match a large part of the index.
MIN_PREFIX_CHARS = 2

_CHUNK = re.compile(r'"|[^\s"()]+')
_IGNORED_OPERATORS = re.compile(r"^(AND|NEAR(/\d*)?|&&)$")


class QueryError(ValueError):
    """The input cannot be used as a search; ``message`` tells the person why."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of several words in order; ``prefix``: the last word is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class Group:
    """Terms of which at least one must match (``OR``); ``negated``: none may match."""

    terms: tuple[Term, ...]
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """Groups that must all match (the implicit ``AND``) — the parsed query tree."""

    groups: tuple[Group, ...]
    text: str = field(default="", compare=False)

    @property
    def positive(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if not g.negated)

    @property
    def negative(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.negated)

    def highlight_terms(self) -> list[Term]:
        """The terms whose words are marked in results (exclusions are not)."""
        return [term for group in self.positive for term in group.terms]

    def without_prefixes(self) -> Query | None:
        """A wider query with no prefix word: every match of this query matches it.

        Prefix words leave their phrase (``05 qd ub*`` → ``05 qd``), a single prefix word
        leaves the query, an ``OR`` group holding a prefix and the exclusions are dropped.
        An engine can look the wider query up in its index and check the rows found against
        this one. None when no word is left.
        """
        groups = []
        for group in self.positive:
            if not any(term.prefix for term in group.terms):
                groups.append(group)
            elif len(group.terms) == 1 and len(group.terms[0].words) > 1:
                groups.append(Group((Term(group.terms[0].words[:-1]),)))
        return Query(tuple(groups), text=self.text) if groups else None


def clean_input(text: str) -> str:
    """The input with control and format characters turned into spaces (NUL included)."""
    return "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp"} else char
        for char in text or ""
    )


def _term(raw: str, *, prefix: bool) -> Term | None:
    words = tokens(raw)
    if not words:
        return None
    if any(len(word) > MAX_WORD_CHARS for word in words):
        raise QueryError(
            "word_too_long",
            _("A word of your search is too long (at most %(n)d characters).")
            % {"n": MAX_WORD_CHARS},
        )
    if prefix and len(words[-1]) < MIN_PREFIX_CHARS:
        prefix = False
    return Term(tuple(words), prefix)


def _items(text: str):
    """Yield the items of the input: ("term", raw text, prefix, negated), ("or",), ("not",)."""
    position = 0
    length = len(text)
    while position < length:
        match = _CHUNK.search(text, position)
        if match is None:
            return
        chunk = match.group(0)
        position = match.end()
        if chunk == '"':
            closing = text.find('"', position)
            inner = text[position:] if closing < 0 else text[position:closing]
            position = length if closing < 0 else closing + 1
            prefix = False
            if position < length and text[position] == "*":
                prefix = True
                position += 1
            yield ("term", inner, prefix or inner.rstrip().endswith("*"), False)
            continue
        if chunk in {"OR", "||", "|"}:
            yield ("or",)
            continue
        if chunk in {"NOT", "!"}:
            yield ("not",)
            continue
        if _IGNORED_OPERATORS.match(chunk):
            continue
        negated = False
        while chunk[:1] in {"-", "+", "!"}:
            negated = negated or chunk[0] in {"-", "!"}
            chunk = chunk[1:]
        yield ("term", chunk, chunk.endswith("*"), negated)


def _complete_last_word(groups: list[list]) -> None:
    """Make the word being typed a prefix; one still too short to be a prefix is dropped."""
    terms, negated = groups[-1]
    if negated:
        return
    last = terms[-1]
    if len(last.words[-1]) >= MIN_PREFIX_CHARS:
        terms[-1] = Term(last.words, True)
    elif len(last.words) > 1:
        terms[-1] = Term(last.words[:-1])
    else:
        terms.pop()
        if not terms:
            groups.pop()


def parse(text: str, *, autocomplete: bool = False) -> Query:
    """Parse ``text`` into a ``Query``; raise ``QueryError`` when nothing usable remains.

    With ``autocomplete`` the last word typed (no space after it yet) is a prefix, or left
    out while it has fewer than ``MIN_PREFIX_CHARS`` characters.
    """
    if len(text or "") > MAX_QUERY_CHARS:
        raise QueryError(
            "too_long",
            _("Your search is too long (at most %(n)d characters).") % {"n": MAX_QUERY_CHARS},
        )
    text = clean_input(text)
    groups: list[list] = []  # [terms, negated]
    pending_or = False
    pending_not = False
    for item in _items(text):
        if item[0] == "or":
            pending_or = bool(groups) and not groups[-1][1]
            continue
        if item[0] == "not":
            pending_not = True
            continue
        _kind, raw, prefix, negated = item
        term = _term(raw, prefix=prefix)
        negated = negated or pending_not
        pending_not = False
        if term is None:
            continue
        if pending_or and not negated:
            groups[-1][0].append(term)
        else:
            groups.append([[term], negated])
        pending_or = False
    if autocomplete and groups and text[-1:] not in {" ", '"', ")"}:
        _complete_last_word(groups)
    query = Query(tuple(Group(tuple(t), n) for t, n in groups), text=text.strip())
    if not query.groups:
        raise QueryError("empty", _("Enter a word, a phrase or a document number to search for."))
    if not query.positive:
        raise QueryError(
            "only_exclusions",
            _("Your search only leaves words out: add a word or a number to look for."),
        )
    if sum(len(term.words) for group in query.groups for term in group.terms) > MAX_WORDS:
        raise QueryError(
            "too_many_words",
            _("Your search has too many words (at most %(n)d).") % {"n": MAX_WORDS},
        )
    return query


# --- Rendering ---------------------------------------------------------------------------------


def _fts5_term(term: Term) -> str:
    body = " ".join(word.replace('"', '""') for word in term.words)
    return f'"{body}"' + ("*" if term.prefix else "")


def _fts5_group(group: Group) -> str:
    parts = [_fts5_term(term) for term in group.terms]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def to_fts5(query: Query) -> str:
    """The FTS5 ``MATCH`` expression of ``query``: every word quoted, operators explicit."""
    expression = " AND ".join(_fts5_group(group) for group in query.positive)
    for group in query.negative:
        expression = f"({expression}) NOT {_fts5_group(group)}"
    return expression


def _ts_word(word: str, prefix: bool = False, weights: str = "") -> str:
    escaped = word.replace("\\", "\\\\").replace("'", "''")
    suffix = (":*" + weights) if prefix else (f":{weights}" if weights else "")
    return f"'{escaped}'{suffix}"


def _ts_term(term: Term, weights: str) -> str:
    last = len(term.words) - 1
    parts = [
        _ts_word(word, term.prefix and i == last, weights) for i, word in enumerate(term.words)
    ]
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def _ts_group(group: Group, weights: str) -> str:
    parts = [_ts_term(term, weights) for term in group.terms]
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def to_tsquery(query: Query, weights: str = "") -> str:
    """The ``to_tsquery`` text of ``query``: quoted lexemes joined by ``&``, ``|``, ``<->``.

    ``weights`` (e.g. ``"ABC"``) restricts every lexeme to those weights of the tsvector.
    """
    parts = [_ts_group(group, weights) for group in query.positive]
    parts += [f"!{_ts_group(group, weights)}" for group in query.negative]
    return " & ".join(parts)
