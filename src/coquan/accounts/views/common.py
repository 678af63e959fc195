"""Small helpers shared by the accounts pages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

PAGE_SIZE = 25


def safe_next(request, default: str | None = None) -> str:
    """The ``next`` URL from the request if it stays on this site, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of ``queryset`` (``?page=N``; out-of-range numbers give the last page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_action_errors(form, exc: ValidationError, field_map: dict | None = None) -> None:
    """Attach an action's ValidationError to ``form``, renaming fields via ``field_map``."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field_map.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc)
