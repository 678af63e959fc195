"""PortalSync: pushing dossiers and their status changes to the national / provincial
public-service portal (Cổng DVC; standards §3.6 ``CreateDossier``, ``CapNhatTrangThai``).

- ``PortalSync`` is the adapter interface; ``COQUAN_ONESTOP_PORTAL_ADAPTER`` names the class
  (dotted path). Empty (the default): synchronisation is off and nothing is written.
- ``record(dossier, change)`` is called by the actions for every status change (through
  ``actions.common.record_status``), in their transaction: the acceptance (status 2, the
  dossier now has its code) writes a ``create`` message, every later change a ``status``
  message. Changes before acceptance have no code and are not sent. The delivery task is
  enqueued on commit, so a rolled-back action sends nothing.
- ``deliver_due()`` (task ``deliver_portal_outbox``, run by ``coquan run_worker``) sends the
  due messages in order; a dossier's message waits while an earlier one of the same dossier
  is not sent. A failure is retried with exponential back-off
  (``COQUAN_ONESTOP_PORTAL_BACKOFF_SECONDS`` × 2^attempts, at most one day) up to
  ``COQUAN_ONESTOP_PORTAL_MAX_ATTEMPTS`` (8); then the message is ``failed`` (shown on the
  dossier page, retried by ``retry_failed``). ``PortalRejected`` (the portal refused the
  content) fails at once. After each run the task enqueues itself again, deferred to the
  earliest retry time (``schedule_next_retry``), when the backend can defer.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from coquan.onestop.choices import DossierStatus

logger = logging.getLogger("coquan.onestop.portal")


class PortalError(Exception):
    """A transient failure (network, portal down): the message is retried."""


class PortalRejected(PortalError):
    """The portal refused the message: retrying would not help."""


class PortalSync(Protocol):
    def create_dossier(self, payload: dict) -> None: ...

    def update_status(self, payload: dict) -> None: ...


def adapter_path() -> str:
    return getattr(settings, "COQUAN_ONESTOP_PORTAL_ADAPTER", "") or ""


def get_adapter() -> PortalSync:
    return import_string(adapter_path())()


def max_attempts() -> int:
    return int(getattr(settings, "COQUAN_ONESTOP_PORTAL_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> dt.timedelta:
    base = float(getattr(settings, "COQUAN_ONESTOP_PORTAL_BACKOFF_SECONDS", 60))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 86400))


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def create_payload(dossier) -> dict:
    """``CreateDossier`` (§3.6) without personal data beyond what the portal asks."""
    return {
        "MaHoSo": dossier.dossier_code,
        "MaTTHC": dossier.procedure.code,
        "TenTTHC": dossier.procedure.name,
        "MaDonViTiepNhan": dossier.agency.organ_id,
        "KenhNop": dossier.channel,
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": dossier.applicant_type,
        "NgayNop": _iso(dossier.created_at),
        "NgayTiepNhan": _iso(dossier.received_at),
        "NgayHenTra": _iso(dossier.due_at),
        "TrangThai": dossier.status,
        "ThanhPhanHoSo": [
            {"TenThanhPhanHoSo": c.name, "SoLuong": c.count, "LoaiBan": c.paper_form}
            for c in dossier.components.all()
        ],
    }


def status_payload(dossier, change) -> dict:
    """``CapNhatTrangThai`` / ``CapNhatTienTrinh`` (§3.6)."""
    return {
        "MaHoSo": dossier.dossier_code,
        "TrangThai": change.to_status,
        "ThoiDiemXuLy": _iso(change.changed_at),
        "NoiDungXuLy": change.get_to_status_display(),
        "BuocXuLy": change.step.name if change.step_id else "",
        "NgayHenTra": _iso(dossier.due_at),
    }


def record(dossier, change) -> None:
    """Write the portal message of one status change (in the caller's transaction)."""
    from coquan.onestop.models import PortalOutbox

    if not adapter_path() or not dossier.dossier_code:
        return
    if (
        change.to_status == DossierStatus.ACCEPTED
        and not PortalOutbox.objects.filter(dossier=dossier, kind="create").exists()
    ):
        kind, payload = "create", create_payload(dossier)
    else:
        kind, payload = "status", status_payload(dossier, change)
    now = timezone.now()
    PortalOutbox.objects.create(
        dossier=dossier, kind=kind, payload=payload, created_at=now, next_attempt_at=now
    )
    transaction.on_commit(_enqueue)


def _enqueue() -> None:
    try:
        deliver_portal_outbox.enqueue()
    except Exception:  # a queue problem must not break the action that committed
        logger.exception("could not enqueue the portal delivery")


def deliver_due(now: dt.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Send the due messages; {"sent": n, "retry": n, "failed": n}."""
    from coquan.onestop.models import PortalOutbox

    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    earlier_unsent = PortalOutbox.objects.filter(
        dossier_id=OuterRef("dossier_id"), pk__lt=OuterRef("pk")
    ).exclude(state="sent")
    due = list(
        PortalOutbox.objects.filter(state="pending", next_attempt_at__lte=now)
        .exclude(Exists(earlier_unsent))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return counts
    adapter = get_adapter()
    for pk in due:
        with transaction.atomic():
            message = (
                PortalOutbox.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state="pending")
                .first()
            )
            if message is None:
                continue
            message.attempts += 1
            try:
                if message.kind == "create":
                    adapter.create_dossier(message.payload)
                else:
                    adapter.update_status(message.payload)
            except PortalError as exc:
                message.last_error = str(exc)[:2000] or exc.__class__.__name__
                if isinstance(exc, PortalRejected) or message.attempts >= max_attempts():
                    message.state = "failed"
                    counts["failed"] += 1
                else:
                    message.next_attempt_at = now + backoff(message.attempts)
                    counts["retry"] += 1
            else:
                message.state = "sent"
                message.sent_at = timezone.now()
                message.last_error = ""
                counts["sent"] += 1
            message.save()
    return counts


def retry_failed(dossier=None) -> int:
    """Put failed messages back in the queue (all, or one dossier's)."""
    from coquan.onestop.models import PortalOutbox

    rows = PortalOutbox.objects.filter(state="failed")
    if dossier is not None:
        rows = rows.filter(dossier=dossier)
    count = rows.update(state="pending", attempts=0, next_attempt_at=timezone.now())
    if count:
        transaction.on_commit(_enqueue)
    return count


def schedule_next_retry() -> dt.datetime | None:
    """Enqueue the delivery again for the earliest message waiting for its back-off, when
    the task backend can defer (the database backend of ``run_worker`` can); its time."""
    from coquan.onestop.models import PortalOutbox

    first = (
        PortalOutbox.objects.filter(state="pending", next_attempt_at__gt=timezone.now())
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if first is None:
        return None
    try:
        deferred = deliver_portal_outbox.using(run_after=first)
        if not deferred.get_backend().supports_defer:
            return None
        deferred.enqueue()
    except Exception:  # pragma: no cover — a queue problem must not fail the delivery
        logger.exception("could not schedule the next portal delivery")
        return None
    return first


@task()
def deliver_portal_outbox() -> dict[str, int]:
    """Deliver the due portal messages (``coquan run_worker``), then schedule the next run
    for the earliest retry."""
    counts = deliver_due()
    schedule_next_retry()
    return counts
