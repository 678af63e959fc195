"""Dashboard, health check and error pages."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from coquan.core.access import roles_in
from coquan.org.active import active_agency
from coquan.org.choices import RoleCode
from coquan.web.dashboard import cards_for

logger = logging.getLogger(__name__)


@login_required
def dashboard(request):
    """The person's start page: one card per role held in the active agency.

    Without any active membership the page says so (an administrator must add the person);
    the number of queries does not depend on the number of roles or agencies.
    """
    agency = active_agency(request)
    roles = roles_in(request.user, agency)
    role_labels = [label for code, label in RoleCode.choices if code in roles]
    context = {
        "agency": agency,
        "role_labels": role_labels,
        "cards": cards_for(roles, superuser=request.user.is_superuser),
        "today": timezone.localdate(),
    }
    return render(request, "web/dashboard.html", context)


@never_cache
def healthz(request):
    """Database reachability and background-worker heartbeat, as JSON.

    200 while the database answers (``degraded`` when no worker beat recently, so web nodes
    stay in the load balancer); 503 when the database does not answer.
    """
    from coquan.core.health import worker_status

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("health check: database unreachable")
        checks["database"] = "error"
    if checks["database"] == "ok":
        try:
            checks["worker"] = worker_status()
        except Exception:
            logger.exception("health check: cannot read the worker heartbeat")
            checks["worker"] = "unknown"
    else:
        checks["worker"] = "unknown"
    db_ok = checks["database"] == "ok"
    if not db_ok:
        overall = "error"
    elif checks["worker"] == "ok":
        overall = "ok"
    else:
        overall = "degraded"
    return JsonResponse({"status": overall, "checks": checks}, status=200 if db_ok else 503)


@requires_csrf_token
def error_403(request, exception=None):
    """403 page in the person's language; shows the reason our own code gave, if any."""
    reason = str(exception) if exception is not None else ""
    return render(request, "403.html", {"reason": reason}, status=403)


@requires_csrf_token
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def error_500(request):
    """500 page rendered without the request context.

    Context processors query the database, which may be what failed; the template needs
    nothing but static files and translations.
    """
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())
