"""The action helper (core/actions.py) and the audit log: one entry per action, or none."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from coquan.audit.models import AuditChainHead, AuditEntry
from coquan.audit.services import verify
from coquan.audit.tests.helpers import rename_unit
from coquan.core.context import request_context
from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member
from coquan.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return AgencyFactory(name="Sở Thông tin và Truyền thông", short_name="STTTT")


@pytest.fixture
def unit(agency):
    return UnitFactory(agency=agency, code="BCVT", name="Phòng Bưu chính Viễn thông")


@pytest.fixture
def admin(agency):
    return make_member(agency, "admin", username="quantri_sttttt", full_name="Trần Thị Hoa")


@pytest.fixture
def in_request():
    """Run as if inside a request with a known request id and client address."""
    token = request_context.set({"request_id": "req-7f3a9c", "ip": "203.0.113.9"})
    yield
    request_context.reset(token)


def new_entries(since: int):
    return list(AuditEntry.objects.filter(seq__gt=since).order_by("seq"))


def last_seq() -> int:
    head = AuditChainHead.objects.filter(pk=1).first()
    return head.last_seq if head else 0


def test_action_writes_exactly_one_complete_entry(agency, unit, admin, in_request):
    start = last_seq()
    rename_unit(admin, agency=agency, unit=unit, name="Phòng Chuyển đổi số")

    assert Unit.objects.get(pk=unit.pk).name == "Phòng Chuyển đổi số"
    [entry] = new_entries(start)
    assert entry.action == "test.unit.rename"
    assert entry.actor_id == admin.pk
    assert entry.actor_name == "quantri_sttttt"
    assert entry.agency_id == agency.pk
    assert (entry.object_type, entry.object_id) == ("org.unit", str(unit.pk))
    assert entry.summary == "Đổi tên đơn vị BCVT thành Phòng Chuyển đổi số"
    assert entry.before == {"name": "Phòng Bưu chính Viễn thông", "code": "BCVT"}
    assert entry.after == {"name": "Phòng Chuyển đổi số", "code": "BCVT"}
    assert entry.request_id == "req-7f3a9c"
    assert entry.ip == "203.0.113.9"
    assert verify().ok


def test_permission_denied_writes_one_denial_and_changes_nothing(agency, unit, in_request):
    clerk = make_member(agency, "clerk", username="vanthu")
    start = last_seq()
    with pytest.raises(PermissionDenied):
        rename_unit(clerk, agency=agency, unit=unit, name="Tên không được phép")

    assert Unit.objects.get(pk=unit.pk).name == "Phòng Bưu chính Viễn thông"
    [entry] = new_entries(start)
    assert entry.action == "permission_denied"
    assert entry.actor_id == clerk.pk
    assert entry.agency_id == agency.pk
    assert entry.summary.startswith("test.unit.rename")
    assert entry.request_id == "req-7f3a9c"
    assert not AuditEntry.objects.filter(action="test.unit.rename").exists()
    assert verify().ok


def test_exception_in_the_body_rolls_back_change_and_entry(agency, unit, admin):
    start = last_seq()
    with pytest.raises(ValidationError):
        rename_unit(
            admin,
            agency=agency,
            unit=unit,
            name="Tên sẽ bị hủy",
            fail_with=ValidationError("Tên trùng với một đơn vị khác."),
        )

    assert Unit.objects.get(pk=unit.pk).name == "Phòng Bưu chính Viễn thông"
    assert new_entries(start) == []
    assert last_seq() == start  # the sequence number went back with the transaction
    rename_unit(admin, agency=agency, unit=unit, name="Phòng Chuyển đổi số")
    assert [e.seq for e in new_entries(start)] == [start + 1]
    assert verify().ok


def test_permission_denied_inside_the_body_rolls_back_and_records_the_denial(agency, unit, admin):
    start = last_seq()
    with pytest.raises(PermissionDenied):
        rename_unit(
            admin,
            agency=agency,
            unit=unit,
            name="Tên sẽ bị hủy",
            fail_with=PermissionDenied("Đơn vị đang bị khóa."),
        )
    assert Unit.objects.get(pk=unit.pk).name == "Phòng Bưu chính Viễn thông"
    [entry] = new_entries(start)
    assert entry.action == "permission_denied"
    assert "Đơn vị đang bị khóa." in entry.summary
    assert verify().ok


def test_action_inside_a_failing_outer_transaction_leaves_no_entry(agency, unit, admin):
    start = last_seq()
    with pytest.raises(RuntimeError), transaction.atomic():
        rename_unit(admin, agency=agency, unit=unit, name="Phòng tạm")
        raise RuntimeError("the caller fails after the action")
    assert Unit.objects.get(pk=unit.pk).name == "Phòng Bưu chính Viễn thông"
    assert new_entries(start) == []
    assert verify().ok


def test_many_actions_and_appends_make_one_verifiable_chain(agency, unit, admin):
    for i in range(30):
        rename_unit(admin, agency=agency, unit=unit, name=f"Phòng số {i}")
    assert AuditEntry.objects.filter(action="test.unit.rename").count() == 30
    result = verify(chunk_size=8)
    assert result.ok and result.checked == AuditEntry.objects.count()
