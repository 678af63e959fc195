"""Per-agency document types: the administrator switches decree types off, renames them for
the agency, adds the agency's own; registration offers exactly the agency's types."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coquan.core.testing.factories import make_member
from coquan.documents import actions
from coquan.documents.models import DocumentType

pytestmark = pytest.mark.django_db
PAGE = reverse("documents:document_types")


@pytest.fixture
def admin(office):
    return make_member(office.agency, "admin", username="quantri")


def available(agency):
    return {t.code: t for t in DocumentType.objects.available_to(agency)}


def test_admin_switches_a_decree_type_off_and_on(client, office, admin):
    client.force_login(admin)
    assert client.get(PAGE).status_code == 200
    response = client.post(PAGE, {"code": "cong-dien", "name": "Công điện"})
    assert response.status_code == 302
    assert "cong-dien" not in available(office.agency)
    other = make_member(office.outsider.memberships.first().agency, "admin", username="qt2")
    assert "cong-dien" in available(other.memberships.first().agency)  # other agencies unchanged
    client.post(PAGE, {"code": "cong-dien", "name": "Công điện", "is_active": "on"})
    assert "cong-dien" in available(office.agency)
    html = client.get(PAGE).content.decode()
    assert "Công điện" in html and "đã đổi" in html


def test_admin_adds_an_own_type_with_its_abbreviation(client, office, admin):
    client.force_login(admin)
    client.post(PAGE, {"name": "Phiếu trình", "abbreviation": "PTr", "is_active": "on"})
    own = available(office.agency)["phieu-trinh"]
    assert (own.agency, own.abbreviation) == (office.agency, "PTr")
    client.force_login(office.clerk)
    form = client.get(reverse("documents:incoming_create")).content.decode()
    assert "Phiếu trình" in form
    doc = office.register(document_type=own, code_number="9")
    assert doc.document_type == own


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": ""}, "name"),
        ({"name": "Loại mới", "abbreviation": "A B/C"}, "abbreviation"),
        ({"name": "Loại mới", "abbreviation": "ABCDEFGHIJK"}, "abbreviation"),
    ],
)
def test_bad_input_is_refused_clearly(client, office, admin, data, field):
    client.force_login(admin)
    before = DocumentType.objects.count()
    response = client.post(PAGE, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert DocumentType.objects.count() == before


@pytest.mark.parametrize("who", ["clerk", "leader", "officer"])
def test_only_administrators_manage_types(client, office, who):
    client.force_login(getattr(office, who))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "Loại lạ"}).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.save_document_type(getattr(office, who), agency=office.agency, name="Loại lạ")


def test_outsiders_get_404_for_another_agency(client, office):
    client.force_login(office.outsider)
    assert client.get(PAGE + f"?agency={office.agency.pk}").status_code == 404


def test_the_action_validates(office, admin):
    with pytest.raises(ValidationError):
        actions.save_document_type(admin, agency=office.agency, name="x" * 101)
