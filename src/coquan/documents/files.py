"""Checking and storing uploaded files of documents.

Uploads are checked before anything is written: size against
``settings.COQUAN_MAX_UPLOAD_BYTES``, type from the content (``filetypes.sniff``). Stored
files get a random name under a private path in the default ``STORAGES`` backend; the
person's file name is kept only as sanitised text. Files written inside a failing action
are deleted again (``delete_on_rollback``), so a refused registration leaves no file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.documents.filetypes import ALLOWED_LABELS, FileType, sniff

_trackers: ContextVar[tuple[list[str], ...]] = ContextVar("coquan_stored_files", default=())

_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]+")
MAX_NAME_LENGTH = 200


def safe_filename(name: str) -> str:
    """A file name safe to show and to put in a Content-Disposition header.

    Drops any directory part (``../../etc/passwd`` → ``passwd``, ``C:\\x\\a.pdf`` →
    ``a.pdf``), control and reserved characters and leading dots; keeps Vietnamese letters
    (NFC); shortens long names keeping the extension.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name or "tep-dinh-kem"


def check_upload(upload) -> FileType:
    """The file's type; ``ValidationError`` when it is empty, too large or not allowed."""
    limit = settings.COQUAN_MAX_UPLOAD_BYTES
    name = safe_filename(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if not size:
        raise ValidationError(
            _("The file “%(name)s” is empty."), code="empty", params={"name": name}
        )
    if size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    file_type = sniff(upload)
    if file_type is None:
        raise ValidationError(
            _(
                "The content of “%(name)s” is not an accepted file type (%(types)s), "
                "whatever its name says."
            ),
            code="file_type",
            params={"name": name, "types": ALLOWED_LABELS},
        )
    return file_type


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    for chunk in chunks:
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def private_path(agency_id: int, file_type: FileType, folder: str = "incoming") -> str:
    """``documents/<folder>/<agency>/<yyyy>/<mm>/<random>.<ext>``: nothing from the person."""
    now = timezone.localtime()
    return (
        f"documents/{folder}/{agency_id}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{file_type.extension}"
    )


def store(upload, *, agency_id: int, file_type: FileType, folder: str = "incoming") -> dict:
    """Write the upload to storage; return the Attachment fields that describe it.

    The stored name is recorded in every active ``delete_on_rollback`` block.
    """
    checksum = _sha256(upload)
    upload.seek(0)
    stored_name = default_storage.save(private_path(agency_id, file_type, folder), upload)
    for names in _trackers.get():
        names.append(stored_name)
    return {
        "file": stored_name,
        "original_name": safe_filename(getattr(upload, "name", "")),
        "mime_type": file_type.mime,
        "size": default_storage.size(stored_name),
        "sha256": checksum,
    }


def store_bytes(
    data: bytes, *, name: str, agency_id: int, file_type: FileType, folder: str
) -> dict:
    """``store`` for bytes made by the system (a signed PDF): kept exactly as given.

    The checksum and size come from the bytes in memory (no second read of the file).
    """
    from django.core.files.base import ContentFile

    stored_name = default_storage.save(
        private_path(agency_id, file_type, folder), ContentFile(data, name=name)
    )
    for names in _trackers.get():
        names.append(stored_name)
    return {
        "file": stored_name,
        "original_name": safe_filename(name),
        "mime_type": file_type.mime,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def read_bytes(name: str) -> bytes:
    """The stored file's content."""
    with default_storage.open(name, "rb") as handle:
        return handle.read()


@contextlib.contextmanager
def delete_on_rollback():
    """Delete the files stored inside the block when an exception leaves it.

    Actions that store files run their transaction inside this block; a caller that wraps
    such an action in its own, larger transaction (the exchange receiver) wraps that
    transaction in this block too, so a later failure also removes the files.
    """
    names: list[str] = []
    token = _trackers.set((*_trackers.get(), names))
    try:
        yield names
    except BaseException:
        for name in names:
            with contextlib.suppress(Exception):
                default_storage.delete(name)
        raise
    finally:
        _trackers.reset(token)
