"""Dirty marks for the search index, set when a declared model's row changes.

Why receivers and not the actions (docs/adr/0005-search-index-freshness.md): the index must
follow every write of a declared model, whichever app's action made it, and the actions of
other apps must not know about search. The receiver holds no business rule: it marks the
entry ``dirty`` (one upsert in the writing transaction, so a rollback removes the mark too)
and asks ``transaction.on_commit`` to queue ``tasks.index_object``. The index is written by
the task, after the commit, from the committed row. Raw saves (fixtures) are ignored.
"""

from __future__ import annotations

import functools
import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from coquan.search import indexing, registry

logger = logging.getLogger("coquan.search")

_connected: set[str] = set()


def _enqueue(model_label: str, object_id: int) -> None:
    from coquan.search.tasks import index_object

    index_object.enqueue(model_label, object_id)


def _touch(declaration, object_id: int | None, agency_id: int | None) -> None:
    if object_id is None:
        return
    if agency_id is not None:
        indexing.mark_dirty(declaration, object_id, agency_id)
    transaction.on_commit(functools.partial(_enqueue, declaration.label, object_id), robust=True)


def object_changed(sender, instance, raw=False, **kwargs) -> None:
    """post_save/post_delete of a declared model: mark its entry dirty, queue a re-index."""
    if raw:
        return
    declaration = registry.for_model(sender)
    if declaration is not None:
        _touch(declaration, instance.pk, declaration.agency_of(instance))


def related_changed(sender, instance, raw=False, **kwargs) -> None:
    """post_save/post_delete of a model another entry depends on (e.g. an attachment)."""
    if raw:
        return
    for declaration, attname in registry.dependents(sender):
        object_id = getattr(instance, attname, None)
        if object_id is not None:
            from coquan.search.models import SearchEntry

            SearchEntry.objects.filter(
                content_type=declaration.content_type, object_id=object_id
            ).update(dirty=True)
            _touch(declaration, object_id, None)


def connect() -> None:
    """Connect the receivers for every declared model and its dependencies (idempotent)."""
    from django.apps import apps

    for declaration in registry.indexes():
        model = declaration.model
        uid = f"search-{model._meta.label_lower}"
        if uid not in _connected:
            post_save.connect(object_changed, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(object_changed, sender=model, dispatch_uid=uid + "-delete")
            _connected.add(uid)
        for related_label in declaration.related:
            related = apps.get_model(related_label)
            uid = f"search-related-{related._meta.label_lower}"
            if uid not in _connected:
                post_save.connect(related_changed, sender=related, dispatch_uid=uid + "-save")
                post_delete.connect(related_changed, sender=related, dispatch_uid=uid + "-del")
                _connected.add(uid)
