"""The sender's view (issue 5 part 7) and the receiver's recall answer (part 6), as pages.

Both agencies are on this deployment (local transport); the documents are issued through
the real documents actions.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coquan.core.testing.factories import AgencyFactory
from coquan.documents import actions as documents
from coquan.documents.choices import RecipientKind
from coquan.exchange import outbox
from coquan.exchange.actions import register_package
from coquan.exchange.models import OutboxMessage, ReceivedPackage, Route
from coquan.exchange.tests.helpers import issue_unreachable
from coquan.exchange.tests.test_outbox import dept, partner_clerk  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

RECONCILE = "/exchange/deliveries/"


def test_the_outgoing_page_shows_each_recipient_with_status_and_timeline(
    client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    far = AgencyFactory(organ_id="000.00.17.H06", name="Sở Y tế")
    Route.objects.create(organ_id=far.organ_id, transport="http", endpoint="http://127.0.0.1:9/")
    draft = dept.draft(
        recipients=[(RecipientKind.AGENCY, dept.partner), (RecipientKind.AGENCY, far)]
    )
    document = dept.advance(draft, "issued")
    outbox.run_until_idle()
    received = ReceivedPackage.objects.get(agency=dept.partner, kind="document")
    register_package(partner_clerk, package=received)
    outbox.run_until_idle()
    client.force_login(dept.clerk)
    url = reverse("documents:outgoing_detail", args=[document.pk])
    page = client.get(url).content.decode()
    assert "Gửi nhận điện tử: cơ quan nhận và trạng thái" in page
    assert "Đã tiếp nhận" in page  # 03 is the latest for Sở Tài chính
    assert "Connection refused" in page  # the far agency's node is down: the reason shows

    # Constant number of queries for the partial whatever the number of recipients.
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    more = [AgencyFactory(organ_id=f"000.00.{n}.H06", name=f"Sở {n}") for n in range(20, 24)]
    document2 = dept.advance(
        dept.draft(recipients=[(RecipientKind.AGENCY, a) for a in [dept.partner, far, *more]]),
        "issued",
    )
    outbox.run_until_idle()
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("documents:outgoing_detail", args=[document2.pk]))
    assert len(six) == len(two)


def test_reconciliation_lists_failed_and_refused_and_sends_again(
    client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
    settings,
):
    document, ran = issue_unreachable(dept, settings, attempts=1)
    assert ran == {"failed": 1}
    client.force_login(dept.clerk)
    page = client.get(RECONCILE + "?problem=failed").content.decode()
    assert "Không gửi được" in page and "Sở Tài chính" in page
    delivery = document.deliveries.get()
    Route.objects.all().delete()  # the directory is fixed
    response = client.post(reverse("exchange:delivery_retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == "queued" and delivery.attempts == 0
    assert outbox.run_until_idle() == {"delivered": 2}
    assert "Không có gửi nhận nào cần xử lý" in client.get(RECONCILE).content.decode()

    # The recipient refuses (02): the delivery shows under "refused" with the reason.
    from coquan.exchange.actions import refuse_package

    received = ReceivedPackage.objects.get(agency=dept.partner, kind="document")
    refuse_package(partner_clerk, package=received, reason="Không thuộc thẩm quyền")
    outbox.run_until_idle()
    page = client.get(RECONCILE + "?problem=refused").content.decode()
    assert "Không thuộc thẩm quyền" in page

    # Another agency's clerk cannot act on the delivery nor see the page of this agency.
    client.force_login(dept.outsider)
    response = client.post(reverse("exchange:delivery_retry", args=[delivery.pk]))
    assert response.status_code == 404
    client.force_login(dept.officer)
    assert client.get(RECONCILE).status_code == 403


def test_the_receiving_clerk_accepts_or_refuses_a_recall(
    client,
    dept,  # noqa: F811
    partner_clerk,  # noqa: F811
):
    first = dept.advance(dept.draft(subject="V/v thứ nhất"), "issued")
    second = dept.advance(dept.draft(subject="V/v thứ hai"), "issued")
    outbox.run_until_idle()
    documents.recall(dept.clerk, document=first, reason="Ban hành nhầm")
    documents.recall(dept.clerk, document=second, reason="Sai số liệu")
    outbox.run_until_idle()
    recalls = {
        p.subject: p
        for p in ReceivedPackage.objects.filter(agency=dept.partner, business_doc_type=1)
    }
    client.force_login(partner_clerk)
    first_recall = recalls["V/v thứ nhất"]
    page = client.get(reverse("exchange:package_detail", args=[first_recall.pk])).content.decode()
    assert "Cơ quan gửi thu hồi văn bản này" in page
    url = reverse("exchange:package_recall", args=[first_recall.pk])
    bad = client.post(url, {"decision": "refuse", "reason": ""})
    assert bad.status_code == 400 and "Nêu lý do từ chối thu hồi" in bad.content.decode()
    assert client.post(url, {"decision": "accept"}).status_code == 302
    second_recall = recalls["V/v thứ hai"]
    url = reverse("exchange:package_recall", args=[second_recall.pk])
    response = client.post(url, {"decision": "refuse", "reason": "Đã triển khai thực hiện"})
    assert response.status_code == 302
    outbox.run_until_idle()
    original = ReceivedPackage.objects.get(
        agency=dept.partner, business_doc_type=0, subject="V/v thứ nhất"
    )
    assert original.state == "recalled"
    page = client.get(reverse("exchange:package_detail", args=[original.pk])).content.decode()
    assert "Ban hành nhầm" in page
    codes = {
        d.pk: set(d.recipient_statuses.values_list("code", flat=True))
        for d in [first.deliveries.get(kind="recall"), second.deliveries.get(kind="recall")]
    }
    assert list(codes.values()) == [{"15"}, {"16"}]
    assert OutboxMessage.objects.exclude(state="delivered").count() == 0
