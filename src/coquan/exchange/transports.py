"""Transports: how a package reaches the recipient's system (issue 5, part 5).

``for_organ_id`` reads the directory (``Route``); without a route, an agency of this
deployment is reached by ``local``. Every transport returns an ``Outcome`` or raises
``outbox.DeliveryError`` (retried unless ``permanent``).

- ``LocalTransport``: the recipient agency is on this deployment: the signed bytes go
  through ``actions.receive_package`` (as the system, source ``local``), exactly as if
  they had come over the network.
- ``HttpTransport``: ``POST`` of the signed bytes to another CoQuan node or hub
  (``/api/v1/exchange/inbox/``), header ``Authorization: Node <token>`` (per-node
  credential) and ``X-Recipient: <organ_id>``.
- ``HubAdapter``: the interface of pull-style hubs (the national axis): ``submit`` a package,
  ``list_pending`` / ``get`` / ``confirm`` what waits for our agencies; ``pull_from_hub``
  receives what is pending and confirms each package only after its receipt is committed.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from coquan.exchange.choices import PackageSource, Transport
from coquan.exchange.outbox import DeliveryError


@dataclass
class Outcome:
    """``delivered`` (the recipient's system accepted or refused it with a status) or
    ``sent`` (a hub took it; the recipient has not fetched it yet)."""

    state: str = "delivered"
    note: str = ""


class LocalTransport:
    name = Transport.LOCAL

    def __init__(self, agency):
        self.agency = agency

    def send(self, message, content: bytes) -> Outcome:
        from coquan.exchange.actions import receive_package

        receipt = receive_package(None, agency=self.agency, raw=content, source=PackageSource.LOCAL)
        if not receipt.accepted:
            refusal = receipt.refusal
            return Outcome(note=f"refused: {refusal.message_vi if refusal else ''}")
        return Outcome()


class HttpTransport:
    name = Transport.HTTP

    def __init__(self, route):
        self.route = route

    def timeout(self) -> float:
        return float(getattr(settings, "COQUAN_EXCHANGE_HTTP_TIMEOUT", 30))

    def send(self, message, content: bytes) -> Outcome:
        if not self.route.endpoint.startswith(("http://", "https://")):
            raise DeliveryError(f"not an http(s) endpoint: {self.route.endpoint}", permanent=True)
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.route.endpoint,
            data=content,
            method="POST",
            headers={
                "Content-Type": "application/xml",
                "Authorization": f"Node {self.route.token}",
                "X-Recipient": message.organ_id,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout()) as response:  # noqa: S310
                response.read()
                return Outcome()
        except urllib.error.HTTPError as exc:
            body = exc.read()[:2000].decode("utf-8", "replace")
            if exc.code == 400:
                # Refused by the recipient's pipeline: a status 02 tells us why.
                return Outcome(note=f"refused: {_error_message(body)}")
            raise DeliveryError(f"HTTP {exc.code}: {_error_message(body)}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"{self.route.endpoint}: {getattr(exc, 'reason', exc)}") from exc


def _error_message(body: str) -> str:
    try:
        return json.loads(body)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return body[:300]


class HubAdapter(Protocol):
    """A pull-style hub (provincial or national axis): CoQuan submits packages to it and
    polls it for packages addressed to its agencies."""

    name: str

    def submit(self, organ_id: str, content: bytes) -> str:
        """Hand a package for ``organ_id`` to the hub; returns the hub's identifier."""

    def list_pending(self, organ_id: str) -> list[str]:
        """Identifiers of the packages waiting for ``organ_id``."""

    def get(self, organ_id: str, package_id: str) -> bytes:
        """The bytes of one waiting package."""

    def confirm(self, organ_id: str, package_id: str) -> None:
        """Tell the hub the package was received (it stops offering it)."""


_HUB_ADAPTERS: dict[str, HubAdapter] = {}


def register_hub_adapter(endpoint: str, adapter: HubAdapter) -> None:
    """Make ``adapter`` the hub reached by routes whose ``endpoint`` is ``endpoint``."""
    _HUB_ADAPTERS[endpoint] = adapter


class HubTransport:
    name = Transport.HUB

    def __init__(self, route):
        self.route = route

    def send(self, message, content: bytes) -> Outcome:
        adapter = _HUB_ADAPTERS.get(self.route.endpoint)
        if adapter is None:
            raise DeliveryError(f"no hub adapter for {self.route.endpoint}")
        reference = adapter.submit(message.organ_id, content)
        return Outcome(state="sent", note=f"hub {adapter.name}: {reference}")


def pull_from_hub(adapter: HubAdapter, agency) -> int:
    """Receive every package the hub holds for ``agency``; confirm each after its receipt.

    A crash between the receipt and the confirmation makes the hub offer the package again;
    the idempotent receipt returns the first one, then it is confirmed.
    """
    from coquan.exchange.actions import receive_package

    received = 0
    for package_id in adapter.list_pending(agency.organ_id):
        raw = adapter.get(agency.organ_id, package_id)
        receive_package(None, agency=agency, raw=raw, source=PackageSource.HUB)
        adapter.confirm(agency.organ_id, package_id)
        received += 1
    return received


def for_organ_id(organ_id: str):
    """The transport that reaches ``organ_id`` (directory first, then this deployment)."""
    from coquan.exchange.models import Route
    from coquan.org.models import Agency

    route = Route.objects.filter(organ_id=organ_id, active=True).first()
    if route is not None and route.transport == Transport.HTTP:
        return HttpTransport(route)
    if route is not None and route.transport == Transport.HUB:
        return HubTransport(route)
    agency = Agency.objects.filter(organ_id=organ_id).first()
    if agency is None:
        raise DeliveryError(f"no route to {organ_id} in the directory")
    return LocalTransport(agency)
