"""Safe uploads of dossier files: checked before anything is written, stored under random
names in the default ``STORAGES`` backend.

- size: at most ``settings.COQUAN_MAX_UPLOAD_BYTES``, never empty;
- type: from the content (``coquan.documents.filetypes.sniff``: PDF, Word, Excel, ODT,
  PNG, JPEG, TIFF), never from the name, so an executable renamed ``.pdf`` is refused;
- name: the person's file name is kept only as sanitised text.

Actions check every upload first (``check_uploads``) and store them last (``store``), so a
refused reception leaves neither a row nor a file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from coquan.documents.filetypes import ALLOWED_LABELS, FileType, sniff

_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]+")
MAX_NAME_LENGTH = 200
MAX_FILES = 50


def clean_name(name: str) -> str:
    """The file name without directories, control or reserved characters, at most 200
    characters (keeping the extension)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        keep = MAX_NAME_LENGTH - len(ext) - 1 if dot and len(ext) <= 10 else MAX_NAME_LENGTH
        name = f"{stem[:keep]}.{ext}" if dot and len(ext) <= 10 else name[:keep]
    return name or "tep-ho-so"


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return size


def check_upload(upload) -> FileType:
    """The file's type; ``ValidationError`` (field ``files``) when it is empty, too large or
    of a type the content does not prove."""
    name = clean_name(getattr(upload, "name", ""))
    size = _size(upload)
    limit = settings.COQUAN_MAX_UPLOAD_BYTES
    if not size:
        raise ValidationError(
            {"files": _("The file “%(name)s” is empty.") % {"name": name}}, code="empty"
        )
    if size > limit:
        raise ValidationError(
            {
                "files": _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
                % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    file_type = sniff(upload)
    if file_type is None:
        raise ValidationError(
            {
                "files": _(
                    "The content of “%(name)s” is not an accepted file type (%(types)s), "
                    "whatever its name says."
                )
                % {"name": name, "types": ALLOWED_LABELS}
            },
            code="file_type",
        )
    return file_type


def check_uploads(uploads) -> list[tuple[object, FileType]]:
    """Check every upload; the first problem is raised before anything is stored."""
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            {"files": _("At most %(count)d files at once.") % {"count": MAX_FILES}},
            code="too_many",
        )
    return [(upload, check_upload(upload)) for upload in uploads]


def store(upload, file_type: FileType, *, agency_id: int) -> dict:
    """Write a checked upload under a random name; the fields of a ``DossierFile``."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    path = f"onestop/{agency_id}/{uuid.uuid4().hex}.{file_type.extension}"
    saved = default_storage.save(path, upload)
    return {
        "file": saved,
        "original_name": clean_name(getattr(upload, "name", "")),
        "content_type": file_type.mime,
        "size": _size(upload),
        "sha256": digest.hexdigest(),
    }
