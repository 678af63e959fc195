"""Search backends chosen by the database vendor (DESIGN.md §6).

``get_backend()`` returns the backend of the default database: ``SQLiteBackend`` (FTS5) or
``PostgresBackend`` (``tsvector`` + GIN + ``ts_rank``). Both share the interface of
``SearchBackend``: ``index``, ``remove``, ``search``, ``facets``, ``autocomplete``,
``rebuild``, ``repair``.
"""

from __future__ import annotations

from django.db import connection

from coquan.search.backends.base import (
    FacetValue,
    Hit,
    SearchBackend,
    SearchFilters,
    SearchPage,
)

__all__ = ["FacetValue", "Hit", "SearchBackend", "SearchFilters", "SearchPage", "get_backend"]


def get_backend() -> SearchBackend:
    """The backend of the default database's vendor."""
    if connection.vendor == "postgresql":
        from coquan.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from coquan.search.backends.sqlite import SQLiteBackend

        return SQLiteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}.")
