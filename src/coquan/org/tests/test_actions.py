"""The org actions: rules, effective dates, history, and one audit entry each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coquan.accounts.models import User
from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import make_member
from coquan.org import actions
from coquan.org.models import Agency, Membership, Unit
from coquan.org.tests.conftest import PAST

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()


def messages_of(exc_info, field):
    return " ".join(str(m) for m in exc_info.value.message_dict[field])


def test_create_unit_writes_one_audit_entry(agency, admin):
    before = AuditEntry.objects.count()
    unit = actions.create_unit(admin, agency=agency, code="CNTT", name="Phòng Công nghệ thông tin")
    assert Unit.objects.get(pk=unit.pk).name == "Phòng Công nghệ thông tin"
    assert AuditEntry.objects.count() == before + 1
    entry = last_entry()
    assert entry.action == "org.unit.create"
    assert entry.agency_id == agency.pk
    assert entry.object_id == str(unit.pk)
    assert entry.after["code"] == "CNTT"
    assert entry.after["valid_from"] == timezone.localdate().isoformat()


def test_duplicate_unit_code_is_refused_case_insensitively(agency, admin):
    actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng")
    with pytest.raises(ValidationError) as exc_info:
        actions.create_unit(admin, agency=agency, code="vp", name="Văn phòng 2")
    assert "đã được dùng" in messages_of(exc_info, "code")
    assert Unit.objects.filter(agency=agency).count() == 1


def test_same_code_in_another_agency_is_fine(agency, other_agency, admin):
    other_admin = make_member(other_agency, "admin")
    actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng")
    actions.create_unit(other_admin, agency=other_agency, code="VP", name="Văn phòng")
    assert Unit.objects.filter(code="VP").count() == 2


def test_invalid_code_and_missing_name(agency, admin):
    with pytest.raises(ValidationError) as exc_info:
        actions.create_unit(admin, agency=agency, code="=1+1", name="  ")
    assert set(exc_info.value.message_dict) == {"code", "name"}


def test_non_admin_and_other_agency_admin_are_denied(agency, other_agency, admin):
    clerk = make_member(agency, "clerk")
    other_admin = make_member(other_agency, "admin")
    for person in (clerk, other_admin):
        with pytest.raises(PermissionDenied):
            actions.create_unit(person, agency=agency, code="VP", name="Văn phòng")
    assert not Unit.objects.exists()
    assert AuditEntry.objects.filter(action="permission_denied").count() == 2


def test_parent_must_be_same_agency_and_no_cycles(agency, other_agency, admin, superuser):
    foreign = actions.create_unit(superuser, agency=other_agency, code="X", name="Khác")
    with pytest.raises(ValidationError) as exc_info:
        actions.create_unit(admin, agency=agency, code="A", name="A", parent=foreign)
    assert "parent" in exc_info.value.message_dict
    top = actions.create_unit(admin, agency=agency, code="A", name="A")
    child = actions.create_unit(admin, agency=agency, code="B", name="B", parent=top)
    with pytest.raises(ValidationError) as exc_info:
        actions.update_unit(admin, unit=top, parent=child)
    assert "parent" in exc_info.value.message_dict


def test_update_unit_records_before_and_after(agency, admin):
    unit = actions.create_unit(admin, agency=agency, code="CNTT", name="Phòng CNTT")
    actions.update_unit(admin, unit=unit, name="Phòng Công nghệ thông tin")
    entry = last_entry()
    assert entry.action == "org.unit.update"
    assert entry.before["name"] == "Phòng CNTT"
    assert entry.after["name"] == "Phòng Công nghệ thông tin"


def test_closed_unit_stays_in_history_and_leaves_active_lists(agency, admin):
    old = actions.create_unit(admin, agency=agency, code="BCVT", name="Phòng BCVT", valid_from=PAST)
    new = actions.create_unit(admin, agency=agency, code="CDS", name="Phòng Chuyển đổi số")
    actions.close_unit(admin, unit=old, valid_to=YESTERDAY, successors=[new])
    old.refresh_from_db()
    assert old.valid_to == YESTERDAY
    assert list(old.successors.all()) == [new]
    assert list(new.predecessors.all()) == [old]
    assert Unit.objects.filter(pk=old.pk).exists()
    assert old not in Unit.objects.for_agency(agency).active_on()
    assert new in Unit.objects.for_agency(agency).active_on()
    assert last_entry().after["successors"] == ["CDS"]
    with pytest.raises(ValidationError):
        actions.update_unit(admin, unit=old, name="Đổi tên lịch sử")
    with pytest.raises(ValidationError):
        actions.close_unit(admin, unit=old, valid_to=YESTERDAY)


def test_unit_with_members_or_children_cannot_be_closed(agency, admin):
    parent = actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng", valid_from=PAST)
    child = actions.create_unit(
        admin, agency=agency, code="VP-TH", name="Tổ Tổng hợp", parent=parent, valid_from=PAST
    )
    membership = actions.add_person(
        admin,
        agency=agency,
        username="vanthu1",
        full_name="Lê Văn Thư",
        unit=parent,
        start_date=PAST,
    )
    with pytest.raises(ValidationError) as exc_info:
        actions.close_unit(admin, unit=parent, valid_to=YESTERDAY)
    text = " ".join(exc_info.value.messages)
    assert "Tổ Tổng hợp" in text
    assert "Lê Văn Thư" in text
    parent.refresh_from_db()
    assert parent.valid_to is None
    actions.close_unit(admin, unit=child, valid_to=YESTERDAY)
    actions.end_membership(admin, membership=membership, end_date=YESTERDAY)
    actions.close_unit(admin, unit=parent, valid_to=YESTERDAY)
    parent.refresh_from_db()
    assert parent.valid_to == YESTERDAY


def test_successor_must_be_in_force_and_not_itself(agency, admin):
    unit = actions.create_unit(admin, agency=agency, code="A", name="A", valid_from=PAST)
    with pytest.raises(ValidationError) as exc_info:
        actions.close_unit(admin, unit=unit, valid_to=YESTERDAY, successors=[unit])
    assert "successors" in exc_info.value.message_dict
    with pytest.raises(ValidationError) as exc_info:
        actions.close_unit(admin, unit=unit, valid_to=PAST - dt.timedelta(days=1))
    assert "valid_to" in exc_info.value.message_dict


def test_positions(agency, admin):
    position = actions.create_position(admin, agency=agency, name="Chuyên viên", rank=50)
    with pytest.raises(ValidationError) as exc_info:
        actions.create_position(admin, agency=agency, name="chuyên viên")
    assert "name" in exc_info.value.message_dict
    actions.update_position(admin, position=position, name="Chuyên viên chính", rank=40)
    entry = last_entry()
    assert entry.action == "org.position.update"
    assert entry.before == {"name": "Chuyên viên", "rank": 50}
    assert entry.after == {"name": "Chuyên viên chính", "rank": 40}


def test_add_person_creates_account_and_membership(agency, admin):
    unit = actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng")
    position = actions.create_position(admin, agency=agency, name="Văn thư")
    membership = actions.add_person(
        admin,
        agency=agency,
        username="vanthu",
        full_name="Nguyễn Thị Văn Thư",
        email="vanthu@example.gov.vn",
        password="Mot-mat-khau-dai-2026",
        unit=unit,
        position=position,
        roles=["clerk", "officer"],
    )
    user = User.objects.get(username="vanthu")
    assert user.full_name == "Nguyễn Thị Văn Thư"
    assert user.check_password("Mot-mat-khau-dai-2026")
    assert membership.role_codes() == {"clerk", "officer"}
    assert membership.unit == unit and membership.position == position
    entry = last_entry()
    assert entry.action == "org.person.add"
    assert entry.after["roles"] == ["clerk", "officer"]
    assert "password" not in str(entry.after)


def test_add_person_without_password_has_unusable_password(agency, admin):
    actions.add_person(admin, agency=agency, username="moi", full_name="Người Mới")
    assert not User.objects.get(username="moi").has_usable_password()


def test_add_person_rejects_duplicate_username_weak_password_and_bad_role(agency, admin):
    with pytest.raises(ValidationError) as exc_info:
        actions.add_person(
            admin,
            agency=agency,
            username="QUANTRI",
            full_name="Trùng Tên",
            email="không-phải-email",
            password="123",
            roles=["boss"],
        )
    errors = exc_info.value.message_dict
    assert "đã có người dùng" in " ".join(errors["username"])
    assert {"username", "email", "password", "roles"} <= set(errors)
    assert not User.objects.filter(full_name="Trùng Tên").exists()


def test_update_membership_changes_roles_unit_and_dates(agency, admin):
    unit = actions.create_unit(admin, agency=agency, code="VP", name="Văn phòng")
    membership = actions.add_person(
        admin, agency=agency, username="cv", full_name="Chuyên Viên", roles=["officer"]
    )
    actions.update_membership(admin, membership=membership, unit=unit, roles=["leader"])
    membership.refresh_from_db()
    assert membership.unit == unit
    assert membership.role_codes() == {"leader"}
    entry = last_entry()
    assert entry.before["roles"] == ["officer"] and entry.after["roles"] == ["leader"]
    with pytest.raises(ValidationError) as exc_info:
        actions.update_membership(
            admin, membership=membership, end_date=membership.start_date - dt.timedelta(days=1)
        )
    assert "end_date" in exc_info.value.message_dict


def test_end_membership_keeps_history(agency, admin):
    membership = actions.add_person(
        admin, agency=agency, username="cv", full_name="Chuyên Viên", start_date=PAST
    )
    actions.end_membership(admin, membership=membership, end_date=YESTERDAY)
    membership.refresh_from_db()
    assert membership.end_date == YESTERDAY
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert membership not in Membership.objects.for_agency(agency).active_on()
    assert last_entry().action == "org.membership.end"
    with pytest.raises(ValidationError):
        actions.end_membership(admin, membership=membership)
    with pytest.raises(ValidationError):
        actions.update_membership(admin, membership=membership, roles=["admin"])


def test_agency_keeps_an_administrator(agency, admin):
    own = Membership.objects.get(user=admin, agency=agency)
    with pytest.raises(ValidationError) as exc_info:
        actions.end_membership(admin, membership=own)
    assert "quản trị" in " ".join(exc_info.value.messages)
    with pytest.raises(ValidationError):
        actions.update_membership(admin, membership=own, roles=["clerk"])
    second = actions.add_person(
        admin, agency=agency, username="qt2", full_name="Quản Trị Hai", roles=["admin"]
    )
    actions.update_membership(admin, membership=own, roles=["clerk"])
    assert second.role_codes() == {"admin"}


def test_add_existing_person_to_second_agency(agency, other_agency, admin):
    other_admin = make_member(other_agency, "admin")
    membership = actions.add_person(
        admin, agency=agency, username="kiemnhiem", full_name="Kiêm Nhiệm"
    )
    second = actions.add_membership(
        other_admin, agency=other_agency, username="KiemNhiem", roles=["officer"]
    )
    assert second.user == membership.user
    assert set(Agency.objects.member_of(membership.user)) == {agency, other_agency}
    with pytest.raises(ValidationError):
        actions.add_membership(other_admin, agency=other_agency, username="kiemnhiem")
    with pytest.raises(ValidationError) as exc_info:
        actions.add_membership(other_admin, agency=other_agency, username="khongco")
    assert "username" in exc_info.value.message_dict


def test_agency_create_and_update_by_superuser(superuser, admin, agency):
    created = actions.create_agency(
        superuser,
        organ_id="000.00.15.H06",
        name="Sở Khoa học và Công nghệ",
        short_name="SKHCN",
        level="department",
        parent=None,
    )
    assert last_entry().action == "org.agency.create"
    assert last_entry().after["organ_id"] == "000.00.15.H06"
    with pytest.raises(ValidationError) as exc_info:
        actions.create_agency(
            superuser, organ_id="000.00.15.H06", name="Trùng", short_name="T", level="department"
        )
    assert "đã được dùng" in messages_of(exc_info, "organ_id")
    assert "Sở Khoa học và Công nghệ" in messages_of(exc_info, "organ_id")
    with pytest.raises(ValidationError) as exc_info:
        actions.create_agency(
            superuser, organ_id="H06", name="Sai mã", short_name="S", level="department"
        )
    assert "NNN.NN.NN.LNN" in messages_of(exc_info, "organ_id")
    actions.update_agency(superuser, agency=created, short_name="SKH&CN", parent=agency)
    created.refresh_from_db()
    assert created.short_name == "SKH&CN" and created.parent == agency
    assert last_entry().before["short_name"] == "SKHCN"
    with pytest.raises(ValidationError):
        actions.update_agency(superuser, agency=agency, parent=created)
    with pytest.raises(PermissionDenied):
        actions.create_agency(
            admin, organ_id="000.00.16.H06", name="Không được", short_name="K", level="other"
        )


def test_people_cannot_be_placed_in_a_closed_unit(agency, admin):
    old = actions.create_unit(admin, agency=agency, code="OLD", name="Cũ", valid_from=PAST)
    actions.close_unit(admin, unit=old, valid_to=YESTERDAY)
    with pytest.raises(ValidationError) as exc_info:
        actions.add_person(
            admin, agency=agency, username="x1", full_name="X", unit=old, start_date=PAST
        )
    assert "unit" in exc_info.value.message_dict
    membership = actions.add_person(admin, agency=agency, username="x2", full_name="Y")
    with pytest.raises(ValidationError):
        actions.update_membership(admin, membership=membership, unit=old)
