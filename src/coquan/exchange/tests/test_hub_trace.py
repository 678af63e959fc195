"""Hub trace headers (issue 5 part 8, ADR 0007): the hub appends its ``TraceHeader``; the
recipient sets aside the hops of the hubs it knows, checks the sender's signature over the
rest and shows the route.

One test database holds the hub (hub mode, routes, the sender's node credential) and,
once the relay is done, the recipient agency: the hub relays a package only for an
organ_id that is not an agency here, so the recipient agency is created after the relay.
The node behind the hub is the recording HTTP server of ``test_hub``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from coquan.core.testing.factories import AgencyFactory, make_member
from coquan.exchange import outbox
from coquan.exchange.actions import receive_package
from coquan.exchange.directory import add_peer_node
from coquan.exchange.edxml import build_document_package, parse_package
from coquan.exchange.edxml.build import document_tree
from coquan.exchange.edxml.codes import DSIG_NS, ds, q
from coquan.exchange.edxml.signing import hub_hops, set_aside, sign_tree, verify_tree
from coquan.exchange.hub import RelayLoop, append_trace
from coquan.exchange.models import OutboxMessage, ReceivedPackage, Route
from coquan.exchange.tests.helpers import (
    RECIPIENT,
    SENDER,
    certificate_for,
    key_pair,
    make_package,
    signer_for,
)
from coquan.exchange.tests.test_hub import INBOX

pytestmark = pytest.mark.django_db

HUB = "000.00.90.H06"  # the provincial hub
UPPER_HUB = "000.00.00.G22"  # a national hub above it


def trusted(organ_id):
    return [certificate_for(organ_id)] if organ_id == SENDER else []


def _signed_with_white_space() -> bytes:
    """A signed package whose trace list is indented (as some systems write them)."""
    root = document_tree(make_package())
    trace_list = root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}/{q('TraceHeaderList')}")
    trace_list.text = "\n    "
    for child in trace_list:
        child.tail = "\n    "
    trace_list[-1].tail = "\n  "
    header = trace_list.getparent()
    etree.SubElement(header, ds("Signature"), Id="placeholder", nsmap={"ds": DSIG_NS})
    signed = sign_tree(root, signer_for(SENDER))
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _verify(raw: bytes, hubs=()):
    root = etree.fromstring(raw)
    return verify_tree(root, sender_organ_id=SENDER, trusted=trusted, hubs=hubs)


def test_hops_of_known_hubs_are_set_aside_and_the_tree_restored():
    raw = _signed_with_white_space()
    assert _verify(raw).reason == "ok"
    relayed = append_trace(raw, HUB, at=dt.datetime(2026, 3, 2, 9, 31, 5))
    relayed = append_trace(relayed, UPPER_HUB, at=dt.datetime(2026, 3, 2, 9, 32))
    assert parse_package(relayed).trace_headers[-2].organ_id == HUB

    result = _verify(relayed, hubs={HUB, UPPER_HUB})
    assert (result.reason, result.hub_hops) == ("ok", [HUB, UPPER_HUB])
    # A receiver that does not know the hubs sees a package changed after signing.
    assert _verify(relayed).reason == "bad_signature"
    # Knowing only the last hub is not enough: the first hop stays in and breaks it.
    assert _verify(relayed, hubs={UPPER_HUB}).reason == "bad_signature"

    root = etree.fromstring(relayed)
    before = etree.tostring(root)
    hops = hub_hops(root, {HUB, UPPER_HUB}, SENDER)
    with set_aside(hops):
        assert len(root.findall(f".//{q('TraceHeader')}")) == 1
    assert etree.tostring(root) == before  # put back exactly


def test_the_sender_own_trace_is_never_set_aside():
    raw = build_document_package(make_package(), signer=signer_for(SENDER))
    # A "hub" with the sender's own identifier sets nothing aside.
    result = _verify(raw, hubs={SENDER})
    assert (result.reason, result.hub_hops) == ("ok", [])
    with pytest.raises(RelayLoop):
        append_trace(append_trace(raw, HUB), HUB)


@pytest.fixture
def hub(settings, downstream):
    """The hub: hub mode with its OrganId, the sender's certificate and node, the route on."""
    settings.COQUAN_EXCHANGE_HUB = True
    settings.COQUAN_EXCHANGE_HUB_ORGAN_ID = HUB
    Route.objects.create(
        organ_id=SENDER,
        transport="http",
        endpoint="http://127.0.0.1:9/",
        certificate_pem=key_pair(SENDER)[1].decode(),
    )
    Route.objects.create(
        organ_id=HUB, name="Trục liên thông tỉnh", transport="http", endpoint="http://127.0.0.1:9/"
    )
    Route.objects.create(
        organ_id=RECIPIENT,
        transport="http",
        endpoint=f"http://127.0.0.1:{downstream.server_port}{INBOX}",
        token="token-of-the-commune-node",
    )
    _node, token = add_peer_node(None, name="Node của Sở", sender_organ_ids=SENDER)
    return {"HTTP_AUTHORIZATION": f"Node {token}", "HTTP_X_RECIPIENT": RECIPIENT}


def _relay(client, downstream, headers, raw) -> bytes:
    response = client.post(INBOX, raw, content_type="application/xml", **headers)
    assert response.status_code == 202, response.content
    assert outbox.run_until_idle() == {"delivered": 1}
    return downstream.received[-1][1]


def test_relay_through_the_hub_keeps_the_signature_and_shows_the_route(
    client,
    hub,
    downstream,
    settings,
):
    raw = build_document_package(make_package(), signer=signer_for(SENDER))
    relayed = _relay(client, downstream, hub, raw)
    assert relayed != raw
    hop = parse_package(relayed).trace_headers[-1]
    assert hop.organ_id == HUB and isinstance(hop.timestamp, dt.datetime)
    assert OutboxMessage.objects.get(kind="relay").document_id == parse_package(raw).document_id

    # The recipient's side (same database, the hub's passage done): it knows the hub.
    settings.COQUAN_EXCHANGE_KNOWN_HUBS = [HUB]
    recipient = AgencyFactory(organ_id=RECIPIENT, name="UBND xã Đức Thắng")
    clerk = make_member(recipient, "clerk", username="vanthu_xa")
    receipt = receive_package(None, agency=recipient, raw=relayed, source="http")
    package = receipt.package
    assert package.state == "parsed" and package.signature_status == "valid"
    assert package.signature_detail["reason"] == "ok"
    assert package.signature_detail["hub_hops"] == [HUB]
    assert [t["organ_id"] for t in package.header["trace_headers"]] == [SENDER, HUB]

    client.force_login(clerk)
    page = client.get(f"/exchange/packages/{package.pk}/")
    assert page.status_code == 200
    route = page.content.decode()
    start = route.index('data-testid="route"')
    section = route[start : route.index("</section>", start)]
    assert section.index(SENDER) < section.index(HUB) < section.index(RECIPIENT)
    assert "Trục liên thông tỉnh" in section and "02/03/2026 09:30:00" in section
    assert f"{hop.timestamp:%d/%m/%Y %H:%M:%S}" in section
    assert "không thuộc phần được ký" in section  # the hub's hop is not the sender's


def test_a_package_tampered_with_via_the_hub_is_refused(client, hub, downstream, settings):
    raw = build_document_package(make_package(), signer=signer_for(SENDER))
    relayed = _relay(client, downstream, hub, raw)
    changed = relayed.replace(b"V/v tri", b"V/v TRI", 1)  # the subject, after the hub

    # The hub refuses a package tampered with before it, and one that passed it already.
    refused = client.post(INBOX, changed, content_type="application/xml", **hub)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_signature"
    looped = client.post(INBOX, relayed, content_type="application/xml", **hub)
    assert looped.status_code == 409 and looped.json()["error"]["code"] == "relay_loop"
    assert OutboxMessage.objects.count() == 1

    settings.COQUAN_EXCHANGE_KNOWN_HUBS = [HUB]
    recipient = AgencyFactory(organ_id=RECIPIENT, name="UBND xã Đức Thắng")
    receipt = receive_package(None, agency=recipient, raw=changed, source="http")
    assert receipt.package.state == "quarantined"
    assert receipt.package.error_code == "bad_signature"
    # A hop claimed by an organ that is not a known hub is not set aside.
    fake = append_trace(raw, "000.00.77.H06")
    receipt = receive_package(None, agency=recipient, raw=fake, source="http")
    assert receipt.package.error_code == "bad_signature"
    assert not ReceivedPackage.objects.filter(agency=recipient).exclude(state="quarantined")
