"""Test URLconf: the project's URLs plus views that fail on purpose (see test_errors.py)."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from coquan.config.urls import handler403, handler404, handler500, urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def raise_error(request):
    raise RuntimeError("a bug in a view")


def raise_permission_denied(request):
    raise PermissionDenied("Bạn không có vai trò cần thiết để thực hiện thao tác này.")


urlpatterns = [
    path("test-errors/boom/", raise_error),
    path("test-errors/forbidden/", raise_permission_denied),
    *urlpatterns,
]
