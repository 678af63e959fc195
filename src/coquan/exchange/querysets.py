"""Scoped querysets of the exchange app: packages are seen by their agency's clerks and
administrators (``visible_to``), keys by the agency's administrators, the outbox as a whole
(the hub's traffic) by deployment administrators."""

from __future__ import annotations

from django.db import models

from coquan.core.access import agencies_with_role

EXCHANGE_ROLES = ("clerk", "admin")


class ReceivedPackageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Packages received by the agencies where ``user`` is a clerk or an administrator."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=agencies_with_role(user, *EXCHANGE_ROLES))

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def accepted(self):
        """Packages that count as received (quarantined ones are evidence only)."""
        from coquan.exchange.choices import PackageState

        return self.exclude(state=PackageState.QUARANTINED)

    def for_list(self):
        """The columns the list pages show: no header, no signature details (the refusal
        and its problems stay: a refused row shows why)."""
        return self.select_related("agency").defer("signature_detail", "header")


class ReceivedAttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=agencies_with_role(user, *EXCHANGE_ROLES))


class OutgoingStatusQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=agencies_with_role(user, *EXCHANGE_ROLES))


class AgencyKeyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keys of the agencies ``user`` administers (the private key is never shown)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=agencies_with_role(user, "admin"))

    def active(self):
        return self.filter(active=True)

    def for_organ_id(self, organ_id: str):
        return self.filter(agency__organ_id=organ_id)


class OutboxMessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The outbox as a whole (hub traffic): deployment administrators only."""
        if getattr(user, "is_authenticated", False) and user.is_superuser:
            return self.all()
        return self.none()

    def relayed(self):
        """Packages this deployment relayed as a hub."""
        from coquan.exchange.choices import OutboxKind

        return self.filter(kind=OutboxKind.RELAY)

    def for_traffic(self):
        """The columns of the hub's traffic list: never the package bytes."""
        return self.select_related("source_node").defer("content")

    def waiting_for_pull(self, node=None, *, states=None):
        """Messages handed to this hub for a node to fetch (``pull`` routes), not yet
        confirmed (or in ``states``); for ``node``: only those addressed to the agencies it
        serves."""
        from coquan.exchange.choices import OutboxState, Transport

        messages = self.filter(transport=Transport.PULL, state__in=states or [OutboxState.SENT])
        if node is not None:
            served = node.served_organ_ids()
            if served is not None:
                messages = messages.filter(organ_id__in=served)
        return messages


# --- the sender's reconciliation (page and API) ------------------------------------------------

#: A delivery queued or sent this long ago without an answer counts as stuck.
STUCK_AFTER_MINUTES = 30
PROBLEMS = ("failed", "stuck", "refused")


def delivery_problems(agency, problem: str = ""):
    """Deliveries of ``agency``'s documents that need the clerk: failed, stuck or refused
    (``problem`` one of ``PROBLEMS``; empty: all three), newest change first."""
    import datetime as dt

    from django.db.models import Max, Q
    from django.utils import timezone

    from coquan.documents.models import Delivery

    deliveries = (
        Delivery.objects.filter(document__agency=agency)
        .select_related("document", "outbox")
        .annotate(top_rank=Max("recipient_statuses__rank"))
    )
    stuck_before = timezone.now() - dt.timedelta(minutes=STUCK_AFTER_MINUTES)
    failed = Q(state="failed")
    stuck = Q(state__in=["queued", "sent"], created_at__lt=stuck_before)
    refused = Q(recipient_statuses__code__in=["02", "16"])
    chosen = {"failed": failed, "stuck": stuck, "refused": refused}.get(
        problem, failed | stuck | refused
    )
    return deliveries.filter(chosen).distinct().order_by("-updated_at", "-pk")


def latest_statuses(deliveries) -> dict:
    """{delivery id: its highest-ranked ``RecipientStatus``} for ``deliveries``, one query."""
    from coquan.exchange.models import RecipientStatus

    latest: dict = {}
    for status in RecipientStatus.objects.filter(delivery__in=deliveries).order_by(
        "delivery_id", "rank", "received_at"
    ):
        latest[status.delivery_id] = status
    return latest


def failed_statuses(agency):
    """Status messages ``agency`` sends that could not be delivered, newest first."""
    from coquan.exchange.choices import OutboxState
    from coquan.exchange.models import OutgoingStatus

    return (
        OutgoingStatus.objects.filter(agency=agency, outbox__state=OutboxState.FAILED)
        .select_related("package", "outbox")
        .order_by("-created_at", "-pk")
    )
