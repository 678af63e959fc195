"""Reception at the one-stop desk (NĐ 61 Art. 17; standards §3.3): the three outcomes.

- ``accept_dossier``: every mandatory paper is there → the dossier gets its code
  (``codes.take_code``), its clock and its appointment; the receipt is form 01.
- ``request_completion``: papers are missing → form 02 lists all of them at once; nothing
  is accepted, no code, no clock.
- ``refuse_reception``: the dossier cannot be received → form 03 with the reason.

Each writes a ``Dossier`` row (every dossier is logged), its papers and the status change;
only the agency's desk officers may call them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.onestop import codes, deadlines, workflow
from coquan.onestop import files as uploads
from coquan.onestop.actions.common import (
    add_leg,
    clean_applicant,
    label,
    moment,
    papers_for,
    record_status,
    snapshot,
    store_files,
    write_papers,
)
from coquan.onestop.choices import Channel, TransferKind
from coquan.onestop.models import Dossier, DossierSupplement, Procedure
from coquan.onestop.permissions import require_desk


def _desk(actor, *, agency, **_kwargs) -> None:
    require_desk(actor, agency)


def _published_procedure(agency, procedure) -> Procedure:
    """The procedure, if it is a published version of the agency's catalogue."""
    if isinstance(procedure, Procedure):
        procedure_id = procedure.pk
    else:
        try:
            procedure_id = int(procedure)
        except (TypeError, ValueError):
            procedure_id = None
    found = (
        Procedure.objects.filter(pk=procedure_id, agency=agency).published().first()
        if procedure_id is not None
        else None
    )
    if found is None:
        raise ValidationError(
            {"procedure": _("Choose a published procedure of this agency's catalogue.")},
            code="unknown_procedure",
        )
    return found


def start_clock(dossier: Dossier, actor, at) -> str:
    """Give an accepted dossier its code (the day's next number at its agency), and start
    its clock: appointment = acceptance + the legal limit in working days (15:00 cut-off,
    §3.7), the desk's hand-over deadline (NĐ 61 Art. 18). Not saved; returns the code."""
    procedure = dossier.procedure
    sequence, code = codes.take_code(dossier.agency, timezone.localtime(at).date())
    days = procedure.limit_in_working_days()
    due_at = deadlines.due_after(at, days, procedure)
    dossier.dossier_code = code
    dossier.sequence = sequence
    dossier.received_at = at
    dossier.received_by = actor
    dossier.time_limit_days = days
    dossier.clock_started_at = at
    dossier.due_at = due_at
    dossier.original_due_at = due_at
    dossier.step_due_at = deadlines.due_after(at, 0, procedure)
    return code


def _new_dossier(actor, agency, procedure, applicant, at, **fields) -> Dossier:
    return Dossier(
        agency=agency,
        procedure=procedure,
        created_at=at,
        created_by=actor,
        status="",
        **applicant,
        **fields,
    )


def _clean_set_count(set_count) -> int:
    try:
        value = int(set_count)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 99:
        raise ValidationError({"set_count": _("The number of sets is between 1 and 99.")})
    return value


@action("onestop.dossier.accept", permission=_desk)
def accept_dossier(
    actor,
    *,
    agency,
    procedure,
    received_components=(),
    files=(),
    channel=Channel.DIRECT,
    set_count=1,
    note="",
    at=None,
    **applicant,
) -> Dossier:
    """Accept a complete dossier: code ``<organ_id>-YYMMDD-NNNN`` (the day's next number at
    the agency), clock started, appointment = acceptance + the legal limit in working days
    (15:00 cut-off, §3.7), status 2 "Được tiếp nhận", papers and files stored, and the
    first leg of the control slip (the desk must hand it over the same working day, or
    the next one after 15:00: NĐ 61 Art. 18). Refused when a mandatory paper is missing."""
    at = moment(at)
    procedure = _published_procedure(agency, procedure)
    data = clean_applicant(applicant)
    set_count = _clean_set_count(set_count)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown submission channel.")})
    rows, missing = papers_for(procedure, data["applicant_type"], received_components)
    if missing:
        raise ValidationError(
            {
                "components": _(
                    "Mandatory papers are missing: %(names)s. Ask for all of them at once with "
                    "a request to complete the dossier (form 02)."
                )
                % {"names": "; ".join(c.name for c in missing)}
            },
            code="missing_components",
        )
    checked = uploads.check_uploads(files)
    dossier = _new_dossier(
        actor,
        agency,
        procedure,
        data,
        at,
        channel=channel,
        set_count=set_count,
        note=str(note or "").strip(),
    )
    before, _after = workflow.apply(dossier, "accept")
    code = start_clock(dossier, actor, at)
    dossier.save()
    write_papers(dossier, rows, at)
    record_status(dossier, before, actor, at)
    add_leg(
        dossier,
        kind=TransferKind.RECEPTION,
        actor=actor,
        at=at,
        to_user=actor,
        step_due_at=dossier.step_due_at,
    )
    store_files(dossier, checked, actor, at)
    describe(
        obj=dossier,
        agency=agency,
        summary=_("Dossier %(code)s accepted for procedure %(procedure)s.")
        % {"code": code, "procedure": procedure.code},
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.request_completion", permission=_desk)
def request_completion(
    actor,
    *,
    agency,
    procedure,
    received_components=(),
    items=(),
    set_count=1,
    note="",
    at=None,
    **applicant,
) -> Dossier:
    """Return an incomplete dossier with a request to complete it (form 02).

    Lists, all at once, the mandatory papers that were not received plus ``items`` written
    by the desk officer (NĐ 61 Art. 15, "hướng dẫn một lần"). The dossier is logged with
    status 5 but is not accepted: no code, no clock."""
    at = moment(at)
    procedure = _published_procedure(agency, procedure)
    data = clean_applicant(applicant)
    set_count = _clean_set_count(set_count)
    rows, missing = papers_for(procedure, data["applicant_type"], received_components)
    extra = [str(item).strip() for item in items or () if str(item).strip()]
    all_items = [c.name for c in missing] + extra
    dossier = _new_dossier(
        actor, agency, procedure, data, at, set_count=set_count, note=str(note or "").strip()
    )
    before, _after = workflow.apply(dossier, "desk_supplement", items=all_items)
    dossier.save()
    write_papers(dossier, rows, at)
    record_status(dossier, before, actor, at)
    DossierSupplement.objects.create(
        dossier=dossier,
        at_desk=True,
        items=all_items,
        note=str(note or "").strip(),
        requested_at=at,
        requested_by=actor,
    )
    describe(
        obj=dossier,
        agency=agency,
        summary=_(
            "Dossier for procedure %(procedure)s returned for completion (%(count)d item(s))."
        )
        % {"procedure": procedure.code, "count": len(all_items)},
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.refuse_reception", permission=_desk)
def refuse_reception(
    actor, *, agency, procedure, reason="", received_components=(), at=None, **applicant
) -> Dossier:
    """Refuse to receive a dossier (form 03, with the reason): status 3, no code."""
    at = moment(at)
    procedure = _published_procedure(agency, procedure)
    data = clean_applicant(applicant)
    rows, _missing = papers_for(procedure, data["applicant_type"], received_components)
    reason = str(reason or "").strip()
    dossier = _new_dossier(actor, agency, procedure, data, at, refusal_reason=reason)
    before, _after = workflow.apply(dossier, "desk_refuse", reason=reason)
    dossier.save()
    write_papers(dossier, rows, at)
    record_status(dossier, before, actor, at, note=reason)
    describe(
        obj=dossier,
        agency=agency,
        summary=_("Reception refused for procedure %(procedure)s: %(dossier)s.")
        % {"procedure": procedure.code, "dossier": label(dossier)},
        after=snapshot(dossier),
    )
    return dossier
