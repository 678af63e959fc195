"""A small per-IP rate limit for the public lookup, kept in Django's cache.

``COQUAN_ONESTOP_LOOKUP_RATE`` = ``(requests, seconds)``, default ``(30, 60)``: at most 30
lookups per client address in each 60-second window. The default local-memory cache counts
per process; configure a shared cache (``CACHES``) to count across processes and hosts.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from coquan.core.middleware import client_ip

PREFIX = "onestop-lookup"


def rate() -> tuple[int, int]:
    requests, seconds = getattr(settings, "COQUAN_ONESTOP_LOOKUP_RATE", (30, 60))
    return int(requests), max(1, int(seconds))


def allow(request, *, prefix: str = PREFIX, limits: tuple[int, int] | None = None) -> bool:
    """Count this request; False once the client has used up its window (``limits``:
    ``(requests, seconds)``, default the lookup rate)."""
    limit, window = limits or rate()
    address = client_ip(request) or "unknown"
    key = f"{prefix}:{address}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count <= limit


def retry_after() -> int:
    _limit, window = rate()
    return window - int(time.time()) % window
