"""Updating and replacing issued documents (văn bản đính chính / sửa đổi, văn bản thay thế).

The issuing agency corrects an issued document with a later one: an **update** (đính chính,
sửa đổi, bổ sung) leaves the original in force; a **replacement** (thay thế) takes its
place. Either is a new outgoing document, linked to the original (``revises``,
``revision_kind``), that goes through the whole chain like any draft. When the clerk
issues it (``issuing.issue``), the original's page shows "updated by" / "replaced by", a
replaced original becomes ``replaced``, and one delivery of kind ``update`` / ``replace``
is queued for every agency the original was sent to (QCVN 102:2016 edXML
``BussinessDocType`` 2 / 3; the exchange app delivers them).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coquan.core.access import roles_in
from coquan.core.actions import action, describe
from coquan.documents import outgoing_workflow as workflow
from coquan.documents.actions.common import stores_files
from coquan.documents.actions.drafting import _membership, _validate, new_draft
from coquan.documents.actions.outgoing_common import add_step, lock, permission
from coquan.documents.choices import (
    DeliveryKind,
    OutgoingStatus,
    OutgoingStepKind,
    RevisionKind,
)
from coquan.documents.models import Delivery, OutgoingDocument

#: The original's statuses in which a revision of it is still going on (not issued, not
#: abandoned).
OPEN_STATUSES = (
    OutgoingStatus.DRAFT,
    OutgoingStatus.RETURNED,
    OutgoingStatus.IN_REVIEW,
    OutgoingStatus.APPROVED,
    OutgoingStatus.SIGNED,
)

DELIVERY_KIND = {
    RevisionKind.UPDATE: DeliveryKind.UPDATE,
    RevisionKind.REPLACE: DeliveryKind.REPLACE,
}


def check_revisable(original, kind: str) -> None:
    """Refuse a revision of ``original`` that cannot be made (``ValidationError``).

    Only an issued document can be updated or replaced (a draft, a recalled or a replaced
    document: code ``invalid_transition``); a document has at most one replacement (code
    ``already_replaced``) and at most one update in progress at a time (code
    ``revision_in_progress``).
    """
    if kind not in RevisionKind.values:
        raise ValidationError({"kind": _("Choose update or replacement.")}, code="invalid")
    if original.status != OutgoingStatus.ISSUED:
        raise ValidationError(
            _(
                "Only an issued document in force can be updated or replaced; this one is "
                "“%(status)s”."
            ),
            code="invalid_transition",
            params={"status": original.get_status_display()},
        )
    others = original.revisions.filter(status__in=(*OPEN_STATUSES, OutgoingStatus.ISSUED))
    if kind == RevisionKind.REPLACE:
        existing = others.filter(revision_kind=RevisionKind.REPLACE).first()
        if existing is not None:
            raise ValidationError(
                _("This document already has a replacement (%(label)s)."),
                code="already_replaced",
                params={"label": existing.number_and_notation or _("draft in progress")},
            )
    open_update = others.filter(
        revision_kind=RevisionKind.UPDATE, status__in=OPEN_STATUSES
    ).exists()
    if kind == RevisionKind.UPDATE and open_update:
        raise ValidationError(
            _("An update of this document is already being drafted; finish or withdraw it first."),
            code="revision_in_progress",
        )


@stores_files
@action("documents.outgoing.revise", permission=permission("revise"))
def create_revision(
    actor,
    *,
    document,
    kind: str,
    subject: str = "",
    description: str = "",
    main_file=None,
    attachments=(),
) -> OutgoingDocument:
    """Draft an update or a replacement of the issued ``document``; returns the new draft.

    Who: the original's drafter, a leader of the agency or a unit leader of the drafting
    unit (``OutgoingAccess.can_revise``). The new draft copies the original's type,
    urgency, secrecy, signer (if still a leader), signing authority, copies, series and
    recipients; ``subject`` defaults to the original's. It then goes through review,
    signing and issue like any draft. Refuses (nothing stored) a document that is not
    issued (a draft, recalled, replaced), a second replacement, a second update while one
    is in progress (``check_revisable``).
    """
    original = lock(document)
    workflow.check(original, "revise")
    check_revisable(original, kind)
    agency = original.agency
    signer = original.signer if original.signer_id else None
    if signer is not None and "leader" not in roles_in(signer, agency):
        signer = None
    membership = _membership(actor, agency)
    values = {
        "document_type": original.document_type,
        "subject": (subject or "").strip() or original.subject,
        "signer": signer,
        "drafting_unit": membership.unit if membership and membership.unit_id else None,
        "urgency": original.urgency,
        "secrecy": original.secrecy,
        "signer_competence": original.signer_competence,
        "signer_position": original.signer_position if signer is not None else "",
        "description": (description or "").strip(),
        "copies": original.copies,
        "reply_to": None,
        "series": original.series,
    }
    _validate(actor, agency, values)
    rows = [
        {
            "kind": r.kind,
            "purpose": r.purpose,
            "agency": r.agency,
            "external": r.external,
            "unit": r.unit,
            "user": r.user,
            "text": r.text,
        }
        for r in original.recipients.select_related("agency", "external", "unit", "user")
    ]
    new, version = new_draft(
        actor,
        agency,
        values,
        rows,
        main_file,
        attachments,
        revises=original,
        revision_kind=kind,
    )
    describe(
        agency=agency,
        obj=new,
        summary=_("%(kind)s of %(number)s drafted")
        % {"kind": RevisionKind(kind).label, "number": original.number_and_notation},
        after={**version.data, "revises": original.pk, "revision_kind": kind},
    )
    return new


def lock_original_for_issue(document):
    """At issue of a revision: the original, locked, checked still in force (or ``None``).

    Refuses (code ``original_changed``) when the original was recalled or replaced since
    the revision was drafted: issuing it then would use a number for nothing.
    """
    if document.revises_id is None:
        return None
    original = OutgoingDocument.objects.select_for_update().get(pk=document.revises_id)
    if original.status != OutgoingStatus.ISSUED:
        raise ValidationError(
            _(
                "The document this one updates or replaces is now “%(status)s”: it can no "
                "longer be updated or replaced."
            ),
            code="original_changed",
            params={"status": original.get_status_display()},
        )
    return original


def apply_revision(document, original, actor) -> list[Delivery]:
    """After the revision is numbered: mark the original and queue update/replace deliveries.

    One delivery of kind ``update`` / ``replace`` of the new document per agency the
    original was sent to (its ``send`` deliveries); never for a secret revision. The
    original gets an ``updated_by`` / ``replaced_by`` timeline row; a replaced original
    becomes ``replaced`` (frozen, still in the register with its number).
    """
    from coquan.documents.choices import Secrecy

    if document.revision_kind == RevisionKind.REPLACE:
        workflow.apply(original, "replaced")
        original.save(update_fields=["status", "updated_at"])
        step_kind = OutgoingStepKind.REPLACED_BY
    else:
        step_kind = OutgoingStepKind.UPDATED_BY
    add_step(original, actor, step_kind, text=document.number_and_notation)
    if document.secrecy != Secrecy.NONE:
        return []
    kind = DELIVERY_KIND[document.revision_kind]
    return Delivery.objects.bulk_create(
        [
            Delivery(
                document=document,
                kind=kind,
                recipient_agency_id=sent.recipient_agency_id,
                recipient_external_id=sent.recipient_external_id,
                organ_id=sent.organ_id,
                name=sent.name,
            )
            for sent in original.deliveries.filter(kind=DeliveryKind.SEND)
        ],
        ignore_conflicts=True,
    )
