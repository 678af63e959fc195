"""Sign-in pages: Vietnamese labels and errors, lockout (django-axes), logout, password."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import PASSWORD

LOGIN = "/accounts/login/"


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_login_page_is_vietnamese(client, db):
    page = client.get(LOGIN).content.decode()
    assert ">Tên đăng nhập" in page
    assert ">Mật khẩu" in page
    assert ">Đăng nhập</button>" in page
    assert 'autocomplete="current-password"' in page


def test_signed_in_person_is_sent_on_from_the_login_page(client, clerk):
    client.force_login(clerk)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")


def test_login_with_the_right_password_reaches_the_next_page(client, clerk):
    response = _login(client, "vanthu", PASSWORD, next="/accounts/tokens/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/"
    entry = AuditEntry.objects.filter(action="accounts.login").latest("seq")
    assert entry.actor_id == clerk.pk


def test_login_ignores_a_next_url_on_another_site(client, clerk):
    response = _login(client, "vanthu", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("web:dashboard")


def test_wrong_password_gives_a_clear_vietnamese_error_and_an_audit_entry(client, clerk):
    response = _login(client, "vanthu", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    entry = AuditEntry.objects.filter(action="accounts.login_failed").latest("seq")
    assert entry.summary == "vanthu"
    assert "sai-mat-khau" not in str(entry.before) + str(entry.after) + entry.summary


def test_repeated_failures_lock_the_account_and_say_when_to_retry(client, clerk):
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        assert _login(client, "vanthu", "sai-mat-khau").status_code == 200
    locked = _login(client, "vanthu", "sai-mat-khau")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert "Vui lòng thử lại sau 15 phút" in page
    retry_at = timezone.localtime(timezone.now() + dt.timedelta(minutes=15))
    assert retry_at.strftime("%d/%m/%Y") in page

    # Even the right password is refused during the lock, and the attempt is logged.
    assert _login(client, "vanthu", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    failed = AuditEntry.objects.filter(action="accounts.login_failed", summary="vanthu")
    assert failed.count() == limit + 1


def test_lock_ends_after_the_cool_off(client, clerk):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "vanthu", "sai-mat-khau")
    assert _login(client, "vanthu", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    response = _login(client, "vanthu", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_lock_is_per_username(client, clerk, agency):
    from coquan.core.testing.factories import make_member

    make_member(agency, "officer", username="chuyenvien")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "vanthu", "sai-mat-khau")
    assert _login(client, "chuyenvien", PASSWORD).status_code == 302


def test_logout_needs_a_post_and_ends_the_session(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("accounts:logout"))
    assert page.status_code == 200
    assert "Đăng xuất" in page.content.decode()
    assert "_auth_user_id" in client.session  # GET only asks

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="accounts.logout", actor_id=clerk.pk).exists()


def test_logout_page_asks_anonymous_people_to_sign_in(client, db):
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(
    "new_password,message",
    [
        ("1234567890", "Mật khẩu này hoàn toàn là số."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("Ngan-1", "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 10 ký tự."),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(client, clerk, new_password, message):
    client.force_login(clerk)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="accounts.password.change").exists()


def test_wrong_old_password_is_refused_in_vietnamese(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "khong-phai-mat-khau",
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
    )
    assert "Mật khẩu cũ không chính xác" in response.content.decode()


def test_password_change_keeps_the_session_and_is_audited(client, clerk):
    client.force_login(clerk)
    new = "Mot-mat-khau-moi-2026"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Mật khẩu của bạn đã được đổi." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("web:dashboard")
    clerk.refresh_from_db()
    assert clerk.check_password(new)
    entry = AuditEntry.objects.get(action="accounts.password.change")
    assert entry.actor_id == clerk.pk
    assert new not in str(entry.after) + entry.summary
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_password_change_action_applies_the_validators(clerk):
    from django.core.exceptions import ValidationError

    from coquan.accounts import actions

    with pytest.raises(ValidationError):
        actions.change_password(clerk, new_password="1234567890")
