"""The append-only, hash-chained audit log.

Every entry stores the hash of the entry before it (``prev_hash``) and the hash of its own
content (``entry_hash``), so editing, deleting, inserting or reordering entries breaks the
chain at a position that ``manage.py audit_verify`` reports. ``seq`` is gapless: it is taken
from the single ``AuditChainHead`` row, locked for the length of the writing transaction.

Rows are written only by ``coquan.audit.services.append`` (raw SQL, so the hash covers
exactly what is stored); the model and its queryset refuse every other write.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.audit.querysets import AppendOnlyError, AuditEntryQuerySet

__all__ = ["AppendOnlyError", "AuditChainHead", "AuditEntry"]


class AuditChainHead(models.Model):
    """The tip of the chain: the last sequence number and its hash (exactly one row, id=1).

    ``append`` increments ``last_seq`` with an ``UPDATE ... RETURNING`` that also locks the
    row until the writing transaction ends, so concurrent writers queue up and ``seq`` stays
    gapless. ``verify`` compares the last entry with this row to detect a deleted tail or an
    entry added behind the chain's back.
    """

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="audit_head_single_row")]

    def __str__(self) -> str:
        return f"head #{self.last_seq}"


class AuditEntry(models.Model):
    """One audited event: who did what to which object, when, from where.

    Written only by ``services.append`` (every action, sign-in event and permission denial
    ends there); never changed or deleted afterwards. ``actor`` and ``agency`` are plain
    references without database constraints and without ``on_delete`` cascades, so deleting a
    person or an agency never rewrites (and so never breaks) the chain; ``actor_name`` keeps
    the user name as it was.
    """

    seq = models.BigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(
        pgettext_lazy("audit field", "object id"), max_length=64, blank=True
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(pgettext_lazy("audit field", "hash"), max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["agency", "-seq"], name="audit_agency_seq"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        raise AppendOnlyError(
            "Audit entries are written only by coquan.audit.services.append and never changed."
        )

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")
