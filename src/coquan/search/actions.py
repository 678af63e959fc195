"""Actions of the search app: a person's saved searches (the index itself is derived data,
written by ``coquan.search.indexing``, not by actions)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.search.forms import FILTER_NAMES, SearchForm
from coquan.search.models import SavedSearch
from coquan.search.query import QueryError, clean_input, parse


def _signed_in(actor, **_kwargs):
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to keep searches."))


def _owner(actor, *, saved, **_kwargs):
    _signed_in(actor)
    if saved.owner_id != actor.pk:
        raise PermissionDenied(_("This saved search belongs to someone else."))


def _clean(name: str, query: str, filters) -> tuple[str, str, dict]:
    """Validated (name, query, filters) or ``ValidationError`` naming the wrong fields."""
    errors: dict[str, list] = {}
    name = " ".join(clean_input(name or "").split())
    query = " ".join(clean_input(query or "").split())
    if not name:
        errors.setdefault("name", []).append(_("Give the search a name."))
    elif len(name) > 100:
        errors.setdefault("name", []).append(_("At most %(n)d characters.") % {"n": 100})
    if len(query) > 500:
        errors.setdefault("query", []).append(_("At most %(n)d characters.") % {"n": 500})
    else:
        try:
            parse(query)
        except QueryError as exc:
            errors.setdefault("query", []).append(str(exc.message))
    if not isinstance(filters, dict):
        filters = {}
        errors.setdefault("filters", []).append(_("The filters must be a set of named values."))
    unknown = sorted(set(filters) - set(FILTER_NAMES))
    if unknown:
        errors.setdefault("filters", []).append(
            _("Unknown filters: %(names)s") % {"names": ", ".join(map(str, unknown))[:200]}
        )
    form = SearchForm(
        {key: clean_input(str(v)) for key, v in filters.items() if key not in unknown}
    )
    if not form.is_valid():
        for field, messages in form.errors.items():
            errors.setdefault("filters", []).extend(f"{field}: {m}" for m in messages)
    if errors:
        raise ValidationError(errors)
    return name, query, form.filters().as_params()


def _save(saved: SavedSearch) -> SavedSearch:
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError:
        raise ValidationError(
            {"name": [_("You already have a saved search with this name.")]}, code="duplicate"
        ) from None
    return saved


@action("search.saved.create", permission=_signed_in)
def save_search(actor, *, name: str, query: str, filters: dict | None = None) -> SavedSearch:
    """Keep a search (text and filters) under a name, for its owner only.

    Who: any signed-in person, for themselves. Refuses an empty or duplicate name and a
    query that cannot be run (the same rules as the search box). No results are stored:
    running it later applies the person's access of that day.
    """
    name, query, filters = _clean(name, query, filters or {})
    saved = _save(SavedSearch(owner=actor, name=name, query=query, filters=filters))
    describe(obj=saved, summary=_("Saved search “%(name)s”") % {"name": name})
    return saved


@action("search.saved.update", permission=_owner)
def update_saved_search(
    actor, *, saved: SavedSearch, name=None, query=None, filters=None
) -> SavedSearch:
    """Rename a saved search or change its text or filters. Who: its owner only."""
    before = {"name": saved.name, "query": saved.query, "filters": saved.filters}
    name, query, filters = _clean(
        saved.name if name is None else name,
        saved.query if query is None else query,
        saved.filters if filters is None else filters,
    )
    saved.name, saved.query, saved.filters = name, query, filters
    _save(saved)
    describe(
        obj=saved,
        summary=_("Changed saved search “%(name)s”") % {"name": name},
        before=before,
        after={"name": name, "query": query, "filters": filters},
    )
    return saved


@action("search.saved.delete", permission=_owner)
def delete_saved_search(actor, *, saved: SavedSearch) -> None:
    """Delete a saved search. Who: its owner only."""
    describe(
        obj=saved,
        summary=_("Deleted saved search “%(name)s”") % {"name": saved.name},
        before={"name": saved.name, "query": saved.query, "filters": saved.filters},
    )
    # Through the queryset, so the instance keeps its id for the audit entry.
    SavedSearch.objects.filter(pk=saved.pk).delete()
