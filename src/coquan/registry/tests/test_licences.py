"""The licence register: lifecycle actions, history, audit, expiry task, public register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.registry import actions
from coquan.registry.choices import LicenceEventKind, LicenceStatus
from coquan.registry.models import Licence

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_issue_writes_the_licence_its_event_and_one_audit_entry(dept):
    before = AuditEntry.objects.count()
    licence = dept.issue(outgoing_document_ref="15/GP-STTTT")
    assert licence.status == LicenceStatus.VALID
    assert licence.extra == {"title": "Bản tin Nông dân", "frequency": "quý", "copies": 500}
    assert [e.kind for e in licence.events.all()] == [LicenceEventKind.ISSUED]
    entries = AuditEntry.objects.filter(action="registry.licence.issue")
    assert AuditEntry.objects.count() == before + 1
    assert entries.get().object_id == str(licence.pk)


def test_default_validity_of_the_type_sets_the_expiry_date(dept):
    licence = dept.issue(
        licence_type=dept.licence_type("xay-dung-bts"),
        number="05/GPXD-BTS",
        issue_date=dt.date(2026, 3, 15),
        extra={"station_code": "BGG050", "station_type": "loại 1", "height_m": "36"},
    )
    assert licence.expiry_date == dt.date(2027, 3, 14)


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"frequency": "quý", "copies": 500}, "Tên bản tin"),
        ({"title": "X", "frequency": "hằng ngày", "copies": 500}, "Kỳ hạn xuất bản"),
        ({"title": "X", "frequency": "quý", "copies": "nhiều"}, "Số lượng mỗi kỳ"),
        ({"title": "X", "frequency": "quý", "copies": 5, "colour": "đỏ"}, "colour"),
    ],
)
def test_extra_fields_are_checked_against_the_type(dept, extra, message):
    with pytest.raises(ValidationError) as info:
        dept.issue(extra=extra)
    assert any(message in m for m in info.value.message_dict["extra"])
    assert not Licence.objects.exists()


def test_number_is_unique_per_agency_and_type(dept):
    dept.issue()
    with pytest.raises(ValidationError) as info:
        dept.issue(holder_name="Tỉnh đoàn")
    assert "number" in info.value.message_dict
    assert Licence.objects.count() == 1


def test_lifecycle_suspend_reinstate_renew_amend_revoke(dept):
    licence = dept.issue(expiry_date=TODAY() + dt.timedelta(days=30))
    with pytest.raises(ValidationError):
        actions.suspend_licence(dept.officer, licence=licence, reason="  ")
    actions.suspend_licence(dept.officer, licence=licence, reason="Vi phạm nội dung")
    assert licence.status == LicenceStatus.SUSPENDED
    with pytest.raises(ValidationError):
        actions.renew_licence(
            dept.officer, licence=licence, expiry_date=TODAY() + dt.timedelta(400)
        )
    actions.reinstate_licence(dept.leader, licence=licence, reason="Đã khắc phục")
    new_expiry = TODAY() + dt.timedelta(days=365)
    actions.renew_licence(dept.officer, licence=licence, expiry_date=new_expiry)
    actions.amend_licence(
        dept.officer, licence=licence, conditions="Nộp lưu chiểu trước khi phát hành"
    )
    actions.revoke_licence(
        dept.leader, licence=licence, reason="Quyết định thu hồi", document_ref="20/QĐ-STTTT"
    )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    assert licence.expiry_date == new_expiry
    assert licence.conditions == "Nộp lưu chiểu trước khi phát hành"
    kinds = list(licence.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["issued", "suspended", "reinstated", "renewed", "amended", "revoked"]
    codes = set(
        AuditEntry.objects.filter(
            object_id=str(licence.pk), action__startswith="registry.licence"
        ).values_list("action", flat=True)
    )
    assert codes == {
        "registry.licence.issue",
        "registry.licence.suspend",
        "registry.licence.reinstate",
        "registry.licence.renew",
        "registry.licence.amend",
        "registry.licence.revoke",
    }
    for step in (actions.suspend_licence, actions.reinstate_licence, actions.revoke_licence):
        with pytest.raises(ValidationError):
            step(dept.officer, licence=licence, reason="x")


def test_amend_without_change_is_refused_and_masks_id_numbers_in_audit(dept):
    licence = dept.issue(
        holder_kind="person", holder_name="Nguyễn Văn A", holder_id_number="024088001234"
    )
    with pytest.raises(ValidationError):
        actions.amend_licence(dept.officer, licence=licence, holder_name="Nguyễn Văn A")
    entry = AuditEntry.objects.get(action="registry.licence.issue")
    assert entry.after["holder_id_number"] == "***"
    assert "024088001234" not in str(entry.after)


def test_only_editors_of_the_agency_may_issue(dept):
    for user in (dept.clerk, dept.reader, dept.outsider):
        with pytest.raises(PermissionDenied):
            dept.issue(actor=user)
    assert not Licence.objects.exists()
    assert AuditEntry.objects.filter(action="permission_denied").count() == 3


def test_back_entered_licence_after_its_expiry_is_expired(dept):
    licence = dept.issue(issue_date=dt.date(2008, 1, 5), expiry_date=dt.date(2009, 1, 4))
    assert licence.status == LicenceStatus.EXPIRED
    assert list(licence.events.values_list("kind", flat=True)) == ["issued", "expired"]


def test_expiry_task_marks_overdue_licences_once(dept):
    soon = dept.issue(expiry_date=TODAY() + dt.timedelta(days=2))
    later = dept.issue(number="02/GP-XBBT", expiry_date=TODAY() + dt.timedelta(days=200))
    call_command("registry_expire", on=(TODAY() + dt.timedelta(days=3)).strftime("%d/%m/%Y"))
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.status == LicenceStatus.EXPIRED
    assert later.status == LicenceStatus.VALID
    assert soon.events.filter(kind="expired").count() == 1
    call_command(
        "registry_expire", "--now", on=(TODAY() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    )
    assert soon.events.filter(kind="expired").count() == 1
    assert AuditEntry.objects.filter(action="registry.licence.expire").count() == 2
    # An expired licence can be renewed.
    actions.renew_licence(dept.officer, licence=soon, expiry_date=TODAY() + dt.timedelta(days=90))
    soon.refresh_from_db()
    assert soon.status == LicenceStatus.VALID


def test_public_register_shows_valid_licences_without_personal_data(client, dept):
    dept.issue(holder_name="Hội Nông dân tỉnh")
    dept.issue(
        licence_type=dept.licence_type("dai-ly-internet"),
        number="07/ĐK-ĐLIN",
        holder_kind="person",
        holder_name="Nguyễn Văn Bí Mật",
        holder_id_number="024099887766",
        holder_address="Số 9 phố Kín",
        extra={"provider": "Viettel"},
    )
    revoked = dept.issue(number="03/GP-XBBT", holder_name="Tổ chức Đã Thu Hồi")
    actions.revoke_licence(dept.officer, licence=revoked, reason="Vi phạm")

    page = client.get(reverse("registry:public_licences")).content.decode()
    assert "Hội Nông dân tỉnh" in page
    assert "07/ĐK-ĐLIN" in page
    assert "Cá nhân (ẩn tên)" in page
    for secret in ("Nguyễn Văn Bí Mật", "024099887766", "Số 9 phố Kín", "Tổ chức Đã Thu Hồi"):
        assert secret not in page
    # Searching by a person's name finds nothing (no existence leak).
    found = client.get(reverse("registry:public_licences"), {"q": "Bí Mật"}).content.decode()
    assert "07/ĐK-ĐLIN" not in found
    assert "Không có giấy phép" in found


def test_web_issue_flow_with_type_then_fields(client, dept):
    client.force_login(dept.officer)
    url = reverse("registry:licence_issue")
    page = client.get(url).content.decode()
    assert "Chọn loại giấy phép trước" in page
    page = client.get(url, {"type": "ban-tin"}).content.decode()
    assert "Tên bản tin" in page
    data = {
        "type": "ban-tin",
        "number": "09/GP-XBBT",
        "holder_kind": "org",
        "holder_name": "Sở Y tế",
        "issue_date": "02/03/2026",
        "extra_title": "Bản tin Y tế",
        "extra_frequency": "tháng",
        "extra_copies": "300",
    }
    response = client.post(url, data)
    licence = Licence.objects.get(number="09/GP-XBBT")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:licence_detail", args=[licence.pk])
    assert licence.issue_date == dt.date(2026, 3, 2)
    # Bad input: a clear Vietnamese message and nothing written.
    bad = client.post(
        url, {**data, "number": "10/GP-XBBT", "extra_copies": "", "issue_date": "31/02/2026"}
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "dd/mm/yyyy" in text
    assert not Licence.objects.filter(number="10/GP-XBBT").exists()


def test_web_steps_revoke_and_impossible_step(client, dept):
    licence = dept.issue()
    client.force_login(dept.leader)
    url = reverse("registry:licence_step", args=[licence.pk, "revoke"])
    page = client.get(url).content.decode()
    assert "data-confirm" in page
    response = client.post(url, {"reason": "Vi phạm", "document_ref": "21/QĐ-STTTT"})
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    page = client.get(
        reverse("registry:licence_step", args=[licence.pk, "suspend"])
    ).content.decode()
    assert "không thực hiện được" in page
    response = client.post(
        reverse("registry:licence_step", args=[licence.pk, "suspend"]), {"reason": "x"}
    )
    assert response.status_code == 200
    assert "không thực hiện được" in response.content.decode()
    detail = client.get(reverse("registry:licence_detail", args=[licence.pk])).content.decode()
    assert "Thu hồi" in detail and "21/QĐ-STTTT" in detail
