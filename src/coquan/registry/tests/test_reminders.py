"""Licence expiry reminders: once per threshold, to the right people, in Vietnamese; the
home page card and the ``expiring`` filter of the list page and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import UserFactory, make_member
from coquan.org.models import Membership
from coquan.registry import actions
from coquan.registry.actions import reminders as reminder_actions
from coquan.registry.models import LicenceReminder
from coquan.registry.reminders import reminder_thresholds

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
EDITORS = ["cv_vienthong@example.gov.vn", "gd_so@example.gov.vn"]


def days(n: int) -> dt.date:
    return TODAY() + dt.timedelta(days=n)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the reminder action as the daily task does (actor None), e-mails sent on commit."""

    def _run(on: dt.date | None = None) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return actions.send_expiry_reminders(None, on=on)

    return _run


def test_each_threshold_is_reminded_once_even_when_the_job_runs_twice(dept, run, mailoutbox):
    licence = dept.issue(expiry_date=days(20))
    assert run() == 1
    assert run() == 0
    assert len(mailoutbox) == 1
    assert list(LicenceReminder.objects.values_list("threshold_days", flat=True)) == [30]
    # Thirteen days later the 7-day reminder is due, once.
    assert run(on=days(13)) == 1
    assert run(on=days(13)) == 0
    assert run(on=days(15)) == 0
    assert len(mailoutbox) == 2
    assert "còn 7 ngày" in mailoutbox[1].subject
    reminders = LicenceReminder.objects.filter(licence=licence)
    assert sorted(reminders.values_list("threshold_days", flat=True)) == [7, 30]
    assert set(reminders.values_list("recipients", flat=True)) == {2}
    entries = AuditEntry.objects.filter(action="registry.licence.remind").order_by("pk")
    assert [entry.after["messages"] for entry in entries] == [1, 0, 1, 0, 0]
    assert entries.first().after["licence_ids"] == [licence.pk]
    assert entries.first().after["recipients"] == 2


def test_a_licence_due_for_both_thresholds_gets_one_email(dept, run, mailoutbox):
    licence = dept.issue(expiry_date=days(5))
    assert run() == 1
    assert len(mailoutbox) == 1
    assert sorted(licence.reminders.values_list("threshold_days", flat=True)) == [7, 30]
    assert run(on=days(2)) == 0
    assert len(mailoutbox) == 1


def test_no_reminder_for_expired_revoked_suspended_or_distant_licences(dept, run, mailoutbox):
    revoked = dept.issue(number="02/GP-XBBT", expiry_date=days(10))
    actions.revoke_licence(dept.officer, licence=revoked, reason="Vi phạm")
    suspended = dept.issue(number="03/GP-XBBT", expiry_date=days(10))
    actions.suspend_licence(dept.officer, licence=suspended, reason="Tạm dừng")
    dept.issue(number="04/GP-XBBT", issue_date=days(-400), expiry_date=days(-1))  # expired
    dept.issue(number="05/GP-XBBT", expiry_date=days(31))  # beyond the largest threshold
    dept.issue(number="06/GP-XBBT")  # no expiry date
    due = dept.issue(number="07/GP-XBBT", expiry_date=days(30))
    assert run() == 1
    assert [m.subject for m in mailoutbox] == ["Giấy phép số 07/GP-XBBT sắp hết hạn (còn 30 ngày)"]
    assert list(LicenceReminder.objects.values_list("licence_id", flat=True)) == [due.pk]


def test_recipients_are_the_editors_of_the_licence_agency_with_an_address(dept, run, mailoutbox):
    make_member(dept.agency, "admin", username="qt_so")
    make_member(dept.agency, "unit_leader", username="tp_so", email="")  # no address
    make_member(dept.agency, "desk_officer", username="mc_so")  # reads only
    gone = make_member(dept.agency, "officer", username="cv_nghi")
    Membership.objects.filter(user=gone).update(start_date=days(-300), end_date=days(-1))
    inactive = make_member(dept.agency, "officer", username="cv_khoa")
    inactive.is_active = False
    inactive.save()
    UserFactory(username="superadmin", is_superuser=True)
    dept.issue(expiry_date=days(3))
    other_licence = actions.issue_licence(
        dept.outsider,
        agency=dept.other,
        licence_type=dept.licence_type(),
        number="99/GP-XBBT",
        holder_name="Sở Tài chính",
        issue_date=days(-5),
        expiry_date=days(4),
        extra={"title": "Bản tin Tài chính", "frequency": "quý", "copies": 100},
    )
    assert run() == 2
    by_number = {m.subject.split()[3]: sorted(m.to) for m in mailoutbox}
    assert by_number["01/GP-XBBT"] == sorted([*EDITORS, "qt_so@example.gov.vn"])
    assert by_number[other_licence.number] == ["cv_ngoai@example.gov.vn"]
    assert all(m.from_email == "coquan@localhost" for m in mailoutbox)


def test_reminder_email_is_vietnamese_with_the_date_dd_mm_yyyy_and_the_link(dept, run, mailoutbox):
    licence = dept.issue(expiry_date=days(7))
    run()
    (message,) = mailoutbox
    expiry = licence.expiry_date.strftime("%d/%m/%Y")
    assert message.subject == "Giấy phép số 01/GP-XBBT sắp hết hạn (còn 7 ngày)"
    body = message.body
    assert "Kính gửi" in body and dept.agency.name in body
    assert "Giấy phép dưới đây sẽ hết hạn sau 7 ngày." in body
    assert "- Loại giấy phép: Giấy phép xuất bản bản tin" in body
    assert "- Số giấy phép: 01/GP-XBBT" in body
    assert "- Chủ giấy phép: Hội Nông dân tỉnh" in body
    assert f"- Ngày hết hạn: {expiry}" in body
    assert "- Số ngày còn lại: 7" in body
    assert f"- Trang giấy phép: /registry/licences/{licence.pk}/" in body
    assert "&" not in body.replace("&amp;", "")  # plain text, nothing HTML-escaped


def test_link_uses_the_public_base_url_when_configured(dept, run, mailoutbox, settings):
    settings.COQUAN_PUBLIC_BASE_URL = "https://coquan.bacgiang.gov.vn/"
    licence = dept.issue(expiry_date=days(0))
    run()
    (message,) = mailoutbox
    assert message.subject == "Giấy phép số 01/GP-XBBT hết hạn hôm nay"
    assert f"https://coquan.bacgiang.gov.vn/registry/licences/{licence.pk}/" in message.body


def test_person_holder_email_has_no_id_number_or_address(dept, run, mailoutbox):
    dept.issue(
        licence_type=dept.licence_type("dai-ly-internet"),
        number="07/ĐK-ĐLIN",
        holder_kind="person",
        holder_name="Nguyễn Văn Bí Mật",
        holder_id_number="024099887766",
        holder_address="Số 9 phố Kín",
        expiry_date=days(6),
        extra={"provider": "Viettel"},
    )
    run()
    (message,) = mailoutbox
    text = message.subject + message.body
    assert "Nguyễn Văn Bí Mật (cá nhân)" in message.body
    assert "024099887766" not in text
    assert "Số 9 phố Kín" not in text
    entry = AuditEntry.objects.get(action="registry.licence.remind")
    assert "024099887766" not in str(entry.after)


def test_a_concurrent_run_that_missed_the_claim_sends_nothing(dept, run, mailoutbox, monkeypatch):
    dept.issue(expiry_date=days(20))
    assert run() == 1
    # A second worker that read the register before the first one committed sees no
    # reminder yet: its insert hits the unique constraint, so it sends nothing.
    monkeypatch.setattr(reminder_actions, "_already_reminded", lambda ids: set())
    assert run() == 0
    assert len(mailoutbox) == 1
    assert LicenceReminder.objects.count() == 1


def test_a_renewed_licence_is_reminded_again_before_its_new_expiry(dept, run, mailoutbox):
    licence = dept.issue(expiry_date=days(10))
    run()
    actions.renew_licence(dept.officer, licence=licence, expiry_date=days(40))
    assert run() == 0
    assert run(on=days(15)) == 1
    assert len(mailoutbox) == 2
    assert licence.reminders.filter(expiry_date=days(40)).count() == 1


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def test_a_failed_send_is_audited_and_retried_by_the_next_run(dept, run, mailoutbox, settings):
    licence = dept.issue(expiry_date=days(20))
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    assert run() == 1
    assert not LicenceReminder.objects.exists()
    failure = AuditEntry.objects.get(action="registry.licence.remind_failed")
    assert failure.after["licence_ids"] == [licence.pk]
    assert "SMTP server unreachable" in failure.after["error"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run() == 1
    assert len(mailoutbox) == 1
    assert LicenceReminder.objects.count() == 1


def test_licence_without_an_addressed_editor_is_recorded_and_audited(dept, run, mailoutbox):
    licence = dept.issue(expiry_date=days(20))
    for user in (dept.officer, dept.leader):
        user.email = ""
        user.save()
    assert run() == 0
    assert not mailoutbox
    assert licence.reminders.get().recipients == 0
    entry = AuditEntry.objects.get(action="registry.licence.remind")
    assert entry.after["without_recipients"] == [licence.pk]


def test_only_the_system_or_a_superuser_runs_the_reminders(dept, run):
    with pytest.raises(PermissionDenied):
        actions.send_expiry_reminders(dept.officer)
    admin = UserFactory(username="superadmin", is_superuser=True)
    assert actions.send_expiry_reminders(admin) == 0


def test_thresholds_come_from_the_setting(dept, run, mailoutbox, settings):
    settings.COQUAN_LICENCE_REMINDER_DAYS = "14, 3,14"
    assert reminder_thresholds() == (14, 3)
    dept.issue(expiry_date=days(20))
    dept.issue(number="02/GP-XBBT", expiry_date=days(14))
    assert run() == 1
    assert mailoutbox[0].subject.startswith("Giấy phép số 02/GP-XBBT")
    settings.COQUAN_LICENCE_REMINDER_DAYS = ()
    assert run(on=days(18)) == 0
    for bad in ("x", (30, -1), [5000]):
        settings.COQUAN_LICENCE_REMINDER_DAYS = bad
        with pytest.raises(ImproperlyConfigured):
            reminder_thresholds()


def test_reminder_queries_do_not_grow_with_licences(dept, django_assert_max_num_queries):
    for n in range(3):
        dept.issue(number=f"{n:02d}/GP-A", expiry_date=days(n + 1))
    with django_assert_max_num_queries(12) as small:
        actions.send_expiry_reminders(None)
    for n in range(30):
        dept.issue(number=f"{n:02d}/GP-B", expiry_date=days(n % 30 + 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        actions.send_expiry_reminders(None)


def test_registry_expire_runs_expiry_and_reminders(
    dept, mailoutbox, django_capture_on_commit_callbacks
):
    overdue = dept.issue(number="02/GP-XBBT", issue_date=days(-30), expiry_date=days(1))
    dept.issue(expiry_date=days(20))
    on = days(2).strftime("%d/%m/%Y")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("registry_expire", "--now", on=on)
    overdue.refresh_from_db()
    assert overdue.status == "expired"
    assert [m.subject for m in mailoutbox] == ["Giấy phép số 01/GP-XBBT sắp hết hạn (còn 18 ngày)"]
    # Without --now both tasks are enqueued (the test backend runs them at once).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("registry_expire", on=on)
    assert AuditEntry.objects.filter(action="registry.licence.expire").count() == 2
    assert AuditEntry.objects.filter(action="registry.licence.remind").count() == 2
    assert len(mailoutbox) == 1


# --- The registry home card and the ``expiring`` filter ---------------------------------------


def test_home_card_lists_the_ten_soonest_with_links_and_the_count(client, dept):
    licences = [dept.issue(number=f"{n:02d}/GP-XBBT", expiry_date=days(n)) for n in range(1, 13)]
    dept.issue(number="31/GP-XBBT", expiry_date=days(31))
    client.force_login(dept.reader)
    page = client.get(reverse("registry:home")).content.decode()
    card = page[page.index('data-testid="expiring-licences"') :]
    card = card[: card.index("</section>")]
    assert "Giấy phép sắp hết hạn" in card
    assert 'data-testid="expiring-count">12<' in card
    for licence in licences[:10]:
        assert reverse("registry:licence_detail", args=[licence.pk]) in card
    assert "11/GP-XBBT" not in card and "31/GP-XBBT" not in card
    assert licences[0].expiry_date.strftime("%d/%m/%Y") in card
    assert "Xem tất cả 12 giấy phép" in card
    assert f"{reverse('registry:licence_list')}?expiring=30" in card


def test_home_card_empty_state_and_largest_threshold(client, dept, settings):
    dept.issue(expiry_date=days(45))
    client.force_login(dept.reader)
    page = client.get(reverse("registry:home")).content.decode()
    assert "Không có giấy phép nào hết hạn trong 30 ngày tới." in page
    settings.COQUAN_LICENCE_REMINDER_DAYS = (60, 7)
    page = client.get(reverse("registry:home")).content.decode()
    assert "Không có giấy phép nào hết hạn" not in page
    assert "01/GP-XBBT" in page and "trong 60 ngày tới" in page


def test_licence_list_filter_expiring(client, dept):
    dept.issue(number="01/GP-XBBT", expiry_date=days(5))
    dept.issue(number="02/GP-XBBT", expiry_date=days(20))
    dept.issue(number="03/GP-XBBT", expiry_date=days(90))
    gone = dept.issue(number="04/GP-XBBT", expiry_date=days(3))
    actions.revoke_licence(dept.officer, licence=gone, reason="Vi phạm")
    client.force_login(dept.reader)
    url = reverse("registry:licence_list")
    page = client.get(url).content.decode()
    assert '<option value="7">Sắp hết hạn trong 7 ngày</option>' in page
    assert '<option value="30">Sắp hết hạn trong 30 ngày</option>' in page
    page = client.get(url, {"expiring": "7"}).content.decode()
    assert "01/GP-XBBT" in page
    assert "02/GP-XBBT" not in page and "03/GP-XBBT" not in page and "04/GP-XBBT" not in page
    assert '<option value="7" selected>' in page
    page = client.get(url, {"expiring": "30"}).content.decode()
    assert page.index("01/GP-XBBT") < page.index("02/GP-XBBT")  # soonest first
    assert "03/GP-XBBT" not in page
    page = client.get(url, {"expiring": "100"}).content.decode()
    assert '<option value="100" selected>Sắp hết hạn trong 100 ngày</option>' in page
    assert "03/GP-XBBT" in page and "04/GP-XBBT" not in page
    bad = client.get(url, {"expiring": "sớm"})
    assert bad.status_code == 200
    assert "Hãy nhập số ngày là một số nguyên." in bad.content.decode()


def test_api_licence_list_filter_expiring(api_client, dept):
    dept.issue(number="01/GP-XBBT", expiry_date=days(5))
    dept.issue(number="02/GP-XBBT", expiry_date=days(20))
    api_client.force_login(dept.reader)
    url = "/api/v1/registry/licences/"
    numbers = [row["number"] for row in api_client.get(url, {"expiring": 7}).json()["results"]]
    assert numbers == ["01/GP-XBBT"]
    numbers = [row["number"] for row in api_client.get(url, {"expiring": 30}).json()["results"]]
    assert numbers == ["01/GP-XBBT", "02/GP-XBBT"]
    bad = api_client.get(url, {"expiring": "-3"})
    assert bad.status_code == 400
    assert "expiring" in bad.json()["error"]["details"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_home_card_leads_to_the_filtered_list(page, live_server, dept):
    from playwright.sync_api import expect

    from coquan.core.testing.browser import assert_accessible, login

    dept.issue(number="01/GP-XBBT", expiry_date=days(5))
    dept.issue(number="02/GP-XBBT", expiry_date=days(25))
    login(page, live_server, dept.officer.username)
    page.goto(f"{live_server.url}/registry/")
    card = page.get_by_test_id("expiring-licences")
    expect(card.get_by_role("heading")).to_contain_text("Giấy phép sắp hết hạn")
    expect(page.get_by_test_id("expiring-count")).to_have_text("2")
    expect(card.get_by_role("link", name="01/GP-XBBT")).to_be_visible()
    assert_accessible(page)
    card.get_by_role("link", name="Xem các giấy phép").click()
    expect(page.get_by_label("Sắp hết hạn")).to_have_value("30")
    expect(page.get_by_test_id("licence-list")).to_contain_text("02/GP-XBBT")
    assert_accessible(page)
    page.get_by_label("Sắp hết hạn").select_option(label="Sắp hết hạn trong 7 ngày")
    page.get_by_role("button", name="Lọc").click()
    table = page.get_by_test_id("licence-list")
    expect(table).to_contain_text("01/GP-XBBT")
    expect(table).not_to_contain_text("02/GP-XBBT")
