"""Text of PDF attachments, for search (issue 3, part 2).

A PDF with a text layer (an electronic original, or a scan that went through OCR) has its
text read by poppler's ``pdftotext`` in a background task queued when the upload commits,
so registering stays fast. The text is stored on ``Attachment.text`` (derived data: the
file itself stays immutable), capped at ``COQUAN_ATTACHMENT_TEXT_MAX_CHARS`` characters and
the first ``COQUAN_ATTACHMENT_TEXT_MAX_PAGES`` pages; a broken or image-only PDF gives an
empty text and never fails anything. The search entry of the document is then marked dirty
and re-indexed (``documents.search.attachment_text`` reads ``attachment.text``).
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

logger = logging.getLogger("coquan.documents")

PDF = "application/pdf"
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
    text = result.stdout.decode("utf-8", errors="replace").replace("\x00", "")
    # Page breaks become blank lines; runs of blank lines are folded.
    lines = [line.rstrip() for line in text.replace("\f", "\n").splitlines()]
    text = "\n".join(line for i, line in enumerate(lines) if line or (i and lines[i - 1]))
    return text.strip()[: max_chars()]


@task()
def extract_attachment_text(attachment_id: int) -> str:
    """Read the text of one PDF attachment, store it, re-index its document."""
    from coquan.documents.models import Attachment

    attachment = Attachment.objects.select_related("document").filter(pk=attachment_id).first()
    if attachment is None or attachment.mime_type != PDF:
        return "skipped"
    text = pdf_text(attachment.file.name)
    with transaction.atomic():
        Attachment.objects.filter(pk=attachment_id).update(text=text)
        _mark_for_search(attachment.document)
    return f"{len(text)} characters"


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
    """After the upload commits, queue the text extraction of a PDF attachment."""
    if attachment.mime_type == PDF:
        transaction.on_commit(
            functools.partial(extract_attachment_text.enqueue, attachment.pk), robust=True
        )
