"""Choices of the exchange app's models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PackageState(models.TextChoices):
    """Where a received package stands.

    ``quarantined``: refused by the receive pipeline (unsafe, not edXML, wrongly addressed,
    invalid, or not processable); only the raw package is kept, as evidence.
    ``parsed``: accepted, verified and read; status 01 built; waiting for the clerk.
    ``registered``: became an incoming document of the agency (documents app).
    ``refused``: the clerk refused it after reading it; status 02 built.
    """

    QUARANTINED = "quarantined", pgettext_lazy("package state", "Quarantined")
    PARSED = "parsed", pgettext_lazy("package state", "Received, to be registered")
    REGISTERED = "registered", pgettext_lazy("package state", "Registered")
    REFUSED = "refused", pgettext_lazy("package state", "Refused")
    RECALLED = "recalled", pgettext_lazy("package state", "Recalled by the sender")


class PackageKind(models.TextChoices):
    DOCUMENT = "document", pgettext_lazy("package kind", "Document")
    STATUS = "status", pgettext_lazy("package kind", "Status")
    UNKNOWN = "unknown", pgettext_lazy("package kind", "Unreadable")


class PackageSource(models.TextChoices):
    """How a package reached CoQuan (transports add their own values later)."""

    WEB = "web", _("Uploaded by hand")
    API = "api", _("Sent through the API")
    LOCAL = "local", _("From an agency on this deployment")
    HTTP = "http", _("From another node")
    HUB = "hub", _("From a hub")


class SignatureStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("signature", "Valid signature")
    INVALID = "invalid", pgettext_lazy("signature", "Invalid signature")
    UNVERIFIABLE = "unverifiable", pgettext_lazy("signature", "Unverifiable signature")
    UNSIGNED = "unsigned", pgettext_lazy("signature", "Not signed")


class Transport(models.TextChoices):
    """How packages reach an agency (the directory's ``Route.transport``).

    ``hub``: this deployment hands them to a pull-style hub (``transports.HubAdapter``);
    ``pull``: this deployment *is* that hub for the agency: packages wait here until the
    agency's node fetches them (``/api/v1/exchange/hub/pending/``)."""

    LOCAL = "local", _("Same deployment")
    HTTP = "http", _("Another CoQuan node or hub (HTTP)")
    HUB = "hub", _("Pull-style hub")
    PULL = "pull", _("The node fetches from this hub (pull)")


class OutboxKind(models.TextChoices):
    DELIVERY = "delivery", pgettext_lazy("outbox kind", "Document")
    STATUS = "status", pgettext_lazy("outbox kind", "Status")
    RELAY = "relay", pgettext_lazy("outbox kind", "Relayed by the hub")


class OutboxState(models.TextChoices):
    """Where an outgoing message is: ``pending`` (waiting for its next attempt),
    ``sent`` (handed to a pull-style hub), ``delivered`` (the recipient's system accepted it)
    or ``failed`` (undeliverable after the bounded retries; the reason is kept)."""

    PENDING = "pending", pgettext_lazy("outbox state", "Waiting to be sent")
    SENT = "sent", pgettext_lazy("outbox state", "Handed to the hub")
    DELIVERED = "delivered", pgettext_lazy("outbox state", "Delivered")
    FAILED = "failed", pgettext_lazy("outbox state", "Undeliverable")
