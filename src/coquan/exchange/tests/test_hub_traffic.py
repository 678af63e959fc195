"""The hub's traffic page and API (issue 5 part 8): relayed packages with their onward
delivery, filters, counts per state, pagination; deployment administrators only, in hub
mode only.

The packages are relayed through the real inbox and outbox. The nodes behind the hub are
the recording server of ``conftest.downstream`` (delivered), a port where nothing listens
(undeliverable) and a ``pull`` route (waiting at the hub for the node to fetch it).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import UserFactory, make_member
from coquan.exchange import outbox
from coquan.exchange.directory import add_peer_node
from coquan.exchange.edxml import (
    Business,
    ResponseFor,
    StaffInfo,
    StatusPackage,
    build_document_package,
    build_status_package,
)
from coquan.exchange.models import OutboxMessage, Route
from coquan.exchange.tests.helpers import (
    RECIPIENT,
    SENDER,
    key_pair,
    make_package,
    signer_for,
)
from coquan.exchange.tests.test_hub import INBOX

pytestmark = pytest.mark.django_db

HUB = "000.00.90.H06"
DOWN = "000.02.10.H06"  # served by a node that does not answer
PULLING = "000.03.10.H06"  # its node fetches from the hub
API = "/api/v1/exchange/hub/traffic/"


@pytest.fixture(autouse=True)
def hub_mode(settings):
    settings.COQUAN_EXCHANGE_HUB = True
    settings.COQUAN_EXCHANGE_HUB_ORGAN_ID = HUB
    settings.COQUAN_EXCHANGE_MAX_ATTEMPTS = 1


def _routes(downstream):
    for organ_id in (SENDER, RECIPIENT, DOWN, PULLING):
        key_pair(organ_id)
    Route.objects.create(
        organ_id=SENDER,
        name="Nút Sở TT&TT",
        transport="http",
        endpoint="http://127.0.0.1:9/inbox/",
        certificate_pem=key_pair(SENDER)[1].decode(),
    )
    Route.objects.create(
        organ_id=RECIPIENT,
        name="Nút xã Đức Thắng",
        transport="http",
        endpoint=f"http://127.0.0.1:{downstream.server_port}{INBOX}",
        certificate_pem=key_pair(RECIPIENT)[1].decode(),
    )
    Route.objects.create(
        organ_id=DOWN, name="Nút xã Tân Dĩnh", transport="http", endpoint="http://127.0.0.1:9/"
    )
    Route.objects.create(organ_id=PULLING, name="Nút xã Hương Sơn", transport="pull")


def _post(client, token, recipient, raw, status=202):
    response = client.post(
        INBOX,
        raw,
        content_type="application/xml",
        HTTP_AUTHORIZATION=f"Node {token}",
        HTTP_X_RECIPIENT=recipient,
    )
    assert response.status_code == status, response.content
    return response


def _document(number: str, recipient: str, **kwargs) -> bytes:
    package = make_package(number=number, recipients=(recipient,), attachments=[], **kwargs)
    return build_document_package(package, signer=signer_for(SENDER))


def build_traffic(client, downstream) -> dict:
    """Five relayed packages: delivered, two undeliverable (a document and a status),
    waiting for its node to fetch it, and one just relayed (queued). Needs hub mode."""
    _routes(downstream)
    _node, sender_token = add_peer_node(None, name="Nút Sở TT&TT", sender_organ_ids=SENDER)
    _node, commune_token = add_peer_node(None, name="Nút xã Đức Thắng", sender_organ_ids=RECIPIENT)
    _post(client, sender_token, RECIPIENT, _document("101", RECIPIENT))
    recall = Business(
        document_id=f"{SENDER},2026/03/02,102/STTTT-CĐS",
        doc_type=1,
        doc_reason="Thu hồi văn bản điện tử",
        paper=0,
    )
    _post(client, sender_token, DOWN, _document("102", DOWN, business=recall))
    _post(client, sender_token, PULLING, _document("103", PULLING))
    status = StatusPackage(
        sender=make_package().recipients[0],
        response_for=ResponseFor(
            organ_id=SENDER,
            code="101/STTTT-CĐS",
            promulgation_date=dt.date(2026, 3, 2),
            document_id=f"{SENDER},2026/03/02,101/STTTT-CĐS",
        ),
        staff_info=StaffInfo(staff="Lê Thị Văn Thư"),
        status_code="03",
        description="Đã tiếp nhận",
        timestamp=dt.datetime(2026, 3, 3, 8, 0),
    )
    _post(client, commune_token, SENDER, build_status_package(status, signer=signer_for(RECIPIENT)))
    assert outbox.run_until_idle() == {"delivered": 1, "failed": 2, "sent": 1}
    _post(client, sender_token, RECIPIENT, _document("104", RECIPIENT))
    return {"sender_token": sender_token, "commune_token": commune_token}


@pytest.fixture
def traffic(client, downstream):
    return build_traffic(client, downstream)


@pytest.fixture
def admin(db):
    return UserFactory(username="qt_he_thong", is_superuser=True, is_staff=True)


def test_the_page_lists_relayed_packages_with_their_onward_delivery(
    client, admin, traffic, django_assert_max_num_queries
):
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("exchange:hub_traffic"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lưu lượng qua trục" in html and HUB in html
    rows = page.context["messages_page"]
    assert [m.document_id.split(",")[-1] for m in rows] == [
        "104/STTTT-CĐS",
        "101/STTTT-CĐS",  # the status 03 answering 101
        "103/STTTT-CĐS",
        "102/STTTT-CĐS",
        "101/STTTT-CĐS",
    ]
    assert [m.state for m in rows] == ["pending", "failed", "sent", "failed", "delivered"]
    assert [m.package_label for m in rows] == [
        "Văn bản mới",
        "Trạng thái 03",
        "Văn bản mới",
        "Thu hồi",
        "Văn bản mới",
    ]
    counts = {state["value"]: state["count"] for state in page.context["states"]}
    assert counts == {"pending": 1, "sent": 1, "delivered": 1, "failed": 2}
    assert "Nút xã Tân Dĩnh" in html and "nút Nút Sở TT&amp;TT" in html
    assert "Không gửi được" in html and "1 lần gửi" in html


def test_filters_by_state_organ_id_and_dates(client, admin, traffic):
    client.force_login(admin)
    url = reverse("exchange:hub_traffic")

    def listed(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return response

    failed = listed(state="failed")
    assert {m.organ_id for m in failed.context["messages_page"]} == {DOWN, SENDER}
    by_agency = listed(organ_id=RECIPIENT)  # as recipient (101, 104) or sender (the status)
    assert len(by_agency.context["messages_page"]) == 3
    counts = {s["value"]: s["count"] for s in by_agency.context["states"]}
    assert counts == {"pending": 1, "sent": 0, "delivered": 1, "failed": 1}
    assert len(listed(organ_id=RECIPIENT, state="failed").context["messages_page"]) == 1

    # One relay a week ago (its time moved back: no clock is faked here).
    week_ago = timezone.localdate() - dt.timedelta(days=7)
    old = OutboxMessage.objects.get(state="delivered")
    OutboxMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(week_ago, dt.time(10)))
    )
    today = timezone.localdate()
    assert listed(date_from=today.strftime("%d/%m/%Y")).context["page"].paginator.count == 4
    before = listed(date_to=(today - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    assert [m.pk for m in before.context["messages_page"]] == [old.pk]
    both = listed(date_from=week_ago.strftime("%d/%m/%Y"), date_to=week_ago.strftime("%d/%m/%Y"))
    assert both.context["page"].paginator.count == 1

    wrong = listed(date_from="31/02/2026", date_to="01/01/2020")
    assert "Nhập ngày theo dạng dd/mm/yyyy" in wrong.content.decode()
    assert wrong.context["page"].paginator.count == 5  # a bad filter filters nothing
    nothing = listed(state="sent", organ_id=DOWN).content.decode()
    assert "Không có gói tin chuyển tiếp nào" in nothing


def test_pagination(client, admin, traffic):
    _node, token = add_peer_node(None, name="Nút thêm", sender_organ_ids=SENDER)
    for number in range(200, 225):
        _post(client, token, PULLING, _document(str(number), PULLING))
    client.force_login(admin)
    first = client.get(reverse("exchange:hub_traffic"))
    assert len(first.context["messages_page"]) == 25
    second = client.get(reverse("exchange:hub_traffic"), {"page": 2})
    assert len(second.context["messages_page"]) == 5
    assert "Trang 2 / 2" in second.content.decode()
    # The filters stay in the page links.
    filtered = client.get(reverse("exchange:hub_traffic"), {"organ_id": PULLING})
    assert filtered.context["page"].paginator.count == 26
    assert f"?organ_id={PULLING}&amp;page=2" in filtered.content.decode()


def test_the_api_has_the_same_filters(client, admin, traffic):
    client.force_login(admin)
    body = client.get(API).json()
    assert body["count"] == 5
    assert body["counts"] == {"pending": 1, "sent": 1, "delivered": 1, "failed": 2}
    first = body["results"][0]
    assert first["document_id"].endswith("104/STTTT-CĐS") and first["state"] == "pending"
    assert first["route"] == {
        "name": "Nút xã Đức Thắng",
        "transport": "http",
        "endpoint": Route.objects.get(organ_id=RECIPIENT).endpoint,
    }
    assert first["source_node"] == "Nút Sở TT&TT" and first["sender_organ_id"] == SENDER
    assert "content" not in first

    failed = client.get(API, {"state": "failed", "organ_id": DOWN}).json()
    assert [r["package_label"] for r in failed["results"]] == ["Thu hồi"]
    assert failed["results"][0]["attempts"] == 1 and failed["results"][0]["last_error"]
    today = timezone.localdate().isoformat()
    assert client.get(API, {"date_from": today, "date_to": today}).json()["count"] == 5
    refused = client.get(API, {"date_from": "2026-13-01"})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid"
    assert "date_from" in refused.json()["error"]["details"]


def test_not_a_hub_no_page(client, admin, settings):
    settings.COQUAN_EXCHANGE_HUB = False
    client.force_login(admin)
    assert client.get(reverse("exchange:hub_traffic")).status_code == 404
    assert client.get(API).status_code == 404
    page = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("exchange:hub_traffic") not in page


def test_the_menu_shows_the_page_to_system_administrators_of_a_hub(client, admin, world):
    traffic_url, dashboard = reverse("exchange:hub_traffic"), reverse("web:dashboard")
    client.force_login(admin)
    assert traffic_url in client.get(dashboard).content.decode()
    client.force_login(make_member(world.agency, "admin", "clerk"))
    assert traffic_url not in client.get(dashboard).content.decode()


# --- access matrix --------------------------------------------------------------------------------

SUPERUSER = ("superuser",)  # not a role: ``as_superuser`` makes "with_role" a superuser


def as_superuser(world):
    """The actor "with_role" of these endpoints is a system administrator."""
    if ("with_role", SUPERUSER) not in world.users:
        user = make_member(world.agency, username="matrix_superuser")
        user.is_superuser = True
        user.save()
        world.users[("with_role", SUPERUSER)] = user


ENDPOINTS = [
    Endpoint(
        "web-hub-traffic",
        lambda w: reverse("exchange:hub_traffic"),
        roles=SUPERUSER,
        setup=as_superuser,
    ),
    Endpoint(
        "web-hub-traffic-filtered",
        lambda w: reverse("exchange:hub_traffic") + "?state=failed&organ_id=" + RECIPIENT,
        roles=SUPERUSER,
        setup=as_superuser,
    ),
    Endpoint("api-hub-traffic", lambda w: API, roles=SUPERUSER, api=True, setup=as_superuser),
]


@pytest.mark.parametrize("endpoint,actor", access_matrix_params(ENDPOINTS))
def test_access_matrix(client, world, endpoint, actor):
    check_access(client, world, endpoint, actor)


def test_an_agency_administrator_is_refused(client, world):
    client.force_login(make_member(world.agency, "admin", "clerk", "leader"))
    assert client.get(reverse("exchange:hub_traffic")).status_code == 403
    assert client.get(API).status_code == 403
