"""Pieces the reception and processing actions share: locking, the status trail, the legs
of the control slip (form 05), applicant checks, received papers and stored files."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.onestop import deadlines, files
from coquan.onestop.choices import ApplicantType
from coquan.onestop.models import (
    Dossier,
    DossierComponent,
    DossierFile,
    DossierStatusChange,
    DossierTransfer,
)

APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
)
_LIMITS = {
    "applicant_name": 200,
    "applicant_id_number": 30,
    "applicant_address": 300,
    "applicant_phone": 20,
    "applicant_email": 254,
}


def moment(at: dt.datetime | None) -> dt.datetime:
    """The time an action happens: ``at`` (tests, imports) or now; aware."""
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError("at must be timezone-aware")
    return at


def lock(dossier: Dossier) -> Dossier:
    """The dossier re-read and locked for the rest of the transaction, so two people acting
    on it at once are served one after the other, each against the other's result."""
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "current_step", "agency")
        .get(pk=dossier.pk)
    )


def snapshot(dossier: Dossier) -> dict:
    """The audit view of a dossier: codes, status, step and dates (no personal data)."""
    return {
        "dossier_code": dossier.dossier_code,
        "status": dossier.status,
        "step": dossier.current_step.order if dossier.current_step_id else None,
        "assignee_unit": dossier.assignee_unit_id,
        "assignee_user": dossier.assignee_user_id,
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        "timeliness": dossier.timeliness,
    }


def label(dossier: Dossier) -> str:
    return dossier.dossier_code or _("dossier #%(pk)s") % {"pk": dossier.pk}


def staff(actor):
    """The staff ``User`` behind an action, or None when an applicant acts on the portal
    (``models.Applicant`` is not a ``User``; ADR 0006)."""
    from coquan.onestop.models import Applicant

    return None if actor is None or isinstance(actor, Applicant) else actor


def record_status(dossier: Dossier, before: str, actor, at: dt.datetime, note: str = "") -> None:
    """Write the status change row when the status changed, and its message for the
    national portal (``portal_sync.record``, same transaction)."""
    if before == dossier.status:
        return
    change = DossierStatusChange.objects.create(
        dossier=dossier,
        from_status=before,
        to_status=dossier.status,
        step=dossier.current_step,
        changed_at=at,
        changed_by=staff(actor),
        note=note[:2000],
    )
    from coquan.onestop import portal_sync

    portal_sync.record(dossier, change)


def close_leg(dossier: Dossier, at: dt.datetime) -> None:
    """End the open leg of the control slip and classify it against its step deadline."""
    leg = dossier.transfers.filter(finished_at__isnull=True).order_by("-seq").first()
    if leg is None:
        return
    leg.finished_at = at
    leg.timeliness = deadlines.classify(at, leg.step_due_at)
    leg.save(update_fields=["finished_at", "timeliness"])


def add_leg(
    dossier: Dossier,
    *,
    kind: str,
    actor,
    at: dt.datetime,
    from_step=None,
    from_unit=None,
    from_user=None,
    to_step=None,
    to_unit=None,
    to_user=None,
    step_due_at=None,
    note: str = "",
    finished: bool = False,
) -> DossierTransfer:
    """Append a hand-over row (the next number of the dossier's slip)."""
    last = dossier.transfers.aggregate(last=Max("seq"))["last"] or 0
    return DossierTransfer.objects.create(
        dossier=dossier,
        seq=last + 1,
        kind=kind,
        from_step=from_step,
        from_unit=from_unit,
        from_user=from_user,
        to_step=to_step,
        to_unit=to_unit,
        to_user=to_user,
        handed_at=at,
        step_due_at=step_due_at,
        finished_at=at if finished else None,
        note=note[:2000],
    )


def clean_applicant(values: dict) -> dict:
    """The applicant's data, stripped and checked; ``ValidationError`` per field."""
    data = {name: str(values.get(name) or "").strip() for name in APPLICANT_FIELDS}
    errors: dict[str, list[str]] = {}
    if data["applicant_type"] not in ApplicantType.values:
        errors["applicant_type"] = [_("Choose a person or an organisation.")]
    for name in ("applicant_name", "applicant_id_number", "applicant_address"):
        if not data[name]:
            errors[name] = [_("This field is required.")]
    for name, limit in _LIMITS.items():
        if len(data[name]) > limit:
            errors.setdefault(name, []).append(
                _("At most %(max)d characters are allowed.") % {"max": limit}
            )
    if data["applicant_email"]:
        try:
            validate_email(data["applicant_email"])
        except ValidationError:
            errors.setdefault("applicant_email", []).append(_("Enter a valid e-mail address."))
    if data["applicant_phone"] and not all(
        c.isdigit() or c in "+ .-()" for c in data["applicant_phone"]
    ):
        errors.setdefault("applicant_phone", []).append(
            _("A telephone number has digits, spaces and + . - ( ) only.")
        )
    if errors:
        raise ValidationError(errors)
    return data


def component_ids(values) -> set[int]:
    """Component ids from ids or ``ProcedureComponent`` rows."""
    ids = set()
    for value in values or ():
        try:
            ids.add(int(getattr(value, "pk", value)))
        except (TypeError, ValueError):
            raise ValidationError(
                {"components": _("“%(value)s” is not a component.") % {"value": value}}
            ) from None
    return ids


def papers_for(procedure, applicant_type: str, received) -> tuple[list, list]:
    """(the components that apply to the applicant with a received flag, the mandatory ones
    missing). Components of another procedure are refused."""
    received_ids = component_ids(received)
    components = [c for c in procedure.components.all() if c.applies(applicant_type)]
    known = {c.pk for c in procedure.components.all()}
    unknown = received_ids - known
    if unknown:
        raise ValidationError(
            {
                "components": _("These papers are not components of the procedure: %(ids)s.")
                % {"ids": ", ".join(str(i) for i in sorted(unknown))}
            },
            code="unknown_component",
        )
    rows = [(c, c.pk in received_ids) for c in components]
    missing = [c for c, got in rows if c.required and not got]
    return rows, missing


def write_papers(dossier: Dossier, rows, at: dt.datetime) -> None:
    DossierComponent.objects.bulk_create(
        DossierComponent(
            dossier=dossier,
            component=component,
            order=component.order,
            name=component.name,
            paper_form=component.paper_form,
            count=component.count,
            required=component.required,
            received=received,
            received_at=at if received else None,
        )
        for component, received in rows
    )


def store_files(dossier: Dossier, checked, actor, at: dt.datetime) -> list[DossierFile]:
    """Store checked uploads (``files.check_uploads``) as the dossier's files."""
    return [
        DossierFile.objects.create(
            dossier=dossier,
            uploaded_by=staff(actor),
            uploaded_at=at,
            **files.store(upload, file_type, agency_id=dossier.agency_id),
        )
        for upload, file_type in checked
    ]
