"""Worker heartbeat: the worker command writes it, /healthz reads it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def worker_status() -> str:
    """'ok' when a worker beat within three heartbeat periods, else 'stale' or 'missing'."""
    from coquan.core.models import WorkerHeartbeat

    last = (
        WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    )
    if last is None:
        return "missing"
    limit = dt.timedelta(seconds=3 * settings.COQUAN_WORKER_HEARTBEAT_SECONDS)
    return "ok" if timezone.now() - last <= limit else "stale"


def beat(worker_id: str) -> None:
    from coquan.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"last_seen": timezone.now()}
    )
