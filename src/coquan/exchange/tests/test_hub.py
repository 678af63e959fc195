"""Hub mode (issue 5 part 8): a deployment with ``COQUAN_EXCHANGE_HUB`` accepts packages from
registered nodes and relays them to the node that serves the recipient (unchanged here:
no `COQUAN_EXCHANGE_HUB_ORGAN_ID`; the hub's trace headers are in `test_hub_trace.py`).

The downstream node is a small recording HTTP server in this test: another CoQuan node
cannot run inside this test database (the two-node demo shows real nodes end to end).
"""

from __future__ import annotations

import pytest

from coquan.exchange import outbox
from coquan.exchange.directory import add_peer_node
from coquan.exchange.edxml import build_document_package
from coquan.exchange.models import OutboxMessage, ReceivedPackage, Route
from coquan.exchange.tests.helpers import (
    RECIPIENT,
    SENDER,
    key_pair,
    make_package,
    signer_for,
)

pytestmark = pytest.mark.django_db

INBOX = "/api/v1/exchange/inbox/"


def test_the_hub_relays_a_package_once_unchanged(client, settings, downstream):
    settings.COQUAN_EXCHANGE_HUB = True
    _key, certificate = key_pair(SENDER)
    Route.objects.create(
        organ_id=SENDER,
        transport="http",
        endpoint="http://127.0.0.1:9/",
        certificate_pem=certificate.decode(),
    )
    Route.objects.create(
        organ_id=RECIPIENT,
        transport="http",
        endpoint=f"http://127.0.0.1:{downstream.server_port}{INBOX}",
        token="token-of-the-commune-node",
    )
    _node, token = add_peer_node(None, name="Node của Sở", sender_organ_ids=SENDER)
    raw = build_document_package(make_package(), signer=signer_for(SENDER))
    headers = {"HTTP_AUTHORIZATION": f"Node {token}", "HTTP_X_RECIPIENT": RECIPIENT}
    first = client.post(INBOX, raw, content_type="application/xml", **headers)
    assert first.status_code == 202 and first.json()["created"] is True
    again = client.post(INBOX, raw, content_type="application/xml", **headers)
    assert again.status_code == 200 and again.json()["message_id"] == first.json()["message_id"]
    tampered = raw.replace(b"V/v tri", b"V/v TRI", 1)
    refused = client.post(INBOX, tampered, content_type="application/xml", **headers)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_signature"
    assert not ReceivedPackage.objects.exists()  # the hub keeps nothing as a recipient

    assert outbox.run_until_idle() == {"delivered": 1}
    [(sent_headers, body)] = downstream.received
    assert body == raw
    assert sent_headers["X-Recipient"] == RECIPIENT
    assert sent_headers["Authorization"] == "Node token-of-the-commune-node"
    message = OutboxMessage.objects.get()
    assert message.kind == "relay" and message.sender_organ_id == SENDER
    assert message.source_node.name == "Node của Sở"


def test_without_hub_mode_or_route_the_recipient_is_unknown(client, settings):
    _node, token = add_peer_node(None, name="Node của Sở", sender_organ_ids="*")
    raw = build_document_package(make_package())
    headers = {"HTTP_AUTHORIZATION": f"Node {token}", "HTTP_X_RECIPIENT": RECIPIENT}
    Route.objects.create(organ_id=RECIPIENT, transport="http", endpoint="http://127.0.0.1:9/")
    assert client.post(INBOX, raw, content_type="application/xml", **headers).status_code == 404
    settings.COQUAN_EXCHANGE_HUB = True
    _other, limited = add_peer_node(None, name="Node khác", sender_organ_ids="000.00.99.H06")
    response = client.post(
        INBOX,
        raw,
        content_type="application/xml",
        HTTP_AUTHORIZATION=f"Node {limited}",
        HTTP_X_RECIPIENT=RECIPIENT,
    )
    assert response.status_code == 403
    assert not OutboxMessage.objects.exists()


def test_the_directory_csv_accepts_pull_routes_without_an_endpoint():
    from coquan.exchange.directory import import_directory, parse_directory

    rows, problems = parse_directory(
        "organ_id,name,transport,endpoint,token\n"
        "000.03.10.H06,Xã Hương Sơn,pull,,\n"
        "000.02.10.H06,Xã Tân Dĩnh,http,,\n"
    )
    assert [row["organ_id"] for row in rows] == ["000.03.10.H06"]
    assert problems == ["Dòng 3: địa chỉ nhận phải là địa chỉ http(s)."]
    import_directory(None, text="organ_id,transport\n000.03.10.H06,pull\n")
    assert Route.objects.get(organ_id="000.03.10.H06").transport == "pull"
