"""Results issued as official documents (issue 6 part 4): for a procedure whose result is a
licence (``Procedure.licence_document_type``), approving the last step drafts the licence as
an outgoing document through the documents app's actions (``create_draft``), linked to the
dossier; the draft then follows the documents workflow (review, signature, number, seal).
When that document is issued, ``licence_issued`` records its number and the dossier becomes
"Đã xử lý xong" (status 9), classified at the time of issue.

The documents app has no hook on issue, so ``apps.OnestopConfig.ready`` connects a
``post_save`` receiver on ``OutgoingDocument`` (``on_outgoing_saved``) that calls
``licence_issued`` inside the issuing transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coquan.core.access import roles_in
from coquan.core.actions import action, describe
from coquan.onestop import deadlines, workflow
from coquan.onestop.actions.common import (
    add_leg,
    close_leg,
    label,
    lock,
    record_status,
    snapshot,
)
from coquan.onestop.choices import DossierStatus, TransferKind


def _document_type(dossier):
    from coquan.documents.models import DocumentType

    code = dossier.procedure.licence_document_type
    found = DocumentType.objects.available_to(dossier.agency).filter(code=code).first()
    if found is None:
        raise ValidationError(
            _(
                "The agency has no document type “%(code)s” to issue the licence of this "
                "procedure: ask the administrator to fix the catalogue."
            )
            % {"code": code},
            code="licence_type",
        )
    return found


def draft_licence(actor, dossier, *, result_note="", at=None):
    """Called by ``processing.approve`` (already inside its action and lock): check the last
    step, create the outgoing draft of the licence, link it. Status unchanged (4)."""
    from coquan.documents.actions.drafting import create_draft

    before_snapshot = snapshot(dossier)
    workflow.apply(dossier, "approve_licence")
    doc_type = _document_type(dossier)
    signer = actor if "leader" in roles_in(actor, dossier.agency) else None
    subject = _("%(result)s for %(applicant)s (dossier %(code)s)") % {
        "result": dossier.procedure.result_name or dossier.procedure.name,
        "applicant": dossier.applicant_name,
        "code": label(dossier),
    }
    document = create_draft(
        actor,
        agency=dossier.agency,
        document_type=doc_type,
        subject=subject[:500],
        signer=signer,
        description=str(result_note or "").strip()[:500],
    )
    dossier.licence_document = document
    dossier.result_note = str(result_note or "").strip()
    dossier.save(update_fields=["licence_document", "result_note"])
    describe(
        obj=dossier,
        summary=_(
            "Result of dossier %(code)s approved; licence drafted as outgoing document #%(doc)s."
        )
        % {"code": label(dossier), "doc": document.pk},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.licence_issued")
def licence_issued(actor, *, dossier, document):
    """The licence drafted for ``dossier`` was issued: record its number, status 9, the
    result goes to the desk, the dossier is classified at the time of issue."""
    dossier = lock(dossier)
    if dossier.licence_document_id != document.pk:
        raise ValidationError(_("This document is not the licence of the dossier."))
    before = dossier.status
    before_snapshot = snapshot(dossier)
    workflow.apply(dossier, "licence_issued")
    at = document.issued_at
    number = document.number_and_notation
    close_leg(dossier, at)
    add_leg(
        dossier,
        kind=TransferKind.RESULT,
        actor=actor,
        at=at,
        from_step=dossier.current_step,
        from_unit=dossier.assignee_unit,
        from_user=actor,
        note=number,
    )
    dossier.licence_number = number[:50]
    dossier.result_note = _("Licence %(number)s issued on %(date)s.") % {
        "number": number,
        "date": document.issued_date.strftime("%d/%m/%Y"),
    } + (f" {dossier.result_note}" if dossier.result_note else "")
    dossier.result_ready_at = at
    dossier.step_due_at = None
    if deadlines.classify_at() == "result_ready":
        dossier.timeliness = deadlines.classify(at, dossier.due_at)
    dossier.save(
        update_fields=[
            "status",
            "licence_number",
            "result_note",
            "result_ready_at",
            "step_due_at",
            "timeliness",
        ]
    )
    record_status(dossier, before, actor, at, note=number)
    describe(
        obj=dossier,
        summary=_("Licence %(number)s of dossier %(code)s issued.")
        % {"number": number, "code": label(dossier)},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


def on_outgoing_saved(sender, instance, update_fields=None, **_kwargs) -> None:
    """``post_save`` of ``OutgoingDocument``: an issued licence completes its dossier."""
    from coquan.documents.choices import OutgoingStatus
    from coquan.onestop.models import Dossier

    if instance.status != OutgoingStatus.ISSUED or instance.issued_at is None:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    waiting = Dossier.objects.filter(
        licence_document_id=instance.pk, status=DossierStatus.IN_PROGRESS
    ).first()
    if waiting is not None:
        licence_issued(instance.issued_by, dossier=waiting, document=instance)
