"""OCR of scanned attachments with Debian's ``tesseract`` (issue 3, part 2).

Clerks register most paper documents as scans: PNG, JPEG or TIFF images, or PDFs made by a
scanner that hold page images and no text layer. ``text_extraction`` calls this module from
its background task (never in the request) when a PDF has no text layer or the file is an
image: each page is rendered to a grey PNG at 300 dpi (poppler's ``pdftoppm`` for PDFs,
Pillow for the frames of a multi-page TIFF) and read by the ``tesseract`` command line in
the ``COQUAN_OCR_LANGUAGES`` (default ``vie+eng``: Debian's ``tesseract-ocr-vie`` and the
English model shipped with ``tesseract-ocr``).

Bounds: at most ``COQUAN_OCR_MAX_PAGES`` pages, ``COQUAN_OCR_PAGE_TIMEOUT`` seconds for the
rendering and for the recognition of each page (a page that times out is skipped), one
tesseract thread (the worker runs beside the web server). ``COQUAN_OCR`` off turns all of
it off. A missing ``tesseract`` binary or language model gives an empty text and one warning
per process, not an error: the upload was accepted long before.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage

logger = logging.getLogger("coquan.documents")

PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
IMAGE_TYPES = frozenset({PNG, JPEG, TIFF})
DPI = 300
DEFAULT_MAX_PAGES = 30
DEFAULT_PAGE_TIMEOUT = 60
_LANGUAGE = re.compile(r"^[A-Za-z0-9_]+$")

# Messages already logged by this process (each problem of the installation is logged once).
_warned: set[str] = set()


def enabled() -> bool:
    return bool(getattr(settings, "COQUAN_OCR", True))


def max_pages() -> int:
    return int(getattr(settings, "COQUAN_OCR_MAX_PAGES", DEFAULT_MAX_PAGES))


def page_timeout() -> int:
    return int(getattr(settings, "COQUAN_OCR_PAGE_TIMEOUT", DEFAULT_PAGE_TIMEOUT))


def _warn_once(message: str, *args) -> None:
    key = message % args
    if key not in _warned:
        _warned.add(key)
        logger.warning(message, *args)


def tesseract() -> str | None:
    """The path of the tesseract program, or ``None`` (logged once) when it is missing."""
    name = getattr(settings, "COQUAN_TESSERACT", "tesseract") or "tesseract"
    path = shutil.which(name)
    if path is None:
        _warn_once(
            "OCR is on but %s is not installed: scanned attachments get no text (install the "
            "Debian packages tesseract-ocr and tesseract-ocr-vie, or set COQUAN_OCR=0)",
            name,
        )
    return path


@functools.lru_cache(maxsize=8)
def _installed_languages(path: str) -> frozenset[str]:
    try:
        result = subprocess.run(  # noqa: S603 (the configured tesseract, fixed arguments)
            [path, "--list-langs"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = result.stdout.decode("utf-8", errors="replace").splitlines()
    # The first line is "List of available languages in ...".
    return frozenset(line.strip() for line in lines[1:] if _LANGUAGE.match(line.strip()))


def languages(path: str) -> str:
    """The configured languages that tesseract has ('' when none); missing ones logged once."""
    wanted = [
        code.strip()
        for code in getattr(settings, "COQUAN_OCR_LANGUAGES", "vie+eng").split("+")
        if _LANGUAGE.match(code.strip())
    ]
    installed = _installed_languages(path)
    missing = [code for code in wanted if code not in installed]
    if missing:
        _warn_once(
            "tesseract has no model for %s (Debian: tesseract-ocr-vie for Vietnamese): OCR "
            "reads with %s only",
            "+".join(missing),
            "+".join(code for code in wanted if code in installed) or "nothing",
        )
    return "+".join(code for code in wanted if code in installed)


def _environment() -> dict[str, str]:
    # One OpenMP thread: tesseract's own threads slow a shared 2-core machine down.
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def recognise(program: str, langs: str, image: Path) -> str:
    """Tesseract's text of one page image ('' on failure or timeout)."""
    try:
        result = subprocess.run(  # noqa: S603 (fixed program, our own temporary file)
            [program, str(image), "stdout", "-l", langs, "--dpi", str(DPI)],
            capture_output=True,
            timeout=page_timeout(),
            check=False,
            env=_environment(),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        logger.info("OCR of %s failed: %s", image.name, exc)
        return ""
    if result.returncode != 0:
        return ""
    return result.stdout.decode("utf-8", errors="replace").replace("\x00", "")


def _pdf_page_count(pdf: Path) -> int:
    program = shutil.which("pdfinfo")
    if program is None:
        return 0
    try:
        result = subprocess.run(  # noqa: S603 (fixed program, our own temporary file)
            [program, str(pdf)], capture_output=True, timeout=page_timeout(), check=False
        )
    except (OSError, subprocess.SubprocessError):
        return 0
    match = re.search(rb"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    return int(match.group(1)) if result.returncode == 0 and match else 0


def _pdf_pages(pdf: Path, workdir: Path):
    """Yield a grey PNG of each of the first pages of ``pdf`` (each deleted after use)."""
    program = shutil.which("pdftoppm")
    if program is None:
        _warn_once("pdftoppm (poppler-utils) is not installed: scanned PDFs are not read")
        return
    for number in range(1, min(_pdf_page_count(pdf), max_pages()) + 1):
        stem = workdir / f"page-{number}"
        page = str(number)
        command = [program, "-f", page, "-l", page, "-r", str(DPI), "-gray", "-png"]
        try:
            result = subprocess.run(  # noqa: S603 (fixed program, our own temporary files)
                [*command, "-singlefile", str(pdf), str(stem)],
                capture_output=True,
                timeout=page_timeout(),
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            logger.info("page %s of a scanned PDF not rendered: %s", number, exc)
            continue
        image = stem.with_suffix(".png")
        if result.returncode == 0 and image.exists():
            yield image
            image.unlink(missing_ok=True)


def _tiff_pages(tiff: Path, workdir: Path):
    """Yield a PNG of each of the first frames of a (multi-page) TIFF."""
    from PIL import Image

    with Image.open(tiff) as picture:
        for number in range(min(getattr(picture, "n_frames", 1), max_pages())):
            picture.seek(number)
            image = workdir / f"page-{number + 1}.png"
            picture.convert("L").save(image)
            yield image
            image.unlink(missing_ok=True)


def _pages(copy: Path, mime_type: str, workdir: Path):
    if mime_type == "application/pdf":
        yield from _pdf_pages(copy, workdir)
    elif mime_type == TIFF:
        yield from _tiff_pages(copy, workdir)
    else:
        yield copy  # PNG and JPEG are read as they are


def scan_text(name: str, mime_type: str, *, limit: int) -> str:
    """The OCR text of the stored scan ``name`` (a PDF without text layer or an image).

    Stops after ``limit`` characters; '' when OCR is off or unavailable or the file cannot
    be read. Pages are separated by blank lines.
    """
    if not enabled():
        return ""
    program = tesseract()
    if program is None:
        return ""
    langs = languages(program)
    if not langs:
        return ""
    suffix = {"application/pdf": ".pdf", PNG: ".png", JPEG: ".jpg", TIFF: ".tif"}[mime_type]
    texts: list[str] = []
    size = 0
    try:
        with tempfile.TemporaryDirectory(prefix="coquan-ocr-") as tmp:
            workdir = Path(tmp)
            copy = workdir / f"scan{suffix}"
            with default_storage.open(name, "rb") as source, copy.open("wb") as target:
                shutil.copyfileobj(source, target)
            with contextlib.closing(_pages(copy, mime_type, workdir)) as pages:
                for page in pages:
                    text = recognise(program, langs, page).strip()
                    if text:
                        texts.append(text)
                        size += len(text)
                    if size >= limit:
                        break
    except Exception as exc:  # a broken image: Pillow raises many kinds; the upload stands
        logger.info("OCR of %s stopped: %s", name, exc)
    return "\n\n".join(texts)
