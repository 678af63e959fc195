"""SQLite backend: the FTS5 table ``search_fts`` joined to the entries, ranked by ``bm25``.

``search_fts`` indexes the folded columns ``text_a``, ``text_b``, ``text_c`` with
``tokenize = 'unicode61 remove_diacritics 2'`` and prefix indexes of 2 and 3 characters
(migration ``0002_engines``). The match is ``search_fts MATCH %s`` where the parameter is
rendered by ``query.to_fts5`` from the parsed tree (every word quoted), limited to the text
columns and combined with the agency word (``fts_scope : "a12"``); ``bm25`` with weights
A=10, B=4, C=1 ranks in the same statement (lower is better).
"""

from __future__ import annotations

from coquan.search.backends.base import E, Scope, SearchBackend
from coquan.search.indexing import scope_word
from coquan.search.query import Query, to_fts5

#: bm25 weights of text_a, text_b, text_c, fts_scope (the agency word does not rank).
WEIGHTS = (10.0, 4.0, 1.0, 0.0)
FTS = '"search_fts"'


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"
    from_sql = f"{FTS} JOIN {E} ON {E}.id = {FTS}.rowid"
    rank_direction = "ASC"
    # FTS5 walks its index backwards by rowid (= entry id): the LIMIT stops it early.
    recency_sql = f"{FTS}.rowid DESC"

    def match(self, query: Query, scope: Scope) -> tuple[str, list]:
        # The words are searched in the text columns only; the agency word narrows the
        # match inside FTS5, which then ranks and returns the agency's matches alone.
        expression = (
            f"{{text_a text_b text_c}} : ({to_fts5(query)}) "
            f'AND fts_scope : "{scope_word(scope.agency_id)}"'
        )
        return f"{FTS} MATCH %s", [expression]

    def rank(self, query: Query) -> tuple[str, list]:
        return f"bm25({FTS}, {', '.join(str(w) for w in WEIGHTS)})", []

    def position_sql(self, column: str) -> str:
        return f"INSTR({column}, %s)"

    def greatest_sql(self, a: str, b: str) -> str:
        return f"MAX({a}, {b})"
