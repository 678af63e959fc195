"""Error pages 403/404/500 in Vietnamese, with the right status, as production serves them."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from coquan.core.testing.factories import AgencyFactory, make_member
from coquan.web.views import error_500

pytestmark = pytest.mark.urls("coquan.web.tests.urls_errors")


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


@pytest.mark.django_db
def test_404_page_is_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert "Trang bạn yêu cầu không tồn tại hoặc bạn không có quyền xem." in page
    assert '<html lang="vi">' in page


@pytest.mark.django_db
def test_404_page_keeps_the_layout_for_signed_in_people(client):
    client.force_login(make_member(AgencyFactory(name="Sở Thử nghiệm Lỗi"), "clerk"))
    page = client.get("/khong-co-trang-nay/").content.decode()
    assert "Không tìm thấy trang" in page
    assert "Sở Thử nghiệm Lỗi" in page  # header with the active agency
    assert 'id="main"' in page


@pytest.mark.django_db
def test_403_page_is_vietnamese_and_gives_the_reason(client):
    client.force_login(make_member(AgencyFactory(), "officer"))
    response = client.get("/test-errors/forbidden/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không có quyền truy cập" in page
    assert "Bạn không có quyền thực hiện thao tác này." in page
    assert "Bạn không có vai trò cần thiết để thực hiện thao tác này." in page


@pytest.mark.django_db
def test_500_page_is_vietnamese():
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Lỗi máy chủ" in page
    assert "Hệ thống gặp sự cố." in page
    assert "a bug in a view" not in page  # no internals leak


@pytest.mark.django_db
def test_500_page_renders_without_request_context(django_assert_num_queries):
    """Context processors query the database, which may be what failed: none may run."""
    request = RequestFactory().get("/")
    with translation.override("vi"), django_assert_num_queries(0):
        response = error_500(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Lỗi máy chủ" in page
    assert "csrfmiddlewaretoken" not in page
    assert "Điều hướng chính" not in page


def test_500_page_needs_no_database_at_all():
    # No django_db mark: any query would raise "Database access not allowed".
    request = RequestFactory().get("/")
    with translation.override("vi"):
        response = error_500(request)
    assert "Lỗi máy chủ" in response.content.decode()
