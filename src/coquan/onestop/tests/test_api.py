"""The one-stop API: the whole journey, structured errors that change nothing, the public
lookup without personal data, catalogue import/export, constant queries on lists."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from coquan.audit.models import AuditEntry
from coquan.onestop import actions
from coquan.onestop.choices import DossierStatus
from coquan.onestop.models import Dossier, DossierExtension, DossierStatusChange, Procedure
from coquan.onestop.tests.test_web import PDF_BYTES, PERSONAL

pytestmark = pytest.mark.django_db

BASE = "/api/v1/onestop"


def _reception(office, **overrides) -> dict:
    data = {
        "procedure": office.procedure.pk,
        "components": office.components("Đơn", "Bản vẽ", "Giấy phép"),
        **office.applicant(),
    }
    data.update(overrides)
    return data


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "details"} <= set(body["error"])
    return body["error"]


def test_journey_through_the_api(api_client, office):
    api_client.force_login(office.desk)
    response = api_client.post(f"{BASE}/reception/accept/", _reception(office), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    dossier_id = body["id"]
    assert body["status"] == "2" and body["dossier_code"].startswith("000.00.14.H06-")
    assert body["forms"] == ["01", "05"]
    url = f"{BASE}/dossiers/{dossier_id}"
    assert (
        api_client.post(
            f"{url}/forward/", {"assignee_user": office.officer.pk}, format="json"
        ).status_code
        == 200
    )
    api_client.force_login(office.officer)
    response = api_client.post(f"{url}/supplement/", {"items": ["Bản vẽ móng"]}, format="json")
    assert response.json()["status"] == "5" and response.json()["due_at"] is None
    api_client.force_login(office.desk)
    upload = SimpleUploadedFile("bo-sung.pdf", PDF_BYTES, "application/pdf")
    response = api_client.post(
        f"{url}/resubmit/", {"note": "Đủ", "files": [upload]}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "4"
    api_client.force_login(office.officer)
    assert api_client.post(f"{url}/forward/", {}, format="json").status_code == 200
    api_client.force_login(office.unit_leader)
    assert (
        api_client.post(
            f"{url}/forward/", {"assignee_user": office.leader.pk}, format="json"
        ).status_code
        == 200
    )
    api_client.force_login(office.leader)
    response = api_client.post(f"{url}/approve/", {"result_note": "GP số 15"}, format="json")
    assert response.json()["status"] == "9" and response.json()["timeliness"] in (
        "early",
        "on_time",
    )
    api_client.force_login(office.desk)
    response = api_client.post(f"{url}/return-result/", {}, format="json")
    assert response.json()["status"] == "10"
    detail = api_client.get(f"{url}/").json()
    assert [c["to_status"] for c in detail["status_changes"]] == ["2", "4", "5", "4", "9", "10"]
    assert [t["kind"] for t in detail["transfers"]] == [
        "reception",
        "forward",
        "supplement",
        "resubmission",
        "forward",
        "forward",
        "result",
        "delivery",
    ]
    pdf = api_client.get(f"{url}/forms/01/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert api_client.get(f"{url}/forms/04/").status_code == 404


def test_unknown_procedure_is_a_structured_error(api_client, office):
    api_client.force_login(office.desk)
    for procedure in (999999, "abc"):
        response = api_client.post(
            f"{BASE}/reception/accept/", _reception(office, procedure=procedure), format="json"
        )
        assert response.status_code == 400
        assert "procedure" in _error(response)["details"]
    # A draft version cannot receive dossiers either.
    draft = actions.new_version(office.admin, procedure=office.procedure)
    response = api_client.post(
        f"{BASE}/reception/accept/", _reception(office, procedure=draft.pk), format="json"
    )
    assert "procedure" in _error(response)["details"]
    assert not Dossier.objects.exists()


def test_missing_mandatory_components_change_nothing(api_client, office):
    api_client.force_login(office.desk)
    audit_before = AuditEntry.objects.count()
    response = api_client.post(
        f"{BASE}/reception/accept/",
        _reception(office, components=office.components("Đơn")),
        format="json",
    )
    error = _error(response)
    assert response.status_code == 400
    assert "Bản vẽ thiết kế" in error["details"]["components"][0]
    assert not Dossier.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    # A person needs no network licence (organisations only): the same papers suffice.
    response = api_client.post(
        f"{BASE}/reception/accept/",
        _reception(office, components=office.components("Đơn", "Bản vẽ"), applicant_type="person"),
        format="json",
    )
    assert response.status_code == 201
    # Papers of another procedure are refused.
    response = api_client.post(
        f"{BASE}/reception/accept/", _reception(office, components=[999999]), format="json"
    )
    assert "components" in _error(response)["details"]


def test_disguised_file_is_refused_and_nothing_stored(api_client, office):
    api_client.force_login(office.desk)
    fake = SimpleUploadedFile("giay-phep.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf")
    data = _reception(office, files=[fake])
    response = api_client.post(f"{BASE}/reception/accept/", data, format="multipart")
    assert response.status_code == 400
    assert "giay-phep.pdf" in _error(response)["details"]["files"][0]
    assert not Dossier.objects.exists()


def test_second_extension_and_actions_out_of_order(api_client, office):
    dossier = office.accept()
    url = f"{BASE}/dossiers/{dossier.pk}"
    api_client.force_login(office.leader)
    # Approving a dossier still at the desk is out of order.
    response = api_client.post(f"{url}/approve/", {"result_note": "x"}, format="json")
    assert response.status_code == 400
    assert _error(response)["details"]["non_field_errors"]
    dossier = actions.forward(office.desk, dossier=dossier, assignee_user=office.officer)
    api_client.force_login(office.officer)
    due = dossier.due_at.astimezone().date()
    from coquan.workdays.calendar import add_working_days_to_date

    new = add_working_days_to_date(due, 5).isoformat()
    assert (
        api_client.post(
            f"{url}/extend/", {"new_due_date": new, "reason": "Chờ"}, format="json"
        ).status_code
        == 200
    )
    response = api_client.post(
        f"{url}/extend/", {"new_due_date": new, "reason": "Lần 2"}, format="json"
    )
    assert response.status_code == 400
    assert "một lần" in _error(response)["message"] + str(_error(response)["details"])
    assert DossierExtension.objects.count() == 1
    # Returning from the first step is refused; the status history is unchanged.
    changes = DossierStatusChange.objects.count()
    response = api_client.post(f"{url}/return/", {"reason": "x"}, format="json")
    assert response.status_code == 400
    assert DossierStatusChange.objects.count() == changes
    # The desk's step is not the officer's.
    assert api_client.post(f"{url}/return-result/", {}, format="json").status_code == 403


def test_public_lookup_api_has_no_personal_data(api_client, office):
    cache.clear()
    dossier = office.accept()
    actions.forward(office.desk, dossier=dossier, assignee_user=office.officer)
    response = api_client.get(f"{BASE}/lookup/{dossier.dossier_code}/")
    assert response.status_code == 200
    text = response.content.decode()
    for value in (*PERSONAL, office.officer.full_name, office.desk.full_name):
        assert value not in text
    body = response.json()
    assert body["status"] == "4" and body["current_step"] == "Thẩm định hồ sơ"
    assert [s["state"] for s in body["steps"]] == ["current", "pending", "pending"]
    assert set(body) == {
        "dossier_code",
        "procedure_code",
        "procedure_name",
        "agency_name",
        "status",
        "status_label",
        "received_at",
        "due_at",
        "result_ready_at",
        "returned_at",
        "current_step",
        "steps",
        "history",
    }
    missing = api_client.get(f"{BASE}/lookup/KHONG-CO/")
    assert missing.status_code == 404 and _error(missing)["code"] == "not_found"


def test_public_lookup_api_is_rate_limited(api_client, office, settings):
    cache.clear()
    settings.COQUAN_ONESTOP_LOOKUP_RATE = (2, 60)
    dossier = office.accept()
    url = f"{BASE}/lookup/{dossier.dossier_code}/"
    assert [api_client.get(url).status_code for _ in range(2)] == [200, 200]
    response = api_client.get(url)
    assert response.status_code == 429 and _error(response)["code"] == "throttled"
    cache.clear()


def test_catalogue_round_trip(api_client, office):
    api_client.force_login(office.admin)
    exported = api_client.get(f"{BASE}/procedures/export/").json()
    assert [p["code"] for p in exported["procedures"]] == ["1.005129"]
    step = exported["procedures"][0]["steps"][0]
    assert step["responsible_unit"] == "BCVT"
    response = api_client.post(
        f"{BASE}/procedures/import/", {"catalogue": exported, "publish": True}, format="json"
    )
    assert response.status_code == 201, response.content
    versions = Procedure.objects.filter(code="1.005129").order_by("version")
    assert [(p.version, p.state) for p in versions] == [(1, "retired"), (2, "published")]
    assert versions[1].components.count() == versions[0].components.count()
    broken = {**exported, "procedures": [{**exported["procedures"][0], "time_limit": "abc"}]}
    response = api_client.post(f"{BASE}/procedures/import/", {"catalogue": broken}, format="json")
    assert response.status_code == 400 and "file" in _error(response)["details"]
    assert Procedure.objects.filter(code="1.005129").count() == 2


def test_procedure_write_rules(api_client, office):
    api_client.force_login(office.admin)
    url = f"{BASE}/procedures/{office.procedure.pk}/"
    response = api_client.patch(url, {"name": "Đổi tên"}, format="json")
    assert response.status_code == 400 and _error(response)["details"]["non_field_errors"]
    response = api_client.post(f"{url}new-version/", {}, format="json")
    draft_id = response.json()["id"]
    response = api_client.patch(
        f"{BASE}/procedures/{draft_id}/",
        {"steps": [{"name": "Một bước", "responsible_role": "leader", "time_budget": "9"}]},
        format="json",
    )
    assert response.status_code == 200
    response = api_client.post(f"{BASE}/procedures/{draft_id}/publish/", {}, format="json")
    assert response.status_code == 400  # 9 days of steps > the 5-day limit
    assert "5" in str(_error(response)["details"])
    api_client.force_login(office.desk)
    assert (
        api_client.patch(f"{BASE}/procedures/{draft_id}/", {"name": "x"}, format="json").status_code
        == 403
    )


def test_dossier_list_queries_are_constant(api_client, office, django_assert_max_num_queries):
    api_client.force_login(office.leader)
    actions.forward(office.desk, dossier=office.accept(), assignee_user=office.officer)
    with django_assert_max_num_queries(20) as captured:
        assert api_client.get(f"{BASE}/dossiers/", {"queue": "in_progress"}).status_code == 200
    few = len(captured)
    for _ in range(6):
        actions.forward(office.desk, dossier=office.accept(), assignee_user=office.officer)
    with django_assert_max_num_queries(few):
        body = api_client.get(f"{BASE}/dossiers/", {"queue": "in_progress"}).json()
    assert body["count"] == 7
    with django_assert_max_num_queries(few):
        assert api_client.get(f"{BASE}/dossiers/").json()["count"] == 7
    response = api_client.get(f"{BASE}/dossiers/", {"queue": "nope"})
    assert response.status_code == 400 and "queue" in _error(response)["details"]
    assert Dossier.objects.filter(status=DossierStatus.IN_PROGRESS).count() == 7


def test_procedure_list_queries_are_constant(api_client, office, django_assert_max_num_queries):
    api_client.force_login(office.desk)
    with django_assert_max_num_queries(20) as captured:
        assert api_client.get(f"{BASE}/procedures/").json()["count"] == 1
    few = len(captured)
    for _ in range(4):
        actions.new_version(office.admin, procedure=office.procedure)
        draft = Procedure.objects.get(state="draft")
        actions.publish_procedure(office.admin, procedure=draft)
        office.procedure = draft
    with django_assert_max_num_queries(few):
        assert api_client.get(f"{BASE}/procedures/").json()["count"] == 5
