"""Pull-style delivery served by a CoQuan hub (issue 5 parts 5 and 8): a node lists what
waits for its agencies, gets each package and confirms it (standards §1.5
``GetPendingDocumentIds`` / ``GetDocument`` / ``ConfirmReceived``).

Both sides run in this process and this database, over real HTTP to the live server: the
hub (hub mode, the directory routes the commune ``pull``, the nodes' credentials) and,
once the relay is done, the commune's agency — the node that pulls with
``transports.CoQuanHubAdapter``. The hub relays only for organ_ids that are not agencies
here, so the commune's agency is created after the relay, as in ``test_hub_trace``.
"""

from __future__ import annotations

import pytest

from coquan.core.testing.factories import AgencyFactory
from coquan.exchange import outbox, transports
from coquan.exchange.directory import add_peer_node
from coquan.exchange.edxml import build_document_package, parse_package
from coquan.exchange.models import OutboxMessage, ReceivedPackage, Route
from coquan.exchange.outbox import DeliveryError
from coquan.exchange.tests.helpers import RECIPIENT, SENDER, key_pair, make_package, signer_for

pytestmark = pytest.mark.django_db(transaction=True)

HUB = "000.00.90.H06"
PENDING = "/api/v1/exchange/hub/pending/"


@pytest.fixture
def hub(settings, live_server):
    """The hub's side: its routes and the two nodes' credentials; the API root to call."""
    settings.COQUAN_EXCHANGE_HUB = True
    settings.COQUAN_EXCHANGE_HUB_ORGAN_ID = HUB
    Route.objects.create(
        organ_id=SENDER,
        transport="http",
        endpoint="http://127.0.0.1:9/",
        certificate_pem=key_pair(SENDER)[1].decode(),
    )
    Route.objects.create(organ_id=RECIPIENT, name="Nút xã Đức Thắng", transport="pull")
    _node, sender_token = add_peer_node(None, name="Nút Sở TT&TT", sender_organ_ids=SENDER)
    _node, commune_token = add_peer_node(None, name="Nút xã", sender_organ_ids=RECIPIENT)
    _node, other_token = add_peer_node(None, name="Nút khác", sender_organ_ids="000.00.77.H06")
    return {
        "api": f"{live_server.url}/api/v1/exchange/",
        "sender": sender_token,
        "commune": commune_token,
        "other": other_token,
    }


def test_a_node_pulls_its_packages_from_the_hub_and_confirms_them(hub, settings, client):
    raw = build_document_package(make_package(), signer=signer_for(SENDER))
    # The sender's node hands the package to the hub through the same adapter.
    reference = transports.CoQuanHubAdapter(hub["api"], hub["sender"]).submit(RECIPIENT, raw)
    message = OutboxMessage.objects.get(kind="relay")
    assert reference == str(message.pk)
    assert outbox.run_until_idle() == {"sent": 1}  # waiting at the hub for the node
    message.refresh_from_db()
    assert (message.state, message.transport, message.attempts) == ("sent", "pull", 1)

    commune = transports.CoQuanHubAdapter(hub["api"], hub["commune"])
    assert commune.list_pending(RECIPIENT) == [str(message.pk)]
    assert transports.CoQuanHubAdapter(hub["api"], hub["other"]).list_pending(RECIPIENT) == []
    fetched = commune.get(RECIPIENT, str(message.pk))
    assert parse_package(fetched).trace_headers[-1].organ_id == HUB

    # The commune's node: its agency, a hub route to pull from, and the hub known to it.
    settings.COQUAN_EXCHANGE_KNOWN_HUBS = [HUB]
    recipient = AgencyFactory(organ_id=RECIPIENT, name="UBND xã Đức Thắng")
    Route.objects.create(
        organ_id="000.00.88.H06", transport="hub", endpoint=hub["api"], token=hub["commune"]
    )
    assert transports.pull_all() == 1
    received = ReceivedPackage.objects.get(agency=recipient)
    assert (received.source, received.state, received.signature_status) == (
        "hub",
        "parsed",
        "valid",
    )
    assert received.signature_detail["hub_hops"] == [HUB]
    message.refresh_from_db()
    assert message.state == "delivered" and message.delivered_at is not None
    assert commune.list_pending(RECIPIENT) == []  # no longer pending
    assert transports.pull_all() == 0

    # Confirming again is harmless; getting again still works (a node that crashed).
    again = client.post(
        f"{PENDING}{message.pk}/confirm/", HTTP_AUTHORIZATION=f"Node {hub['commune']}"
    )
    assert again.status_code == 200
    assert again.json() == {"id": message.pk, "state": "delivered", "confirmed": False}
    assert commune.get(RECIPIENT, str(message.pk)) == fetched
    assert ReceivedPackage.objects.filter(agency=recipient).count() == 1


def test_only_the_node_serving_the_agency_may_list_get_or_confirm(hub, client):
    raw = build_document_package(make_package(), signer=signer_for(SENDER))
    transports.CoQuanHubAdapter(hub["api"], hub["sender"]).submit(RECIPIENT, raw)
    outbox.run_until_idle()
    message = OutboxMessage.objects.get(kind="relay")
    package_url = f"{PENDING}{message.pk}/"

    assert client.get(PENDING).status_code == 401
    assert client.get(package_url, HTTP_AUTHORIZATION="Node wrong").status_code == 401
    other = {"HTTP_AUTHORIZATION": f"Node {hub['other']}"}
    assert client.get(PENDING, **other).json()["results"] == []
    assert client.get(package_url, **other).status_code == 404
    assert client.post(f"{package_url}confirm/", **other).status_code == 404
    with pytest.raises(DeliveryError, match="404"):
        transports.CoQuanHubAdapter(hub["api"], hub["other"]).confirm(RECIPIENT, str(message.pk))
    message.refresh_from_db()
    assert message.state == "sent"

    commune = {"HTTP_AUTHORIZATION": f"Node {hub['commune']}"}
    listed = client.get(PENDING, {"organ_id": RECIPIENT}, **commune).json()
    assert [item["id"] for item in listed["results"]] == [message.pk]
    assert listed["results"][0]["sender_organ_id"] == SENDER
    assert listed["results"][0]["package_kind"] == "document"
    assert client.get(PENDING, {"organ_id": "000.00.77.H06"}, **commune).json()["count"] == 0
    response = client.get(package_url, **commune)
    assert response["Content-Type"] == "application/xml"
    assert response.content == bytes(message.content)
    confirmed = client.post(f"{package_url}confirm/", **commune)
    assert confirmed.json() == {"id": message.pk, "state": "delivered", "confirmed": True}


def test_not_a_hub_serves_nothing(hub, settings, client):
    settings.COQUAN_EXCHANGE_HUB = False
    assert client.get(PENDING, HTTP_AUTHORIZATION=f"Node {hub['commune']}").status_code == 404
