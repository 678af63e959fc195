"""The incoming-document pages: queues, filters, registration, detail, steps, downloads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coquan.documents import actions
from coquan.documents.choices import IncomingStatus, Secrecy, StepKind
from coquan.documents.models import Attachment, IncomingDocument
from coquan.documents.tests import samples
from coquan.documents.tests.samples import pdf_upload, upload

LIST = reverse("documents:incoming_list")
CREATE = reverse("documents:incoming_create")


def detail(doc):
    return reverse("documents:incoming_detail", args=[doc.pk])


def step_url(doc, step):
    return reverse("documents:incoming_step", args=[doc.pk, step])


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def form_data(office, **overrides):
    data = {
        "document_type": office.doc_type().pk,
        "code_number": "2491",
        "code_notation": "STC-BCTC",
        "issued_date": (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "issuer_name": "Sở Tài chính",
        "subject": "V/v hướng dẫn quyết toán ngân sách năm 2026",
        "urgency": "0",
        "secrecy": "none",
        "signer_competence": "KT",
        "signer_position": "Phó Giám đốc",
        "signer_name": "Nguyễn Thị Hằng",
        "page_count": "2",
    }
    data.update(overrides)
    return data


# --- Lists and queues ---------------------------------------------------------------------


@pytest.mark.django_db
def test_clerk_queue_puts_urgent_first_and_marks_late_documents(client, office):
    long_ago = timezone.now() - dt.timedelta(days=20)
    old = office.register(
        subject="Văn bản đến từ lâu",
        arrival_date=long_ago,
        issued_date=timezone.localtime(long_ago).date() - dt.timedelta(days=1),
    )
    normal = office.register(subject="Văn bản thường hôm nay", code_number="2")
    flash = office.register(subject="Văn bản hỏa tốc", code_number="3", urgency=3)
    presented = office.register(subject="Đã trình rồi", code_number="4")
    actions.present(office.clerk, document=presented, leader=office.leader)
    client.force_login(office.clerk)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["queue"].key == "to_present"
    rows = [doc.pk for doc in response.context["page"].object_list]
    assert rows[0] == flash.pk and set(rows) == {old.pk, normal.pk, flash.pk}
    late = {doc.pk: doc.is_late for doc in response.context["page"].object_list}
    assert late == {old.pk: True, normal.pk: False, flash.pk: False}
    assert "Trễ hạn trình" in html and "Hỏa tốc" in html
    assert 'data-testid="count-to_present">3<' in html
    assert 'data-testid="count-all">4<' in html
    assert timezone.localtime(long_ago).strftime("%d/%m/%Y") in html


@pytest.mark.django_db
def test_leader_and_officer_queues(client, office):
    doc = office.register()
    actions.present(office.clerk, document=doc, leader=office.leader)
    client.force_login(office.leader)
    response = client.get(LIST)
    assert response.context["queue"].key == "to_assign"
    assert [d.pk for d in response.context["page"].object_list] == [doc.pk]
    actions.assign(
        office.leader,
        document=doc,
        lead_user=office.officer,
        co_handlers=[office.officer2],
        due_date=timezone.localdate(),
    )
    client.force_login(office.officer)
    response = client.get(LIST)
    assert response.context["queue"].key == "to_handle"
    assert [d.pk for d in response.context["page"].object_list] == [doc.pk]
    assert "Sắp đến hạn" in response.content.decode()
    client.force_login(office.officer2)
    response = client.get(LIST + "?queue=co_handling")
    assert [d.pk for d in response.context["page"].object_list] == [doc.pk]
    response = client.get(LIST + "?queue=to_handle")
    assert list(response.context["page"].object_list) == []
    assert "Chưa có văn bản" in response.content.decode()


@pytest.mark.django_db
def test_overdue_queue_for_leaders(client, office):
    doc = office.register()
    actions.present(office.clerk, document=doc, leader=office.leader)
    actions.assign(
        office.leader, document=doc, lead_unit=office.unit, due_date=timezone.localdate()
    )
    IncomingDocument.objects.filter(pk=doc.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(office.leader)
    response = client.get(LIST + "?queue=overdue")
    assert [d.pk for d in response.context["page"].object_list] == [doc.pk]
    client.force_login(office.unit_leader)
    response = client.get(LIST + "?queue=unit_overdue")
    assert [d.pk for d in response.context["page"].object_list] == [doc.pk]
    assert "Quá hạn" in response.content.decode()


@pytest.mark.django_db
def test_filters_sorting_and_pagination(client, office):
    report = office.doc_type("bao-cao")
    for i in range(30):
        office.register(
            subject=f"Báo cáo số {i}" if i % 3 == 0 else f"Công văn số {i}",
            code_number=str(100 + i),
            document_type=report if i % 3 == 0 else office.doc_type(),
            urgency=1 if i == 7 else 0,
            issuer_name="UBND huyện Lục Nam" if i == 5 else "Sở Tài chính",
        )
    client.force_login(office.leader)
    response = client.get(LIST + "?queue=all")
    assert response.context["page"].paginator.count == 30
    assert len(response.context["page"].object_list) == 25
    response = client.get(LIST + "?queue=all&page=2")
    assert len(response.context["page"].object_list) == 5
    response = client.get(LIST + f"?queue=all&document_type={report.pk}")
    assert response.context["page"].paginator.count == 10
    response = client.get(LIST + "?queue=all&urgency=1")
    assert [d.code_number for d in response.context["page"].object_list] == ["107"]
    response = client.get(LIST + "?queue=all&issuer=lục nam")
    assert response.context["page"].paginator.count in (0, 1)  # SQLite folds ASCII only
    response = client.get(LIST + "?queue=all&issuer=UBND")
    assert [d.code_number for d in response.context["page"].object_list] == ["105"]
    response = client.get(LIST + "?queue=all&ordering=arrival_number")
    assert [d.arrival_number for d in response.context["page"].object_list][:3] == [1, 2, 3]
    response = client.get(LIST + "?queue=all&ordering=-arrival_number")
    assert response.context["page"].object_list[0].arrival_number == 30
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.get(LIST + f"?queue=all&arrived_from={today}&arrived_to={today}")
    assert response.context["page"].paginator.count == 30
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.get(LIST + f"?queue=all&arrived_to={yesterday}")
    assert response.context["page"].paginator.count == 0
    assert "Không có văn bản nào phù hợp" in response.content.decode()
    response = client.get(LIST + "?queue=all&status=registered&due=none")
    assert response.context["page"].paginator.count == 30
    response = client.get(LIST + "?queue=all&due=overdue")
    assert response.context["page"].paginator.count == 0


@pytest.mark.django_db
def test_unfiltered_tab_pages_through_its_tab_count(client, office):
    """The list takes its total from the tab count (no second COUNT); filtered, its own."""
    for i in range(3):
        doc = office.register(code_number=str(700 + i), urgency=i % 2)
        actions.present(office.clerk, document=doc, leader=office.leader)
    client.force_login(office.leader)
    response = client.get(LIST + "?queue=to_assign")
    tabs = dict((tab.key, count) for tab, count in response.context["tabs"])
    assert response.context["page"].paginator.count == tabs["to_assign"] == 3
    assert len(response.context["page"].object_list) == 3
    response = client.get(LIST + "?queue=to_assign&urgency=1")
    assert response.context["page"].paginator.count == 1
    assert len(response.context["page"].object_list) == 1


@pytest.mark.django_db
def test_list_query_count_does_not_depend_on_the_number_of_documents(
    client, office, django_assert_max_num_queries
):
    client.force_login(office.clerk)
    office.register()
    client.get(LIST)  # warm caches (calendar, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST + "?queue=all")
    for i in range(40):
        doc = office.register(code_number=str(500 + i), urgency=i % 4)
        if i % 2:
            actions.present(office.clerk, document=doc, leader=office.leader)
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST + "?queue=all")
    assert len(response.context["page"].object_list) == 25
    with django_assert_max_num_queries(len(few)):
        client.get(LIST + "?queue=to_present&urgency=1&page=1")


# --- Registration -------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_through_the_form(client, office):
    client.force_login(office.clerk)
    page = client.get(CREATE)
    assert "Vào sổ văn bản đến" in page.content.decode()
    assert "Trích yếu" in page.content.decode()
    data = form_data(office, files=[pdf_upload("Scan CV 2491.pdf")])
    response = client.post(CREATE, data)
    doc = IncomingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(doc)
    assert doc.signer_display == "KT. Phó Giám đốc Nguyễn Thị Hằng"
    assert doc.attachments.get().original_name == "Scan CV 2491.pdf"
    page = client.get(detail(doc))
    html = page.content.decode()
    assert "Đã vào sổ với số đến 1." in html
    assert "2491/STC-BCTC" in html and "Scan CV 2491.pdf" in html
    assert 'data-step="present"' in html


@pytest.mark.django_db
def test_duplicate_needs_confirmation(client, office):
    client.force_login(office.clerk)
    client.post(CREATE, form_data(office))
    response = client.post(CREATE, form_data(office))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="duplicate-warning"' in html
    assert "có vẻ đã được vào sổ (số đến 1)" in html
    assert 'type="checkbox" name="confirm_duplicate"' in html
    assert IncomingDocument.objects.count() == 1
    response = client.post(CREATE, form_data(office, confirm_duplicate="on"))
    assert response.status_code == 302
    assert IncomingDocument.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"files": [upload("cong-van.pdf", samples.EXE_BYTES)]}, "files", "không phải"),
        ({"files": [upload("../../../../tmp/x.pdf", b"#!/bin/sh\nrm -rf /")]}, "files", "x.pdf"),
        (
            {"issued_date": (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")},
            "issued_date",
            "không thể ở tương lai",
        ),
        ({"subject": ""}, "subject", "bắt buộc"),
        ({"issuer_name": ""}, "issuer_name", "bắt buộc"),
        ({"issued_date": "31/02/2026"}, "issued_date", "dd/mm/yyyy"),
    ],
    ids=[
        "exe-as-pdf",
        "traversal-name-bad-content",
        "future",
        "no-subject",
        "no-issuer",
        "bad-date",
    ],
)
def test_bad_input_shows_vietnamese_errors_and_stores_nothing(
    client, office, overrides, field, message
):
    client.force_login(office.clerk)
    response = client.post(CREATE, form_data(office, **overrides))
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert IncomingDocument.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_oversized_upload_through_the_form(client, office, settings):
    settings.COQUAN_MAX_UPLOAD_BYTES = 64
    client.force_login(office.clerk)
    response = client.post(CREATE, form_data(office, files=[pdf_upload()]))
    assert "vượt giới hạn 64" in " ".join(response.context["form"].errors["files"])
    assert IncomingDocument.objects.count() == 0 and stored_files() == []


@pytest.mark.django_db
def test_registration_form_is_for_clerks_only(client, office):
    client.force_login(office.officer)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(office)).status_code == 403
    assert IncomingDocument.objects.count() == 0


# --- Detail, steps, downloads ---------------------------------------------------------------


@pytest.mark.django_db
def test_steps_through_the_pages(client, office):
    doc = office.register(files=[pdf_upload()])
    client.force_login(office.clerk)
    assert client.get(step_url(doc, "present")).status_code == 200
    response = client.post(
        step_url(doc, "present"), {"present-leader": office.leader.pk, "present-note": "Kính trình"}
    )
    assert response.status_code == 302
    client.force_login(office.leader)
    html = client.get(detail(doc)).content.decode()
    assert 'data-step="assign"' in html and "Phòng Công nghệ thông tin" in html
    response = client.post(
        step_url(doc, "assign"),
        {
            "assign-lead": f"user:{office.officer.pk}",
            "assign-co_handlers": [f"unit:{office.other_unit.pk}"],
            "assign-due_days": "5",
            "assign-instruction": "Giao đồng chí Đức chủ trì",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    client.force_login(office.officer)
    assert client.post(step_url(doc, "start"), {}).status_code == 302
    response = client.post(
        step_url(doc, "opinion"),
        {
            "opinion-text": "Đề xuất trả lời",
            "opinion-files": [upload("du-thao.docx", samples.docx_bytes())],
        },
    )
    assert response.status_code == 302
    response = client.post(step_url(doc, "complete"), {"complete-text": "Đã trả lời"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.DONE
    html = client.get(detail(doc)).content.decode()
    for text in (
        "Trình lãnh đạo",
        "Đã giao xử lý — Chủ trì",
        "Bắt đầu xử lý",
        "Đề xuất trả lời",
        "Đã trả lời",
    ):
        assert text in html, text
    assert doc.steps.filter(kind=StepKind.ASSIGNED).count() == 2


@pytest.mark.django_db
def test_step_errors_are_shown_on_the_full_page(client, office):
    doc = office.register()
    actions.present(office.clerk, document=doc, leader=office.leader)
    client.force_login(office.leader)
    response = client.post(
        step_url(doc, "assign"), {"assign-lead": f"unit:{office.unit.pk}", "assign-due_days": "0"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    response = client.post(step_url(doc, "complete"), {"complete-text": "x"})
    assert response.status_code == 302  # not possible now: back to the document with a message
    page = client.get(detail(doc)).content.decode()
    assert "Không thể “Hoàn thành” khi văn bản đang ở trạng thái “Đã trình”." in page
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.PRESENTED


@pytest.mark.django_db
def test_download_checks_access_and_never_serves_directly(client, office):
    doc = office.register(files=[pdf_upload("Công văn gốc.pdf")])
    attachment = doc.attachments.get()
    url = reverse("documents:attachment_download", args=[doc.pk, attachment.pk])
    client.force_login(office.clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(office.officer)  # not involved
    assert client.get(url).status_code == 404
    client.force_login(office.outsider)
    assert client.get(url).status_code == 404
    other = office.register(code_number="9")
    client.force_login(office.clerk)
    wrong = reverse("documents:attachment_download", args=[other.pk, attachment.pk])
    assert client.get(wrong).status_code == 404
    assert not str(attachment.file.name).startswith(settings.STATIC_URL.strip("/"))


@pytest.mark.django_db
def test_secret_document_is_invisible_to_everyone_not_granted(client, office):
    secret = office.register(
        subject="Tài liệu tuyệt mật", secrecy=Secrecy.TOP_SECRET, files=[pdf_upload()]
    )
    office.register(subject="Văn bản thường", code_number="2")
    download = reverse(
        "documents:attachment_download", args=[secret.pk, secret.attachments.get().pk]
    )
    for user in (office.leader, office.officer, office.outsider):
        client.force_login(user)
        response = client.get(LIST + "?queue=all")
        assert "Tài liệu tuyệt mật" not in response.content.decode()
        assert all(d.pk != secret.pk for d in response.context.get("page") or [])
        assert client.get(detail(secret)).status_code == 404
        assert client.get(download).status_code == 404
        assert client.get(step_url(secret, "assign")).status_code == 404
    client.force_login(office.leader)
    response = client.get(LIST + "?queue=all")
    assert 'data-testid="count-all">1<' in response.content.decode()
    client.force_login(office.clerk)
    assert client.get(detail(secret)).status_code == 200
    assert client.get(download).status_code == 200
    assert 'data-testid="count-all">2<' in client.get(LIST + "?queue=all").content.decode()


@pytest.mark.django_db
def test_agency_parameter_is_limited_to_own_agencies(client, office):
    client.force_login(office.clerk)
    assert client.get(LIST + f"?agency={office.agency.pk}").status_code == 200
    foreign = office.outsider.memberships.get().agency
    assert client.get(LIST + f"?agency={foreign.pk}").status_code == 404
    assert client.get(CREATE + f"?agency={foreign.pk}").status_code == 404
    assert client.get(LIST + "?agency=abc").status_code == 404
