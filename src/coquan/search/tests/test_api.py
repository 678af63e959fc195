"""The search API: the same behaviour as the pages, JSON errors, saved searches CRUD."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coquan.documents.choices import Secrecy
from coquan.search.models import SavedSearch

pytestmark = pytest.mark.django_db

SEARCH = reverse("api:search")
SUGGEST = reverse("api:search-autocomplete")
SAVED = reverse("api:saved-search-list")


@pytest.fixture
def api(api_client, golden):
    api_client.force_authenticate(golden.clerk)
    return api_client


def test_search_returns_ranked_hits_with_highlights_and_facets(api, golden):
    body = api.get(SEARCH, {"q": "quyet dinh cap phep"}).json()
    assert body["count"] == 1 and body["page"] == 1 and body["num_pages"] == 1
    assert body["next"] is None and body["previous"] is None
    hit = body["results"][0]
    doc = golden.docs["licence"]
    assert hit["id"] == doc.pk and hit["number"] == "05/QĐ-UBND"
    assert hit["url"] == reverse("documents:incoming_detail", args=[doc.pk])
    assert hit["title"] == doc.subject and hit["date"] == doc.issued_date.isoformat()
    assert hit["status"] == "registered" and hit["status_label"] == "Đã vào sổ"
    assert hit["highlight"]["title"].startswith("<mark>Quyết</mark> <mark>định</mark> <mark>cấp")
    assert hit["highlight"]["signer"] == "Chủ tịch Nguyễn Văn Lĩnh"
    assert body["facets"]["type"] == [
        {"value": "quyet-dinh", "label": "Quyết định (cá biệt)", "count": 1}
    ]
    assert body["facets"]["year"][0]["count"] == 1
    assert set(body["facets"]) == {"kind", "type", "year", "issuer", "status"}


def test_filters_and_order(api, golden):
    body = api.get(SEARCH, {"q": "QĐ-UBND", "type": "quyet-dinh", "order": "oldest"}).json()
    assert [h["number"] for h in body["results"]] == ["05/QĐ-UBND", "77/QĐ-UBND"]
    assert api.get(SEARCH, {"q": "QĐ-UBND", "type": "bao-cao"}).json()["count"] == 0
    issuer = "Ủy ban nhân dân tỉnh Bắc Giang"
    assert api.get(SEARCH, {"q": "thong tin", "issuer": issuer}).json()["count"] == 2


def test_pages_link_to_each_other(api, golden):
    for i in range(4):
        golden.register(subject=f"Giấy mời dự hội nghị số {i}", code_number=str(900 + i))
    body = api.get(SEARCH, {"q": "giay moi hoi nghi", "page_size": 3}).json()
    assert body["count"] == 4 and body["num_pages"] == 2 and len(body["results"]) == 3
    assert "page=2" in body["next"] and body["previous"] is None
    second = api.get(body["next"]).json()
    assert len(second["results"]) == 1 and "page=" not in second["previous"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x", "year": "abc"}, "year"),
        ({"q": "x", "date_from": "2026-13-45"}, "date_from"),
        ({"q": "x", "type": "không hợp lệ"}, "type"),
        ({"q": "x", "order": "random"}, "order"),
        ({"q": "x", "page_size": "1000"}, "page_size"),
    ],
)
def test_bad_filters_answer_400_with_the_field(api, params, field):
    response = api.get(SEARCH, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["details"]


@pytest.mark.parametrize("text", ["", '"', "-quyet", "NOT OR AND"])
def test_unusable_query_answers_400_invalid_query(api, text):
    response = api.get(SEARCH, {"q": text})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_query" and error["message"] and error["details"]["q"]


def test_autocomplete(api, golden):
    body = api.get(SUGGEST, {"q": "2491/STC-BC"}).json()
    assert [h["number"] for h in body["results"]] == ["2491/STC-BCTC"]
    assert api.get(SUGGEST, {"q": '"'}).json() == {"results": []}


def test_secret_and_foreign_documents_never_appear(api_client, golden):
    golden.register(
        subject="Kế hoạch bảo vệ bí mật nhà nước", code_number="66", secrecy=Secrecy.SECRET
    )
    golden.register(
        golden.outsider, agency=golden.other, subject="Kế hoạch bảo vệ bí mật ngành tài chính"
    )
    api_client.force_authenticate(golden.leader)
    body = api_client.get(SEARCH, {"q": "bi mat"}).json()
    assert body["count"] == 0 and body["results"] == []
    assert all(values == [] for values in body["facets"].values())
    assert api_client.get(SUGGEST, {"q": "bi ma"}).json()["results"] == []
    # Naming our agency in X-Agency does not help someone who is not a member.
    api_client.force_authenticate(golden.outsider)
    body = api_client.get(SEARCH, {"q": "bi mat"}, headers={"X-Agency": "000.00.21.H10"}).json()
    assert [h["title"] for h in body["results"]] == ["Kế hoạch bảo vệ bí mật ngành tài chính"]


def test_anonymous_is_refused(api_client, golden):
    assert api_client.get(SEARCH, {"q": "x"}).status_code in (401, 403)
    assert api_client.get(SUGGEST, {"q": "x"}).status_code in (401, 403)
    assert api_client.get(SAVED).status_code in (401, 403)


def test_search_runs_a_constant_number_of_queries(api, golden, django_assert_max_num_queries):
    api.get(SEARCH, {"q": "bao cao"})
    with django_assert_max_num_queries(8) as few:
        api.get(SEARCH, {"q": "bao cao"})
    for i in range(30):
        golden.register(subject=f"Báo cáo nhanh số {i}", code_number=str(300 + i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get(SEARCH, {"q": "bao cao"}).json()
    assert body["count"] == 31 and len(body["results"]) == 25


def test_saved_searches_crud(api, golden):
    response = api.post(
        SAVED, {"name": "Báo cáo tài chính", "query": "bao cao", "filters": {"type": "bao-cao"}}
    )
    assert response.status_code == 201, response.content
    saved = response.json()
    assert saved["filters"] == {"type": "bao-cao"}
    assert saved["search_url"] == "/search/?q=bao+cao&type=bao-cao"
    detail = reverse("api:saved-search-detail", args=[saved["id"]])
    response = api.patch(detail, {"name": "Báo cáo của Sở Tài chính"})
    assert response.status_code == 200 and response.json()["name"] == "Báo cáo của Sở Tài chính"
    assert [s["name"] for s in api.get(SAVED).json()["results"]] == ["Báo cáo của Sở Tài chính"]
    assert api.delete(detail).status_code == 204
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "", "query": "x"}, "name"),
        ({"name": "A", "query": '"'}, "query"),
        ({"name": "A", "query": "x", "filters": {"colour": "red"}}, "filters"),
        ({"name": "A", "query": "x", "filters": {"year": "abc"}}, "filters"),
        ({"name": "A\x00", "query": "x" * 600}, "query"),
    ],
)
def test_saved_search_validation(api, payload, field):
    response = api.post(SAVED, payload)
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]
    assert not SavedSearch.objects.exists()


def test_duplicate_names_are_refused(api):
    api.post(SAVED, {"name": "Một", "query": "x"})
    response = api.post(SAVED, {"name": "Một", "query": "y"})
    assert response.status_code == 400 and "name" in response.json()["error"]["details"]


def test_other_peoples_saved_searches_are_404(api_client, golden):
    saved = SavedSearch.objects.create(owner=golden.leader, name="Riêng", query="x")
    api_client.force_authenticate(golden.clerk)
    detail = reverse("api:saved-search-detail", args=[saved.pk])
    assert api_client.get(detail).status_code == 404
    assert api_client.patch(detail, {"name": "Của tôi"}).status_code == 404
    assert api_client.delete(detail).status_code == 404
    assert api_client.get(SAVED).json()["results"] == []
    saved.refresh_from_db()
    assert saved.name == "Riêng"
