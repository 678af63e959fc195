"""Pieces every app's pages share: an action's errors on a form, the POST → action →
message → redirect step of a form page, and pagination that keeps the other filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse

PAGE_SIZE = 25


def apply_action_errors(form, exc: ValidationError, field_map: dict | None = None) -> None:
    """Show an action's ``ValidationError`` on the form fields it names (else on top);
    ``field_map`` renames the action's field names to the form's."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field_map.get(field, field)
            target = target if target in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def submit_action(
    request,
    form,
    perform: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    then: Callable[[Any], HttpResponse],
) -> HttpResponse | None:
    """The POST half of a form page whose form feeds one action.

    On a POST with a valid form, ``perform()`` runs the action: its ``ValidationError``
    goes onto the form (the page is shown again with the errors: returns None); otherwise
    ``success`` (a text, or a function of the action's result) becomes a success message
    and ``then(result)`` is the response (a redirect). On GET or an invalid form: None.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = perform()
    except ValidationError as exc:
        apply_action_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return then(result)


def paginate(request, queryset, param: str = "page", per_page: int = PAGE_SIZE):
    """One page of ``queryset`` (out-of-range numbers give the last page), and the query
    string without the page number, to keep the filters in the page links."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    keep = request.GET.copy()
    keep.pop(param, None)
    return page, keep.urlencode()
