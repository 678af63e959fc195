"""URLs for the middleware tests: two refusing views in front of the project's URLs."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path

from coquan.audit.tests.helpers import rename_unit
from coquan.config.urls import handler403, handler404, handler500  # noqa: F401
from coquan.config.urls import urlpatterns as project_urlpatterns
from coquan.core.testing.factories import UnitFactory


def refusing_view(request):
    raise PermissionDenied("Không có quyền xem trang này.")


def action_view(request):
    """Calls an action the person may not run: the action records the denial itself."""
    unit = UnitFactory(code="TT", name="Thanh tra")
    rename_unit(request.user, agency=unit.agency, unit=unit, name="Thanh tra tỉnh")
    return JsonResponse({"ok": True})


urlpatterns = [
    path("test-denied/", refusing_view),
    path("test-action/", action_view),
    *project_urlpatterns,
]
