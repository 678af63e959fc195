"""Personal API tokens: web page, API, authentication end to end."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from coquan.accounts import actions
from coquan.accounts.models import ApiToken, hash_token
from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import make_member

TOKENS = "/accounts/tokens/"


def _audit_text() -> str:
    return " ".join(f"{e.summary} {e.before} {e.after}" for e in AuditEntry.objects.all())


# --- Actions ------------------------------------------------------------------------------------


def test_create_token_stores_only_the_hash_and_audits_without_the_secret(clerk):
    created = actions.create_token(clerk, name="  Cổng dịch vụ công  ")
    token = ApiToken.objects.get()
    assert created.raw.startswith("cq_") and len(created.raw) > 40
    assert token.name == "Cổng dịch vụ công"
    assert token.key_hash == hash_token(created.raw)
    assert token.prefix == created.raw[:11]
    assert created.raw not in str(ApiToken.objects.values().get())
    entry = AuditEntry.objects.get(action="accounts.token.create")
    assert entry.actor_id == clerk.pk and entry.object_id == str(token.pk)
    assert entry.after["prefix"] == token.prefix
    assert created.raw not in _audit_text()


@pytest.mark.parametrize(
    "name,expires_at,field",
    [
        ("   ", None, "name"),
        ("x" * 101, None, "name"),
        ("Hết hạn", timezone.now() - dt.timedelta(minutes=1), "expires_at"),
    ],
)
def test_create_token_refuses_bad_input_and_writes_nothing(clerk, name, expires_at, field):
    with pytest.raises(ValidationError) as caught:
        actions.create_token(clerk, name=name, expires_at=expires_at)
    assert field in caught.value.message_dict
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.token.create").exists()


def test_revoke_token_is_final(clerk):
    token = actions.create_token(clerk, name="Tạm").token
    actions.revoke_token(clerk, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(ValidationError):
        actions.revoke_token(clerk, token=token)
    assert AuditEntry.objects.filter(action="accounts.token.revoke").count() == 1


# --- Web page -----------------------------------------------------------------------------------


def test_token_page_shows_the_new_token_once_then_only_its_prefix(client, clerk):
    client.force_login(clerk)
    empty = client.get(TOKENS).content.decode()
    assert "Bạn chưa có mã truy cập API nào." in empty
    response = client.post(TOKENS, {"name": "Đồng bộ số liệu", "expires_on": ""})
    page = response.content.decode()
    token = ApiToken.objects.get(user=clerk)
    raw = re.search(r'value="(cq_[^"]+)" data-testid="raw-token"', page).group(1)
    assert hash_token(raw) == token.key_hash
    assert "chỉ hiển thị một lần" in page
    later = client.get(TOKENS).content.decode()
    assert raw not in later
    assert f"{token.prefix}…" in later
    assert "không thời hạn" in later
    assert "Đang hiệu lực" in later


def test_token_with_an_expiry_date_works_until_the_end_of_that_day(client, clerk):
    client.force_login(clerk)
    day = timezone.localdate() + dt.timedelta(days=30)
    client.post(TOKENS, {"name": "Có thời hạn", "expires_on": day.isoformat()})
    token = ApiToken.objects.get(user=clerk)
    expires = timezone.localtime(token.expires_at)
    assert (expires.date(), expires.hour, expires.minute) == (day, 23, 59)
    assert f"{day:%d/%m/%Y} 23:59" in client.get(TOKENS).content.decode()


def test_token_form_errors_are_vietnamese(client, clerk):
    client.force_login(clerk)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page = client.post(TOKENS, {"name": "", "expires_on": yesterday.isoformat()}).content.decode()
    assert "Trường này là bắt buộc." in page
    assert "Hãy chọn hôm nay hoặc một ngày sau hôm nay." in page
    assert not ApiToken.objects.exists()


def test_revoke_from_the_page(client, clerk):
    token = actions.create_token(clerk, name="Cũ").token
    client.force_login(clerk)
    page = client.get(TOKENS).content.decode()
    assert 'data-confirm="Thu hồi mã truy cập “Cũ”?' in page
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "Đã thu hồi mã truy cập “Cũ”" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    again = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "Mã truy cập này đã bị thu hồi." in again.content.decode()


def test_token_list_has_a_constant_number_of_queries(client, clerk, django_assert_max_num_queries):
    client.force_login(clerk)
    for number in range(3):
        actions.create_token(clerk, name=f"Mã {number}")
    with django_assert_max_num_queries(9) as few:  # 7 today; navigation may grow
        client.get(TOKENS)
    for number in range(3, 40):
        actions.create_token(clerk, name=f"Mã {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(TOKENS).content.decode()
    assert page.count('data-testid="token-row"') == 25
    assert "Trang 1/2" in page


# --- API ----------------------------------------------------------------------------------------


def _token_client(raw, keyword="Token"):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"{keyword} {raw}")
    return api


def test_api_creates_lists_and_revokes_tokens_end_to_end(clerk):
    session = APIClient()
    session.force_authenticate(clerk)
    created = session.post("/api/v1/me/tokens/", {"name": "Kịch bản đồng bộ"}, format="json")
    assert created.status_code == 201
    raw = created.json()["token"]
    assert created.json()["status"] == "active"

    for keyword in ("Token", "Bearer", "bearer"):
        me = _token_client(raw, keyword).get("/api/v1/me/")
        assert me.status_code == 200, keyword
        assert me.json()["username"] == "vanthu"
    token = ApiToken.objects.get(pk=created.json()["id"])
    assert token.last_used_at is not None

    listing = _token_client(raw).get("/api/v1/me/tokens/").json()
    assert listing["count"] == 1
    assert "token" not in listing["results"][0]
    assert listing["results"][0]["prefix"] == raw[:11]

    revoked = _token_client(raw).post(f"/api/v1/me/tokens/{token.pk}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    refused = _token_client(raw).get("/api/v1/me/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "token_revoked"
    assert refused.json()["error"]["message"] == "Mã truy cập này đã bị thu hồi."


def test_expired_token_is_refused_with_401(clerk):
    created = actions.create_token(
        clerk, name="Ngắn hạn", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    ApiToken.objects.filter(pk=created.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = _token_client(created.raw).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"
    assert response["WWW-Authenticate"] == "Token"


def test_token_of_a_deactivated_person_is_refused(clerk):
    created = actions.create_token(clerk, name="Cũ")
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    response = _token_client(created.raw).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


def test_api_token_creation_validates_input(clerk):
    api = APIClient()
    api.force_authenticate(clerk)
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    response = api.post("/api/v1/me/tokens/", {"name": "Cũ", "expires_at": past}, format="json")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert body["details"]["expires_at"] == ["Thời hạn phải là một thời điểm trong tương lai."]
    blank = api.post("/api/v1/me/tokens/", {"name": ""}, format="json")
    assert "name" in blank.json()["error"]["details"]
    assert not ApiToken.objects.exists()


def test_api_cannot_revoke_someone_elses_token(clerk, agency):
    other = make_member(agency, "clerk", username="vanthu2")
    token = actions.create_token(other, name="Của người khác").token
    api = APIClient()
    api.force_authenticate(clerk)
    response = api.post(f"/api/v1/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    token.refresh_from_db()
    assert token.revoked_at is None
    listed = api.get("/api/v1/me/tokens/").json()
    assert listed["count"] == 0


def test_api_token_list_has_a_constant_number_of_queries(clerk, django_assert_max_num_queries):
    raw = actions.create_token(clerk, name="Chính").raw
    api = _token_client(raw)
    api.get("/api/v1/me/tokens/")  # last_used_at is written on first use
    with django_assert_max_num_queries(3) as few:
        api.get("/api/v1/me/tokens/")
    for number in range(40):
        actions.create_token(clerk, name=f"Mã {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get("/api/v1/me/tokens/").json()
    assert body["count"] == 41 and len(body["results"]) == 25


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(header=st.text(max_size=300))
def test_any_authorization_header_gets_a_clean_answer(clerk, header):
    api = APIClient()
    try:
        api.credentials(HTTP_AUTHORIZATION=header)
    except ValueError:
        return
    response = api.get("/api/v1/me/")
    assert response.status_code in (200, 401, 403)
    if response.status_code == 401:
        assert set(response.json()["error"]) == {"code", "message", "details"}
