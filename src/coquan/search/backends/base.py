"""The search backend interface and what both engines share.

Every read is ONE SQL statement: the full-text match, the agency, the person's visibility of
every indexed model, the filters, the ranking, the total (``COUNT(*) OVER ()``) and the page
limit (a page past the end costs one more count). Nothing is re-ordered in Python and no list
of ids travels between Python and the database.

The visibility predicate is the indexed model's own ``visible_in(user, agency)`` (or
``visible_to(user)``) — secrecy, roles, involvement — compiled by the ORM into a correlated
``EXISTS`` on the entry's object (``scope``). ``visible_in`` decides by the person's roles in
the agency which rules can apply there, so a clerk's or leader's statement has no
membership subqueries: PostgreSQL planned the full three-model ``visible_to`` predicate in
5–25 ms, more than a selective search itself. Compiling costs milliseconds too, so the
compiled SQL (not any result) is kept per person, agency, roles there and day when every
declaration says its visibility is SQL plus those roles (``SearchIndex.visibility_cacheable``):
grants, hand-overs and assignments are still read by that SQL at each execution and a
change of role is a new key, so a change of access applies to the very next search. The
rest of the statement — match, rank, filters, excerpt,
order, limit — is written here around it; subclasses give the engine's pieces.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.text import capfirst

from coquan.core.access import is_member, roles_in
from coquan.search import indexing, registry
from coquan.search.highlight import highlight, snippet
from coquan.search.models import SearchEntry
from coquan.search.query import Query, parse

PAGE_SIZE = 25
AUTOCOMPLETE_SIZE = 8
FACET_SIZE = 10
FACETS = ("kind", "type", "year", "issuer", "status")
ORDERS = ("relevance", "newest", "oldest")
#: Characters of attached-file text shown around the first match.
SNIPPET_BEFORE, SNIPPET_LENGTH = 80, 280
#: Compiled visibility predicates kept (people × agencies seen in one day, per process).
SCOPE_CACHE_SIZE = 1024

E = '"search_searchentry"'  # the entries table, unaliased: the compiled scope names it so
COLUMNS = ", ".join(
    f"{E}.{column}"
    for column in (
        "id",
        "content_type_id",
        "object_id",
        "number",
        "title",
        "issuer",
        "signer",
        "date",
        "type_name",
        "status",
    )
)


@dataclass(frozen=True)
class SearchFilters:
    """Filters applied in the same SQL as the match (all optional, combined with AND).

    ``kind`` is the label of an indexed model (``documents.outgoingdocument``); an unknown
    label matches nothing.
    """

    kind: str = ""
    type: str = ""
    issuer: str = ""
    status: str = ""
    unit: int | None = None
    urgency: int | None = None
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def sql(self) -> tuple[list[str], list]:
        """(conditions, params) on the entries table."""
        ops = connection.ops
        conditions, params = [], []
        if self.kind:
            try:
                content_type_id = registry.get(self.kind).content_type.pk
            except LookupError:
                content_type_id = 0
            conditions.append(f"{E}.content_type_id = %s")
            params.append(content_type_id)
        for column, value in (
            ("type_code", self.type),
            ("issuer", self.issuer),
            ("status", self.status),
        ):
            if value:
                conditions.append(f"{E}.{column} = %s")
                params.append(value)
        for column, value in (
            ("unit_id", self.unit),
            ("urgency", self.urgency),
            ("year", self.year),
        ):
            if value is not None:
                conditions.append(f"{E}.{column} = %s")
                params.append(value)
        if self.date_from is not None:
            conditions.append(f"{E}.date >= %s")
            params.append(ops.adapt_datefield_value(self.date_from))
        if self.date_to is not None:
            conditions.append(f"{E}.date <= %s")
            params.append(ops.adapt_datefield_value(self.date_to))
        return conditions, params

    def as_params(self) -> dict[str, str]:
        """The filters as query-string parameters (for links, saved searches)."""
        values = {
            "kind": self.kind,
            "type": self.type,
            "issuer": self.issuer,
            "status": self.status,
            "unit": self.unit,
            "urgency": self.urgency,
            "year": self.year,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


@dataclass
class Hit:
    """One result row: original texts with the matched words marked (safe HTML)."""

    entry_id: int
    object_id: int
    kind: str
    url: str
    number: str
    title: str
    issuer: str
    signer: str
    date: dt.date | None
    type_name: str
    status: str
    status_label: str
    number_html: str = ""
    title_html: str = ""
    issuer_html: str = ""
    signer_html: str = ""
    snippet_html: str = ""


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchPage:
    """One page of results, with the total and (when asked) the facets."""

    query: Query
    hits: list[Hit]
    count: int
    number: int
    page_size: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return min(self.number * self.page_size, self.count)


class Unindexed(Func):
    """``+column``: the same value, but the planner may not use an index for it.

    The scope terms (agency, indexed model) select a large share of the entries; with an
    index on them a planner may walk the agency's entries and look each one up in the
    full-text index — a visit per entry even when nothing matches. Kept off the indexes,
    the statement is driven by the full-text index (the "unary +" technique of SQLite's
    query planner documentation; PostgreSQL's ``+`` on integers works the same way).
    """

    template = "+%(expressions)s"


@dataclass(frozen=True)
class Scope:
    """The compiled "this person may see this entry" predicate on the entries table."""

    agency_id: int
    sql: str
    params: tuple


_NOTHING = Scope(0, "", ())
_scopes: OrderedDict = OrderedDict()


def clear_scope_cache() -> None:
    _scopes.clear()


class SearchBackend:
    """Common part of the engines; subclasses give the engine's SQL pieces."""

    vendor = ""
    #: FROM clause: the entries table joined to the engine's index when it is a table.
    from_sql = E
    #: Direction of the engine's score that puts the best match first.
    rank_direction = "DESC"
    #: Autocomplete order: newest first, in an order the engine reads cheaply.
    recency_sql = f"{E}.id DESC"

    # --- Writes (the same rows for both engines) ---------------------------------------------

    def index(self, obj) -> None:
        indexing.index(obj)

    def remove(self, obj) -> None:
        indexing.remove(obj)

    def rebuild(self, model=None, chunk: int = 1000, *, resume: bool = False, progress=None):
        return indexing.rebuild(model, chunk=chunk, resume=resume, progress=progress)

    def repair(self, chunk: int = 500, progress=None) -> int:
        return indexing.repair(chunk=chunk, progress=progress)

    # --- Engine pieces -----------------------------------------------------------------------

    def match(self, query: Query, scope: Scope) -> tuple[str, list]:
        """(WHERE condition, params) of the full-text match of ``query`` in the scope's agency.

        The expression is rendered from the parsed tree and passed as a parameter.
        """
        raise NotImplementedError

    def rank(self, query: Query) -> tuple[str, list]:
        """(score expression, params): the engine's relevance of the matched row."""
        raise NotImplementedError

    def prefix_match(self, query: Query, scope: Scope) -> tuple[str, list]:
        """The match of a query whose last word is being typed (autocomplete)."""
        return self.match(query, scope)

    def position_sql(self, column: str) -> str:
        """1-based position of the ``%s`` text in ``column`` (0 when absent)."""
        raise NotImplementedError

    def greatest_sql(self, a: str, b: str) -> str:
        raise NotImplementedError

    def scope_equals(self, column: str, value) -> Q:
        """``column = value`` on the entries, kept off the b-tree indexes (``Unindexed``)."""
        return Q(Exact(Unindexed(F(column)), value))

    # --- Visibility --------------------------------------------------------------------------

    def visible_entries(self, user, agency):
        """The entries of ``agency`` whose object ``user`` may see (a lazy queryset).

        One correlated ``EXISTS`` per declared model, on the model's own ``visible_to``.
        """
        if agency is None or not getattr(user, "is_authenticated", False):
            return SearchEntry.objects.none()
        conditions = [
            self.scope_equals("content_type_id", index.content_type.pk)
            & Exists(index.visible_in(user, agency).filter(pk=OuterRef("object_id")))
            for index in registry.indexes()
        ]
        if not conditions:
            return SearchEntry.objects.none()
        return SearchEntry.objects.filter(self.scope_equals("agency_id", agency.pk)).filter(
            functools.reduce(operator.or_, conditions)
        )

    def scope(self, user, agency) -> Scope | None:
        """The compiled visibility predicate of ``user`` in ``agency`` (None: sees nothing)."""
        if agency is None or not getattr(user, "is_authenticated", False):
            return None
        declarations = registry.indexes()
        cacheable = bool(declarations) and all(d.visibility_cacheable for d in declarations)
        key = (
            self.vendor,
            user.pk,
            bool(user.is_superuser),
            agency.pk,
            # The declarations' ``visible_in`` decide some branches by the person's roles
            # in the agency (read once per request): a change of role is a new key.
            is_member(user, agency),
            tuple(sorted(roles_in(user, agency))),
            timezone.localdate(),
            tuple((d.label, d.content_type.pk) for d in declarations),
        )
        if cacheable and key in _scopes:
            _scopes.move_to_end(key)
            found = _scopes[key]
            return None if found is _NOTHING else found
        try:
            sql, params = self.visible_entries(user, agency).values("id").query.sql_with_params()
        except EmptyResultSet:
            found = _NOTHING
        else:
            head, marker, where = sql.partition(f"FROM {E} WHERE ")
            if marker and " JOIN " not in head:
                found = Scope(agency.pk, f"({where})", tuple(params))
            else:  # not the expected shape: the same rows through IN (slower, still right)
                found = Scope(agency.pk, f"{E}.id IN ({sql})", tuple(params))
        if cacheable:
            _scopes[key] = found
            if len(_scopes) > SCOPE_CACHE_SIZE:
                _scopes.popitem(last=False)
        return None if found is _NOTHING else found

    # --- Statements --------------------------------------------------------------------------

    def _where(self, query: Query, scope: Scope, filters: SearchFilters | None):
        match, params = self.match(query, scope)
        conditions = [match, scope.sql]
        params = [*params, *scope.params]
        if filters is not None:
            more, more_params = filters.sql()
            conditions += more
            params += more_params
        return " AND ".join(conditions), params

    def _excerpt(self, query: Query) -> tuple[str, list]:
        """SQL: a window of attached-file text around the first matched word, or ''."""
        words = [term.words[0] for term in query.highlight_terms()][:3]
        if not words:
            return "''", []
        positions = [f"NULLIF({self.position_sql(f'{E}.text_c')}, 0)" for _ in words]
        found = positions[0] if len(positions) == 1 else f"COALESCE({', '.join(positions)})"
        start = self.greatest_sql(f"{found} - {SNIPPET_BEFORE}", "1")
        sql = (
            f"CASE WHEN {E}.text_c = '' THEN '' "
            f"ELSE COALESCE(SUBSTR({E}.body, {start}, {SNIPPET_LENGTH}), '') END"
        )
        return sql, words

    def _execute(self, sql: str, params) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _page_rows(self, query, scope, filters, order, page, page_size) -> list[tuple]:
        where, where_params = self._where(query, scope, filters)
        excerpt, excerpt_params = self._excerpt(query)
        select = [COLUMNS, f"{excerpt} AS excerpt"]
        params = [*excerpt_params]
        if order == "relevance":
            rank, rank_params = self.rank(query)
            select.append(f"{rank} AS score")
            params += rank_params
            ordering = f"hits.score {self.rank_direction}, hits.date DESC NULLS LAST, hits.id DESC"
        elif order == "oldest":
            ordering = "hits.date ASC NULLS LAST, hits.id ASC"
        else:
            ordering = "hits.date DESC NULLS LAST, hits.id DESC"
        # Every piece of SQL here is this module's or the ORM's; values are parameters.
        sql = (
            f"SELECT hits.*, COUNT(*) OVER () AS total FROM (SELECT {', '.join(select)} "  # noqa: S608
            f"FROM {self.from_sql} WHERE {where}) hits ORDER BY {ordering} LIMIT %s OFFSET %s"
        )
        return self._execute(sql, [*params, *where_params, page_size, (page - 1) * page_size])

    def count(self, query: Query | str, user, *, agency, filters=None) -> int:
        """How many visible entries match (one statement)."""
        query = parse(query) if isinstance(query, str) else query
        scope = self.scope(user, agency)
        if scope is None:
            return 0
        where, params = self._where(query, scope, filters)
        sql = f"SELECT COUNT(*) FROM {self.from_sql} WHERE {where}"  # noqa: S608
        return self._execute(sql, params)[0][0]

    def search(
        self,
        query: Query | str,
        user,
        *,
        agency,
        filters: SearchFilters | None = None,
        order: str = "relevance",
        page: int = 1,
        page_size: int = PAGE_SIZE,
        facets: bool = False,
    ) -> SearchPage:
        """One page of results for ``user`` in ``agency``; ``QueryError`` on unusable input.

        The page and the total come from one statement; a page past the end costs one more
        count and gives the last page, as Django's paginator does.
        """
        query = parse(query) if isinstance(query, str) else query
        order = order if order in ORDERS else "relevance"
        page = max(1, page)
        scope = self.scope(user, agency)
        rows: list[tuple] = []
        count = 0
        if scope is not None:
            rows = self._page_rows(query, scope, filters, order, page, page_size)
            if rows:
                count = rows[0][-1]
            elif page > 1:
                count = self.count(query, user, agency=agency, filters=filters)
                last = max(1, math.ceil(count / page_size))
                if count and page > last:
                    page = last
                    rows = self._page_rows(query, scope, filters, order, page, page_size)
        result = SearchPage(
            query=query,
            hits=self._hits(rows, query),
            count=count,
            number=page,
            page_size=page_size,
        )
        if facets:
            result.facets = self.facets(query, user, agency=agency, filters=filters)
        return result

    def facets(
        self, query: Query | str, user, *, agency, filters: SearchFilters | None = None
    ) -> dict[str, list[FacetValue]]:
        """Counts by type, year, issuer and status of the visible matches: one statement.

        The matches are a CTE read four times (GROUP BY each column); the ten largest groups
        of each facet are kept in SQL (``ROW_NUMBER() OVER (PARTITION BY facet ...)``).
        """
        query = parse(query) if isinstance(query, str) else query
        result: dict[str, list[FacetValue]] = {key: [] for key in FACETS}
        scope = self.scope(user, agency)
        if scope is None:
            return result
        where, params = self._where(query, scope, filters)
        sql = (
            f"WITH hits AS (SELECT {E}.content_type_id, {E}.type_code, {E}.type_name, "  # noqa: S608
            f"{E}.year, {E}.issuer, {E}.status FROM {self.from_sql} WHERE {where}), "
            "groups AS ("
            "SELECT 'kind' AS facet, CAST(content_type_id AS TEXT) AS value, '' AS label, "
            "COUNT(*) AS n FROM hits GROUP BY content_type_id "
            "UNION ALL SELECT 'type', type_code, MAX(type_name), COUNT(*) "
            "FROM hits WHERE type_code <> '' GROUP BY type_code "
            "UNION ALL SELECT 'year', CAST(year AS TEXT), CAST(year AS TEXT), COUNT(*) "
            "FROM hits WHERE year IS NOT NULL GROUP BY year "
            "UNION ALL SELECT 'issuer', issuer, issuer, COUNT(*) "
            "FROM hits WHERE issuer <> '' GROUP BY issuer "
            "UNION ALL SELECT 'status', status, status, COUNT(*) "
            "FROM hits WHERE status <> '' GROUP BY status) "
            "SELECT facet, value, label, n FROM (SELECT facet, value, label, n, ROW_NUMBER() "
            "OVER (PARTITION BY facet ORDER BY n DESC, value) AS position FROM groups) ranked "
            f"WHERE position <= {FACET_SIZE}"
        )
        for facet, value, label, count in self._execute(sql, params):
            if facet == "status":
                label = _status_label(value)
            elif facet == "kind":
                declaration = registry.by_content_type_id(int(value))
                if declaration is None:
                    continue
                value = declaration.model._meta.label_lower
                label = capfirst(str(declaration.model._meta.verbose_name_plural))
            result[facet].append(FacetValue(value, label, count))
        result["year"].sort(key=lambda item: item.value, reverse=True)
        for key in ("kind", "type", "issuer", "status"):
            result[key].sort(key=lambda item: (-item.count, item.value))
        return result

    def autocomplete(self, prefix: str, user, *, agency, limit: int = AUTOCOMPLETE_SIZE):
        """Suggestions (numbers and subjects) for what is being typed: the newest matches.

        The word being typed is a prefix. Ordered by recency rather than by rank, so the
        engine can stop after ``limit`` rows. Raises ``QueryError`` on unusable input.
        """
        query = parse(prefix, autocomplete=True)
        scope = self.scope(user, agency)
        if scope is None:
            return []
        return self._hits(self._newest(query, scope, limit), query)

    def _newest(self, query: Query, scope: Scope, limit: int) -> list[tuple]:
        """The ``limit`` newest rows matching ``query`` (one statement)."""
        match, params = self.prefix_match(query, scope)
        sql = (
            f"SELECT {COLUMNS}, '' FROM {self.from_sql} "  # noqa: S608
            f"WHERE {match} AND {scope.sql} ORDER BY {self.recency_sql} LIMIT %s"
        )
        return self._execute(sql, [*params, *scope.params, limit])

    # --- Rows to hits ------------------------------------------------------------------------

    def _hits(self, rows: list[tuple], query: Query) -> list[Hit]:
        terms = query.highlight_terms()
        kinds: dict[int, tuple] = {}
        hits = []
        for row in rows:
            (entry_id, content_type_id, object_id, number, title, issuer, signer, date) = row[:8]
            type_name, status, excerpt = row[8:11]
            if content_type_id not in kinds:
                declaration = registry.by_content_type_id(content_type_id)
                kinds[content_type_id] = (
                    declaration,
                    str(declaration.verbose_name) if declaration else "",
                )
            declaration, kind = kinds[content_type_id]
            if isinstance(date, str):  # SQLite returns dates as text
                date = dt.date.fromisoformat(date)
            hits.append(
                Hit(
                    entry_id=entry_id,
                    object_id=object_id,
                    kind=kind,
                    url=declaration.url(object_id) if declaration else "",
                    number=number,
                    title=title,
                    issuer=issuer,
                    signer=signer,
                    date=date,
                    type_name=type_name,
                    status=status,
                    status_label=declaration.status_label(status) if declaration else status,
                    number_html=highlight(number, terms),
                    title_html=highlight(title, terms),
                    issuer_html=highlight(issuer, terms),
                    signer_html=highlight(signer, terms),
                    snippet_html=snippet(excerpt, terms) if excerpt else "",
                )
            )
        return hits


def _status_label(code: str) -> str:
    for declaration in registry.indexes():
        label = declaration.status_label(code)
        if label != code:
            return str(label)
    return code
