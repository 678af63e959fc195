"""Pagination for long lists: the page's keys first, then its rows (a "deferred join").

``Paginator`` slices the whole queryset: ``… ORDER BY … LIMIT 25 OFFSET 4975`` with every
column and every ``select_related`` join, so the database builds and sorts 5,000 wide rows
to throw 4,975 away (inbox page 200 of a leader with 8,000 documents waiting: 300 ms on
PostgreSQL, bench/inbox.py). ``KeysFirstPaginator`` asks for the page in two statements:

1. the primary keys of the page: the same filters and ordering, only the key selected, so
   an index holding the filter and ordering columns answers it alone (an index-only scan
   that skips 4,975 narrow entries: 10 ms);
2. the rows of those keys, with the queryset's joins and annotations, put in the order of
   step 1.

The rows are those ``Paginator`` would give (the same queryset, filtered by key: access
rules included). The first page (nothing to skip) and anything that is not a plain model
queryset are paginated as usual, in one statement.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable


class KeysFirstPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom == 0 or not _keys_first(self.object_list):
            # The first page skips nothing: one statement, as ``Paginator``.
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys)} if keys else {}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


def _keys_first(object_list) -> bool:
    return (
        isinstance(object_list, QuerySet)
        and object_list._iterable_class is ModelIterable
        and not object_list.query.combinator
        and not object_list.query.is_sliced
        and not object_list.query.distinct
    )
