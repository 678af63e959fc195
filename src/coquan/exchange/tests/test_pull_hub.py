"""The pull-style hub adapter interface (issue 5 part 5): submit, list pending, get, confirm.

The national/provincial hub cannot exist in a test run: ``FakeHub`` is an in-memory stand-in
implementing the ``HubAdapter`` protocol; everything on CoQuan's side is real.
"""

from __future__ import annotations

import pytest

from coquan.exchange import outbox, transports
from coquan.exchange.edxml import build_document_package
from coquan.exchange.models import OutboxMessage, ReceivedPackage, Route
from coquan.exchange.tests.helpers import make_package

pytestmark = pytest.mark.django_db


class FakeHub:
    name = "trục giả lập"

    def __init__(self):
        self.boxes: dict[str, dict[str, bytes]] = {}
        self.confirmed: list[str] = []

    def submit(self, organ_id, content):
        box = self.boxes.setdefault(organ_id, {})
        reference = f"h{len(box) + 1}"
        box[reference] = content
        return reference

    def list_pending(self, organ_id):
        return list(self.boxes.get(organ_id, {}))

    def get(self, organ_id, package_id):
        return self.boxes[organ_id][package_id]

    def confirm(self, organ_id, package_id):
        self.confirmed.append(package_id)
        del self.boxes[organ_id][package_id]


def test_pulling_receives_each_package_once_and_confirms_after_the_receipt(recipient):
    hub = FakeHub()
    raw = build_document_package(make_package(recipients=(recipient.organ_id,)))
    hub.submit(recipient.organ_id, raw)
    hub.submit(recipient.organ_id, raw)  # the hub offers the same package twice
    assert transports.pull_from_hub(hub, recipient) == 2
    assert hub.confirmed == ["h1", "h2"] and hub.list_pending(recipient.organ_id) == []
    assert ReceivedPackage.objects.filter(agency=recipient).count() == 1
    assert ReceivedPackage.objects.get().source == "hub"


def test_statuses_to_a_hub_are_submitted_and_marked_sent(recipient, clerk):
    """A status 01 for a sender reached through a hub is handed to the hub (state sent)."""
    from coquan.exchange.actions import receive_package

    hub = FakeHub()
    transports.register_hub_adapter("hub://tinh", hub)
    package = make_package(recipients=(recipient.organ_id,))
    Route.objects.create(organ_id=package.sender.organ_id, transport="hub", endpoint="hub://tinh")
    receive_package(None, agency=recipient, raw=build_document_package(package), source="hub")
    assert outbox.run_until_idle() == {"sent": 1}
    message = OutboxMessage.objects.get(kind="status")
    assert message.state == "sent" and message.transport == "hub"
    assert hub.list_pending(package.sender.organ_id) == ["h1"]
