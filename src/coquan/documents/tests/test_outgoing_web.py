"""The outgoing-document pages: queues, drafting, detail, steps, series, the reply link."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from coquan.documents import actions
from coquan.documents.actions.outgoing_common import current_main
from coquan.documents.choices import OutgoingStatus, RecipientKind, SeriesScope
from coquan.documents.models import OutgoingDocument, OutgoingSeries, SigningKey
from coquan.documents.tests import samples

pytestmark = pytest.mark.django_db

LIST = reverse("documents:outgoing_list")
CREATE = reverse("documents:draft_create")


def detail(doc):
    return reverse("documents:outgoing_detail", args=[doc.pk])


def step_url(doc, step):
    return reverse("documents:outgoing_step", args=[doc.pk, step])


def _incoming(dept):
    doc = actions.register_incoming(
        dept.clerk,
        agency=dept.agency,
        document_type=dept.doc_type(),
        subject="Đề nghị báo cáo hạ tầng viễn thông",
        issued_date=timezone.localdate(),
        issuer_name="Sở Tài chính",
    )
    doc = actions.present(dept.clerk, document=doc, leader=dept.leader)
    return actions.assign(dept.leader, document=doc, lead_user=dept.officer, due_days=5)


def test_the_officer_drafts_a_reply_from_the_incoming_document(client, dept):
    incoming = _incoming(dept)
    client.force_login(dept.officer)
    page = client.get(reverse("documents:incoming_detail", args=[incoming.pk]))
    html = page.content.decode()
    assert "Soạn văn bản trả lời" in html
    form_page = client.get(CREATE + f"?reply_to={incoming.pk}")
    assert 'data-testid="reply-note"' in form_page.content.decode()
    assert form_page.context["form"]["reply_to"].value() == incoming.pk
    response = client.post(
        CREATE + f"?reply_to={incoming.pk}",
        {
            "document_type": dept.doc_type().pk,
            "subject": "V/v báo cáo hạ tầng viễn thông",
            "urgency": "1",
            "secrecy": "none",
            "signer": dept.leader.pk,
            "reply_to": incoming.pk,
            "copies": "2",
            "recipient_agencies": [str(dept.partner.pk)],
            "recipient_units": [dept.other_unit.pk],
            "recipient_lines": "Giám đốc (để b/c);\nLưu: VT, CNTT.",
            "main_file": samples.draft_pdf_upload(),
            "attachments": [samples.pdf_upload("phu-luc.pdf")],
        },
    )
    doc = OutgoingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(doc)
    assert doc.reply_to == incoming and doc.drafter == dept.officer and doc.copies == 2
    assert doc.recipients.count() == 4 and doc.files.count() == 2
    page = client.get(detail(doc)).content.decode()
    assert "Đã lưu dự thảo văn bản." in page
    assert f"Văn bản đến số {incoming.arrival_number}" in page
    assert reverse("documents:incoming_detail", args=[incoming.pk]) in page
    incoming_page = client.get(reverse("documents:incoming_detail", args=[incoming.pk]))
    assert 'data-testid="replies"' in incoming_page.content.decode()
    assert detail(doc) in incoming_page.content.decode()


def test_a_bad_draft_form_shows_vietnamese_errors_and_stores_nothing(client, dept):
    client.force_login(dept.officer)
    response = client.post(
        CREATE,
        {
            "document_type": dept.doc_type().pk,
            "subject": "V/v thử",
            "urgency": "0",
            "secrecy": "none",
            "copies": "1",
            "signer": dept.leader.pk,
            "main_file": samples.upload("du-thao.pdf", samples.EXE_BYTES),
        },
    )
    assert response.status_code == 200
    assert "không phải là loại tệp được chấp nhận" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_the_clerk_cannot_draft(client, dept):
    client.force_login(dept.clerk)
    assert client.get(CREATE).status_code == 403


def test_detail_shows_versions_with_diff_chain_and_timeline(client, dept):
    doc = dept.draft()
    actions.update_draft(dept.officer, document=doc, changes={"subject": "V/v nội dung đã sửa"})
    actions.submit(dept.officer, document=doc, opinions=[dept.other_unit])
    client.force_login(dept.unit_leader)
    html = client.get(detail(doc)).content.decode()
    assert 'data-testid="diff-2"' in html and "V/v nội dung đã sửa" in html
    assert "<del>V/v trả lời kiến nghị về hạ tầng viễn thông</del>" in html
    assert 'data-task-kind="review"' in html and "Lãnh đạo đơn vị xem xét" in html
    assert "Phòng Bưu chính, Viễn thông" in html  # the unit asked for an opinion
    assert 'data-step="review"' in html and 'data-step="reject"' in html
    assert "Trình duyệt" in html


def test_the_step_pages_run_the_chain(client, dept):
    doc = actions.submit(dept.officer, document=dept.draft(), opinions=[dept.other_unit])
    client.force_login(dept.unit_leader)
    response = client.post(step_url(doc, "review"), {"review-comment": "Đồng ý nội dung"})
    assert response.status_code == 302
    client.force_login(dept.officer2)
    response = client.post(
        step_url(doc, "opinion"),
        {"opinion-text": "Thống nhất", "opinion-files": [samples.pdf_upload("y-kien.pdf")]},
    )
    assert response.status_code == 302
    client.force_login(dept.clerk)
    client.post(step_url(doc, "check"), {"check-comment": ""})
    client.force_login(dept.leader)
    client.post(step_url(doc, "approve"), {"approve-comment": "Ký"})
    client.post(step_url(doc, "sign"), {})
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.SIGNED
    client.force_login(dept.clerk)
    response = client.post(step_url(doc, "issue"), {})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.ISSUED
    html = client.get(detail(doc)).content.decode()
    assert "Văn bản đã được ban hành." in html
    assert "Số: 01/STTTT-CNTT" in html
    assert 'data-testid="verification"' in html and "Chữ ký số hợp lệ" in html
    assert "Lê Văn Quyết" in html and "Sở Thông tin và Truyền thông" in html
    assert 'data-testid="deliveries"' in html and "Đang chờ gửi" in html
    assert "Lưu: VT, CNTT." in html  # a paper recipient


def test_a_tampered_stored_pdf_is_reported_on_the_page(client, dept):
    doc = dept.advance(dept.draft(), "issued")
    stored = current_main(doc)
    path = default_storage.path(stored.file.name)
    with open(path, "rb") as handle:
        data = bytearray(handle.read())
    position = data.find(b"stream") + 40
    data[position] = (data[position] + 1) % 256
    with open(path, "wb") as handle:
        handle.write(bytes(data))
    client.force_login(dept.clerk)
    html = client.get(detail(doc)).content.decode()
    assert "Chữ ký số KHÔNG hợp lệ" in html
    assert "tệp đã bị thay đổi sau khi ký" in html
    assert OutgoingDocument.objects.get(pk=doc.pk).status == OutgoingStatus.ISSUED


def test_editing_an_issued_document_from_the_page_is_refused(client, dept):
    doc = dept.advance(dept.draft(), "issued")
    client.force_login(dept.officer)
    response = client.post(reverse("documents:draft_edit", args=[doc.pk]), {"subject": "Sửa"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "đã khóa, không thể thay đổi nữa" in page
    assert OutgoingDocument.objects.get(pk=doc.pk).version == 1


def test_the_edit_page_saves_a_new_version(client, dept):
    doc = dept.draft()
    client.force_login(dept.officer)
    form = client.get(reverse("documents:draft_edit", args=[doc.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"subject": "V/v dự thảo phiên bản 2", "main_file": samples.draft_pdf_upload()})
    response = client.post(reverse("documents:draft_edit", args=[doc.pk]), data)
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.version == 2 and doc.subject == "V/v dự thảo phiên bản 2"
    assert doc.recipients.count() == 3  # unchanged recipients kept


def test_signing_without_a_key_shows_the_error_and_changes_nothing(client, dept):
    SigningKey.objects.filter(holder=dept.leader).update(active=False)
    doc = dept.advance(dept.draft(), "approved")
    client.force_login(dept.leader)
    response = client.post(step_url(doc, "sign"), {})
    assert response.status_code == 200
    assert "chưa có khóa ký số cá nhân" in response.content.decode()
    assert OutgoingDocument.objects.get(pk=doc.pk).status == OutgoingStatus.APPROVED


def test_a_step_not_possible_now_redirects_with_a_message(client, dept):
    doc = dept.advance(dept.draft(), "in_review")
    client.force_login(dept.leader)
    response = client.post(step_url(doc, "sign"), {}, follow=True)
    assert (
        "Không thể “Ký” khi văn bản đang ở trạng thái “Đang xem xét”." in response.content.decode()
    )


def test_queues_count_and_list_with_a_constant_number_of_queries(
    client, dept, django_assert_max_num_queries
):
    for index in range(3):
        dept.draft(subject=f"Dự thảo {index}")
    actions.submit(dept.officer, document=dept.draft(subject="Chờ xem xét"))
    client.force_login(dept.unit_leader)
    with django_assert_max_num_queries(20) as few:
        response = client.get(LIST + "?queue=all")
    html = response.content.decode()
    assert 'data-testid="count-to_review">1<' in html
    assert 'data-testid="count-all">4<' in html
    for index in range(3, 12):
        dept.draft(subject=f"Dự thảo {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST + "?queue=all")
    assert response.context["page"].paginator.count == 13


def test_list_filters_and_pages(client, dept):
    for index in range(27):
        dept.draft(subject=f"Dự thảo số {index}")
    dept.draft(subject="Kế hoạch chuyển đổi số")
    client.force_login(dept.officer)
    page = client.get(LIST + "?queue=my_drafts")
    assert page.context["page"].paginator.num_pages == 2
    assert len(page.context["page"].object_list) == 25
    found = client.get(LIST + "?queue=my_drafts&q=chuyển đổi")
    assert [d.subject for d in found.context["page"].object_list] == ["Kế hoạch chuyển đổi số"]
    none = client.get(LIST + "?queue=my_drafts&status=issued")
    assert 'data-testid="empty"' in none.content.decode()


def test_the_leader_sees_what_waits_for_signature_and_the_clerk_what_to_issue(client, dept):
    approved = dept.advance(dept.draft(subject="Chờ ký"), "approved")
    signed = dept.advance(dept.draft(subject="Chờ ban hành"), "signed")
    client.force_login(dept.leader)
    to_sign = client.get(LIST + "?queue=to_sign").context["page"].object_list
    assert [d.pk for d in to_sign] == [approved.pk]
    client.force_login(dept.clerk)
    to_issue = client.get(LIST + "?queue=to_issue").context["page"].object_list
    assert [d.pk for d in to_issue] == [signed.pk]


def test_internal_recipients_find_the_issued_document_in_their_list(client, dept):
    doc = dept.advance(dept.draft(recipients=[(RecipientKind.UNIT, dept.other_unit)]), "issued")
    client.force_login(dept.officer2)
    received = client.get(LIST + "?queue=received").context["page"].object_list
    assert [d.pk for d in received] == [doc.pk]
    assert client.get(detail(doc)).status_code == 200


def test_the_admin_configures_a_series_from_the_pages(client, dept):
    client.force_login(dept.admin)
    response = client.post(
        reverse("documents:series_create"),
        {
            "name": "Sổ quyết định",
            "scope": SeriesScope.TYPES,
            "document_types": [dept.doc_type("quyet-dinh").pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    series = OutgoingSeries.objects.get()
    assert list(series.document_types.values_list("code", flat=True)) == ["quyet-dinh"]
    listing = client.get(reverse("documents:series_list")).content.decode()
    assert "Sổ quyết định" in listing and "Quyết định" in listing
    bad = client.post(reverse("documents:series_create"), {"name": "Sổ lỗi", "scope": "types"})
    assert "Chọn các loại văn bản được cấp số trong sổ này." in bad.content.decode()


def test_navigation_shows_the_outgoing_items_by_role(client, dept):
    client.force_login(dept.officer)
    html = client.get(LIST).content.decode()
    assert "Văn bản đi" in html and "Dự thảo mới" in html
    client.force_login(dept.clerk)
    assert "Dự thảo mới" not in client.get(LIST).content.decode()
    client.force_login(dept.admin)
    assert "Sổ văn bản đi" in client.get(LIST).content.decode()
