"""Keeping the engine structures of migration ``0002_engines`` in place on SQLite.

SQLite cannot alter a column in place: Django's schema editor rebuilds the table (new table,
copy, drop, rename), and dropping the old table drops its triggers — the ones that keep the
FTS5 index in step. After every ``migrate``, ``restore_sqlite_triggers`` checks that the three
triggers exist and, if one is missing, runs the (idempotent) statements of ``0002_engines``
again, which end by rebuilding the FTS5 index from the entries.
"""

from __future__ import annotations

import importlib
import logging

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger("coquan.search")

TRIGGERS = {"search_fts_insert", "search_fts_delete", "search_fts_update"}


def restore_sqlite_triggers(sender=None, using=DEFAULT_DB_ALIAS, **kwargs) -> bool:
    """Re-create missing FTS5 triggers on SQLite; True when something was restored."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'search_fts%'")
        names = {row[0] for row in cursor.fetchall()}
        if "search_fts" not in names or names >= TRIGGERS:
            return False  # not migrated that far (or rolled back), or all in place
        migration = importlib.import_module("coquan.search.migrations.0002_engines")
        for statement in migration.SQLITE_FORWARD:
            cursor.execute(statement)
    logger.warning("search: FTS5 triggers were missing; re-created them and rebuilt the index")
    return True
