"""Dashboard, health check and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from coquan.core.access import roles_in
from coquan.org.active import active_agency


@login_required
def dashboard(request):
    agency = active_agency(request)
    roles = sorted(roles_in(request.user, agency))
    return render(request, "web/dashboard.html", {"agency": agency, "roles": roles})


@never_cache
def healthz(request):
    """Database reachability and background-worker heartbeat, as JSON."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
    from coquan.core.health import worker_status

    checks["worker"] = worker_status()
    ok = checks["database"] == "ok"
    overall = "ok" if ok and checks["worker"] == "ok" else ("degraded" if ok else "error")
    return JsonResponse({"status": overall, "checks": checks}, status=200 if ok else 503)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
