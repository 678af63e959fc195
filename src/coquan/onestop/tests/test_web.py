"""The pages: reception at the desk, processing steps, printed forms, lists with constant
queries, the public lookup (no personal data, rate-limited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.onestop import actions
from coquan.onestop.choices import DossierStatus
from coquan.onestop.models import Dossier, DossierFile, DossierStatusChange
from coquan.onestop.tests.conftest import at
from coquan.workdays.calendar import add_working_days_to_date

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="don-de-nghi.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def reception_form(office, **overrides):
    data = {
        "applicant_type": "organisation",
        "applicant_name": "Công ty Cổ phần Viễn thông Kinh Bắc",
        "applicant_id_number": "2400123456",
        "applicant_address": "Số 12 Nguyễn Văn Cừ, Bắc Giang",
        "applicant_phone": "0204 3851 777",
        "applicant_email": "lienhe@vienthongkinhbac.vn",
        "components": [str(pk) for pk in office.components("Đơn", "Bản vẽ", "Giấy phép")],
        "set_count": "1",
        "outcome": "accept",
        "missing_items": "",
        "reason": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_desk_accepts_a_dossier_and_prints_the_receipt(client, office):
    client.force_login(office.desk)
    page = client.get(reverse("onestop:desk")).content.decode()
    assert "Cấp phép xây dựng công trình trạm BTS" in page
    url = reverse("onestop:receive", args=[office.procedure.pk])
    assert client.get(url).status_code == 200
    data = reception_form(office, files=[pdf_upload()])
    response = client.post(url, data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("onestop:dossier_detail", args=[dossier.pk])
    today = timezone.localdate()
    assert dossier.dossier_code == f"000.00.14.H06-{today:%y%m%d}-0001"
    assert dossier.status == DossierStatus.ACCEPTED
    assert DossierFile.objects.get().content_type == "application/pdf"
    assert AuditEntry.objects.filter(action="onestop.dossier.accept").count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert dossier.dossier_code in detail
    receipt = client.get(reverse("onestop:dossier_form", args=[dossier.pk, "01"]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF-")
    download = client.get(
        reverse("onestop:dossier_file", args=[dossier.pk, DossierFile.objects.get().pk])
    )
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_missing_mandatory_paper_is_refused_with_a_clear_message(client, office):
    client.force_login(office.desk)
    url = reverse("onestop:receive", args=[office.procedure.pk])
    response = client.post(
        url, reception_form(office, components=[str(office.components("Đơn")[0])])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bản vẽ thiết kế" in page and "Giấy phép thiết lập mạng" in page
    assert not Dossier.objects.exists()


def test_disguised_and_oversized_files_are_refused(client, office, settings):
    client.force_login(office.desk)
    url = reverse("onestop:receive", args=[office.procedure.pk])
    fake = SimpleUploadedFile(
        "ban-ve.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
    )
    response = client.post(url, reception_form(office, files=[fake]))
    assert response.status_code == 200
    assert "ban-ve.pdf" in response.content.decode()
    settings.COQUAN_MAX_UPLOAD_BYTES = 20
    response = client.post(url, reception_form(office, files=[pdf_upload("lon.pdf")]))
    assert "lon.pdf" in response.content.decode()
    assert not Dossier.objects.exists()
    assert not DossierFile.objects.exists()


def test_supplement_and_refusal_outcomes_at_the_desk(client, office):
    client.force_login(office.desk)
    url = reverse("onestop:receive", args=[office.procedure.pk])
    response = client.post(
        url,
        reception_form(
            office,
            components=[str(office.components("Đơn")[0])],
            outcome="supplement",
            missing_items="Ảnh chụp vị trí đặt trạm",
        ),
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.status == DossierStatus.SUPPLEMENT and dossier.dossier_code is None
    assert dossier.supplements.get().items == [
        "Bản vẽ thiết kế",
        "Giấy phép thiết lập mạng",
        "Ảnh chụp vị trí đặt trạm",
    ]
    assert client.get(reverse("onestop:dossier_form", args=[dossier.pk, "02"])).status_code == 200
    assert client.get(reverse("onestop:dossier_form", args=[dossier.pk, "01"])).status_code == 404
    response = client.post(url, reception_form(office, outcome="refuse", reason=""))
    assert response.status_code == 200  # the reason is required
    response = client.post(url, reception_form(office, outcome="refuse", reason="Sai thẩm quyền"))
    refused = Dossier.objects.get(status=DossierStatus.NOT_ACCEPTED)
    assert refused.refusal_reason == "Sai thẩm quyền"


def _step(client, dossier, name, data):
    return client.post(reverse("onestop:dossier_step", args=[dossier.pk, name]), data)


def test_processing_through_the_pages(client, office):
    dossier = office.accept()
    client.force_login(office.desk)
    assert (
        _step(client, dossier, "forward", {"forward-assignee_user": office.officer.pk}).status_code
        == 302
    )
    client.force_login(office.officer)
    page = client.get(reverse("onestop:dossier_detail", args=[dossier.pk])).content.decode()
    assert 'data-step="request_supplement"' in page and 'data-step="approve"' not in page
    response = _step(client, dossier, "request_supplement", {"request_supplement-items": ""})
    assert response.status_code == 400
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.IN_PROGRESS
    response = _step(
        client,
        dossier,
        "request_supplement",
        {"request_supplement-items": "Bản vẽ móng\nẢnh hiện trạng"},
    )
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUPPLEMENT
    # The officer cannot record the resubmission: that is the desk's.
    assert _step(client, dossier, "resubmit", {}).status_code == 403
    client.force_login(office.desk)
    assert _step(client, dossier, "resubmit", {"resubmit-note": "Đã đủ"}).status_code == 302
    client.force_login(office.officer)
    assert _step(client, dossier, "forward", {}).status_code == 302
    client.force_login(office.unit_leader)
    assert (
        _step(client, dossier, "forward", {"forward-assignee_user": office.leader.pk}).status_code
        == 302
    )
    client.force_login(office.leader)
    assert (
        _step(client, dossier, "approve", {"approve-result_note": "GP số 7/GP-STTTT"}).status_code
        == 302
    )
    client.force_login(office.desk)
    assert _step(client, dossier, "return_result", {}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    assert list(
        DossierStatusChange.objects.filter(dossier=dossier).values_list("to_status", flat=True)
    ) == ["2", "4", "5", "4", "9", "10"]
    slip = client.get(reverse("onestop:dossier_form", args=[dossier.pk, "05"]))
    assert slip.status_code == 200


def test_actions_out_of_order_change_nothing(client, office):
    dossier = office.accept()
    client.force_login(office.leader)
    # Approve while at the desk (status 2): not allowed by the workflow → the leader, who may
    # act on any step, still cannot skip the steps.
    response = _step(client, dossier, "approve", {"approve-result_note": "x"})
    assert response.status_code in (400, 403)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ACCEPTED
    assert not dossier.transfers.filter(kind="result").exists()


def test_lists_have_constant_queries(client, office, django_assert_max_num_queries):
    for _ in range(3):
        actions.forward(office.desk, dossier=office.accept(), assignee_user=office.officer)
    for user in (office.desk, office.officer, office.leader):
        client.force_login(user)
        for queue in ("all", "to_process", "overdue"):
            with django_assert_max_num_queries(20):
                response = client.get(reverse("onestop:dossier_list"), {"queue": queue})
            assert response.status_code == 200
    client.force_login(office.officer)
    with django_assert_max_num_queries(20) as captured:
        client.get(reverse("onestop:dossier_list"), {"queue": "to_process"})
    few = len(captured)
    for _ in range(5):
        actions.forward(office.desk, dossier=office.accept(), assignee_user=office.officer)
    with django_assert_max_num_queries(few):
        page = client.get(reverse("onestop:dossier_list"), {"queue": "to_process"}).content.decode()
    assert page.count('data-testid="row-') == 8
    with django_assert_max_num_queries(15):
        client.get(reverse("onestop:procedure_list"))


def test_queue_counts(client, office):
    first = office.accept(at(2026, 2, 13, 10))  # due 27/02/2026: overdue by now
    actions.forward(
        office.desk, dossier=first, assignee_user=office.officer, at=at(2026, 2, 13, 11)
    )
    office.accept()
    client.force_login(office.officer)
    page = client.get(reverse("onestop:dossier_list")).content.decode()
    assert 'data-testid="count-to_process">1<' in page
    assert 'data-testid="count-overdue">1<' in page
    client.force_login(office.desk)
    page = client.get(reverse("onestop:dossier_list"), {"queue": "to_forward"}).content.decode()
    assert 'data-testid="count-to_forward">1<' in page
    assert 'data-testid="count-overdue">1<' in page


# --- public lookup -------------------------------------------------------------------------------

PERSONAL = (
    "Công ty Cổ phần Viễn thông Kinh Bắc",
    "2400123456",
    "Nguyễn Văn Cừ",
    "3851 777",
    "lienhe@vienthongkinhbac.vn",
)


def test_public_lookup_shows_progress_without_personal_data(client, office, settings):
    cache.clear()
    dossier = office.accept()
    actions.forward(office.desk, dossier=dossier, assignee_user=office.officer)
    response = client.get(reverse("onestop:lookup_code", args=[dossier.dossier_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert dossier.dossier_code in page
    assert "Cấp phép xây dựng công trình trạm BTS" in page
    assert "Thẩm định hồ sơ" in page
    assert 'data-state="current"' in page
    for text in PERSONAL:
        assert text not in page
    assert office.officer.full_name not in page and office.desk.full_name not in page
    # The form redirects to the code's page.
    response = client.get(reverse("onestop:lookup"), {"code": dossier.dossier_code})
    assert response.status_code == 302
    assert (
        client.get(reverse("onestop:lookup_code", args=["000.00.14.H06-000000-9999"])).status_code
        == 404
    )


def test_dossiers_without_code_are_not_found_publicly(client, office):
    cache.clear()
    actions.request_completion(
        office.desk, agency=office.agency, procedure=office.procedure, **office.applicant()
    )
    assert client.get(reverse("onestop:lookup_code", args=["None"])).status_code == 404


def test_public_lookup_is_rate_limited(client, office, settings):
    cache.clear()
    settings.COQUAN_ONESTOP_LOOKUP_RATE = (3, 60)
    dossier = office.accept()
    url = reverse("onestop:lookup_code", args=[dossier.dossier_code])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "Bạn đã tra cứu quá nhiều lần" in response.content.decode()
    other = client.get(url, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    cache.clear()


def test_procedure_admin_pages(client, office):
    client.force_login(office.admin)
    response = client.post(reverse("onestop:procedure_new_version", args=[office.procedure.pk]))
    draft = office.procedure.__class__.objects.get(code=office.procedure.code, version=2)
    assert response["Location"] == reverse("onestop:procedure_edit", args=[draft.pk])
    form = client.get(response["Location"])
    assert form.status_code == 200
    data = {
        "name": "Cấp phép xây dựng trạm BTS (sửa đổi)",
        "sector_code": "VT",
        "sector_name": "Viễn thông",
        "level": "province",
        "competent_authority": "Sở TT&TT",
        "time_limit": "6",
        "time_unit": "working_days",
        "online_level": "full",
        "components-TOTAL_FORMS": "1",
        "components-INITIAL_FORMS": "0",
        "components-0-name": "Đơn đề nghị",
        "components-0-paper_form": "original",
        "components-0-count": "1",
        "components-0-required": "on",
        "components-0-applies_to": "all",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-name": "Xử lý",
        "steps-0-responsible_unit": str(office.telecom.pk),
        "steps-0-responsible_role": "officer",
        "steps-0-time_budget": "6",
    }
    response = client.post(reverse("onestop:procedure_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name.endswith("(sửa đổi)") and draft.components.count() == 1
    response = client.post(reverse("onestop:procedure_publish", args=[draft.pk]))
    draft.refresh_from_db()
    office.procedure.refresh_from_db()
    assert draft.is_published and office.procedure.state == "retired"
    export = client.get(reverse("onestop:catalogue_export"))
    assert export.status_code == 200 and b'"1.005129"' in export.content


def test_import_a_catalogue_file_through_the_page(client, office):
    import json

    from coquan.onestop.demo import DEMO_CATALOGUE

    catalogue = {**DEMO_CATALOGUE, "procedures": DEMO_CATALOGUE["procedures"][:1]}
    client.force_login(office.admin)
    upload = SimpleUploadedFile("danh-muc.json", json.dumps(catalogue).encode(), "application/json")
    # The demo procedure names the press unit BCXB, which this agency has.
    response = client.post(reverse("onestop:procedure_import"), {"file": upload, "publish": "on"})
    assert response.status_code == 302
    imported = office.procedure.__class__.objects.get(code="1.004628")
    assert imported.is_published and imported.steps.count() == 3
    bad = SimpleUploadedFile("x.json", b"{not json", "application/json")
    response = client.post(reverse("onestop:procedure_import"), {"file": bad})
    assert response.status_code == 200
    assert "JSON" in response.content.decode()


def test_extension_page_refuses_a_second_extension(client, office):
    dossier = office.accept(timezone.now() - dt.timedelta(minutes=1))
    actions.forward(office.desk, dossier=dossier, assignee_user=office.officer)
    dossier.refresh_from_db()
    client.force_login(office.officer)
    new_date = add_working_days_to_date(timezone.localtime(dossier.due_at).date(), 5)
    data = {"extend-new_due_date": new_date.strftime("%d/%m/%Y"), "extend-reason": "Chờ ý kiến"}
    assert _step(client, dossier, "extend", data).status_code == 302
    response = _step(client, dossier, "extend", data)
    assert response.status_code == 400
    extension = dossier.__class__.objects.get(pk=dossier.pk).extension
    assert timezone.localtime(extension.new_due_at).date() == new_date


def test_desk_and_catalogue_pages_have_constant_queries(
    client, office, django_assert_max_num_queries
):
    client.force_login(office.desk)
    with django_assert_max_num_queries(25) as desk_queries:
        client.get(reverse("onestop:desk"))
    with django_assert_max_num_queries(25) as list_queries:
        client.get(reverse("onestop:procedure_list"))
    for number in range(2, 6):
        fields = {"code": f"1.00000{number}", "name": f"Thủ tục {number}"}
        from coquan.onestop.tests.conftest import make_procedure

        make_procedure(office.admin, office.agency, office.telecom, **fields)
        actions.forward(office.desk, dossier=office.accept(), assignee_user=office.officer)
    with django_assert_max_num_queries(len(desk_queries)):
        page = client.get(reverse("onestop:desk")).content.decode()
    assert page.count('href="/onestop/desk/receive/') == 5
    with django_assert_max_num_queries(len(list_queries)):
        client.get(reverse("onestop:procedure_list"))
