"""Index declarations: which models are searchable, with which text and filters.

An app declares its indexes in ``<app>/search.py`` (found at start-up by ``SearchConfig``)::

    class IncomingDocumentIndex(SearchIndex):
        model_label = "documents.IncomingDocument"
        def entry(self, obj) -> IndexedObject: ...

    register(IncomingDocumentIndex())

``entry`` returns an ``IndexedObject``: the original texts (``number``, ``title``,
``issuer``, ``signer``, ``body``) and the filter values. ``weights`` says which text goes
into which weight column — by default number and title in A (high), issuer and signer in B
(medium), body (text of attached files) in C (low).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

#: Longest attachment text kept in one entry (characters); the rest is not indexed.
BODY_LIMIT = 100_000

DEFAULT_WEIGHTS = {"number": "A", "title": "A", "issuer": "B", "signer": "B", "body": "C"}


@dataclass
class IndexedObject:
    """What the index keeps of one object (``SearchEntry`` columns before folding)."""

    agency_id: int
    title: str
    number: str = ""
    issuer: str = ""
    signer: str = ""
    body: str = ""
    type_code: str = ""
    type_name: str = ""
    status: str = ""
    date: dt.date | None = None
    unit_id: int | None = None
    urgency: int = 0


class SearchIndex:
    """Base class of an index declaration (one per searchable model).

    Subclasses set ``model_label`` and implement ``entry``; they may override ``queryset``
    (``select_related``/``prefetch_related`` for rebuilding in chunks), ``visible`` (the
    model's objects a person may see: ``visible_to(user)`` by default), ``url``,
    ``status_choices`` (or ``status_label``) and ``related`` (other models whose changes
    change this model's entry: ``{"app.Model": "fk_attname"}``).
    """

    model_label: str = ""
    weights: dict[str, str] = DEFAULT_WEIGHTS
    related: dict[str, str] = {}
    #: True when ``visible_in(user, agency)`` compiles to the same SQL for the same person,
    #: agency, roles in that agency and day, every other access rule being read by that SQL
    #: when it runs (no ids computed in Python): the search backend then keeps the compiled
    #: SQL instead of rebuilding it.
    visibility_cacheable: bool = False
    #: The model's status choices (a ``TextChoices``): ``status_label`` reads labels there.
    status_choices = None

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False)

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    def queryset(self):
        return self.model._default_manager.all()

    def visible(self, user):
        """The objects ``user`` may see: one queryset (no ids in Python)."""
        return self.model._default_manager.visible_to(user)

    def visible_in(self, user, agency):
        """The objects of ``agency`` that ``user`` may see, as the search compiles it (its
        entries are already limited to the agency): ``visible(user)``, or the manager's
        ``visible_in(user, agency)`` when it has one — an equivalent with a shorter
        statement, decided by the person's roles in the agency (which the backend then
        adds to the key of its compiled SQL, so a change of role applies at once)."""
        manager = self.model._default_manager
        if hasattr(manager, "visible_in") and type(self).visible is SearchIndex.visible:
            return manager.visible_in(user, agency)
        return self.visible(user)

    def agency_of(self, obj) -> int | None:
        """The agency (tenant) id of ``obj``, read without a query."""
        return getattr(obj, "agency_id", None)

    def entry(self, obj) -> IndexedObject:
        raise NotImplementedError

    def url(self, object_id: int) -> str:
        raise NotImplementedError

    def status_label(self, code: str) -> str:
        if self.status_choices is not None:
            try:
                return str(self.status_choices(code).label)
            except ValueError:
                pass
        return code


_registry: dict[str, SearchIndex] = {}


def register(index: SearchIndex) -> SearchIndex:
    """Declare ``index``; a second declaration of the same model replaces the first."""
    if not index.model_label:
        raise ValueError("A SearchIndex needs a model_label.")
    _registry[apps.get_model(index.model_label)._meta.label_lower] = index
    return index


def indexes() -> list[SearchIndex]:
    return list(_registry.values())


def get(label: str) -> SearchIndex:
    """The declaration of the model ``label`` (``app_label.ModelName``, any case)."""
    try:
        return _registry[label.lower()]
    except KeyError:
        raise LookupError(f"No search index is declared for {label!r}.") from None


def for_model(model) -> SearchIndex | None:
    return _registry.get(model._meta.label_lower)


def by_content_type_id(content_type_id: int) -> SearchIndex | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return for_model(model) if model is not None else None


def dependents(model) -> list[tuple[SearchIndex, str]]:
    """(index, fk attname) of the declarations whose entries depend on ``model``'s rows."""
    label = model._meta.label_lower
    found = []
    for index in _registry.values():
        for related_label, attname in index.related.items():
            if related_label.lower() == label:
                found.append((index, attname))
    return found
