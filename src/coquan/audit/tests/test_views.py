"""The read-only audit pages: list with filters, detail with the diff, the chain check."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from coquan.audit import services
from coquan.audit.models import AuditEntry
from coquan.audit.services import append
from coquan.audit.tests.helpers import raw, rename_unit
from coquan.core.testing.access_matrix import Endpoint, access_matrix_params, check_access
from coquan.core.testing.factories import AgencyFactory, UnitFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db

LIST_URL = "/audit/"


@pytest.fixture
def agency():
    return AgencyFactory(name="Sở Thông tin và Truyền thông", short_name="STTTT")


@pytest.fixture
def other():
    return AgencyFactory(name="Sở Tài chính", short_name="STC")


@pytest.fixture
def admin(agency):
    return make_member(agency, "admin", username="quantri", full_name="Lê Văn Quản")


@pytest.fixture
def unit(agency):
    return UnitFactory(agency=agency, code="CNTT", name="Phòng Công nghệ thông tin")


def at(monkeypatch, moment: dt.datetime) -> None:
    """Make the following appends happen at ``moment`` (local time)."""
    aware = timezone.make_aware(moment)
    monkeypatch.setattr(services, "timezone", SimpleNamespace(now=lambda: aware))


def rows(response) -> list[str]:
    """The sequence numbers listed on the page, in order."""
    return [f"#{entry.seq}" for entry in response.context["page"].object_list]


# --- list -------------------------------------------------------------------------------------


def test_admin_sees_only_own_agency_entries(client, agency, other, admin, unit):
    rename_unit(admin, agency=agency, unit=unit, name="Phòng Chuyển đổi số")
    append(action="test.other", agency=other, summary="Việc của Sở Tài chính")
    append(action="accounts.login_failed", summary="ai_do")
    client.force_login(admin)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhật ký hệ thống" in page
    assert "test.unit.rename" in page
    assert "Đổi tên đơn vị CNTT thành Phòng Chuyển đổi số" in page
    assert "Việc của Sở Tài chính" not in page
    assert "accounts.login_failed" not in page
    assert "Kiểm tra chuỗi" not in page  # the verify button is for superusers


def test_superuser_sees_everything_and_the_verify_button(client, agency, other):
    append(action="test.a", agency=agency, summary="Mục A")
    append(action="test.b", agency=other, summary="Mục B")
    append(action="accounts.login_failed", summary="ai_do")
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    page = client.get(LIST_URL).content.decode()
    assert "Mục A" in page and "Mục B" in page and "accounts.login_failed" in page
    assert "Kiểm tra chuỗi" in page


def test_person_without_admin_role_is_refused(client, agency):
    append(action="test.a", agency=agency)
    client.force_login(make_member(agency, "clerk", "leader"))
    assert client.get(LIST_URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_filter_by_date_range(client, agency, admin, monkeypatch):
    for day in (10, 13, 16):
        at(monkeypatch, dt.datetime(2026, 2, day, 23, 30))
        append(action="test.dated", agency=agency, summary=f"Ngày {day}")
    client.force_login(admin)
    response = client.get(LIST_URL, {"date_from": "13/02/2026", "date_to": "16/02/2026"})
    page = response.content.decode()
    assert "Ngày 13" in page and "Ngày 16" in page and "Ngày 10" not in page
    assert "16/02/2026 23:30" in page  # shown in local time, dd/mm/yyyy
    response = client.get(LIST_URL, {"date_to": "13/02/2026"})
    page = response.content.decode()
    assert "Ngày 10" in page and "Ngày 13" in page and "Ngày 16" not in page


def test_filter_by_actor_action_object_and_text(client, agency, admin, unit):
    clerk = make_member(agency, "clerk", username="vanthu_hoa")
    append(action="documents.incoming.register", actor=clerk, agency=agency, summary="Vào sổ")
    append(action="documents.incoming.assign", actor=admin, agency=agency, summary="Giao xử lý")
    rename_unit(admin, agency=agency, unit=unit, name="Phòng Chuyển đổi số")
    client.force_login(admin)

    def listed(**params):
        return [e.action for e in client.get(LIST_URL, params).context["page"].object_list]

    assert listed(actor="vanthu") == ["documents.incoming.register"]
    assert listed(action="documents.incoming.assign") == ["documents.incoming.assign"]
    assert listed(action="documents.") == [
        "documents.incoming.assign",
        "documents.incoming.register",
    ]
    assert listed(action="documents") == []  # not a prefix without the dot
    assert listed(object_type="org.unit", object_id=str(unit.pk)) == ["test.unit.rename"]
    assert listed(q="chuyển đổi") == ["test.unit.rename"]


def test_bad_dates_get_a_clear_message_not_an_error(client, agency, admin):
    append(action="test.a", agency=agency)
    client.force_login(admin)
    response = client.get(LIST_URL, {"date_from": "2026-02-13"})
    assert response.status_code == 200
    assert "Nhập ngày theo dạng dd/mm/yyyy." in response.content.decode()
    response = client.get(LIST_URL, {"date_from": "20/02/2026", "date_to": "13/02/2026"})
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()


def test_pagination_is_fifty_per_page_and_keeps_filters(client, agency, admin):
    for i in range(120):
        append(action="test.page", agency=agency, summary=f"Mục {i}")
    append(action="test.other", agency=agency)
    client.force_login(admin)
    first = client.get(LIST_URL, {"action": "test.page"})
    assert len(first.context["page"].object_list) == 50
    assert rows(first)[0] == "#120"  # newest first
    page = first.content.decode()
    assert "Trang 1/3" in page
    assert "?action=test.page&amp;page=2" in page
    last = client.get(LIST_URL, {"action": "test.page", "page": 3})
    assert len(last.context["page"].object_list) == 20
    assert rows(last)[-1] == "#1"
    assert client.get(LIST_URL, {"page": "nonsense"}).status_code == 200


def test_list_query_count_is_constant(client, agency, admin, django_assert_max_num_queries):
    client.force_login(admin)
    for i in range(3):
        append(action="test.few", actor=admin, agency=agency, summary=str(i))
    client.get(LIST_URL)  # warm up the session
    with django_assert_max_num_queries(12) as few:
        client.get(LIST_URL, {"action": "test.", "q": ""})
    for i in range(70):
        append(action="test.many", actor=admin, agency=agency, summary=str(i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST_URL, {"action": "test.", "q": ""})
    assert len(response.context["page"].object_list) == 50


def test_agency_filter_for_people_administering_several_agencies(client, agency, other):
    both = make_member(agency, "admin", username="quantri_hai_so")
    make_member(other, "admin", user=both)
    append(action="test.a", agency=agency, summary="Mục A")
    append(action="test.b", agency=other, summary="Mục B")
    client.force_login(both)
    page = client.get(LIST_URL).content.decode()
    assert "Mục A" in page and "Mục B" in page and 'name="agency"' in page
    page = client.get(LIST_URL, {"agency": other.pk}).content.decode()
    assert "Mục B" in page and "Mục A" not in page
    third = AgencyFactory(name="Sở Y tế")
    assert client.get(LIST_URL, {"agency": third.pk}).status_code == 404
    assert client.get(LIST_URL, {"agency": "abc"}).status_code == 404


def test_empty_states(client, agency, admin):
    client.force_login(admin)
    page = client.get(LIST_URL).content.decode()
    assert "Nhật ký chưa có mục nào của cơ quan bạn." in page
    append(action="test.a", agency=agency)
    page = client.get(LIST_URL, {"action": "khong.co"}).content.decode()
    assert "Không có mục nhật ký nào khớp với bộ lọc." in page


# --- detail -----------------------------------------------------------------------------------


def test_detail_shows_the_diff_and_the_chain_fields(client, agency, admin, unit):
    rename_unit(admin, agency=agency, unit=unit, name="Phòng Chuyển đổi số")
    entry = AuditEntry.objects.get(action="test.unit.rename")
    client.force_login(admin)
    response = client.get(reverse("audit:entry_detail", args=[entry.seq]))
    assert response.status_code == 200
    page = response.content.decode()
    diff = {row.key: row for row in response.context["rows"]}
    assert diff["name"].before == "Phòng Công nghệ thông tin"
    assert diff["name"].after == "Phòng Chuyển đổi số"
    assert diff["name"].change == "changed"
    assert diff["code"].change == "same"
    assert "đã đổi" in page and "không đổi" in page
    assert entry.entry_hash in page and entry.prev_hash in page
    assert "Mã băm khớp với nội dung" in page
    assert "Lê Văn Quản" in page


def test_detail_flags_an_edited_entry(client, agency, admin):
    entry = append(action="test.a", agency=agency, summary="gốc", after={"n": 1})
    raw("UPDATE {table} SET summary = %s WHERE seq = %s", ["đã sửa", entry.seq])
    client.force_login(admin)
    page = client.get(reverse("audit:entry_detail", args=[entry.seq])).content.decode()
    assert "Mã băm không khớp với nội dung" in page


def test_detail_of_another_agency_is_not_found(client, agency, other, admin):
    entry = append(action="test.b", agency=other)
    client.force_login(admin)
    assert client.get(reverse("audit:entry_detail", args=[entry.seq])).status_code == 404
    assert client.get(reverse("audit:entry_detail", args=[99999])).status_code == 404


# --- verify button ----------------------------------------------------------------------------


@pytest.fixture
def root():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_superuser_verifies_an_intact_chain(client, agency, root):
    for i in range(4):
        append(action="test.a", agency=agency, summary=str(i))
    client.force_login(root)  # writes an accounts.login entry too
    total = AuditEntry.objects.count()
    response = client.post(reverse("audit:verify"), follow=True)
    page = response.content.decode()
    assert f"Chuỗi nhật ký toàn vẹn: đã kiểm tra {total} mục." in page
    recorded = AuditEntry.objects.get(action="audit.chain.verify")
    assert recorded.actor_id == root.pk
    assert recorded.after["ok"] is True and recorded.after["checked"] == total
    assert services.verify().ok


def test_superuser_sees_where_the_chain_breaks(client, agency, root):
    for i in range(5):
        append(action="test.a", agency=agency, summary=str(i))
    raw("DELETE FROM {table} WHERE seq = %s", [3])
    client.force_login(root)
    page = client.post(reverse("audit:verify"), follow=True).content.decode()
    assert "Chuỗi nhật ký bị phá vỡ tại vị trí 3 (mục #4)" in page
    assert reverse("audit:entry_detail", args=[4]) in page
    assert AuditEntry.objects.get(action="audit.chain.verify").after["ok"] is False


@pytest.mark.parametrize("who", ["anonymous", "agency_admin", "clerk"])
def test_only_superusers_may_verify(client, agency, admin, who):
    if who == "agency_admin":
        client.force_login(admin)
    elif who == "clerk":
        client.force_login(make_member(agency, "clerk"))
    response = client.post(reverse("audit:verify"))
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="audit.chain.verify").exists()


def test_verify_needs_post(client, root):
    client.force_login(root)
    assert client.get(reverse("audit:verify")).status_code == 405


# --- Django admin -----------------------------------------------------------------------------


def test_django_admin_is_read_only(client, agency, root):
    entry = append(action="test.a", agency=agency, summary="Mục quản trị")
    client.force_login(root)
    changelist = client.get("/django-admin/audit/auditentry/")
    assert changelist.status_code == 200
    assert "test.a" in changelist.content.decode()
    change = client.get(f"/django-admin/audit/auditentry/{entry.pk}/change/")
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.get("/django-admin/audit/auditentry/add/").status_code == 403
    delete_url = f"/django-admin/audit/auditentry/{entry.pk}/delete/"
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert services.verify().ok


# --- access matrix ----------------------------------------------------------------------------


def _entry(world) -> None:
    if "entry" not in world.objects:
        world.objects["entry"] = append(
            action="test.matrix", agency=world.agency, summary="Mục ma trận quyền"
        )


ENDPOINTS = [
    Endpoint(
        "web-list",
        lambda w: f"{LIST_URL}?agency={w.agency.pk}",
        roles=("admin",),
        setup=_entry,
    ),
    Endpoint(
        "web-detail",
        lambda w: reverse("audit:entry_detail", args=[w.objects["entry"].seq]),
        roles=("admin",),
        object_endpoint=True,
        setup=_entry,
    ),
    Endpoint(
        "api-list",
        lambda w: f"/api/v1/audit/entries/?agency={w.agency.pk}",
        roles=("admin",),
        api=True,
        setup=_entry,
    ),
    Endpoint(
        "api-detail",
        lambda w: f"/api/v1/audit/entries/{w.objects['entry'].seq}/",
        roles=("admin",),
        api=True,
        object_endpoint=True,
        setup=_entry,
    ),
]


@pytest.mark.parametrize("endpoint,actor", access_matrix_params(ENDPOINTS))
def test_access_matrix(client, api_client, world, endpoint, actor):
    response = check_access(api_client if endpoint.api else client, world, endpoint, actor)
    if endpoint.allowed(actor):
        assert "Mục ma trận quyền" in response.content.decode()
