"""Notifications: notify, the bell, the list with mark-read, the API, e-mail (locmem), and
the reminders of incoming documents (assignment, due soon, overdue, once a day)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from coquan.documents import actions
from coquan.documents.choices import Secrecy
from coquan.documents.models import IncomingDocument
from coquan.documents.reminders import due_reminders
from coquan.notifications.actions import notify
from coquan.notifications.models import Notification

pytestmark = pytest.mark.django_db
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def titles(user):
    return list(Notification.objects.for_user(user).values_list("title", flat=True))


def assigned(office, **kwargs):
    doc = office.register(**kwargs)
    doc = actions.present(office.clerk, document=doc, leader=office.leader)
    return actions.assign(
        office.leader,
        document=doc,
        lead_user=office.officer,
        co_handlers=[office.other_unit],
        for_info=[office.officer2],
        due_date=timezone.localdate() + dt.timedelta(days=1),
    )


def test_assignment_notifies_the_lead_and_the_co_handling_unit_leaders(office):
    from coquan.core.testing.factories import make_member

    head = make_member(office.agency, "unit_leader", unit=office.other_unit, username="tp_khtc")
    doc = assigned(office)
    lead = titles(office.officer)
    assert len(lead) == 1 and lead[0].startswith(
        f"Bạn được giao chủ trì xử lý Văn bản đến số {doc.arrival_number}"
    )
    assert "V/v triển khai chuyển đổi số" in lead[0]
    assert titles(head)[0].startswith("Bạn được giao phối hợp")
    assert titles(office.officer2) == []  # for information only: no reminder
    note = Notification.objects.get(recipient=office.officer)
    assert note.url == reverse("documents:incoming_detail", args=[doc.pk])
    assert note.agency == office.agency and note.kind == "documents.assigned"


def test_a_rolled_back_action_notifies_nobody(office):
    doc = office.register()
    with pytest.raises(Exception):  # noqa: B017 - the assignment is refused (no deadline)
        actions.assign(office.leader, document=doc, lead_user=office.officer)
    assert not Notification.objects.exists()


@override_settings(COQUAN_EMAIL_NOTIFICATIONS=True, EMAIL_BACKEND=LOCMEM)
def test_email_is_sent_on_commit_to_people_with_an_address(
    office, django_capture_on_commit_callbacks
):
    office.officer.email = "chuyenvien@sokhcn.gov.vn"
    office.officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        assigned(office)
    assert [m.to for m in mail.outbox] == [["chuyenvien@sokhcn.gov.vn"]]
    assert mail.outbox[0].subject.startswith("Bạn được giao chủ trì")
    assert "/documents/incoming/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=office.officer).emailed_at is not None


@override_settings(COQUAN_EMAIL_NOTIFICATIONS=False, EMAIL_BACKEND=LOCMEM)
def test_no_email_when_switched_off(office, django_capture_on_commit_callbacks):
    office.officer.email = "chuyenvien@sokhcn.gov.vn"
    office.officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        assigned(office)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=office.officer).exists()


@override_settings(COQUAN_DUE_SOON_DAYS=2)
def test_due_soon_and_overdue_reminders_once_per_day(office):
    soon = assigned(office, code_number="1")
    late = assigned(office, code_number="2", subject="V/v báo cáo quý III")
    today = timezone.localdate()
    IncomingDocument.objects.filter(pk=late.pk).update(due_date=today - dt.timedelta(days=3))
    late.steps.filter(kind="assigned").update(deadline=today - dt.timedelta(days=3))
    Notification.objects.all().delete()
    assert due_reminders(today) == 2 + 0  # the lead of each (the co-handling unit has no leader)
    mine = sorted(titles(office.officer))
    assert mine[0].startswith("Hạn xử lý ngày") and f"số {soon.arrival_number}" in mine[0]
    assert mine[1].startswith("Quá hạn từ ngày") and "báo cáo quý III" in mine[1]
    assert due_reminders(today) == 0  # same day: nothing new
    call_command("send_due_reminders", verbosity=0)
    assert Notification.objects.count() == 2
    assert due_reminders(today + dt.timedelta(days=1)) == 2  # next day: reminded again
    actions.start_handling(office.officer, document=soon)
    soon = actions.complete(office.officer, document=soon, result_note="Xong")
    assert due_reminders(today + dt.timedelta(days=2)) == 1  # done documents are left alone


def test_secret_subjects_stay_out_of_notifications(office):
    doc = office.register(secrecy=Secrecy.SECRET, subject="Kế hoạch tác chiến")
    doc = actions.present(office.clerk, document=doc, leader=office.leader)
    actions.assign(
        office.leader,
        document=doc,
        lead_user=office.officer,
        due_date=timezone.localdate() + dt.timedelta(days=1),
    )
    assert "tác chiến" not in titles(office.officer)[0]


def test_notify_with_a_key_is_idempotent(office):
    first = notify([office.officer, office.officer, None], kind="x", title="Một", key="k1")
    again = notify([office.officer], kind="x", title="Hai", key="k1")
    assert len(first) == 1 and again == []
    assert titles(office.officer) == ["Một"]


def test_bell_list_and_mark_read(client, office):
    notify([office.officer], kind="x", title="Văn bản mới", url="/documents/incoming/")
    notify([office.officer], kind="x", title="Văn bản thứ hai")
    notify([office.clerk], kind="x", title="Của người khác")
    client.force_login(office.officer)
    html = client.get(reverse("documents:incoming_list")).content.decode()
    assert 'data-testid="unread-count">2<' in html
    page = client.get(reverse("notifications:list"))
    assert [n.title for n in page.context["page"].object_list] == [
        "Văn bản thứ hai",
        "Văn bản mới",
    ]
    first = Notification.objects.get(title="Văn bản mới")
    client.post(reverse("notifications:read", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at is not None
    other = Notification.objects.get(title="Của người khác")
    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.for_user(office.officer).unread().exists()
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_api_lists_only_your_own_and_marks_read(client, office):
    notify([office.officer], kind="x", title="A")
    notify([office.officer], kind="x", title="B")
    notify([office.clerk], kind="x", title="C")
    assert client.get("/api/v1/notifications/").status_code in (401, 403)
    client.force_login(office.officer)
    body = client.get("/api/v1/notifications/").json()
    assert [n["title"] for n in body["results"]] == ["B", "A"]
    first = body["results"][1]["id"]
    done = client.post(f"/api/v1/notifications/{first}/read/").json()
    assert done["read_at"] is not None
    unread = client.get("/api/v1/notifications/?unread=1").json()
    assert [n["title"] for n in unread["results"]] == ["B"]
    other = Notification.objects.get(title="C").pk
    assert client.get(f"/api/v1/notifications/{other}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{other}/read/").status_code == 404
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}


def test_the_list_and_the_api_run_a_constant_number_of_queries(
    client, office, django_assert_max_num_queries
):
    notify([office.officer], kind="x", title="A")
    client.force_login(office.officer)
    counts = {}
    for url in (reverse("notifications:list"), "/api/v1/notifications/"):
        with django_assert_max_num_queries(30) as few:
            client.get(url)
        counts[url] = len(few.captured_queries)
    for index in range(6):
        notify([office.officer], kind="x", title=f"N {index}")
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(url)


@pytest.mark.django_db(transaction=True)
def test_the_worker_schedule_sends_the_due_reminders_once_a_day(office, settings):
    """End to end: run_worker's schedule enqueues send_due_reminders, the worker runs it."""
    from coquan.core.models import PeriodicRun

    doc = assigned(office)  # due tomorrow: "due soon"
    Notification.objects.all().delete()  # keep only what the schedule sends
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COQUAN_SCHEDULER = True  # off by default under pytest
    job = settings.COQUAN_DAILY_JOBS["send_due_reminders"]
    # Due from midnight, so that whatever the hour the test runs, the start catches it up.
    settings.COQUAN_DAILY_JOBS = {"send_due_reminders": {**job, "at": "00:00"}}
    settings.COQUAN_INTERVAL_JOBS = {}  # only the reminders in this test
    for _restart in range(2):
        call_command("run_worker", "--batch", "--no-startup-delay", "--worker-id", "w", verbosity=0)
    mine = titles(office.officer)
    assert len(mine) == 1, mine  # once, though the worker started twice that day
    assert mine[0].startswith("Hạn xử lý ngày") and f"số {doc.arrival_number}" in mine[0]
    assert PeriodicRun.objects.get().job == "send_due_reminders"
