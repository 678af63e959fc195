"""The org pages: outcomes of the management forms, history, search, switching agency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coquan.accounts.models import User
from coquan.core.testing.factories import make_member
from coquan.org import actions
from coquan.org.models import Membership, Unit
from coquan.org.tests.conftest import PAST

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def test_unit_tree_is_indented_and_closed_units_are_history(signed_in, agency, admin):
    top = actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng", valid_from=PAST)
    actions.create_unit(
        admin, agency=agency, code="VP-TH", name="Tổ Tổng hợp", parent=top, valid_from=PAST
    )
    old = actions.create_unit(admin, agency=agency, code="BCVT", name="Phòng BCVT", valid_from=PAST)
    actions.close_unit(admin, unit=old, valid_to=YESTERDAY, successors=[top])
    html = signed_in.get("/org/units/").content.decode()
    tree, history = html.split('data-testid="unit-history"')
    assert "Văn phòng" in tree and "Tổ Tổng hợp" in tree
    assert tree.index("Văn phòng") < tree.index("Tổ Tổng hợp")
    assert 'class="ps-3"' in tree  # the sub-unit is indented
    assert "Phòng BCVT" not in tree
    assert "Phòng BCVT" in history
    assert YESTERDAY.strftime("%d/%m/%Y") in history
    assert "Lịch sử" in html


def test_create_unit_through_the_form(signed_in, agency):
    response = signed_in.post(
        "/org/units/new/", {"code": "CNTT", "name": "Phòng CNTT", "valid_from": "01/07/2025"}
    )
    assert response.status_code == 302
    unit = Unit.objects.get(agency=agency, code="CNTT")
    assert unit.valid_from == dt.date(2025, 7, 1)
    response = signed_in.post(
        "/org/units/new/", {"code": "cntt", "name": "Trùng", "valid_from": "01/07/2025"}
    )
    assert response.status_code == 200
    assert "Mã đơn vị cntt đã được dùng." in response.content.decode()
    response = signed_in.post(
        "/org/units/new/", {"code": "X", "name": "Y", "valid_from": "31/02/2025"}
    )
    assert "dd/mm/yyyy" in response.content.decode()
    assert Unit.objects.filter(agency=agency).count() == 1


def test_close_unit_with_members_shows_the_reason(signed_in, agency, admin):
    unit = actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng", valid_from=PAST)
    actions.add_person(
        admin, agency=agency, username="cb1", full_name="Cán Bộ Một", unit=unit, start_date=PAST
    )
    response = signed_in.post(f"/org/units/{unit.pk}/close/", {"valid_to": "01/01/2025"})
    assert response.status_code == 200
    assert "Cán Bộ Một" in response.content.decode()
    unit.refresh_from_db()
    assert unit.valid_to is None


def test_close_unit_with_successor(signed_in, agency, admin):
    old = actions.create_unit(admin, agency=agency, code="A", name="Phòng A", valid_from=PAST)
    new = actions.create_unit(admin, agency=agency, code="B", name="Phòng B", valid_from=PAST)
    form = signed_in.get(f"/org/units/{old.pk}/close/").content.decode()
    assert "data-confirm" in form and "Phòng B" in form
    response = signed_in.post(
        f"/org/units/{old.pk}/close/",
        {"valid_to": YESTERDAY.strftime("%d/%m/%Y"), "successors": [new.pk]},
    )
    assert response.status_code == 302
    detail = signed_in.get(f"/org/units/{old.pk}/").content.decode()
    assert "Đã giải thể" in detail and "Phòng B" in detail
    assert "Phòng A" in signed_in.get(f"/org/units/{new.pk}/").content.decode()


def test_other_agency_objects_are_404(signed_in, other_agency):
    other_admin = make_member(other_agency, "admin")
    unit = actions.create_unit(other_admin, agency=other_agency, code="X", name="Khác")
    for url in (f"/org/units/{unit.pk}/", f"/org/units/{unit.pk}/edit/"):
        assert signed_in.get(url).status_code == 404
    assert signed_in.get(f"/org/units/?agency={other_agency.pk}").status_code == 404
    assert signed_in.get("/org/units/?agency=abc").status_code == 404


def test_member_without_admin_role_gets_403(client, agency):
    clerk = make_member(agency, "clerk")
    client.force_login(clerk)
    for url in ("/org/units/", "/org/people/", "/org/import/", "/org/positions/"):
        response = client.get(url)
        assert response.status_code == 403


def test_add_person_and_duplicate_username(signed_in, agency, admin):
    unit = actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng")
    data = {
        "full_name": "Đỗ Thị Hoa",
        "username": "dothihoa",
        "email": "hoa@example.gov.vn",
        "password": "Mat-khau-ban-dau-2026",
        "unit": unit.pk,
        "roles": ["clerk", "officer"],
        "start_date": timezone.localdate().strftime("%d/%m/%Y"),
    }
    response = signed_in.post("/org/people/new/", data)
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="dothihoa")
    assert membership.role_codes() == {"clerk", "officer"} and membership.unit == unit
    response = signed_in.post("/org/people/new/", {**data, "username": "DoThiHoa"})
    assert "Tên đăng nhập DoThiHoa đã có người dùng." in response.content.decode()
    assert User.objects.filter(full_name="Đỗ Thị Hoa").count() == 1


def test_member_list_search_filter_and_history(signed_in, agency, admin):
    unit = actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng")
    actions.add_person(admin, agency=agency, username="hoa", full_name="Đỗ Thị Hoa", unit=unit)
    actions.add_person(
        admin, agency=agency, username="binh", full_name="Lê Văn Bình", roles=["leader"]
    )
    gone = actions.add_person(
        admin, agency=agency, username="cu", full_name="Người Đã Nghỉ", start_date=PAST
    )
    actions.end_membership(admin, membership=gone, end_date=YESTERDAY)
    page = signed_in.get("/org/people/").content.decode()
    assert "Đỗ Thị Hoa" in page and "Lê Văn Bình" in page and "Người Đã Nghỉ" not in page
    page = signed_in.get("/org/people/", {"q": "bình"}).content.decode()
    assert "Lê Văn Bình" in page and "Đỗ Thị Hoa" not in page
    page = signed_in.get("/org/people/", {"q": "hoa"}).content.decode()
    assert "Đỗ Thị Hoa" in page and "Lê Văn Bình" not in page
    page = signed_in.get("/org/people/", {"unit": unit.pk}).content.decode()
    assert "Đỗ Thị Hoa" in page and "Lê Văn Bình" not in page
    page = signed_in.get("/org/people/", {"role": "leader"}).content.decode()
    assert "Lê Văn Bình" in page and "Đỗ Thị Hoa" not in page
    page = signed_in.get("/org/people/", {"status": "ended"}).content.decode()
    assert "Người Đã Nghỉ" in page and "Đỗ Thị Hoa" not in page
    assert signed_in.get("/org/people/", {"unit": "nonsense", "page": "x"}).status_code == 200


def test_lists_use_a_constant_number_of_queries(
    signed_in, agency, admin, django_assert_max_num_queries
):
    parent = actions.create_unit(admin, agency=agency, code="P", name="Cha")
    for i in range(30):
        unit = actions.create_unit(
            admin, agency=agency, code=f"U{i}", name=f"Đơn vị {i}", parent=parent
        )
        actions.add_person(
            admin,
            agency=agency,
            username=f"user{i}",
            full_name=f"Người {i}",
            unit=unit,
            roles=["officer", "clerk"],
        )
    urls = ("/org/units/", "/org/people/", "/org/positions/", "/org/people/?page=2")
    for url in (*urls, f"/org/units/{parent.pk}/"):
        with django_assert_max_num_queries(12):
            assert signed_in.get(url).status_code == 200


def test_member_list_paginates(signed_in, agency, admin):
    for i in range(30):
        actions.add_person(admin, agency=agency, username=f"p{i:02d}", full_name=f"Người {i:02d}")
    first = signed_in.get("/org/people/").content.decode()
    second = signed_in.get("/org/people/?page=2").content.decode()
    assert "Trang 1/2" in first and "Trang 2/2" in second
    assert "p29" in second and "p29" not in first


def test_edit_and_end_membership(signed_in, agency, admin):
    membership = actions.add_person(
        admin, agency=agency, username="cv", full_name="Chuyên Viên", start_date=PAST
    )
    response = signed_in.post(
        f"/org/people/{membership.pk}/",
        {"roles": ["clerk"], "start_date": PAST.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    assert membership.role_codes() == {"clerk"}
    page = signed_in.get(f"/org/people/{membership.pk}/end/").content.decode()
    assert "data-confirm" in page
    response = signed_in.post(
        f"/org/people/{membership.pk}/end/", {"end_date": YESTERDAY.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == YESTERDAY
    page = signed_in.get(f"/org/people/{membership.pk}/").content.decode()
    assert "không thể sửa" in page


def test_positions_pages(signed_in, agency):
    response = signed_in.post("/org/positions/new/", {"name": "Trưởng phòng", "rank": "20"})
    assert response.status_code == 302
    response = signed_in.post("/org/positions/new/", {"name": "trưởng phòng", "rank": "20"})
    assert "Chức vụ trưởng phòng đã có." in response.content.decode()
    assert "Trưởng phòng" in signed_in.get("/org/positions/").content.decode()


def test_person_with_two_agencies_switches_active_agency(client, agency, other_agency, admin):
    other_admin = make_member(other_agency, "admin")
    membership = actions.add_person(admin, agency=agency, username="hai", full_name="Hai Nơi")
    actions.add_membership(other_admin, agency=other_agency, username="hai")
    person = membership.user
    stranger = make_member(
        actions.create_agency(
            _superuser(),
            organ_id="000.00.20.H06",
            name="Sở Xây dựng",
            short_name="SXD",
            level="department",
        )
    )
    client.force_login(person)
    response = client.post("/org/switch/", {"agency": other_agency.pk, "next": "/"})
    assert response.status_code == 302
    assert 'data-testid="dashboard-agency">Sở Tài chính<' in client.get("/").content.decode()
    assert client.session["active_agency_id"] == other_agency.pk
    stranger_agency = stranger.memberships.get().agency
    response = client.post("/org/switch/", {"agency": stranger_agency.pk})
    assert response.status_code == 404
    assert client.post("/org/switch/", {"agency": "x"}).status_code == 404
    assert client.session["active_agency_id"] == other_agency.pk


def _superuser():
    user = User.objects.create_user("root_for_test", is_superuser=True)
    return user


def test_agency_pages_for_superuser(client, superuser, agency):
    client.force_login(superuser)
    page = client.get("/org/agencies/", {"q": "Thông tin"}).content.decode()
    assert "000.00.14.H06" in page
    data = {
        "organ_id": "H06",
        "name": "Sở Y tế",
        "short_name": "SYT",
        "level": "department",
        "valid_from": "01/01/2025",
    }
    response = client.post("/org/agencies/new/", data)
    assert "phải có dạng NNN.NN.NN.LNN" in response.content.decode()
    response = client.post("/org/agencies/new/", {**data, "organ_id": "000.00.14.H06"})
    assert "đã được dùng cho Sở Thông tin và Truyền thông" in response.content.decode()
    response = client.post("/org/agencies/new/", {**data, "organ_id": "000.00.18.H06"})
    assert response.status_code == 302
    assert "Sở Y tế" in client.get("/org/agencies/").content.decode()


def test_superuser_manages_any_agency_by_its_id(client, superuser, agency):
    client.force_login(superuser)
    page = client.get("/org/agencies/").content.decode()
    assert f"/org/units/?agency={agency.pk}" in page
    response = client.post(
        f"/org/units/new/?agency={agency.pk}",
        {"code": "VP", "name": "Văn phòng", "valid_from": "01/01/2025"},
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="VP").agency == agency
    assert client.get("/org/units/").status_code == 403  # no active agency of their own
