"""Records permission denials raised by views (not only by actions) in the audit log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from coquan.audit import services


class PermissionDeniedAuditMiddleware:
    """Write a ``permission_denied`` entry when a view raises ``PermissionDenied``.

    Works whatever renders the 403 page afterwards (it returns nothing from
    ``process_exception``, so Django's handler403 still answers). A denial that an action's
    permission check already recorded during the same request is not written twice.
    Place it after ``AuthenticationMiddleware`` (it needs ``request.user``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = services.track_request_denials()
        try:
            return self.get_response(request)
        finally:
            services.stop_tracking_request_denials(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            services.record_permission_denied(request, str(exception))
        return None
