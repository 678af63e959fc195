"""OCR of scanned attachments with the real tesseract (Debian's tesseract-ocr + -vie).

Scans are drawn with Pillow in Noto Sans (fonts-noto-core), so the test knows what the page
says; OCR output is compared after folding (no diacritics, lower case) and only a few words
are required, as OCR may misread a letter.
"""

from __future__ import annotations

import io
import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from coquan.documents import ocr
from coquan.documents.choices import TextSource
from coquan.documents.models import Attachment
from coquan.documents.tests import samples
from coquan.documents.tests.samples import upload
from coquan.documents.text_extraction import extract_attachment_text
from coquan.search.folding import fold

pytestmark = pytest.mark.django_db

SENTENCE = "Công văn về việc triển khai chuyển đổi số"
SECOND_PAGE = "Báo cáo kết quả thanh tra năm 2025"
FONT = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"


def page(text: str = SENTENCE):
    """A scanned page: black Vietnamese text on white, as a 300 dpi scanner gives it."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1400, 180), 255)
    ImageDraw.Draw(image).text((40, 60), text, font=ImageFont.truetype(FONT, 40), fill=0)
    return image


def image_bytes(fmt: str = "PNG", *texts: str) -> bytes:
    frames = [page(text) for text in texts or (SENTENCE,)]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, dpi=(300, 300), save_all=len(frames) > 1, append_images=frames[1:])
    return buffer.getvalue()


def scanned_pdf(*texts: str) -> bytes:
    """An image-only PDF (no text layer), as a scanner writes it."""
    return image_bytes("PDF", *texts)


def found(text: str, sentence: str = SENTENCE, at_least: int = 3) -> bool:
    """Tolerant match: at least ``at_least`` words of the sentence appear in the OCR text."""
    words = set(fold(text).split())
    return len([word for word in fold(sentence).split() if word in words]) >= at_least


@pytest.fixture(autouse=True)
def fresh_warnings():
    """Each test sees the warnings of its own installation problems once."""
    ocr._warned.clear()
    ocr._installed_languages.cache_clear()
    yield
    ocr._warned.clear()


def test_the_detected_languages_are_the_debian_packages():
    program = ocr.tesseract()
    assert program is not None
    assert ocr.languages(program) == "vie+eng"


def test_a_scanned_image_is_read_with_ocr_and_shown_as_such(
    office, django_capture_on_commit_callbacks, client, api_client
):
    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(files=[upload("scan.png", image_bytes("PNG"), "image/png")])
    attachment = Attachment.objects.get(document=doc)
    assert attachment.text_source == TextSource.OCR
    assert found(attachment.text), attachment.text
    assert "triển khai" in attachment.text  # Vietnamese letters kept as read

    client.force_login(office.clerk)
    page_html = client.get(reverse("documents:incoming_detail", args=[doc.pk])).content.decode()
    assert "Văn bản nhận dạng (OCR)" in page_html
    api_client.force_authenticate(office.clerk)
    body = api_client.get(f"/api/v1/incoming-documents/{doc.pk}/").json()
    assert body["attachments"][0]["text_source"] == "ocr"


def test_a_scanned_pdf_is_read_with_ocr_and_found_by_search(
    office, django_capture_on_commit_callbacks, client
):
    from coquan.search.models import SearchEntry

    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(
            files=[upload("scan.pdf", scanned_pdf(), "application/pdf")],
            subject="V/v kế hoạch năm",
        )
    attachment = Attachment.objects.get(document=doc)
    assert attachment.text_source == TextSource.OCR
    assert found(attachment.text), attachment.text
    entry = SearchEntry.objects.get(object_id=doc.pk, content_type__model="incomingdocument")
    assert not entry.dirty and found(entry.body)
    client.force_login(office.clerk)
    response = client.get("/search/", {"q": "trien khai"})
    assert response.status_code == 200
    assert "V/v kế hoạch năm" in response.content.decode()


def test_jpeg_and_multi_page_tiff_scans(office, django_capture_on_commit_callbacks):
    tiff = image_bytes("TIFF", SENTENCE, SECOND_PAGE)
    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(
            files=[
                upload("scan.jpg", image_bytes("JPEG"), "image/jpeg"),
                upload("scan.tif", tiff, "image/tiff"),
            ]
        )
    jpeg, tif = Attachment.objects.filter(document=doc).order_by("pk")
    assert jpeg.mime_type == "image/jpeg" and found(jpeg.text), jpeg.text
    assert tif.mime_type == "image/tiff" and found(tif.text), tif.text
    assert found(tif.text, SECOND_PAGE), tif.text


@override_settings(COQUAN_OCR_MAX_PAGES=1)
def test_ocr_reads_at_most_the_page_cap(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(
            files=[upload("scan.pdf", scanned_pdf(SENTENCE, SECOND_PAGE), "application/pdf")]
        )
    text = Attachment.objects.get(document=doc).text
    assert found(text) and not found(text, SECOND_PAGE, at_least=1), text


@override_settings(COQUAN_ATTACHMENT_TEXT_MAX_CHARS=20)
def test_ocr_text_is_capped_in_characters(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(
            files=[upload("scan.pdf", scanned_pdf(SENTENCE, SECOND_PAGE), "application/pdf")]
        )
    attachment = Attachment.objects.get(document=doc)
    assert 0 < len(attachment.text) <= 20 and attachment.text_source == TextSource.OCR


def test_a_pdf_with_a_text_layer_is_not_ocred(office, django_capture_on_commit_callbacks):
    from coquan.documents.tests.test_text_extraction import BODY, text_pdf

    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(files=[upload("qd.pdf", text_pdf(), "application/pdf")])
    attachment = Attachment.objects.get(document=doc)
    assert attachment.text_source == TextSource.TEXT_LAYER
    assert BODY in " ".join(attachment.text.split())


@override_settings(COQUAN_OCR=False)
def test_ocr_switched_off_reads_no_scan(office, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image_doc = office.register(files=[upload("scan.png", image_bytes(), "image/png")])
    # No text task queued for an image, as before OCR existed (only the search index's).
    assert callbacks and not [c for c in callbacks if "extract_attachment_text" in repr(c)]
    with django_capture_on_commit_callbacks(execute=True):
        pdf_doc = office.register(
            files=[upload("scan.pdf", scanned_pdf(), "application/pdf")], code_number="78"
        )
    for doc in (image_doc, pdf_doc):
        attachment = Attachment.objects.get(document=doc)
        assert (attachment.text, attachment.text_source) == ("", TextSource.NONE)
    client.force_login(office.clerk)
    html = client.get(reverse("documents:incoming_detail", args=[pdf_doc.pk])).content.decode()
    assert "nhận dạng (OCR)" not in html


def test_broken_images_never_fail_the_upload(office, django_capture_on_commit_callbacks):
    broken_png = image_bytes("PNG")[:200] + b"\x00garbage" * 40
    with django_capture_on_commit_callbacks(execute=True):
        doc = office.register(
            files=[
                upload("hong.png", broken_png, "image/png"),
                upload("hong.jpg", samples.JPEG_BYTES, "image/jpeg"),
                upload("hong.tif", samples.TIFF_BYTES, "image/tiff"),
                upload("hong.pdf", samples.PDF_BYTES, "application/pdf"),
            ]
        )
    rows = list(Attachment.objects.filter(document=doc).values_list("text", "text_source"))
    assert rows == [("", TextSource.NONE)] * 4
    # The task itself ends normally (the immediate test backend would swallow an exception).
    for pk in Attachment.objects.filter(document=doc).values_list("pk", flat=True):
        assert extract_attachment_text.call(pk) == "0 characters (none)"


@override_settings(COQUAN_TESSERACT="tesseract-not-installed")
def test_without_tesseract_the_text_stays_empty_and_one_warning_is_logged(
    office, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.WARNING, logger="coquan.documents"):
        with django_capture_on_commit_callbacks(execute=True):
            first = office.register(files=[upload("a.png", image_bytes(), "image/png")])
        with django_capture_on_commit_callbacks(execute=True):
            second = office.register(
                files=[upload("b.pdf", scanned_pdf(), "application/pdf")], code_number="79"
            )
    for doc in (first, second):
        assert Attachment.objects.get(document=doc).text_source == TextSource.NONE
    warnings = [r for r in caplog.records if "tesseract-not-installed" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING


@override_settings(COQUAN_OCR_LANGUAGES="vie+xyz")
def test_a_missing_language_model_is_logged_and_the_others_are_used(caplog):
    program = ocr.tesseract()
    with caplog.at_level(logging.WARNING, logger="coquan.documents"):
        assert ocr.languages(program) == "vie"
        assert ocr.languages(program) == "vie"
    assert len([r for r in caplog.records if "xyz" in r.getMessage()]) == 1
