"""Delivery state changes made by the exchange app (issue 5: outbox and sender's view).

A ``Delivery`` is written ``queued`` at issue or recall (``issuing``); the exchange app's
worker moves it on through ``record_delivery_state`` (``sent``: handed to a hub that has not
confirmed yet, ``delivered``: the recipient's system accepted it, ``failed``: undeliverable
after the bounded retries, with the reason). A clerk puts a failed delivery back in the queue
with ``requeue_delivery`` (the reconciliation page's "retry" and "re-send"). The exchange app
keeps its own attempt log, back-off times and recipient statuses in its tables.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from coquan.core.access import has_role
from coquan.core.actions import action, describe
from coquan.documents.choices import DeliveryState
from coquan.documents.models import Delivery


def _system_only(actor, **kwargs) -> None:
    if actor is not None:
        raise PermissionDenied(_("You may not do this on this document."))


def _clerk_of_sender(actor, **kwargs) -> None:
    delivery = kwargs.get("delivery")
    if actor is None:
        return
    agency = delivery.document.agency if delivery is not None else None
    if agency is None or not has_role(actor, agency, "clerk", "admin"):
        raise PermissionDenied(_("You may not do this on this document."))


@action("documents.delivery.state", permission=_system_only)
def record_delivery_state(
    actor, *, delivery, state: str, attempts: int | None = None, error: str = ""
) -> Delivery:
    """Move a delivery to ``state`` (the exchange worker, as the system).

    ``delivered`` and ``failed`` are final for the worker (a clerk may re-queue a failed
    one); a delivered delivery never goes back. ``error`` is kept as ``last_error``.
    """
    if state not in DeliveryState.values:
        raise ValueError(f"unknown delivery state {state!r}")
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    before = {"state": locked.state, "attempts": locked.attempts}
    if locked.state == DeliveryState.DELIVERED and state != DeliveryState.DELIVERED:
        return locked
    locked.state = state
    if attempts is not None:
        locked.attempts = min(attempts, 32767)
    if error or state == DeliveryState.DELIVERED:
        locked.last_error = error
    locked.save(update_fields=["state", "attempts", "last_error", "updated_at"])
    describe(
        obj=locked,
        agency=locked.document.agency,
        summary=(f"{locked.get_kind_display()} → {locked.name}: {locked.get_state_display()}")[
            :500
        ],
        before=before,
        after={"state": locked.state, "attempts": locked.attempts, "error": error[:500]},
    )
    delivery.state, delivery.attempts, delivery.last_error = (
        locked.state,
        locked.attempts,
        locked.last_error,
    )
    return locked


@action("documents.delivery.requeue", permission=_clerk_of_sender)
def requeue_delivery(actor, *, delivery) -> Delivery:
    """Put a failed delivery back in the queue (a clerk of the issuing agency).

    Only a ``failed`` delivery can be re-queued; the attempt counter starts again.
    """
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if locked.state != DeliveryState.FAILED:
        # Only a failed delivery is sent again.
        raise ValidationError(_("You may not do this on this document."), code="not_failed")
    locked.state = DeliveryState.QUEUED
    locked.attempts = 0
    locked.save(update_fields=["state", "attempts", "updated_at"])
    describe(
        obj=locked,
        agency=locked.document.agency,
        summary=(f"{locked.get_kind_display()} → {locked.name}: {locked.get_state_display()}")[
            :500
        ],
        before={"state": DeliveryState.FAILED, "error": locked.last_error[:500]},
        after={"state": locked.state},
    )
    delivery.state, delivery.attempts = locked.state, locked.attempts
    return locked
