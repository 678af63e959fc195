"""Two-step verification: enrolment, sign-in with a code, backup codes, disabling, policy."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coquan.accounts import actions, second_factor
from coquan.accounts.tests.conftest import code_for, enrol
from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import PASSWORD, make_member
from coquan.org.models import Role

SETUP = "/accounts/two-step/"
VERIFY = "/accounts/two-step/verify/"


def _password_login(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def _audit_text() -> str:
    return " ".join(f"{e.summary} {e.before} {e.after}" for e in AuditEntry.objects.all())


# --- Enrolment ----------------------------------------------------------------------------------


def test_setup_page_shows_a_qr_code_and_the_key_for_manual_entry(client, clerk):
    client.force_login(clerk)
    page = client.get(SETUP).content.decode()
    key = client.session[second_factor.PENDING_KEY_SESSION]
    assert 'src="data:image/svg+xml;base64,' in page
    assert second_factor.key_as_base32(key) in page
    assert "Thiết lập xác thực hai bước" in page
    assert not TOTPDevice.objects.filter(user=clerk).exists()  # nothing stored before confirm
    # The same key is offered until it is confirmed (a reload must not break a scanned code).
    client.get(SETUP)
    assert client.session[second_factor.PENDING_KEY_SESSION] == key


def test_enrolment_with_a_real_code_turns_it_on_and_shows_backup_codes_once(client, clerk):
    client.force_login(clerk)
    client.get(SETUP)
    key = client.session[second_factor.PENDING_KEY_SESSION]
    response = client.post(SETUP, {"code": code_for(key)})
    assert response.status_code == 200
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=clerk)
    assert device.confirmed and device.key == key
    codes = set(StaticToken.objects.filter(device__user=clerk).values_list("token", flat=True))
    assert len(codes) == second_factor.BACKUP_CODE_COUNT
    assert all(code in page for code in codes)
    assert "Mã dự phòng của bạn" in page
    assert second_factor.PENDING_KEY_SESSION not in client.session
    # The session that enrolled is verified; the codes are not shown again.
    status = client.get(SETUP).content.decode()
    assert "Đang bật" in status
    assert not any(code in status for code in codes)
    entry = AuditEntry.objects.get(action="accounts.second_factor.enable")
    assert entry.actor_id == clerk.pk
    assert entry.after == {"second_factor": "totp", "backup_codes": 10}
    text = _audit_text()
    assert key not in text and second_factor.key_as_base32(key) not in text
    assert not any(code in text for code in codes)


def test_a_wrong_code_does_not_turn_it_on(client, clerk):
    client.force_login(clerk)
    client.get(SETUP)
    key = client.session[second_factor.PENDING_KEY_SESSION]
    wrong = f"{(int(code_for(key)) + 500000) % 1000000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert "Mã không đúng hoặc đã hết hạn." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not StaticDevice.objects.filter(user=clerk).exists()
    assert client.session[second_factor.PENDING_KEY_SESSION] == key


def test_enrolling_twice_is_refused(clerk):
    enrol(clerk)
    key = second_factor.new_key()
    with pytest.raises(ValidationError):
        actions.enable_second_factor(clerk, key=key, code=code_for(key))
    assert TOTPDevice.objects.filter(user=clerk).count() == 1


# --- Sign-in with a second factor ----------------------------------------------------------------


def test_enrolled_person_must_enter_a_code_after_the_password(client, clerk):
    enrolment = enrol(clerk)
    _password_login(client, "vanthu")
    response = client.get("/accounts/tokens/?page=1")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Faccounts%2Ftokens%2F%3Fpage%3D1"
    assert client.get("/api/v1/me/").status_code == 403

    page = client.get(response["Location"])
    assert "Nhập mã xác thực một lần" in page.content.decode()
    response = client.post(
        VERIFY,
        {"code": code_for(enrolment.device.key, steps_ahead=1), "next": "/accounts/tokens/?page=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/?page=1"
    assert client.get("/accounts/tokens/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    entry = AuditEntry.objects.filter(action="accounts.second_factor.verify").latest("seq")
    assert entry.after == {"verified": True, "method": "totp", "throttled": False}


def test_api_refuses_a_session_that_skipped_the_code(client, clerk):
    enrol(clerk)
    _password_login(client, "vanthu")
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_required"


def test_a_used_code_cannot_be_replayed(client, clerk):
    key = second_factor.new_key()
    code = code_for(key)
    actions.enable_second_factor(clerk, key=key, code=code)
    _password_login(client, "vanthu")
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn." in response.content.decode()
    assert client.get("/").status_code == 302


def test_verify_ignores_a_next_url_on_another_site(client, clerk):
    enrolment = enrol(clerk)
    _password_login(client, "vanthu")
    response = client.post(
        VERIFY,
        {"code": code_for(enrolment.device.key, 1), "next": "https://evil.example/steal"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")


def test_wrong_codes_are_audited_and_throttled(client, clerk):
    enrolment = enrol(clerk)
    _password_login(client, "vanthu")
    right = code_for(enrolment.device.key, 1)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    first = client.post(VERIFY, {"code": wrong}).content.decode()
    assert "Mã không đúng hoặc đã hết hạn." in first
    # django-otp now asks to wait (1 s, then 2, 4 …): even the right code waits.
    second = client.post(VERIFY, {"code": right}).content.decode()
    assert "Vui lòng chờ vài giây rồi thử lại." in second
    entries = AuditEntry.objects.filter(action="accounts.second_factor.verify").order_by("seq")
    assert [e.after["verified"] for e in entries] == [False, False]
    assert entries.last().after["throttled"] is True


def test_a_backup_code_works_once(client, clerk, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    enrolment = enrol(clerk)
    code = enrolment.backup_codes[0]
    _password_login(client, "vanthu")
    response = client.post(VERIFY, {"code": code.upper()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:dashboard")
    assert "Số mã dự phòng còn lại: 9." in response.content.decode()
    entry = AuditEntry.objects.filter(action="accounts.second_factor.verify").latest("seq")
    assert entry.after["method"] == "backup_code"
    assert code not in _audit_text()

    client.post(reverse("accounts:logout"))
    _password_login(client, "vanthu")
    again = client.post(VERIFY, {"code": code})
    assert "Mã không đúng hoặc đã hết hạn." in again.content.decode()
    other = client.post(VERIFY, {"code": enrolment.backup_codes[1]})
    assert other.status_code == 302
    assert StaticToken.objects.filter(device__user=clerk).count() == 8


def test_verify_page_sends_people_without_a_device_to_setup(client, clerk):
    client.force_login(clerk)
    response = client.get(f"{VERIFY}?next=/calendar/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fcalendar%2F"


# --- Policy -------------------------------------------------------------------------------------


def test_role_requiring_a_second_factor_forces_setup_then_verified_sessions_pass(
    client, clerk, superuser
):
    clerk_role = Role.objects.get(code="clerk")
    actions.set_second_factor_policy(superuser, role=clerk_role, required=True)
    client.force_login(clerk)

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2F"
    response = client.get(response["Location"])
    assert response["Location"] == f"{SETUP}?next=%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Quản trị viên yêu cầu tài khoản của bạn dùng xác thực hai bước." in page
    # Other pages stay closed until the person has a verified device.
    assert client.get("/accounts/tokens/").status_code == 302

    key = client.session[second_factor.PENDING_KEY_SESSION]
    done = client.post(SETUP, {"code": code_for(key), "next": "/"})
    assert 'href="/"' in done.content.decode()
    assert client.get("/").status_code == 200

    # A new sign-in asks for the code again; a verified session passes.
    client.post(reverse("accounts:logout"))
    _password_login(client, "vanthu")
    assert client.get("/").status_code == 302
    client.post(VERIFY, {"code": code_for(key, 1)})
    assert client.get("/").status_code == 200


def test_the_policy_of_one_role_does_not_touch_other_roles(client, agency, superuser):
    officer = make_member(agency, "officer", username="chuyenvien")
    actions.set_second_factor_policy(superuser, role=Role.objects.get(code="clerk"), required=True)
    client.force_login(officer)
    assert client.get("/").status_code == 200


def test_personal_flag_forces_a_second_factor(client, clerk, superuser):
    actions.set_second_factor_policy(superuser, user=clerk, required=True)
    client.force_login(clerk)
    assert client.get("/").status_code == 302
    entry = AuditEntry.objects.get(action="accounts.second_factor.policy")
    assert (entry.object_type, entry.summary) == ("accounts.user", "user vanthu")
    assert entry.before == {"require_second_factor": False}
    assert entry.after == {"require_second_factor": True}


def test_policy_page_toggles_roles_and_people(client, clerk, superuser):
    client.force_login(superuser)
    enrol(superuser)
    client.post(reverse("accounts:logout"))
    # A superuser with a device must verify first, like anyone else.
    _password_login(client, "quantri")
    device = TOTPDevice.objects.get(user=superuser)
    client.post(VERIFY, {"code": code_for(device.key, 1)})

    page = client.get(reverse("accounts:second_factor_policy")).content.decode()
    assert "Chính sách xác thực hai bước" in page
    assert 'data-user="vanthu"' in page

    response = client.post(
        reverse("accounts:second_factor_policy"), {"role": "leader", "required": "1"}, follow=True
    )
    assert "Từ nay Lãnh đạo phải đăng nhập bằng mã xác thực một lần." in response.content.decode()
    assert Role.objects.get(code="leader").require_second_factor is True

    client.post(
        reverse("accounts:second_factor_policy") + "?q=vanthu",
        {"user": clerk.pk, "required": "1"},
    )
    clerk.refresh_from_db()
    assert clerk.require_second_factor is True
    found = client.get(reverse("accounts:second_factor_policy") + "?q=vanthu").content.decode()
    assert 'data-user="vanthu"' in found and 'data-user="quantri"' not in found

    bad = client.post(reverse("accounts:second_factor_policy"), {"required": "1"}, follow=True)
    assert "Hãy chọn một vai trò hoặc một người" in bad.content.decode()


def test_policy_people_list_has_a_constant_number_of_queries(
    client, agency, superuser, django_assert_max_num_queries
):
    client.force_login(superuser)
    for number in range(30):
        user = make_member(agency, "officer", username=f"cv{number:02d}")
        if number % 3 == 0:
            enrol(user)
    with django_assert_max_num_queries(10):  # 8 today; navigation may grow
        page = client.get(reverse("accounts:second_factor_policy"))
    assert page.status_code == 200
    assert len(re.findall(r'data-user="', page.content.decode())) == 25


def test_only_superusers_may_set_the_policy(agency, clerk):
    admin = make_member(agency, "admin", username="admin_co_quan")
    with pytest.raises(PermissionDenied):
        actions.set_second_factor_policy(admin, role=Role.objects.get(code="clerk"), required=True)
    assert AuditEntry.objects.filter(action="permission_denied").exists()


# --- Disable and new backup codes -----------------------------------------------------------------


def _verified_client(client, user, enrolment):
    _password_login(client, user.username)
    client.post(VERIFY, {"code": code_for(enrolment.device.key, 1)})
    assert client.get("/").status_code == 200


def test_disabling_needs_a_current_code(client, clerk, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    enrolment = enrol(clerk)
    _verified_client(client, clerk, enrolment)

    response = client.post(reverse("accounts:otp_disable"), {"disable-code": "zzzzzzzz"})
    assert "Mã không đúng hoặc đã hết hạn." in response.content.decode()
    assert TOTPDevice.objects.filter(user=clerk).exists()
    denial = AuditEntry.objects.filter(action="permission_denied").latest("seq")
    assert denial.summary.startswith("accounts.second_factor.disable")

    response = client.post(
        reverse("accounts:otp_disable"), {"disable-code": enrolment.backup_codes[0]}, follow=True
    )
    assert "Đã tắt xác thực hai bước." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not StaticDevice.objects.filter(user=clerk).exists()
    assert AuditEntry.objects.filter(action="accounts.second_factor.disable").count() == 1
    # Not required by policy: the person goes on without a code.
    assert client.get("/").status_code == 200


def test_disabling_under_a_policy_asks_to_enrol_again(client, clerk, superuser):
    enrolment = enrol(clerk)
    actions.set_second_factor_policy(superuser, user=clerk, required=True)
    _verified_client(client, clerk, enrolment)
    client.post(
        reverse("accounts:otp_disable"), {"disable-code": code_for(enrolment.device.key, 2)}
    )
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    response = client.get("/")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"].startswith(SETUP)


def test_new_backup_codes_replace_the_old_ones(client, clerk, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    enrolment = enrol(clerk)
    _verified_client(client, clerk, enrolment)
    response = client.post(
        reverse("accounts:otp_backup_codes"), {"codes-code": enrolment.backup_codes[0]}
    )
    new_codes = set(StaticToken.objects.filter(device__user=clerk).values_list("token", flat=True))
    assert len(new_codes) == 10
    assert not new_codes & set(enrolment.backup_codes)
    page = response.content.decode()
    assert all(code in page for code in new_codes)
    entry = AuditEntry.objects.get(action="accounts.second_factor.backup_codes")
    assert entry.after == {"backup_codes": 10}

    wrong = client.post(reverse("accounts:otp_backup_codes"), {"codes-code": "abcdefgh"})
    assert "Mã không đúng hoặc đã hết hạn." in wrong.content.decode()
