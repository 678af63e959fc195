"""Stored files of documents: scans, electronic originals, drafts, signed versions.

``StoredFile`` is the pattern every document file follows (immutable rows, content-sniffed
type, checksum, private path); ``Attachment`` holds the files of incoming documents and
``OutgoingFile`` (models/outgoing_files.py) those of outgoing documents.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from coquan.documents.choices import TextSource


class ImmutableRecordError(RuntimeError):
    """Raised when code tries to change or delete a stored file row."""


class StoredFileQuerySet(models.QuerySet):
    def with_current_flag(self):
        """Annotate ``is_current``: no later version replaces this file."""
        newer = self.model.objects.filter(replaces=OuterRef("pk"))
        return self.annotate(is_current=~Exists(newer))


def mark_current(files):
    """Set ``is_current`` on each of ``files``, every version of one document's files.

    The same flag as ``with_current_flag`` without its correlated subquery: within a
    document's complete list, a file is current when no other file of the list replaces it
    (a correction always replaces a file of the same document). Returns the list.
    """
    files = list(files)
    replaced = {f.replaces_id for f in files if f.replaces_id is not None}
    for f in files:
        f.is_current = f.pk not in replaced
    return files


#: Kept for the incoming side, which imports it by this name.
AttachmentQuerySet = StoredFileQuerySet


class StoredFile(models.Model):
    """Abstract base: one stored file, immutable once written.

    The file lives in the default ``STORAGES`` backend under a private path with a random
    name (never served directly: downloads go through a view that checks access). The type is
    detected from the content (``documents.filetypes``), not from the name; ``sha256`` and
    ``size`` let anyone check the file was not altered. The original file name is kept,
    sanitised, for display and download only. A correction is a new row that ``replaces``
    the previous version (concrete models add ``replaces``): the history stays (Decree
    30/2020 App. VI: integrity, retention).
    """

    file = models.FileField(_("file"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    version = models.PositiveSmallIntegerField(_("file version"), default=1)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def save(self, *args, **kwargs):
        """Insert only: a stored file never changes (corrections are new versions)."""
        if not self._state.adding:
            raise ImmutableRecordError("Stored files are immutable; add a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Stored files are immutable and are never deleted.")


class Attachment(StoredFile):
    """One stored file of an incoming document, immutable once written (see ``StoredFile``).

    Opinion files point to their handling step. ``text`` is derived data (the text layer
    of a PDF, or the OCR of a scanned PDF or image, written by ``text_extraction`` with a
    queryset update; the file never changes); ``text_source`` says which.
    """

    document = models.ForeignKey(
        "documents.IncomingDocument",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    step = models.ForeignKey(
        "documents.HandlingStep",
        verbose_name=_("handling step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
        help_text=_("The opinion this file was attached to, if any."),
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    text = models.TextField(
        _("extracted text"),
        blank=True,
        default="",
        editable=False,
        help_text=_(
            "Text of the file for search: the text layer of a PDF, or OCR of a scan, read in "
            "the background."
        ),
    )
    text_source = models.CharField(
        _("text source"),
        max_length=16,
        choices=TextSource.choices,
        default=TextSource.NONE,
        editable=False,
    )

    objects = StoredFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="attachment_version_valid"),
            models.CheckConstraint(
                condition=~Q(replaces=models.F("pk")), name="attachment_not_self_replacing"
            ),
            models.CheckConstraint(
                condition=Q(text_source__in=TextSource.values), name="attachment_text_source_valid"
            ),
        ]
