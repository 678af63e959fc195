"""Undeliverable messages are never silent (issue 5 part 4 and 6): a document or a status
message that fails after the bounded retries alerts the sending agency's clerks, shows on
the package page and the reconciliation page, and a clerk can send it again.

Two agencies of the same deployment; the other side is made unreachable by a route to a
port where nothing listens (a node that is down).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import make_member
from coquan.exchange import outbox
from coquan.exchange.actions import resend_status
from coquan.exchange.models import OutgoingStatus, RecipientStatus, Route
from coquan.exchange.tests.test_outbox import dept, issued, partner_clerk  # noqa: F401
from coquan.notifications.models import Notification

pytestmark = pytest.mark.django_db
DOWN = "http://127.0.0.1:9/inbox/"


@pytest.fixture
def status_undeliverable(settings, dept, issued, partner_clerk):  # noqa: F811
    """The sender's node is down: its document arrives, the status 01 back cannot."""
    settings.COQUAN_EXCHANGE_MAX_ATTEMPTS = 1
    Route.objects.create(organ_id=dept.agency.organ_id, transport="http", endpoint=DOWN)
    assert outbox.run_until_idle() == {"delivered": 1, "failed": 1}
    return OutgoingStatus.objects.get(agency=dept.partner, status_code="01")


def test_an_undeliverable_status_alerts_the_clerks_and_is_sent_again(
    client,
    status_undeliverable,
    dept,  # noqa: F811
    issued,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    status = status_undeliverable
    assert status.outbox.state == "failed" and "127.0.0.1:9" in status.outbox.last_error
    package_url = reverse("exchange:package_detail", args=[status.package_id])

    # The receiving agency's clerk is told, once.
    alert = Notification.objects.get(recipient=partner_clerk, kind="exchange.undeliverable")
    assert alert.title == f"Không gửi được trạng thái 01 đến {dept.agency.organ_id}"
    assert alert.url == package_url and alert.agency == dept.partner
    assert not Notification.objects.filter(recipient=dept.clerk).exists()

    # The package page and the reconciliation page show it, with the reason.
    client.force_login(partner_clerk)
    page = client.get(package_url).content.decode()
    assert 'data-testid="status-01"' in page and "127.0.0.1:9" in page
    assert reverse("exchange:status_resend", args=[status.pk]) in page
    listing = client.get(reverse("exchange:reconciliation") + f"?agency={dept.partner.pk}")
    assert 'data-testid="failed-statuses"' in listing.content.decode()

    # Only the agency's clerks and administrators may send it again.
    officer = make_member(dept.partner, "officer", username="cv_stc")
    client.force_login(officer)
    assert client.post(reverse("exchange:status_resend", args=[status.pk])).status_code == 404
    client.force_login(dept.clerk)  # a clerk of another agency
    assert client.post(reverse("exchange:status_resend", args=[status.pk])).status_code == 404
    status.outbox.refresh_from_db()
    assert status.outbox.state == "failed"

    # The node is back: the clerk sends it again, it arrives on the sender's delivery.
    Route.objects.filter(organ_id=dept.agency.organ_id).delete()
    client.force_login(partner_clerk)
    response = client.post(reverse("exchange:status_resend", args=[status.pk]))
    assert response.status_code == 302 and response.url == package_url
    entry = AuditEntry.objects.get(action="exchange.status.resend")
    assert entry.actor == partner_clerk and entry.before["state"] == "failed"
    assert outbox.run_until_idle() == {"delivered": 1}
    delivery = issued.deliveries.get()
    assert RecipientStatus.objects.filter(delivery=delivery, code="01").exists()
    listing = client.get(reverse("exchange:reconciliation") + f"?agency={dept.partner.pk}")
    assert 'data-testid="failed-statuses"' not in listing.content.decode()

    # A delivered status is not sent again.
    status.refresh_from_db()
    with pytest.raises(ValidationError):
        resend_status(partner_clerk, status=status)
    response = client.post(reverse("exchange:status_resend", args=[status.pk]), follow=True)
    assert "Chỉ có thể gửi lại thông điệp trạng thái không gửi được." in response.content.decode()


def test_an_undeliverable_document_alerts_the_issuing_clerks(
    settings,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    settings.COQUAN_EXCHANGE_MAX_ATTEMPTS = 1
    Route.objects.create(organ_id=dept.partner.organ_id, transport="http", endpoint=DOWN)
    document = dept.advance(dept.draft(subject="V/v không gửi được"), "issued")
    assert outbox.run_until_idle() == {"failed": 1}
    alert = Notification.objects.get(recipient=dept.clerk, kind="exchange.undeliverable")
    assert alert.title.startswith("Không gửi được đến ")
    assert document.number_and_notation in alert.title
    assert alert.url.startswith(reverse("exchange:reconciliation"))
    assert "problem=failed" in alert.url
    assert not Notification.objects.filter(recipient=partner_clerk).exists()


def test_the_api_shows_an_undeliverable_status_and_sends_it_again(
    client,
    status_undeliverable,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    status = status_undeliverable
    client.force_login(partner_clerk)
    detail = client.get(f"/api/v1/exchange/packages/{status.package_id}/").json()
    [shown] = detail["statuses"]
    assert (shown["id"], shown["status_code"], shown["delivery_state"]) == (
        status.pk,
        "01",
        "failed",
    )
    assert "127.0.0.1:9" in shown["delivery_error"]

    url = f"/api/v1/exchange/statuses/{status.pk}/resend/"
    client.force_login(dept.clerk)  # another agency's clerk: not found
    assert client.post(url).status_code == 404
    client.force_login(partner_clerk)
    Route.objects.filter(organ_id=dept.agency.organ_id).delete()
    response = client.post(url)
    assert response.status_code == 200 and response.json()["delivery_state"] == "pending"
    assert outbox.run_until_idle() == {"delivered": 1}
    again = client.post(url)
    assert again.status_code == 400
    assert again.json()["error"]["message"]  # the structured error body, nothing changed
    status.outbox.refresh_from_db()
    assert status.outbox.state == "delivered"
