"""Text of PDF attachments: extracted in a task queued on commit, capped, stored, indexed."""

from __future__ import annotations

import pytest
from django.test import override_settings

from coquan.documents import actions
from coquan.documents.models import Attachment
from coquan.documents.tests import samples
from coquan.documents.tests.samples import upload

pytestmark = pytest.mark.django_db

BODY = "Quyết định về việc đẩy mạnh chuyển đổi số tại xã Quý Sơn, huyện Lục Ngạn"


def text_pdf(text: str = BODY, pages: int = 1) -> bytes:
    """A real PDF with a text layer (WeasyPrint, Noto Serif for the Vietnamese letters)."""
    import weasyprint

    body = "".join(
        f'<p style="page-break-after: always">{text} — trang {n}</p>' for n in range(1, pages + 1)
    )
    html = f"<html><body style=\"font-family: 'Noto Serif'\">{body}</body></html>"
    return weasyprint.HTML(string=html).write_pdf()


def test_pdf_text_is_extracted_after_commit_and_reaches_the_search_index(
    office, django_capture_on_commit_callbacks, client
):
    from coquan.search.models import SearchEntry

    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(files=[upload("qd.pdf", text_pdf(), "application/pdf")])
    attachment = Attachment.objects.get(document=doc)
    assert BODY in " ".join(attachment.text.split())
    entry = SearchEntry.objects.get(object_id=doc.pk, content_type__model="incomingdocument")
    assert not entry.dirty
    assert "Lục Ngạn" in entry.body
    client.force_login(office.clerk)
    response = client.get("/search/", {"q": "luc ngan"})
    assert response.status_code == 200
    assert doc.subject in response.content.decode()


def test_the_upload_does_not_wait_for_the_extraction(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        doc = office.register(files=[upload("qd.pdf", text_pdf(), "application/pdf")])
    assert Attachment.objects.get(document=doc).text == ""
    assert callbacks  # the extraction waits for the commit


def test_a_broken_pdf_never_fails_the_upload(office, django_capture_on_commit_callbacks):
    broken = b"%PDF-1.7\n" + b"\x00garbage, not a PDF body\n" * 50 + b"%%EOF\n"
    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(files=[upload("hong.pdf", broken, "application/pdf")])
        empty = office.register(
            files=[samples.pdf_upload()], code_number="77", subject="Văn bản trống"
        )
    assert Attachment.objects.get(document=doc).text == ""
    assert Attachment.objects.get(document=empty).text == ""


@override_settings(COQUAN_ATTACHMENT_TEXT_MAX_CHARS=40, COQUAN_ATTACHMENT_TEXT_MAX_PAGES=2)
def test_the_text_is_capped_in_characters_and_pages(office, django_capture_on_commit_callbacks):
    from coquan.documents.text_extraction import pdf_text

    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(files=[upload("dai.pdf", text_pdf(pages=5), "application/pdf")])
    attachment = Attachment.objects.get(document=doc)
    assert 0 < len(attachment.text) <= 40
    with override_settings(COQUAN_ATTACHMENT_TEXT_MAX_CHARS=100_000):
        full = pdf_text(attachment.file.name)
    assert "trang 2" in full and "trang 3" not in full


def test_other_files_and_added_versions(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(files=[upload("y-kien.docx", samples.docx_bytes())])
        added = actions.add_attachment(
            office.clerk, document=doc, file=upload("bo-sung.pdf", text_pdf(), "application/pdf")
        )
    assert Attachment.objects.get(document=doc, version=1, mime_type__contains="word").text == ""
    assert "Quý Sơn" in Attachment.objects.get(pk=added.pk).text
