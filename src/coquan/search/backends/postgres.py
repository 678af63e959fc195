"""PostgreSQL backend: the generated ``tsvector`` column, its GIN index and ``ts_rank``.

``search_searchentry.vector`` is ``setweight(to_tsvector('vn_unaccent', text_a), 'A') ||
… 'B' || … 'C'`` plus the agency word ``a12`` with weight D (migration ``0002_engines``).
``vn_unaccent`` is a copy of the ``simple`` configuration whose word mappings run
``unaccent`` then ``simple``: an index on
``unaccent(...)`` itself is refused (the function is not IMMUTABLE), a configuration is not.
The tsquery is ``to_tsquery('vn_unaccent', %s)`` where the parameter is rendered by
``query.to_tsquery`` from the parsed tree (quoted lexemes, ``&``, ``|``, ``!``, ``<->``):
nothing typed by a person is read by PostgreSQL's own query syntax.
"""

from __future__ import annotations

from coquan.search.backends.base import COLUMNS, E, Scope, SearchBackend
from coquan.search.indexing import scope_word
from coquan.search.query import Query, to_tsquery

#: ts_rank weights of D (the agency word: does not rank), C, B, A.
WEIGHTS = "{0, 0.1, 0.4, 1.0}"
TSQUERY = "to_tsquery('vn_unaccent'::regconfig, %s)"
#: The words typed are looked for in the text (weights A, B, C), never in the agency word.
TEXT_WEIGHTS = "ABC"
#: Autocomplete looks at this many of the agency's newest entries first (see ``_newest``).
RECENT_WINDOW = 1000


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def match(self, query: Query, scope: Scope) -> tuple[str, list]:
        # The agency word (weight D) narrows the GIN scan to the agency's entries, so the
        # heap is read and ranked for one agency's matches only.
        text = f"({to_tsquery(query, TEXT_WEIGHTS)}) & '{scope_word(scope.agency_id)}':D"
        return f"{E}.vector @@ {TSQUERY}", [text]

    def prefix_match(self, query: Query, scope: Scope) -> tuple[str, list]:
        """Look the whole words up in the GIN index; check the prefix on the rows found.

        A prefix (``ph:*``) makes GIN merge the posting lists of every word starting with it
        (phép, phòng, phát …), most of the index for a common prefix. The wider query
        without prefixes (``Query.without_prefixes``) uses the index; ``ts_match_vq`` — the
        function behind ``@@``, which no index serves — checks the full query on those rows.
        """
        wider = query.without_prefixes()
        if wider is None:
            return self.match(query, scope)
        indexed, indexed_params = self.match(wider, scope)
        full = to_tsquery(query, TEXT_WEIGHTS)
        return f"{indexed} AND ts_match_vq({E}.vector, {TSQUERY})", [*indexed_params, full]

    def _newest(self, query: Query, scope: Scope, limit: int) -> list[tuple]:
        """The newest matches: first among the agency's newest entries, then everywhere.

        A GIN scan yields rows in no order, so "the 8 newest matches" means reading and
        checking every match before sorting — tens of thousands of rows for a common word.
        The first statement checks only the agency's ``RECENT_WINDOW`` newest entries (b-tree
        on agency, id; the match as ``ts_match_vq``, the function behind ``@@``, per row):
        when it finds ``limit`` rows they are exactly the newest matches of all. Words too
        rare to fill the window — so with few matches anyway — are then looked up in the
        GIN index. At most two statements.
        """
        newest = f"SELECT w.id FROM {E} w WHERE w.agency_id = %s ORDER BY w.id DESC LIMIT %s"  # noqa: S608
        sql = (
            f"SELECT {COLUMNS}, '' FROM {E} WHERE {E}.id IN ({newest}) "  # noqa: S608
            f"AND ts_match_vq({E}.vector, {TSQUERY}) AND {scope.sql} "
            f"ORDER BY {E}.id DESC LIMIT %s"
        )
        full = to_tsquery(query, TEXT_WEIGHTS)
        rows = self._execute(sql, [scope.agency_id, RECENT_WINDOW, full, *scope.params, limit])
        if len(rows) >= limit:
            return rows
        return super()._newest(query, scope, limit)

    def rank(self, query: Query) -> tuple[str, list]:
        text = to_tsquery(query, TEXT_WEIGHTS)
        return f"ts_rank('{WEIGHTS}'::float4[], {E}.vector, {TSQUERY})", [text]

    def position_sql(self, column: str) -> str:
        return f"STRPOS({column}, %s)"

    def greatest_sql(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})"
