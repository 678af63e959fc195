"""Writing the index: one entry per object, dirty marks, repair and chunked rebuilds.

Both engines index the same ``SearchEntry`` rows; the engine structures (FTS5 table,
``tsvector`` column) follow the row inside the database (triggers, generated column), so
this module is the same for SQLite and PostgreSQL.

Freshness (docs/adr/0005-search-index-freshness.md): a change to a declared model marks its
entry ``dirty`` in the changing transaction and, on commit, queues ``tasks.index_object``;
``repair`` re-indexes whatever is still dirty (a lost task, a crashed worker); ``rebuild``
re-reads a whole model in primary-key order, chunk by chunk, moving a stored cursor.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable

from django.db import reset_queries, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from coquan.search import registry
from coquan.search.folding import fold_char, index_text
from coquan.search.models import RebuildCursor, SearchEntry
from coquan.search.registry import BODY_LIMIT, SearchIndex

logger = logging.getLogger("coquan.search")

#: Columns an index write sets (everything but the identity of the entry).
VALUE_FIELDS = (
    "agency_id",
    "number",
    "title",
    "issuer",
    "signer",
    "body",
    "text_a",
    "text_b",
    "text_c",
    "fts_scope",
    "type_code",
    "type_name",
    "status",
    "date",
    "year",
    "unit_id",
    "urgency",
    "dirty",
    "indexed_at",
)
_UPDATE_FIELDS = [name.removesuffix("_id") for name in VALUE_FIELDS]
_NON_WORD = re.compile(r"[\W_]")


def aligned_text(text: str) -> str:
    """Folded ``text`` with exactly one character per character of ``text`` (NFC).

    Separators become spaces, so the words are the folded words of the text, and a position
    found in the result is the same position in the original: a snippet of attached-file
    text is cut from the original around the first match, in SQL (``backends.base``).
    """
    out = [fold_char(char)[:1] or " " for char in text]
    return _NON_WORD.sub(" ", "".join(out))


def scope_word(agency_id: int) -> str:
    """The word standing for the agency in the full-text index (``a12``)."""
    return f"a{agency_id}"


def _clip(value: str, limit: int) -> str:
    return (value or "")[:limit]


def entry_values(index: SearchIndex, obj, now=None) -> dict:
    """The column values of ``obj``'s entry, from the declaration's ``IndexedObject``."""
    data = index.entry(obj)
    texts = {
        "number": data.number or "",
        "title": data.title or "",
        "issuer": data.issuer or "",
        "signer": data.signer or "",
    }
    body = unicodedata.normalize("NFC", data.body or "")[:BODY_LIMIT]
    columns: dict[str, list[str]] = {"A": [], "B": [], "C": []}
    for name, weight in index.weights.items():
        if name != "body":
            columns[weight].append(index_text(texts[name]))
    body_weight = index.weights.get("body", "C")
    if body_weight == "C":
        # First in its column, so that positions in text_c are positions in the body.
        columns["C"].insert(0, aligned_text(body))
    else:
        columns[body_weight].append(index_text(body))
    text = {weight: " ".join(part for part in parts if part) for weight, parts in columns.items()}
    return {
        "agency_id": data.agency_id,
        "number": _clip(texts["number"], 60),
        "title": _clip(texts["title"], 500),
        "issuer": _clip(texts["issuer"], 200),
        "signer": _clip(texts["signer"], 200),
        "body": body,
        "text_a": text["A"],
        "text_b": text["B"],
        "text_c": text["C"],
        "fts_scope": scope_word(data.agency_id),
        "type_code": _clip(data.type_code, 40),
        "type_name": _clip(data.type_name, 100),
        "status": _clip(data.status, 20),
        "date": data.date,
        "year": data.date.year if data.date else None,
        "unit_id": data.unit_id,
        "urgency": data.urgency or 0,
        "dirty": False,
        "indexed_at": now or timezone.now(),
    }


def _upsert(index: SearchIndex, objects: Iterable) -> int:
    """Write the entries of ``objects`` (insert or replace): one statement per batch."""
    content_type = index.content_type
    now = timezone.now()
    entries = [
        SearchEntry(content_type=content_type, object_id=obj.pk, **entry_values(index, obj, now))
        for obj in objects
    ]
    if entries:
        SearchEntry.objects.bulk_create(
            entries,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["content_type", "object_id"],
            update_fields=_UPDATE_FIELDS,
        )
    return len(entries)


def index(obj) -> None:
    """Index one object of a declared model (insert or replace its entry)."""
    declaration = registry.for_model(type(obj))
    if declaration is None:
        raise LookupError(f"{type(obj)._meta.label} has no search index.")
    _upsert(declaration, [obj])


def remove(obj) -> None:
    """Remove the entry of one object (deleted, or no longer indexed)."""
    declaration = registry.for_model(type(obj))
    if declaration is not None:
        remove_ids(declaration, [obj.pk])


def remove_ids(declaration: SearchIndex, object_ids: Iterable[int]) -> int:
    deleted, _ = SearchEntry.objects.filter(
        content_type=declaration.content_type, object_id__in=list(object_ids)
    ).delete()
    return deleted


def index_ids(declaration: SearchIndex, object_ids: list[int]) -> int:
    """Re-read the objects by id and index them; ids that no longer exist lose their entry."""
    objects = list(declaration.queryset().filter(pk__in=object_ids))
    with transaction.atomic():
        _upsert(declaration, objects)
        found = {obj.pk for obj in objects}
        missing = [pk for pk in object_ids if pk not in found]
        if missing:
            remove_ids(declaration, missing)
    return len(objects)


def mark_dirty(declaration: SearchIndex, object_id: int, agency_id: int) -> None:
    """Mark the entry of one object dirty (creating an empty one for a new object).

    One ``INSERT ... ON CONFLICT DO UPDATE SET dirty`` statement in the caller's transaction:
    if the transaction rolls back the mark goes with it; if it commits, the mark stays until
    the index task (or the repair job) rewrites the entry.
    """
    SearchEntry.objects.bulk_create(
        [
            SearchEntry(
                content_type=declaration.content_type,
                object_id=object_id,
                agency_id=agency_id,
                fts_scope=scope_word(agency_id),
                dirty=True,
            )
        ],
        update_conflicts=True,
        unique_fields=["content_type", "object_id"],
        update_fields=["dirty"],
    )


def repair(chunk: int = 500, progress: Callable[[int], None] | None = None) -> int:
    """Re-index every dirty entry, ``chunk`` at a time; return how many were repaired."""
    repaired = 0
    last_id = 0
    while True:
        rows = list(
            SearchEntry.objects.filter(dirty=True, pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "content_type_id", "object_id")[:chunk]
        )
        if not rows:
            return repaired
        last_id = rows[-1][0]
        by_type: dict[int, list[int]] = {}
        for _pk, content_type_id, object_id in rows:
            by_type.setdefault(content_type_id, []).append(object_id)
        for content_type_id, object_ids in by_type.items():
            declaration = registry.by_content_type_id(content_type_id)
            if declaration is None:  # the model is no longer indexed
                SearchEntry.objects.filter(
                    content_type_id=content_type_id, object_id__in=object_ids
                ).delete()
                continue
            index_ids(declaration, object_ids)
        repaired += len(rows)
        if progress:
            progress(repaired)


def rebuild(
    model_label: str | None = None,
    *,
    chunk: int = 1000,
    resume: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Re-index every object of one declared model (or of all), in primary-key order.

    Streams: each chunk is read with ``pk > last`` and ``LIMIT chunk`` (keyset pagination,
    no long-lived cursor or transaction), written, and committed together with the stored
    ``RebuildCursor``; memory holds one chunk at a time. With ``resume`` the rebuild starts
    after the cursor's last primary key instead of from the beginning. At the end, entries
    whose object no longer exists are removed. Returns {model label: objects indexed}.
    """
    declarations = [registry.get(model_label)] if model_label else registry.indexes()
    done: dict[str, int] = {}
    for declaration in declarations:
        label = declaration.label
        cursor, _created = RebuildCursor.objects.get_or_create(model_label=label)
        if not resume or cursor.finished_at is not None:
            cursor.last_pk, cursor.done, cursor.finished_at = 0, 0, None
            cursor.started_at = timezone.now()
            cursor.save()
        last_pk = cursor.last_pk
        while True:
            objects = list(declaration.queryset().filter(pk__gt=last_pk).order_by("pk")[:chunk])
            if not objects:
                break
            last_pk = objects[-1].pk
            with transaction.atomic():
                written = _upsert(declaration, objects)
                cursor.last_pk = last_pk
                cursor.done += written
                cursor.save(update_fields=["last_pk", "done", "updated_at"])
            del objects
            # With DEBUG on, Django keeps a log of every query: clear it per chunk so that a
            # rebuild of millions of objects keeps a bounded memory whatever the settings.
            reset_queries()
            if progress:
                progress(label, cursor.done, last_pk)
        model = declaration.model
        SearchEntry.objects.filter(content_type=declaration.content_type).filter(
            ~Exists(model._default_manager.filter(pk=OuterRef("object_id")))
        ).delete()
        cursor.finished_at = timezone.now()
        cursor.save(update_fields=["finished_at", "updated_at"])
        done[label] = cursor.done
    return done
