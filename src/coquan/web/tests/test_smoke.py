import pytest
from django.urls import reverse

from coquan.core.testing.factories import AgencyFactory, make_member


@pytest.mark.django_db
def test_login_page_is_vietnamese(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_dashboard_shows_active_agency(client):
    agency = AgencyFactory(name="Sở Thông tin và Truyền thông")
    user = make_member(agency, "clerk")
    client.force_login(user)
    response = client.get(reverse("web:dashboard"))
    assert "Sở Thông tin và Truyền thông" in response.content.decode()
