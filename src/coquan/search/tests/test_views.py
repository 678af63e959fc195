"""The search pages: results with marks and facets, header box, suggestions, saved searches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coquan.audit.models import AuditEntry
from coquan.search.models import SavedSearch

pytestmark = pytest.mark.django_db

RESULTS = reverse("search:results")
SUGGEST = reverse("search:autocomplete")


@pytest.fixture
def signed_in(client, golden):
    client.force_login(golden.clerk)
    return client


def page_of(client, **params) -> str:
    response = client.get(RESULTS, params)
    assert response.status_code == 200
    return response.content.decode()


def test_results_mark_the_words_in_the_original_text(signed_in, golden):
    html = page_of(signed_in, q="dong da")
    assert "quận <mark>Đống</mark> <mark>Đa</mark>" in html
    assert reverse("documents:incoming_detail", args=[golden.docs["dongda"].pk]) in html
    assert "1 kết quả" in html
    assert 'value="dong da"' in html  # the header box and the page box keep the query


def test_number_search_and_facets(signed_in, golden):
    html = page_of(signed_in, q="QĐ-UBND")
    assert "05/<mark>QĐ-UBND</mark>" in html and "77/<mark>QĐ-UBND</mark>" in html
    assert "2 kết quả" in html
    assert 'data-testid="facet-type"' in html and "Quyết định (cá biệt)" in html
    assert "Ủy ban nhân dân tỉnh Bắc Giang" in html


def test_a_facet_link_filters_and_can_be_removed(signed_in, golden):
    html = page_of(signed_in, q="thong tin", type="quyet-dinh")
    assert "Loại văn bản: quyet-dinh" in html  # the filter in force, with its remove link
    assert golden.docs["tones"].subject not in html
    assert golden.docs["licence"].subject.split(" ")[0] in html
    html = page_of(signed_in, q="thong tin")
    assert "3 kết quả" in html or "2 kết quả" in html


def test_filters_by_year_status_urgency_and_dates(signed_in, golden):
    year = golden.docs["budget"].issued_date.year
    assert "2 kết quả" in page_of(signed_in, q="QĐ-UBND", year=year)
    assert "Không có kết quả" in page_of(signed_in, q="QĐ-UBND", year=year - 1)
    assert "2 kết quả" in page_of(signed_in, q="QĐ-UBND", status="registered")
    assert "Không có kết quả" in page_of(signed_in, q="QĐ-UBND", urgency="3")
    day = golden.docs["budget"].issued_date.strftime("%d/%m/%Y")
    assert "2 kết quả" in page_of(signed_in, q="QĐ-UBND", date_from=day, date_to=day)


def test_bad_filters_get_a_clear_message_not_an_error(signed_in):
    html = page_of(signed_in, q="quyet", year="hai nghìn", date_from="31/02/2026")
    assert 'data-testid="form-errors"' in html
    assert "Hãy nhập năm, ví dụ 2026." in html
    assert "Hãy nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/01/2026." in html
    html = page_of(signed_in, q="quy\x00et" + "x" * 2100)
    assert "Nội dung tìm quá dài (tối đa 2000 ký tự)." in html
    html = page_of(signed_in, q="quyet", date_from="10/10/2026", date_to="01/10/2026")
    assert "Ngày kết thúc trước ngày bắt đầu." in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"()"', "Hãy nhập một từ, một cụm từ hoặc một số văn bản để tìm."),
        ("-quyet", "Bạn chỉ loại trừ từ"),
        ("x" * 150, "quá dài"),
    ],
)
def test_an_unusable_query_gets_a_clear_message(signed_in, text, message):
    html = page_of(signed_in, q=text)
    assert 'data-testid="query-message"' in html and message in html


def test_empty_state_and_start_state(signed_in):
    html = page_of(signed_in, q="khong co van ban nao")
    assert 'data-testid="empty"' in html and "Không có kết quả cho “khong co van ban nao”" in html
    html = signed_in.get(RESULTS).content.decode()
    assert 'data-testid="start"' in html and "Tìm văn bản" in html


def test_pagination_keeps_the_query(signed_in, golden):
    for i in range(27):
        golden.register(subject=f"Thông báo kết quả kiểm tra số {i}", code_number=str(500 + i))
    html = page_of(signed_in, q="thong bao kiem tra", order="newest")
    assert "27 kết quả" in html and "Trang 1/2" in html
    assert html.count('data-testid="hit"') == 25
    assert "q=thong+bao+kiem+tra&amp;order=newest&amp;page=2" in html
    html = page_of(signed_in, q="thong bao kiem tra", order="newest", page=2)
    assert html.count('data-testid="hit"') == 2 and "Trang 2/2" in html
    html = page_of(signed_in, q="thong bao kiem tra", page=99)  # past the end: last page
    assert html.count('data-testid="hit"') == 2


def test_results_page_runs_a_constant_number_of_queries(
    client, golden, django_assert_max_num_queries
):
    client.force_login(golden.clerk)
    page_of(client, q="bao cao")  # warm caches (content types, sessions)
    with django_assert_max_num_queries(20) as few:
        page_of(client, q="bao cao")
    for i in range(30):
        golden.register(subject=f"Báo cáo thống kê tháng {i}", code_number=str(700 + i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page_of(client, q="bao cao")
    assert "31 kết quả" in html or "32 kết quả" in html


def test_suggestions_are_an_accessible_listbox(signed_in, golden):
    response = signed_in.get(SUGGEST, {"q": "05/QĐ-UB"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'role="listbox"' in html and 'role="option"' in html
    assert "<mark>05/QĐ-UBND</mark>" in html
    assert "<html" not in html  # a fragment for htmx
    assert 'data-url="/search/?q=05%2FQ%C4%90-UB"' in html  # "all results"


def test_suggestions_without_htmx_are_a_full_page(signed_in, golden):
    html = signed_in.get(SUGGEST, {"q": "quyet dinh cap ph"}).content.decode()
    assert "<html" in html and "Gợi ý cho “quyet dinh cap ph”" in html
    assert reverse("documents:incoming_detail", args=[golden.docs["licence"].pk]) in html
    html = signed_in.get(SUGGEST, {"q": '"'}).content.decode()
    assert 'data-testid="query-message"' in html


def test_suggestion_fragment_is_empty_when_nothing_matches(signed_in):
    response = signed_in.get(SUGGEST, {"q": "zzzz"}, headers={"HX-Request": "true"})
    assert response.content.decode().strip() == ""


def test_header_search_box_on_every_page_for_signed_in_people(client, desk):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'id="app-search-input"' not in html
    client.force_login(desk.clerk)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert 'id="app-search-input"' in html and 'role="combobox"' in html
    assert 'hx-get="/search/autocomplete/"' in html and 'action="/search/"' in html
    assert "Tìm văn bản" in html


def test_save_list_and_delete_a_search(signed_in, golden):
    response = signed_in.post(
        reverse("search:saved_create"),
        {"name": "Quyết định của UBND", "q": "QĐ-UBND", "type": "quyet-dinh"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("search:saved_list")
    saved = SavedSearch.objects.get(owner=golden.clerk)
    assert (saved.name, saved.query, saved.filters) == (
        "Quyết định của UBND",
        "QĐ-UBND",
        {"type": "quyet-dinh"},
    )
    assert AuditEntry.objects.filter(action="search.saved.create").count() == 1
    html = signed_in.get(reverse("search:saved_list")).content.decode()
    assert "Quyết định của UBND" in html and "q=Q%C4%90-UBND&amp;type=quyet-dinh" in html
    assert 'data-confirm="Xóa tìm kiếm đã lưu “Quyết định của UBND”?"' in html
    response = signed_in.post(reverse("search:saved_delete", args=[saved.pk]))
    assert response.status_code == 302 and not SavedSearch.objects.exists()
    assert AuditEntry.objects.filter(action="search.saved.delete").count() == 1


def test_saving_refuses_duplicates_and_empty_names_with_messages(signed_in, golden):
    url = reverse("search:saved_create")
    signed_in.post(url, {"name": "Báo cáo", "q": "bao cao"})
    response = signed_in.post(url, {"name": "Báo cáo", "q": "bao cao"}, follow=True)
    assert "Bạn đã có một tìm kiếm đã lưu với tên này." in response.content.decode()
    response = signed_in.post(url, {"name": "", "q": "bao cao"}, follow=True)
    assert "Trường này là bắt buộc." in response.content.decode()
    response = signed_in.post(url, {"name": "Rỗng", "q": '"'}, follow=True)
    assert "Hãy nhập một từ" in response.content.decode()
    assert SavedSearch.objects.count() == 1


def test_nobody_else_can_delete_a_saved_search(client, golden):
    saved = SavedSearch.objects.create(owner=golden.leader, name="Của lãnh đạo", query="x")
    client.force_login(golden.clerk)
    response = client.post(reverse("search:saved_delete", args=[saved.pk]))
    assert response.status_code == 404 and SavedSearch.objects.filter(pk=saved.pk).exists()
    html = client.get(reverse("search:saved_list")).content.decode()
    assert "Của lãnh đạo" not in html and 'data-testid="empty"' in html


def test_the_pages_switch_to_english(signed_in):
    signed_in.post(reverse("set_language"), {"language": "en", "next": RESULTS})
    html = page_of(signed_in, q="dong da")
    assert "1 result" in html and "Search documents" in html
