"""Infrastructure tables only (no domain models live in core)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """Last sign of life of one background worker process (read by /healthz)."""

    worker_id = models.CharField(max_length=64, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class PeriodicRun(models.Model):
    """One day's run of a daily job, claimed by the worker that enqueued it.

    The unique ``(job, day)`` pair is the lock: several ``run_worker`` processes tick the
    schedule (``core.schedule``), and only the one whose insert commits enqueues the job's
    tasks, in the same transaction. The rows are the history of what the schedule queued.
    """

    job = models.CharField(max_length=64)
    day = models.DateField(help_text="The local day the run belongs to.")
    enqueued_at = models.DateTimeField()
    worker_id = models.CharField(max_length=64, blank=True, default="")
    task_ids = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="periodic_run_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day:%Y-%m-%d}"
