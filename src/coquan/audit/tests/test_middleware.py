"""Permission denials raised by views are written to the audit log (once)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from coquan.audit.middleware import PermissionDeniedAuditMiddleware
from coquan.audit.models import AuditEntry
from coquan.audit.services import record_permission_denied, verify
from coquan.core.testing.factories import AgencyFactory, make_member

pytestmark = pytest.mark.django_db

MIDDLEWARE_PATH = "coquan.audit.middleware.PermissionDeniedAuditMiddleware"


@pytest.fixture
def agency():
    return AgencyFactory(name="Sở Nội vụ", short_name="SNV")


@pytest.fixture
def member(agency):
    return make_member(agency, "clerk", username="vanthu_snv")


def denials():
    return list(AuditEntry.objects.filter(action="permission_denied").order_by("seq"))


def test_middleware_records_a_view_denial(rf, member, agency):
    request = rf.get("/org/units/?token=bi-mat")
    request.user = member
    middleware = PermissionDeniedAuditMiddleware(lambda r: HttpResponse())

    assert middleware.process_exception(request, PermissionDenied("Cần quyền quản trị.")) is None

    [entry] = denials()
    assert entry.actor_id == member.pk
    assert entry.agency_id == agency.pk
    assert entry.summary == "GET /org/units/: Cần quyền quản trị."
    assert "bi-mat" not in entry.summary  # never the query string
    assert verify().ok


def test_middleware_records_anonymous_denials(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.post("/audit/verify/")
    request.user = AnonymousUser()
    PermissionDeniedAuditMiddleware(lambda r: HttpResponse()).process_exception(
        request, PermissionDenied()
    )
    [entry] = denials()
    assert (entry.actor_id, entry.agency_id, entry.summary) == (None, None, "POST /audit/verify/")


def test_middleware_ignores_other_exceptions(rf, member):
    request = rf.get("/")
    request.user = member
    middleware = PermissionDeniedAuditMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(request, ValueError("boom")) is None
    assert denials() == []


# --- the whole request cycle, with the middleware installed -------------------------------


@pytest.fixture
def with_middleware(settings):
    if MIDDLEWARE_PATH not in settings.MIDDLEWARE:  # the integrator adds it to settings
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE_PATH]
    settings.ROOT_URLCONF = "coquan.audit.tests.urls_denials"


def test_refusing_view_is_recorded_once(client, member, with_middleware):
    client.force_login(member)
    response = client.get("/test-denied/")
    assert response.status_code == 403
    [entry] = denials()
    assert entry.summary == "GET /test-denied/: Không có quyền xem trang này."
    assert entry.request_id == response["X-Request-ID"]


def test_action_denial_is_not_recorded_twice(client, member, with_middleware):
    client.force_login(member)
    response = client.get("/test-action/")
    assert response.status_code == 403
    [entry] = denials()
    assert entry.summary.startswith("test.unit.rename")  # written by the action helper
    assert entry.request_id == response["X-Request-ID"]


def test_record_permission_denied_outside_a_request_cycle(rf, member):
    request = rf.get("/calendar/")
    request.user = member
    first = record_permission_denied(request, "")
    second = record_permission_denied(request, "again")
    assert first.summary == "GET /calendar/"
    assert second.summary == "GET /calendar/: again"  # no request cycle: nothing to dedupe
    assert len(denials()) == 2
