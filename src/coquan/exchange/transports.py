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
  ``CoQuanHubAdapter`` implements it for a CoQuan deployment in hub mode (its inbox and
  ``/api/v1/exchange/hub/pending/``); ``pull_all`` pulls from every hub of the directory.
- ``PullTransport`` (hub mode, ``pull`` routes): nothing is sent; the message waits here
  (state ``sent``) until the recipient's node fetches it and confirms
  (``actions.confirm_pulled``).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from coquan.exchange.choices import PackageSource, Transport
from coquan.exchange.outbox import DeliveryError

log = logging.getLogger("coquan.exchange.outbox")


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


class CoQuanHubAdapter:
    """A CoQuan deployment in hub mode, reached over its API as a pull-style hub.

    ``endpoint``: the hub's exchange API root (``https://hub.example/api/v1/exchange/``);
    ``token``: this node's credential there (``Authorization: Node <token>``). Submitting
    is a POST to the hub's inbox; the waiting packages are listed, fetched and confirmed
    with ``hub/pending/`` (docs/exchange.md §7). Failures raise ``DeliveryError``.
    """

    name = "CoQuan"

    def __init__(self, endpoint: str, token: str, *, timeout: float | None = None):
        if not endpoint.startswith(("http://", "https://")):
            raise DeliveryError(f"not an http(s) endpoint: {endpoint}", permanent=True)
        self.endpoint = endpoint if endpoint.endswith("/") else f"{endpoint}/"
        self.token = token
        self.timeout = timeout or float(getattr(settings, "COQUAN_EXCHANGE_HTTP_TIMEOUT", 30))

    def _call(self, method: str, path: str, *, data=None, headers=None) -> tuple[int, bytes]:
        url = path if path.startswith(("http://", "https://")) else self.endpoint + path
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            url,
            data=data,
            method=method,
            headers={"Authorization": f"Node {self.token}", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()[:2000].decode("utf-8", "replace")
            raise DeliveryError(
                f"hub HTTP {exc.code}: {_error_message(body)}", permanent=exc.code == 400
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"{url}: {getattr(exc, 'reason', exc)}") from exc

    def submit(self, organ_id: str, content: bytes) -> str:
        _status, body = self._call(
            "POST",
            "inbox/",
            data=content,
            headers={"Content-Type": "application/xml", "X-Recipient": organ_id},
        )
        answer = json.loads(body or b"{}")
        return str(answer.get("message_id") or answer.get("package_id") or "")

    def list_pending(self, organ_id: str) -> list[str]:
        identifiers: list[str] = []
        query = urllib.parse.urlencode({"organ_id": organ_id})
        url = f"hub/pending/?{query}"
        while url:
            _status, body = self._call("GET", url)
            page = json.loads(body)
            identifiers.extend(str(item["id"]) for item in page["results"])
            url = page.get("next") or ""
        return identifiers

    def get(self, organ_id: str, package_id: str) -> bytes:
        _status, body = self._call("GET", f"hub/pending/{int(package_id)}/")
        return body

    def confirm(self, organ_id: str, package_id: str) -> None:
        self._call("POST", f"hub/pending/{int(package_id)}/confirm/")


def adapter_for(route) -> HubAdapter | None:
    """The hub adapter of a ``hub`` route: the one registered for its endpoint, else a
    ``CoQuanHubAdapter`` when the endpoint is an http(s) address (a CoQuan hub)."""
    adapter = _HUB_ADAPTERS.get(route.endpoint)
    if adapter is None and route.endpoint.startswith(("http://", "https://")):
        adapter = CoQuanHubAdapter(route.endpoint, route.token)
    return adapter


class HubTransport:
    name = Transport.HUB

    def __init__(self, route):
        self.route = route

    def send(self, message, content: bytes) -> Outcome:
        adapter = adapter_for(self.route)
        if adapter is None:
            raise DeliveryError(f"no hub adapter for {self.route.endpoint}")
        reference = adapter.submit(message.organ_id, content)
        return Outcome(state="sent", note=f"hub {adapter.name}: {reference}")


class PullTransport:
    """Hub mode: the recipient's node fetches its packages from here (``pull`` route)."""

    name = Transport.PULL

    def __init__(self, route):
        self.route = route

    def send(self, message, content: bytes) -> Outcome:
        return Outcome(state="sent", note="waiting for the node to fetch it")


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


def pull_all() -> int:
    """Receive what every hub of the directory holds for the agencies of this deployment.

    The hubs are the distinct endpoints (and credentials) of the active ``hub`` routes; each
    is asked for each agency here. A hub that cannot be reached is logged and skipped (the
    next round asks again). Returns the number of packages received.
    """
    from coquan.exchange.models import Route
    from coquan.org.models import Agency

    hubs = {}
    for route in Route.objects.filter(transport=Transport.HUB, active=True).order_by("pk"):
        hubs.setdefault((route.endpoint, route.token), route)
    agencies = list(Agency.objects.exclude(organ_id="").order_by("pk"))
    received = 0
    for route in hubs.values():
        adapter = adapter_for(route)
        if adapter is None:
            continue
        for agency in agencies:
            try:
                received += pull_from_hub(adapter, agency)
            except DeliveryError as exc:
                log.warning("pulling from %s for %s failed: %s", route.endpoint, agency, exc)
                break
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
    if route is not None and route.transport == Transport.PULL:
        return PullTransport(route)
    agency = Agency.objects.filter(organ_id=organ_id).first()
    if agency is None:
        raise DeliveryError(f"no route to {organ_id} in the directory")
    return LocalTransport(agency)
