"""Shared pytest fixtures for every app."""

from __future__ import annotations

import os

import pytest

# Browser tests run Playwright's sync API inside pytest's event loop with live_server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test stores files in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the deployment's language (Vietnamese): a request made by an
    earlier test in another language leaves that language active in the thread
    (LocaleMiddleware activates it and nothing deactivates it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rate-limit counters (lookup, portal sign-in)
    and cached values of one test must not decide another that runs in the same process."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield


@pytest.fixture
def world(db):
    from coquan.core.testing.access_matrix import build_world

    return build_world()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


# --- Browser tests (Playwright driving Debian's Chromium; never `playwright install`) ---------

CHROMIUM = os.environ.get("COQUAN_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp lets the axe-core checker be injected; the pages keep their strict CSP.
    return {**browser_context_args, "locale": "vi-VN", "bypass_csp": True}
