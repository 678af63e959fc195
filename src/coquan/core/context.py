"""Per-request context (request id, client IP) readable by actions and the audit log."""

from __future__ import annotations

from contextvars import ContextVar

request_context: ContextVar[dict | None] = ContextVar("coquan_request_context", default=None)


def current_request_id() -> str:
    return (request_context.get() or {}).get("request_id", "")


def current_ip() -> str | None:
    return (request_context.get() or {}).get("ip")
