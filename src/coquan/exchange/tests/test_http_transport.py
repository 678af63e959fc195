"""HTTP transport between nodes (issue 5 part 5): per-node credentials, the inbox API,
and "receiver down for a while → retries, all arrive".

The receiving node is this test's live server; "down" is a port where nothing listens,
"back" is a plain TCP relay that starts listening on that port and forwards to it (the
sending side changes nothing: same route, same endpoint).
"""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
from django.utils import timezone

from coquan.exchange import outbox
from coquan.exchange.directory import add_peer_node
from coquan.exchange.models import OutboxMessage, ReceivedPackage, Route
from coquan.exchange.tests.test_outbox import dept  # noqa: F401  (fixture)

INBOX = "/api/v1/exchange/inbox/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Relay(threading.Thread):
    """Accepts on ``port`` and pipes each connection to ``target`` (both ways)."""

    def __init__(self, port: int, target: tuple[str, int]):
        super().__init__(daemon=True)
        self.server = socket.create_server(("127.0.0.1", port))
        self.target = target

    @staticmethod
    def _pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def run(self):
        while True:
            try:
                client, _addr = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def close(self):
        self.server.close()


@pytest.mark.django_db(transaction=True)
def test_receiver_down_for_a_while_then_every_delivery_arrives(dept, live_server, settings):  # noqa: F811
    settings.COQUAN_EXCHANGE_RETRY_BASE_SECONDS = 5
    _node, token = add_peer_node(None, name="Sở TT&TT", sender_organ_ids=dept.agency.organ_id)
    port = free_port()
    Route.objects.create(
        organ_id=dept.partner.organ_id,
        transport="http",
        endpoint=f"http://127.0.0.1:{port}{INBOX}",
        token=token,
    )
    documents = [dept.advance(dept.draft(subject=f"V/v số {n}"), "issued") for n in range(3)]
    assert outbox.run_until_idle() == {"pending": 3}  # down: connection refused
    assert all(d.deliveries.get().state == "queued" for d in documents)
    assert "Connection refused" in documents[0].deliveries.get().last_error

    relay = Relay(port, (live_server.thread.host, live_server.thread.port))
    relay.start()
    try:
        assert outbox.run_until_idle() == {}  # waiting for the back-off
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        counts = outbox.run_until_idle()
    finally:
        relay.close()
    # Three documents delivered; each answered by a status 01 sent back (local here, since
    # both agencies live in this test database).
    assert counts == {"delivered": 6}
    for document in documents:
        delivery = document.deliveries.get()
        assert delivery.state == "delivered" and delivery.attempts == 2
        received = ReceivedPackage.objects.get(
            agency=dept.partner, document_id=outbox.document_id_of(document)
        )
        assert received.source == "http" and received.signature_status == "valid"
        assert delivery.recipient_statuses.get().code == "01"


@pytest.mark.django_db
def test_the_inbox_requires_a_node_credential_and_an_allowed_sender(client, dept):  # noqa: F811
    document = dept.advance(dept.draft(), "issued")
    outbox.adopt_deliveries()
    message = OutboxMessage.objects.get(delivery__document=document)
    content = outbox.ensure_content(message)
    headers = {"HTTP_X_RECIPIENT": dept.partner.organ_id}
    response = client.post(INBOX, content, content_type="application/xml", **headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    _other, wrong = add_peer_node(None, name="Hub lạ", sender_organ_ids="000.00.99.H06")
    response = client.post(
        INBOX,
        content,
        content_type="application/xml",
        HTTP_AUTHORIZATION=f"Node {wrong}",
        **headers,
    )
    assert response.status_code == 403
    assert not ReceivedPackage.objects.exists()
    _node, token = add_peer_node(None, name="Sở TT&TT", sender_organ_ids=dept.agency.organ_id)
    auth = {"HTTP_AUTHORIZATION": f"Node {token}"}
    response = client.post(
        INBOX, content, content_type="application/xml", HTTP_X_RECIPIENT="000.00.77.H06", **auth
    )
    assert response.status_code == 404
    response = client.post(INBOX, content, content_type="application/xml", **headers, **auth)
    assert response.status_code == 201 and response.json()["created"] is True
    again = client.post(INBOX, content, content_type="application/xml", **headers, **auth)
    assert again.status_code == 200 and again.json()["package_id"] == response.json()["package_id"]
    refused = client.post(INBOX, b"<not-edxml/>", content_type="application/xml", **headers, **auth)
    assert refused.status_code == 400 and refused.json()["error"]["code"]
    assert ReceivedPackage.objects.filter(state="parsed").count() == 1
