"""Background tasks of the search app (django-tasks; run by ``coquan run_worker``)."""

from __future__ import annotations

from django_tasks import task

from coquan.search import indexing, registry


@task()
def index_object(model_label: str, object_id: int) -> str:
    """Re-index one object (or drop its entry if it no longer exists).

    Queued on commit by the receivers of ``coquan.search.signals`` for every change of a
    declared model; reads the object as committed, so the entry shows the latest state.
    A lost or failed task leaves the entry ``dirty`` for ``repair_search_index``.
    """
    declaration = registry.get(model_label)
    found = indexing.index_ids(declaration, [object_id])
    return "indexed" if found else "removed"


@task()
def repair_index() -> int:
    """Re-index every dirty entry (the periodic job; ``coquan repair_search_index``)."""
    return indexing.repair()
