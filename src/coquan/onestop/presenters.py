"""How dossiers read on pages and forms: the parties of a hand-over, time limits, the
public progress view (standards §3.6: the code and how far the dossier has got, no
personal data)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from coquan.onestop.choices import DossierStatus, TimeUnit, TransferKind


def desk_label() -> str:
    return pgettext("onestop", "One-stop desk")


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def giver(leg, dossier) -> str:
    """Who handed the dossier over on this leg (the applicant, the desk, or a step)."""
    if leg.kind == TransferKind.RECEPTION:
        return dossier.applicant_name
    if leg.from_step_id is None:
        return _join(desk_label(), _person(leg.from_user))
    return _join(
        leg.from_unit.name if leg.from_unit_id else leg.from_step.name, _person(leg.from_user)
    )


def receiver(leg, dossier) -> str:
    """Who received it (the desk, a step's unit or person, or the applicant)."""
    if leg.kind == TransferKind.DELIVERY:
        return dossier.applicant_name
    if leg.to_step_id is None:
        return _join(desk_label(), _person(leg.to_user))
    return _join(leg.to_unit.name if leg.to_unit_id else leg.to_step.name, _person(leg.to_user))


def _join(place: str, person: str) -> str:
    return f"{place} ({person})" if person else place


def time_limit_text(value, unit: str) -> str:
    """ "5 ngày làm việc", "8 giờ làm việc" …"""
    number = f"{value.normalize():f}".replace(".", ",")
    return f"{number} {TimeUnit(unit).label}"


def lookup_path(code: str) -> str:
    return reverse("onestop:lookup_code", args=[code])


def lookup_url(code: str, request=None) -> str:
    """The public address of a dossier's progress, encoded in the receipt's QR code:
    ``COQUAN_PUBLIC_BASE_URL`` + the lookup path when the setting is given, else the
    address of the current request's host."""
    path = lookup_path(code)
    base = getattr(settings, "COQUAN_PUBLIC_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


@dataclass(frozen=True)
class PublicStep:
    order: int
    name: str
    state: str  # "done", "current" or "pending"


def public_progress(dossier) -> dict:
    """What anyone with the code may see: procedure, status, dates, the internal steps with
    how far the dossier has got, the status history (labels and times). Never the
    applicant's name, number, address, phone or e-mail, nor the staff's names."""
    steps = list(dossier.procedure.steps.all())
    reached = dossier.current_step.order if dossier.current_step_id else 0
    finished = dossier.status in (DossierStatus.RESOLVED, DossierStatus.RETURNED)
    rows = []
    for step in steps:
        if finished or step.order < reached:
            state = "done"
        elif step.order == reached:
            state = "current"
        else:
            state = "pending"
        rows.append(PublicStep(step.order, step.name, state))
    history = [
        {
            "status": change.get_to_status_display(),
            "code": change.to_status,
            "at": change.changed_at,
        }
        for change in dossier.status_changes.all()
    ]
    return {
        "dossier_code": dossier.dossier_code,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "agency_name": dossier.agency.name,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "result_ready_at": dossier.result_ready_at,
        "returned_at": dossier.returned_at,
        "current_step": dossier.current_step.name
        if dossier.current_step_id and not finished
        else "",
        "steps": rows,
        "history": history,
        "now": timezone.now(),
    }
