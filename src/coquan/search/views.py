"""Search pages: results with facets, header autocomplete, saved searches.

Thin views (DESIGN.md §4): parse the form, ask the backend (which applies the agency and
the person's visibility inside its SQL), render. Searches run in the active agency. An
unusable query (only punctuation, only exclusions, far too long) is a message on the page,
never an error.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from coquan.core.access import get_visible_or_404
from coquan.org.active import active_agency
from coquan.search import actions
from coquan.search.backends import get_backend
from coquan.search.backends.base import AUTOCOMPLETE_SIZE
from coquan.search.forms import FILTER_NAMES, SaveSearchForm, SearchForm
from coquan.search.models import SavedSearch
from coquan.search.query import QueryError

PAGE_SIZE = 25

FACET_LABELS = {
    "kind": gettext_lazy("What"),
    "type": gettext_lazy("Document type"),
    "year": gettext_lazy("Year"),
    "issuer": gettext_lazy("Issuing agency"),
    "status": gettext_lazy("Status"),
}


def _units(agency):
    from coquan.org.models import Unit

    if agency is None:
        return []
    return list(Unit.objects.filter(agency=agency).order_by("name").only("pk", "name"))


def search_url(query: str, filters: dict | None = None) -> str:
    params = {"q": query, **(filters or {})}
    return reverse("search:results") + "?" + urlencode(params)


def _facet_links(request, facets: dict) -> list[dict]:
    """Facet groups with, for every value, the link that applies (or removes) it."""
    groups = []
    for key, values in facets.items():
        current = request.GET.get(key, "")
        items = []
        for value in values:
            params = request.GET.copy()
            params.pop("page", None)
            selected = current == value.value
            if selected:
                params.pop(key, None)
            else:
                params[key] = value.value
            items.append({"value": value, "selected": selected, "url": "?" + params.urlencode()})
        if items:
            groups.append({"key": key, "label": FACET_LABELS[key], "items": items})
    return groups


def _active_filters(request, form) -> list[dict]:
    """The filters in force, each with the link that removes it."""
    active = []
    for name in FILTER_NAMES:
        value = request.GET.get(name, "")
        if value and name not in form.errors:
            params = request.GET.copy()
            params.pop(name, None)
            params.pop("page", None)
            active.append(
                {
                    "name": name,
                    "label": form.fields[name].label,
                    "value": value,
                    "url": "?" + params.urlencode(),
                }
            )
    return active


@login_required
@require_GET
def results(request):
    """The results page: ranked hits with marked words, facets, filters and pages."""
    agency = active_agency(request)
    form = SearchForm(request.GET or None, units=_units(agency))
    context = {"agency": agency, "form": form, "search_query": request.GET.get("q", "")}
    if agency is None or not form.is_bound:
        return render(request, "search/results.html", context)
    if not form.is_valid():
        context["invalid"] = True
        return render(request, "search/results.html", context)
    data = form.cleaned_data
    context["active_filters"] = _active_filters(request, form)
    if not data["q"]:
        context["message"] = _("Enter a word, a phrase or a document number to search for.")
        return render(request, "search/results.html", context)
    try:
        page = get_backend().search(
            data["q"],
            request.user,
            agency=agency,
            filters=form.filters(),
            order=data.get("order") or "relevance",
            page=data.get("page") or 1,
            page_size=PAGE_SIZE,
            facets=True,
        )
    except QueryError as exc:
        context["message"] = exc.message
        return render(request, "search/results.html", context)
    params = request.GET.copy()
    params.pop("page", None)
    context.update(
        page=page,
        facet_groups=_facet_links(request, page.facets),
        page_query=params.urlencode(),
        save_form=SaveSearchForm(initial={"q": data["q"]}),
        saved_filters=form.filters().as_params(),
    )
    return render(request, "search/results.html", context)


@login_required
@require_GET
def autocomplete(request):
    """Suggestions (number and subject) for the header box; a full page without htmx."""
    agency = active_agency(request)
    text = request.GET.get("q", "")
    suggestions = []
    message = ""
    if agency is not None and text.strip():
        try:
            suggestions = get_backend().autocomplete(
                text, request.user, agency=agency, limit=AUTOCOMPLETE_SIZE
            )
        except QueryError as exc:
            message = exc.message
    context = {
        "suggestions": suggestions,
        "text": text,
        "search_query": text,
        "message": message,
        "results_url": search_url(text) if text.strip() else "",
    }
    if getattr(request, "htmx", False):
        return render(request, "search/partials/suggestions.html", context)
    return render(request, "search/autocomplete.html", context)


@login_required
@require_GET
def saved_list(request):
    """The person's saved searches (their own only), 25 per page."""
    saved = SavedSearch.objects.visible_to(request.user).order_by("name", "pk")
    page = Paginator(saved, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.url = search_url(item.query, item.filters)
    return render(request, "search/saved_list.html", {"page": page, "page_query": ""})


@login_required
@require_POST
def saved_create(request):
    """Keep the search of the results page under a name."""
    form = SaveSearchForm(request.POST)
    filters = {name: request.POST[name] for name in FILTER_NAMES if request.POST.get(name)}
    query = request.POST.get("q", "")
    if form.is_valid():
        try:
            saved = actions.save_search(
                request.user, name=form.cleaned_data["name"], query=query, filters=filters
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Search “%(name)s” saved.") % {"name": saved.name})
            return redirect("search:saved_list")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(search_url(query, filters))


@login_required
@require_POST
def saved_delete(request, pk: int):
    """Delete one of the person's saved searches (404 for anyone else's)."""
    saved = get_visible_or_404(SavedSearch, request.user, pk=pk)
    actions.delete_saved_search(request.user, saved=saved)
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": saved.name})
    return redirect("search:saved_list")
