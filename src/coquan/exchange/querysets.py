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
