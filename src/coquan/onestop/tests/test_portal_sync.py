"""PortalSync (issue 6 part 5): every accepted dossier and each later status change is
written to an outbox in the transaction of the change, and delivered by the background
task to the national / provincial portal with bounded retries and back-off, ending in a
visible failed state.

The national DVC portal cannot exist here: ``FakePortal`` stands in for it and records
what it receives (and fails on demand); everything else is the real code, the real task
backend and the real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coquan.onestop import actions, portal_sync
from coquan.onestop.models import PortalOutbox
from coquan.onestop.tests.test_portal import register, submit

FAKE = "coquan.onestop.tests.test_portal_sync.FakePortal"


class FakePortal:
    """A stand-in for the national portal: records every call; ``failures`` transient
    failures are raised first, ``reject`` refuses everything."""

    received: list[tuple[str, dict]] = []
    failures = 0
    reject = False

    def _call(self, kind, payload):
        if FakePortal.reject:
            raise portal_sync.PortalRejected("MaTTHC không tồn tại")
        if FakePortal.failures:
            FakePortal.failures -= 1
            raise portal_sync.PortalError("timeout")
        FakePortal.received.append((kind, payload))

    def create_dossier(self, payload):
        self._call("create", payload)

    def update_status(self, payload):
        self._call("status", payload)


@pytest.fixture
def fake(settings):
    settings.COQUAN_ONESTOP_PORTAL_ADAPTER = FAKE
    settings.COQUAN_ONESTOP_PORTAL_MAX_ATTEMPTS = 3
    settings.COQUAN_ONESTOP_PORTAL_BACKOFF_SECONDS = 60
    FakePortal.received, FakePortal.failures, FakePortal.reject = [], 0, False
    yield FakePortal
    FakePortal.received, FakePortal.failures, FakePortal.reject = [], 0, False


@pytest.mark.django_db
def test_creation_and_each_status_change_reach_the_portal(
    office, fake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = office.accept()  # the immediate task backend delivers on commit
    assert fake.received == [("create", fake.received[0][1])]
    created = fake.received[0][1]
    assert created["MaHoSo"] == dossier.dossier_code and created["TrangThai"] == "2"
    assert created["MaTTHC"] == "1.005129" and created["MaDonViTiepNhan"] == "000.00.14.H06"
    with django_capture_on_commit_callbacks(execute=True):
        dossier = actions.forward(office.desk, dossier=dossier)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_supplement(office.officer, dossier=dossier, items=["Bản vẽ"])
    assert [(k, p["TrangThai"]) for k, p in fake.received] == [
        ("create", "2"),
        ("status", "4"),
        ("status", "5"),
    ]
    assert set(PortalOutbox.objects.values_list("state", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_not_accepted_dossiers_are_not_sent_and_sync_off_writes_nothing(office, fake, settings):
    applicant = register()
    dossier = submit(office, applicant)  # status 1, no code
    actions.return_online(office.desk, dossier=dossier, items=["Bản vẽ"])
    assert not PortalOutbox.objects.exists()
    settings.COQUAN_ONESTOP_PORTAL_ADAPTER = ""
    office.accept()
    assert not PortalOutbox.objects.exists()


@pytest.mark.django_db
def test_written_in_the_same_transaction(office, fake):
    """A change that rolls back takes its message with it, and vice versa."""
    dossier = office.accept()
    assert PortalOutbox.objects.count() == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.forward(office.desk, dossier=dossier)
        assert PortalOutbox.objects.count() == 2
        raise RuntimeError("rolled back")
    assert PortalOutbox.objects.count() == 1
    dossier.refresh_from_db()
    assert dossier.status == "2"


@pytest.mark.django_db
def test_retries_with_backoff_then_failed_and_order_kept(client, office, fake):
    dossier = office.accept()
    actions.forward(office.desk, dossier=dossier)
    fake.failures = 10
    now = timezone.now()
    assert portal_sync.deliver_due(now) == {"sent": 0, "retry": 1, "failed": 0}
    first, second = PortalOutbox.objects.order_by("pk")
    first.refresh_from_db()
    assert first.attempts == 1 and first.next_attempt_at == now + dt.timedelta(seconds=60)
    # The status message waits behind the unsent creation of the same dossier.
    assert second.attempts == 0
    assert portal_sync.deliver_due(now) == {"sent": 0, "retry": 0, "failed": 0}  # not due
    later = now + dt.timedelta(seconds=61)
    assert portal_sync.deliver_due(later)["retry"] == 1
    first.refresh_from_db()
    assert first.next_attempt_at == later + dt.timedelta(seconds=120)
    assert portal_sync.deliver_due(later + dt.timedelta(seconds=121))["failed"] == 1
    first.refresh_from_db()
    assert (first.state, first.attempts, first.last_error) == ("failed", 3, "timeout")
    assert fake.received == []
    # Visible on the dossier page.
    client.force_login(office.desk)
    page = client.get(reverse("onestop:dossier_detail", args=[dossier.pk])).content.decode()
    assert 'data-state="failed"' in page and "timeout" in page
    # Retried by hand once the portal is back: both go, in order.
    fake.failures = 0
    assert portal_sync.retry_failed(dossier) == 1
    assert portal_sync.deliver_due(timezone.now() + dt.timedelta(seconds=1))["sent"] == 1
    assert portal_sync.deliver_due(timezone.now() + dt.timedelta(seconds=1))["sent"] == 1
    assert [k for k, _p in fake.received] == ["create", "status"]


@pytest.mark.django_db
def test_rejected_message_fails_at_once(office, fake):
    office.accept()
    fake.reject = True
    assert portal_sync.deliver_due()["failed"] == 1
    message = PortalOutbox.objects.get()
    assert message.state == "failed" and message.attempts == 1
    assert "MaTTHC" in message.last_error


@pytest.mark.django_db
def test_next_retry_is_scheduled_on_a_deferring_backend(office, fake, settings):
    """With the dummy backend (it records enqueued tasks, and can defer like the database
    backend of ``run_worker``), a retry waiting for its back-off schedules the delivery at
    that time."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    office.accept()
    fake.failures = 1
    portal_sync.deliver_portal_outbox.call()
    message = PortalOutbox.objects.get()
    assert message.attempts == 1 and message.state == "pending"
    scheduled = [r for r in default_task_backend.results if r.task.run_after is not None]
    assert scheduled and scheduled[-1].task.run_after == message.next_attempt_at
