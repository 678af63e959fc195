"""/healthz: database and worker heartbeat as JSON, for load balancers and monitoring."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from coquan.core.health import beat
from coquan.core.models import WorkerHeartbeat


def _health(client):
    response = client.get(reverse("web:healthz"))
    return response, response.json()


@pytest.mark.django_db
def test_healthy_when_a_worker_beat_recently(client):
    beat("worker-1")
    response, body = _health(client)
    assert response.status_code == 200
    assert body == {"status": "ok", "checks": {"database": "ok", "worker": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_degraded_when_the_heartbeat_is_stale(client, settings):
    settings.COQUAN_WORKER_HEARTBEAT_SECONDS = 30
    WorkerHeartbeat.objects.create(
        worker_id="old", last_seen=timezone.now() - dt.timedelta(seconds=91)
    )
    response, body = _health(client)
    assert response.status_code == 200  # web nodes stay in rotation
    assert body == {"status": "degraded", "checks": {"database": "ok", "worker": "stale"}}


@pytest.mark.django_db
def test_fresh_heartbeat_of_any_worker_counts(client):
    WorkerHeartbeat.objects.create(worker_id="old", last_seen=timezone.now() - dt.timedelta(days=1))
    beat("new")
    _, body = _health(client)
    assert body["checks"]["worker"] == "ok"


@pytest.mark.django_db
def test_degraded_when_no_worker_ever_beat(client):
    response, body = _health(client)
    assert response.status_code == 200
    assert body == {"status": "degraded", "checks": {"database": "ok", "worker": "missing"}}


@pytest.mark.django_db
def test_unhealthy_when_the_database_does_not_answer(client):
    # The database cannot really be broken inside a test: the cursor is mocked to fail.
    with mock.patch("coquan.web.views.connection.cursor", side_effect=OperationalError("down")):
        response, body = _health(client)
    assert response.status_code == 503
    assert body == {"status": "error", "checks": {"database": "error", "worker": "unknown"}}


@pytest.mark.django_db
def test_unknown_worker_when_the_heartbeat_table_cannot_be_read(client):
    with mock.patch("coquan.core.health.worker_status", side_effect=OperationalError("x")):
        response, body = _health(client)
    assert response.status_code == 200
    assert body == {"status": "degraded", "checks": {"database": "ok", "worker": "unknown"}}


@pytest.mark.django_db
def test_health_needs_no_login_and_no_second_factor(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
