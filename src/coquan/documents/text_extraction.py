"""Text of attachments, for search (issue 3, part 2).

A PDF with a text layer (an electronic original, or a scan that went through OCR) has its
text read by poppler's ``pdftotext`` in a background task queued when the upload commits,
so registering stays fast. A scan — a PNG, JPEG or TIFF image, or a PDF whose text layer is
empty — is read by tesseract in the same task (``documents.ocr``; ``COQUAN_OCR``, on by
default). The text is stored on ``Attachment.text`` (derived data: the file itself stays
immutable) with ``text_source`` (text layer, OCR or none), capped at
``COQUAN_ATTACHMENT_TEXT_MAX_CHARS`` characters and the first
``COQUAN_ATTACHMENT_TEXT_MAX_PAGES`` pages (``COQUAN_OCR_MAX_PAGES`` for OCR); a broken file
gives an empty text and never fails anything. The search entry of the document is then
marked dirty and re-indexed (``documents.search.attachment_text`` reads ``attachment.text``).
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import tempfile

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from coquan.documents import ocr
from coquan.documents.choices import TextSource

logger = logging.getLogger("coquan.documents")

PDF = "application/pdf"
#: The types whose text is read: PDFs (text layer, else OCR) and scanned images (OCR).
READ_TYPES = frozenset({PDF}) | ocr.IMAGE_TYPES
DEFAULT_MAX_CHARS = 200_000
DEFAULT_MAX_PAGES = 300
TIMEOUT_SECONDS = 60


def max_chars() -> int:
    return int(getattr(settings, "COQUAN_ATTACHMENT_TEXT_MAX_CHARS", DEFAULT_MAX_CHARS))


def max_pages() -> int:
    return int(getattr(settings, "COQUAN_ATTACHMENT_TEXT_MAX_PAGES", DEFAULT_MAX_PAGES))


def pdf_text(name: str) -> str:
    """The text layer of the stored PDF ``name`` ('' when it has none or cannot be read)."""
    executable = shutil.which("pdftotext")
    if executable is None:
        logger.warning("pdftotext is not installed: PDF text is not extracted")
        return ""
    try:
        with (
            default_storage.open(name, "rb") as source,
            tempfile.NamedTemporaryFile(suffix=".pdf") as copy,
        ):
            shutil.copyfileobj(source, copy)
            copy.flush()
            result = subprocess.run(  # noqa: S603 (fixed program, our own temporary file)
                [executable, "-q", "-enc", "UTF-8", "-l", str(max_pages()), copy.name, "-"],
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
    except (OSError, subprocess.SubprocessError) as exc:
        logger.info("PDF text of %s not extracted: %s", name, exc)
        return ""
    if result.returncode != 0:
        return ""
    return tidy(result.stdout.decode("utf-8", errors="replace"))


def tidy(text: str) -> str:
    """Page breaks become blank lines; runs of blank lines are folded; capped."""
    text = text.replace("\x00", "")
    lines = [line.rstrip() for line in text.replace("\f", "\n").splitlines()]
    text = "\n".join(line for i, line in enumerate(lines) if line or (i and lines[i - 1]))
    return text.strip()[: max_chars()]


def attachment_text(name: str, mime_type: str) -> tuple[str, str]:
    """The text of a stored file and how it was obtained (a ``TextSource`` value).

    A PDF's text layer when it has one, else OCR of the scan (PDF pages or image).
    """
    if mime_type == PDF:
        text = pdf_text(name)
        if text:
            return text, TextSource.TEXT_LAYER
    if mime_type in READ_TYPES:
        text = tidy(ocr.scan_text(name, mime_type, limit=max_chars()))
        if text:
            return text, TextSource.OCR
    return "", TextSource.NONE


@task()
def extract_attachment_text(attachment_id: int) -> str:
    """Read the text of one attachment, store it with its source, re-index its document."""
    from coquan.documents.models import Attachment

    attachment = Attachment.objects.select_related("document").filter(pk=attachment_id).first()
    if attachment is None or attachment.mime_type not in READ_TYPES:
        return "skipped"
    text, source = attachment_text(attachment.file.name, attachment.mime_type)
    with transaction.atomic():
        Attachment.objects.filter(pk=attachment_id).update(text=text, text_source=source)
        _mark_for_search(attachment.document)
    return f"{len(text)} characters ({source})"


def _mark_for_search(document) -> None:
    """Mark the document's search entry dirty and queue its re-index (search's helpers)."""
    from coquan.search import indexing, registry
    from coquan.search.tasks import index_object

    declaration = registry.for_model(type(document))
    if declaration is None:
        return
    indexing.mark_dirty(declaration, document.pk, document.agency_id)
    transaction.on_commit(
        functools.partial(index_object.enqueue, declaration.label, document.pk), robust=True
    )


def queue_extraction(attachment) -> None:
    """After the upload commits, queue the text extraction of a PDF (or, with OCR, image)."""
    if attachment.mime_type == PDF or (attachment.mime_type in ocr.IMAGE_TYPES and ocr.enabled()):
        transaction.on_commit(
            functools.partial(extract_attachment_text.enqueue, attachment.pk), robust=True
        )
