"""Outgoing documents and one-stop dossiers in the same index as incoming documents: found
with or without tone marks, only by the people their own ``visible_to`` lets see them, and
told apart by the ``kind`` facet and filter (web page and API alike)."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse

from coquan.core.testing.factories import make_member
from coquan.documents import actions as documents
from coquan.onestop.tests.conftest import build_office
from coquan.search.backends import SearchFilters, get_backend

pytestmark = pytest.mark.django_db

OUTGOING = "documents.outgoingdocument"
INCOMING = "documents.incomingdocument"
DOSSIER = "onestop.dossier"


def draft(desk, actor=None, **overrides):
    values = {
        "agency": desk.agency,
        "document_type": desk.doc_type("cong-van"),
        "subject": "Dự thảo kế hoạch ứng dụng công nghệ thông tin ở xã Đồng Phúc",
        "drafting_unit": desk.unit,
    }
    values.update(overrides)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return documents.create_draft(actor or desk.officer, **values)


def ids(page):
    return {(hit.kind, hit.object_id) for hit in page.hits}


def test_a_draft_is_found_without_tone_marks_by_its_drafter_only(desk):
    document = draft(desk)
    page = desk.search("du thao ke hoach ung dung dong phuc", desk.officer)
    assert [hit.object_id for hit in page.hits] == [document.pk]
    hit = page.hits[0]
    assert hit.url == reverse("documents:outgoing_detail", args=[document.pk])
    assert hit.status == "draft" and str(hit.status_label) == "Dự thảo"
    assert hit.issuer == desk.agency.name
    # Not on the draft's chain: a bystander officer, the clerk, another agency.
    for person in (desk.bystander, desk.clerk):
        assert desk.search("dong phuc", person).count == 0
        assert desk.backend.autocomplete("dong ph", person, agency=desk.agency) == []
    assert desk.backend.search("dong phuc", desk.outsider, agency=desk.other).count == 0


def test_a_secret_draft_stays_with_its_chain(desk):
    secret = draft(
        desk, subject="Phương án bảo vệ bí mật nhà nước năm 2026", secrecy="confidential"
    )
    assert {h.object_id for h in desk.search("bi mat nha nuoc", desk.officer).hits} == {secret.pk}
    page = desk.backend.search("bi mat nha nuoc", desk.leader, agency=desk.agency, facets=True)
    assert page.count == 0 and all(not values for values in page.facets.values())


def test_kind_facet_and_filter_separate_incoming_and_outgoing(desk):
    incoming = desk.register(subject="Kế hoạch chuyển đổi số tỉnh Bắc Giang", code_number="7")
    outgoing = draft(desk, desk.leader, subject="Báo cáo kết quả chuyển đổi số quý IV")
    page = desk.backend.search("chuyen doi so", desk.leader, agency=desk.agency, facets=True)
    assert {(v.value, v.count) for v in page.facets["kind"]} == {(INCOMING, 1), (OUTGOING, 1)}
    labels = {v.value: v.label for v in page.facets["kind"]}
    assert labels[OUTGOING] == "Văn bản đi"
    only_outgoing = desk.backend.search(
        "chuyen doi so", desk.leader, agency=desk.agency, filters=SearchFilters(kind=OUTGOING)
    )
    assert [h.object_id for h in only_outgoing.hits] == [outgoing.pk]
    only_incoming = desk.backend.search(
        "chuyen doi so", desk.leader, agency=desk.agency, filters=SearchFilters(kind=INCOMING)
    )
    assert [h.object_id for h in only_incoming.hits] == [incoming.pk]
    unknown = desk.backend.search(
        "chuyen doi so", desk.leader, agency=desk.agency, filters=SearchFilters(kind="x.y")
    )
    assert unknown.count == 0


def test_kind_filter_on_the_page_and_the_api(client, desk):
    desk.register(subject="Kế hoạch chuyển đổi số tỉnh Bắc Giang", code_number="7")
    outgoing = draft(desk, desk.leader, subject="Báo cáo kết quả chuyển đổi số quý IV")
    client.force_login(desk.leader)
    response = client.get(reverse("search:results"), {"q": "chuyển đổi số", "kind": OUTGOING})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Báo cáo kết quả" in html and "Bắc Giang" not in html
    assert 'data-testid="facet-kind"' in html and "Văn bản đi" in html
    response = client.get(reverse("search:results"), {"q": "chuyển đổi số", "kind": "nope"})
    assert response.status_code == 200 and 'data-testid="form-errors"' in response.content.decode()

    api = client.get("/api/v1/search/", {"q": "chuyen doi so", "kind": OUTGOING})
    assert api.status_code == 200
    body = api.json()
    assert [row["id"] for row in body["results"]] == [outgoing.pk]
    assert {row["value"] for row in body["facets"]["kind"]} == {OUTGOING}
    bad = client.get("/api/v1/search/", {"q": "chuyen doi so", "kind": "nope"})
    assert bad.status_code == 400 and "kind" in str(bad.json())


@pytest.fixture
def office(db):
    return build_office()


def test_dossiers_are_found_by_code_procedure_and_applicant_by_their_desk(office):
    with TestCase.captureOnCommitCallbacks(execute=True):
        dossier = office.accept(applicant_name="Công ty TNHH Điện tử Đồng Tiến")
    backend = get_backend()
    for text in (
        dossier.dossier_code,
        "cap phep xay dung tram bts",
        "dong tien",
        "ĐỒNG TIẾN",
    ):
        page = backend.search(text, office.desk, agency=office.agency, facets=True)
        assert [h.object_id for h in page.hits] == [dossier.pk], text
    hit = page.hits[0]
    assert hit.url == reverse("onestop:dossier_detail", args=[dossier.pk])
    assert hit.number == dossier.dossier_code
    assert {v.value for v in page.facets["kind"]} == {DOSSIER}
    assert [v.value for v in page.facets["type"]] == ["1.005129"]
    by_code = backend.search(
        "dong tien",
        office.desk,
        agency=office.agency,
        filters=SearchFilters(type="1.005129", kind=DOSSIER),
    )
    assert by_code.count == 1
    suggestions = backend.autocomplete("dong ti", office.desk, agency=office.agency)
    assert [h.object_id for h in suggestions] == [dossier.pk]


def test_dossiers_with_personal_data_stay_hidden_from_others(office):
    with TestCase.captureOnCommitCallbacks(execute=True):
        office.accept(applicant_name="Công ty TNHH Điện tử Đồng Tiến")
    backend = get_backend()
    # Not handed to the press unit's officer yet; another agency; a clerk of the agency.
    clerk = make_member(office.agency, "clerk", username="os_clerk_search")
    for person, agency in (
        (office.officer2, office.agency),
        (clerk, office.agency),
        (office.outsider, office.outsider.memberships.first().agency),
    ):
        page = backend.search("dong tien", person, agency=agency, facets=True)
        assert page.count == 0 and not page.hits
        assert all(not values for values in page.facets.values())
        assert backend.autocomplete("dong ti", person, agency=agency) == []


def test_the_procedure_code_filter_is_accepted_by_the_form(client, office):
    with TestCase.captureOnCommitCallbacks(execute=True):
        office.accept(applicant_name="Công ty TNHH Điện tử Đồng Tiến")
    client.force_login(office.desk)
    api = client.get("/api/v1/search/", {"q": "dong tien", "type": "1.005129"})
    assert api.status_code == 200 and api.json()["count"] == 1
    bad = client.get("/api/v1/search/", {"q": "dong tien", "type": "1.005129'; --"})
    assert bad.status_code == 400 and "type" in bad.json()["error"]["details"]
