"""Incoming documents changed by their sender through electronic exchange (QCVN 102:2016).

The exchange app calls these actions when the receiving clerk answers a package about a
document received earlier (standards §1: ``BussinessDocType`` 1 recall, 2 update,
3 replace):

- ``cancel_recalled_incoming``: the clerk accepted a recall (status 15). The incoming
  document becomes ``recalled`` (final: no step of the workflow starts from it, so it
  leaves every handling queue) and the recall's metadata — the sender's reason, when the
  sender recalled it, who accepted it and when — stays on its timeline as a
  ``recalled`` handling step. The assignment round is closed too, so the people named
  for information or as co-handlers no longer see it in their lists.
- ``link_incoming_revision``: a received update or replacement was registered as a new
  incoming document. Both documents get a timeline row naming the other one; a
  replacement also makes the earlier document ``replaced`` (final, as above).

Both are idempotent (a repeated call changes nothing and returns the document) and
audited. Who: a clerk of the receiving agency.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.documents.actions.common import add_step, lock
from coquan.documents.choices import IncomingStatus, StepKind
from coquan.documents.permissions import can_register

#: Statuses the sender's changes end: the document is no longer handled.
CLOSED_BY_SENDER = (IncomingStatus.RECALLED, IncomingStatus.REPLACED)

__all__ = ["cancel_recalled_incoming", "link_incoming_revision"]


def _require_clerk(actor, *, document, **_kwargs):
    if not can_register(actor, document.agency):
        raise PermissionDenied(_("Only the agency's clerks register incoming documents."))


def _close(document, status: str) -> str:
    """Set a final status and close the assignment round; returns the status before."""
    before = document.status
    document.status = status
    document.assignment_round += 1
    document.save(update_fields=["status", "assignment_round"])
    return before


def _label(document) -> str:
    number = document.number_and_notation or document.edxml_document_id or "—"
    return _("arrival number %(arrival)s (%(number)s)") % {
        "arrival": document.arrival_number,
        "number": number,
    }


@action("documents.incoming.recalled", permission=_require_clerk)
def cancel_recalled_incoming(
    actor, *, document, reason: str = "", recalled_at=None, sender: str = ""
):
    """Mark ``document`` recalled by its sender (the clerk accepted the recall, status 15).

    ``reason`` is the sender's ``BussinessDocReason``, ``recalled_at`` when the recall
    arrived and ``sender`` who sent it; they are kept on the ``recalled`` step with the
    accepting clerk and the time. A document already recalled is returned unchanged.
    """
    document = lock(document)
    if document.status == IncomingStatus.RECALLED:
        return document
    lines = [_("Recalled by the sender: %(sender)s") % {"sender": sender or document.issuer_name}]
    if recalled_at is not None:
        if timezone.is_aware(recalled_at):
            recalled_at = timezone.localtime(recalled_at)
        lines.append(
            _("Recall received at %(time)s")
            % {"time": date_format(recalled_at, "SHORT_DATETIME_FORMAT")}
        )
    reason = (reason or "").strip()
    lines.append(_("Reason: %(reason)s") % {"reason": reason or "—"})
    before = _close(document, IncomingStatus.RECALLED)
    step = add_step(document, actor, StepKind.RECALLED, text="\n".join(lines))
    describe(
        agency=document.agency,
        obj=document,
        summary=(
            _("Incoming document %(number)s recalled by its sender")
            % {"number": document.arrival_number}
        )[:500],
        before={"status": before},
        after={
            "status": document.status,
            "reason": reason,
            "recalled_at": recalled_at.isoformat() if recalled_at else None,
            "sender": sender,
            "step": step.pk,
        },
    )
    return document


@action("documents.incoming.revised", permission=_require_clerk)
def link_incoming_revision(actor, *, document, original, replace: bool):
    """Link a registered update or replacement (``document``) to the ``original`` it revises.

    Writes an ``updates`` / ``replaces`` step on ``document`` and an ``updated_by`` /
    ``replaced_by`` step on ``original``; a replacement makes ``original`` ``replaced``
    (unless it was recalled already). Both documents must belong to the same agency.
    """
    if original.agency_id != document.agency_id or original.pk == document.pk:
        raise ValidationError(_("An incoming document can only revise another one of its agency."))
    original = lock(original)
    own_kind = StepKind.REPLACES if replace else StepKind.UPDATES
    if document.steps.filter(kind=own_kind, text=_label(original)).exists():
        return document
    add_step(document, actor, own_kind, text=_label(original))
    before = original.status
    if replace and original.status not in CLOSED_BY_SENDER:
        _close(original, IncomingStatus.REPLACED)
    add_step(
        original,
        actor,
        StepKind.REPLACED_BY if replace else StepKind.UPDATED_BY,
        text=_label(document),
    )
    describe(
        agency=document.agency,
        obj=original,
        summary=(
            _("Incoming document %(original)s revised by %(document)s")
            % {"original": original.arrival_number, "document": document.arrival_number}
        )[:500],
        before={"status": before},
        after={"status": original.status, "revised_by": document.pk, "replace": replace},
    )
    return document
