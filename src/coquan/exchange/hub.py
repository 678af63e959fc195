"""Hub mode (issue 5 part 8; docs/adr/0007-hub-trace-headers.md).

A deployment with ``COQUAN_EXCHANGE_HUB`` relays packages between registered nodes
(``api.views.InboxView._relay`` → ``actions.relay_package`` → the outbox). This module holds
what is particular to it:

- ``append_trace``: the hub's ``TraceHeader`` (``COQUAN_EXCHANGE_HUB_ORGAN_ID`` and the time
  it accepted the package) appended to the package's ``TraceHeaderList``, standards §1.3.
  It is written without any white space right after the last ``TraceHeader``, so that a
  receiver that knows the hub (``COQUAN_EXCHANGE_KNOWN_HUBS``) can set it aside and check
  the sender's signature over exactly the bytes the sender signed (``signing.hub_hops``).
- ``package_route``: the route a received package took (sender → hubs → recipient, with
  times) for the received package's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from lxml import etree

from coquan.exchange.edxml.codes import q
from coquan.exchange.edxml.safe import parse_xml
from coquan.exchange.edxml.values import write_timestamp


def hub_mode() -> bool:
    """``COQUAN_EXCHANGE_HUB``: this deployment relays packages for other nodes."""
    return bool(getattr(settings, "COQUAN_EXCHANGE_HUB", False))


def hub_organ_id() -> str:
    """``COQUAN_EXCHANGE_HUB_ORGAN_ID``: the ``OrganId`` this hub writes in its trace headers
    (empty: packages are relayed unchanged and the passage is recorded here only)."""
    return str(getattr(settings, "COQUAN_EXCHANGE_HUB_ORGAN_ID", "") or "").strip()


class RelayLoop(Exception):
    """The package already passed through this hub: relaying it again would loop."""


def append_trace(raw: bytes, organ_id: str, *, at=None) -> bytes:
    """``raw`` with a ``TraceHeader`` of ``organ_id`` at ``at`` (default now) appended.

    The new element goes right after the last ``TraceHeader`` of
    ``edXMLEnvelope/edXMLHeader/TraceHeaderList`` (first in the list when there is none),
    with no text around it; nothing else in the package changes (the rest of the tree is
    written back as it was read, which leaves its canonical form, and so the sender's
    signature, intact). A package without a ``TraceHeaderList`` (a status package) is
    returned unchanged. Raises ``RelayLoop`` when ``organ_id`` is already in the trace.
    The bytes were checked by the receive pipeline before (``pipeline.prepare``).
    """
    if not organ_id:
        return raw
    root = parse_xml(raw)
    trace_list = root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}/{q('TraceHeaderList')}")
    if trace_list is None:
        return raw
    traces = trace_list.findall(q("TraceHeader"))
    if any((trace.findtext(q("OrganId")) or "").strip() == organ_id for trace in traces):
        raise RelayLoop(organ_id)
    hop = trace_list.makeelement(q("TraceHeader"), {})
    etree.SubElement(hop, q("OrganId")).text = organ_id
    etree.SubElement(hop, q("Timestamp")).text = write_timestamp(at or timezone.now())
    position = trace_list.index(traces[-1]) + 1 if traces else 0
    trace_list.insert(position, hop)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class Hop:
    """One stop on a package's route.

    ``role``: ``sender`` (the agency that sent it), ``trace`` (a stop the sender wrote in its
    trace, covered by its signature), ``hub`` (a hub's own ``TraceHeader``, set aside when
    the signature was checked) or ``recipient`` (this agency, when it received the package).
    ``when``: the time as written (dd/mm/yyyy HH:MM:SS), or "".
    """

    role: str
    organ_id: str
    name: str
    when: str


def _when(value) -> str:
    from coquan.exchange.templatetags.exchange_tags import edxml_date

    return edxml_date(value)


def package_route(package) -> list[Hop]:
    """The route of a received document package: its sender (with the time of the sender's
    own ``TraceHeader``), the other trace headers in order (hubs' hops marked as such, from
    the signature check), then this agency with the time of receipt. One query (the names
    of the hubs in the directory) when the package passed through a hub; none otherwise."""
    header = package.header or {}
    if header.get("kind") != "document":
        return []
    sender = header.get("sender") or {}
    sender_id = sender.get("organ_id") or package.sender_organ_id
    traces = list(header.get("trace_headers") or [])
    hub_ids = list((package.signature_detail or {}).get("hub_hops") or [])
    # The hubs' hops are the last ones (signing.hub_hops).
    hub_start = len(traces) - len(hub_ids)
    names = {}
    if hub_ids:
        from coquan.exchange.models import Route

        names = dict(
            Route.objects.filter(organ_id__in=hub_ids)
            .exclude(name="")
            .values_list("organ_id", "name")
        )
    sent = next((t for t in traces[:hub_start] if t.get("organ_id") == sender_id), None)
    route = [
        Hop(
            role="sender",
            organ_id=sender_id,
            name=sender.get("organ_name") or package.sender_name,
            when=_when((sent or {}).get("timestamp")),
        )
    ]
    for index, trace in enumerate(traces):
        if trace is sent:
            continue
        organ_id = trace.get("organ_id") or ""
        route.append(
            Hop(
                role="hub" if index >= hub_start else "trace",
                organ_id=organ_id,
                name=names.get(organ_id, ""),
                when=_when(trace.get("timestamp")),
            )
        )
    route.append(
        Hop(
            role="recipient",
            organ_id=package.agency.organ_id,
            name=package.agency.name,
            when=timezone.localtime(package.received_at).strftime("%d/%m/%Y %H:%M:%S"),
        )
    )
    return route


# --- traffic (the hub's admin page and API) ------------------------------------------------------


def traffic(user, form):
    """The packages this hub relayed that ``user`` may see (deployment administrators),
    filtered by ``form`` (``HubTrafficFilterForm``), newest first; and the number of them
    in each onward-delivery state under the same filters except the state (one query)."""
    from django.db.models import Count

    from coquan.exchange.models import OutboxMessage

    messages = OutboxMessage.objects.visible_to(user).relayed().for_traffic()
    counts = dict(
        form.apply(messages, with_state=False)
        .order_by()
        .values_list("state")
        .annotate(count=Count("pk"))
    )
    return form.apply(messages).order_by("-created_at", "-pk"), counts


def routes_for(organ_ids) -> dict:
    """The directory's routes of ``organ_ids`` (one query): the nodes packages go on to."""
    from coquan.exchange.models import Route

    return {route.organ_id: route for route in Route.objects.filter(organ_id__in=set(organ_ids))}
