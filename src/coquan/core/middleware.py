"""Request id: every request gets one, echoed in the response and stored in audit entries."""

from __future__ import annotations

import re
import uuid

from coquan.core.context import request_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_context.set({"request_id": request.request_id, "ip": client_ip(request)})
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


def client_ip(request) -> str | None:
    """The client address as seen by the last trusted hop (REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None
