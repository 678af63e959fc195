"""The full-text structures of the database in use (DESIGN.md §6).

SQLite: the FTS5 table ``search_fts`` over the folded columns of ``search_searchentry``
(external content, rowid = entry id) and its agency word ``fts_scope``, with the tokenizer
the design names and prefix indexes for autocomplete, plus the three triggers that keep it
in step with the entries. The statements are idempotent (``IF NOT EXISTS``): after any
migration, ``coquan.search.apps`` runs them again when a trigger is missing (SQLite drops the
triggers of a table Django rebuilds to alter it) and then rebuilds the FTS5 index.

PostgreSQL: the ``unaccent`` extension, the ``vn_unaccent`` text-search configuration (a copy
of ``simple`` whose word mappings run ``unaccent`` then ``simple``), the generated column
``vector`` (weights A, B, C for the text, D for the agency word), its GIN index and a b-tree
on (agency, id) for the newest entries of an agency (autocomplete). ``CREATE EXTENSION`` needs a role allowed to
create it (the database owner on PostgreSQL 13+ for trusted extensions; ``unaccent`` is
trusted).

Other vendors get nothing (there is no backend for them).
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        text_a, text_b, text_c, fts_scope,
        content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2',
        prefix='2 3'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, text_a, text_b, text_c, fts_scope)
        VALUES (new.id, new.text_a, new.text_b, new.text_c, new.fts_scope);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, text_a, text_b, text_c, fts_scope)
        VALUES ('delete', old.id, old.text_a, old.text_b, old.text_c, old.fts_scope);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_fts_update
    AFTER UPDATE OF text_a, text_b, text_c, fts_scope ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, text_a, text_b, text_c, fts_scope)
        VALUES ('delete', old.id, old.text_a, old.text_b, old.text_c, old.fts_scope);
        INSERT INTO search_fts(rowid, text_a, text_b, text_c, fts_scope)
        VALUES (new.id, new.text_a, new.text_b, new.text_c, new.fts_scope);
    END
    """,
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'vn_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION vn_unaccent (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION vn_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END
    $$
    """,
    """
    ALTER TABLE search_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('vn_unaccent'::regconfig, text_a), 'A')
        || setweight(to_tsvector('vn_unaccent'::regconfig, text_b), 'B')
        || setweight(to_tsvector('vn_unaccent'::regconfig, text_c), 'C')
        || setweight(to_tsvector('vn_unaccent'::regconfig, fts_scope), 'D')
    ) STORED
    """,
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)",
    # The newest entries of an agency, for autocomplete (backends.postgres.RECENT_WINDOW).
    "CREATE INDEX search_entry_agency_recent ON search_searchentry (agency_id, id)",
]

POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_agency_recent",
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
