"""Infrastructure tables only (no domain models live in core)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """Last sign of life of one background worker process (read by /healthz)."""

    worker_id = models.CharField(max_length=64, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"
