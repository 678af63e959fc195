"""Online submission on the public portal (NĐ 61 Arts. 16–17; issue 6 part 3).

Applicant side (the actor is a ``models.Applicant``, never a staff ``User``; ADR 0006):

- ``register_applicant``: an account with e-mail and password;
- ``submit_online``: a dossier with its papers and files, status 1 "Mới đăng ký", no code
  and no clock until the desk accepts it;
- ``answer_request``: the applicant answers the desk's request to complete the dossier
  (back to status 1) or a supplement request during processing (files and a note; the
  desk then records the completed dossier and the clock restarts, ``resubmit``);
- ``withdraw``: status 7 "Công dân yêu cầu rút hồ sơ".

Desk side (role ``desk_officer``): ``accept_online`` (code, clock and appointment exactly as
at the desk), ``return_online`` (form 02, everything at once, no code) and ``refuse_online``
(form 03). An applicant acts only on their own dossiers.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.onestop import files as uploads
from coquan.onestop import workflow
from coquan.onestop.actions.common import (
    add_leg,
    clean_applicant,
    component_ids,
    label,
    lock,
    moment,
    papers_for,
    record_status,
    snapshot,
    store_files,
    write_papers,
)
from coquan.onestop.actions.reception import start_clock
from coquan.onestop.choices import Channel, OnlineLevel, TransferKind
from coquan.onestop.models import Applicant, Dossier, DossierSupplement, Procedure
from coquan.onestop.permissions import DossierAccess


def _is_applicant(actor) -> bool:
    return isinstance(actor, Applicant) and actor.pk is not None and actor.is_active


def require_owner(actor, dossier) -> None:
    """Only the applicant who submitted a dossier acts on it on the portal."""
    if not _is_applicant(actor) or dossier.applicant_account_id != actor.pk:
        raise PermissionDenied(_("Only the applicant who submitted this dossier may do this."))


def _owner(actor, *, dossier, **_kwargs) -> None:
    require_owner(actor, dossier)


def _applicant(actor, **_kwargs) -> None:
    if not _is_applicant(actor):
        raise PermissionDenied(_("Sign in with an applicant account to submit a dossier."))


def _desk_step(name: str):
    def check(actor, *, dossier, **_kwargs) -> None:
        DossierAccess(actor, dossier).require(name)

    return check


def _who(actor) -> str:
    return _("applicant account #%(pk)s") % {"pk": actor.pk}


# --- accounts -------------------------------------------------------------------------------


@action("onestop.applicant.register")
def register_applicant(actor, *, email, password, full_name, phone="") -> Applicant:
    """A new applicant account; the e-mail is the sign-in name (stored in lower case)."""
    email = str(email or "").strip().lower()
    full_name = str(full_name or "").strip()
    phone = str(phone or "").strip()
    errors: dict[str, list] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if not full_name:
        errors["full_name"] = [_("This field is required.")]
    elif len(full_name) > 200:
        errors["full_name"] = [_("At most %(max)d characters are allowed.") % {"max": 200}]
    if phone and (len(phone) > 20 or not all(c.isdigit() or c in "+ .-()" for c in phone)):
        errors["phone"] = [_("A telephone number has digits, spaces and + . - ( ) only.")]
    if "email" not in errors and Applicant.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this e-mail address already exists.")]
    applicant = Applicant(email=email, full_name=full_name, phone=phone)
    try:
        validate_password(str(password or ""), user=applicant)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    applicant.set_password(str(password))
    applicant.save()
    describe(obj=applicant, summary=_("Applicant account #%(pk)s created.") % {"pk": applicant.pk})
    return applicant


# --- applicant steps ------------------------------------------------------------------------


def online_procedure(procedure) -> Procedure:
    """A published procedure offered online (full or partial online service)."""
    try:
        procedure_id = int(getattr(procedure, "pk", procedure))
    except (TypeError, ValueError):
        procedure_id = None
    found = (
        Procedure.objects.published()
        .exclude(online_level=OnlineLevel.NONE)
        .select_related("agency")
        .filter(pk=procedure_id)
        .first()
        if procedure_id is not None
        else None
    )
    if found is None:
        raise ValidationError(
            {"procedure": _("This procedure cannot be submitted online.")},
            code="unknown_procedure",
        )
    return found


@action("onestop.dossier.submit_online", permission=_applicant)
def submit_online(
    actor, *, procedure, attached_components=(), files=(), set_count=1, note="", at=None, **fields
) -> Dossier:
    """Submit a dossier online: status 1 "Mới đăng ký", channel online, the papers the
    applicant attached, the files (checked before anything is written). Every mandatory
    paper that applies to the applicant must be attached, with at least one file. No code
    and no clock until the desk accepts it."""
    at = moment(at)
    procedure = online_procedure(procedure)
    data = clean_applicant(fields)
    rows, missing = papers_for(procedure, data["applicant_type"], attached_components)
    if missing:
        raise ValidationError(
            {
                "components": _("Attach every mandatory paper: %(names)s is missing.")
                % {"names": "; ".join(c.name for c in missing)}
            },
            code="missing_components",
        )
    checked = uploads.check_uploads(files)
    if not checked:
        raise ValidationError(
            {"files": _("Attach the scanned papers (at least one file).")}, code="no_files"
        )
    try:
        set_count = int(set_count)
    except (TypeError, ValueError):
        set_count = 0
    if not 1 <= set_count <= 99:
        raise ValidationError({"set_count": _("The number of sets is between 1 and 99.")})
    dossier = Dossier(
        agency=procedure.agency,
        procedure=procedure,
        created_at=at,
        created_by=None,
        applicant_account=actor,
        channel=Channel.ONLINE,
        set_count=set_count,
        note=str(note or "").strip(),
        status="",
        **data,
    )
    before, _after = workflow.apply(dossier, "submit_online")
    dossier.save()
    write_papers(dossier, rows, at)
    record_status(dossier, before, actor, at)
    store_files(dossier, checked, actor, at)
    describe(
        obj=dossier,
        agency=procedure.agency,
        summary=_("Dossier #%(pk)s for procedure %(procedure)s submitted online by %(who)s.")
        % {"pk": dossier.pk, "procedure": procedure.code, "who": _who(actor)},
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.answer_request", permission=_owner)
def answer_request(actor, *, dossier, attached_components=(), files=(), note="", at=None):
    """Answer the open request on one's dossier with files and a note.

    - before acceptance (the desk returned the online dossier to complete it): the papers
      now attached must cover every mandatory one; the request is closed and the dossier is
      submitted again (status 1);
    - during processing (status 5 after a supplement request): the answer and files are
      recorded; the desk checks them and records the completed dossier (``resubmit``),
      which restarts the clock."""
    at = moment(at)
    dossier = lock(dossier)
    require_owner(actor, dossier)
    before = dossier.status
    before_snapshot = snapshot(dossier)
    name = "answer_supplement" if dossier.is_accepted else "answer_online"
    workflow.apply(dossier, name)
    newly = component_ids(attached_components)
    papers = list(dossier.components.all())
    unknown = newly - {paper.component_id for paper in papers}
    if unknown:
        raise ValidationError(
            {
                "components": _("These papers are not components of the dossier: %(ids)s.")
                % {"ids": ", ".join(str(i) for i in sorted(unknown))}
            },
            code="unknown_component",
        )
    checked = uploads.check_uploads(files)
    note = str(note or "").strip()
    if not checked and not note:
        raise ValidationError(
            {"files": _("Attach the missing papers or write an answer.")}, code="empty_answer"
        )
    if name == "answer_online":
        still_missing = [
            p.name for p in papers if p.required and not p.received and p.component_id not in newly
        ]
        if still_missing:
            raise ValidationError(
                {
                    "components": _("Mandatory papers are still missing: %(names)s.")
                    % {"names": "; ".join(still_missing)}
                },
                code="missing_components",
            )
        dossier.components.filter(component_id__in=newly, received=False).update(
            received=True, received_at=at
        )
    open_requests = DossierSupplement.objects.filter(
        dossier=dossier, resolved_at__isnull=True, answered_at__isnull=True
    )
    if name == "answer_online":
        open_requests.update(answered_at=at, answer_note=note[:4000], resolved_at=at)
        dossier.save(update_fields=["status"])
    else:
        open_requests.update(answered_at=at, answer_note=note[:4000])
    record_status(dossier, before, actor, at, note=note)
    store_files(dossier, checked, actor, at)
    describe(
        obj=dossier,
        summary=_("The applicant answered the request on dossier %(code)s.")
        % {"code": label(dossier)},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.withdraw", permission=_owner)
def withdraw(actor, *, dossier, reason="", at=None):
    """The applicant withdraws the dossier (status 7): it stops wherever it is."""
    at = moment(at)
    dossier = lock(dossier)
    require_owner(actor, dossier)
    before = dossier.status
    before_snapshot = snapshot(dossier)
    reason = str(reason or "").strip()
    workflow.apply(dossier, "withdraw")
    dossier.withdrawn_at = at
    dossier.step_due_at = None
    dossier.save(update_fields=["status", "withdrawn_at", "step_due_at"])
    leg = dossier.transfers.filter(finished_at__isnull=True).order_by("-seq").first()
    if leg is not None:
        leg.finished_at = at
        leg.save(update_fields=["finished_at"])
    record_status(dossier, before, actor, at, note=reason)
    describe(
        obj=dossier,
        summary=_("Dossier %(code)s withdrawn by the applicant.") % {"code": label(dossier)},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


# --- desk steps on online dossiers ----------------------------------------------------------


@action("onestop.dossier.accept_online", permission=_desk_step("accept_online"))
def accept_online(actor, *, dossier, note="", at=None) -> Dossier:
    """The desk accepts an online dossier after checking it: code, clock and appointment
    computed exactly as for a reception at the desk (from this moment), the first leg of
    the control slip. Refused while a mandatory paper is missing."""
    at = moment(at)
    dossier = lock(dossier)
    DossierAccess(actor, dossier).require("accept_online")
    before = dossier.status
    workflow.apply(dossier, "accept_online")
    missing = [p.name for p in dossier.components.all() if p.required and not p.received]
    if missing:
        raise ValidationError(
            {
                "components": _("Mandatory papers are missing: %(names)s.")
                % {"names": "; ".join(missing)}
            },
            code="missing_components",
        )
    code = start_clock(dossier, actor, at)
    dossier.save()
    record_status(dossier, before, actor, at, note=str(note or ""))
    add_leg(
        dossier,
        kind=TransferKind.RECEPTION,
        actor=actor,
        at=at,
        to_user=actor,
        step_due_at=dossier.step_due_at,
        note=str(note or ""),
    )
    describe(
        obj=dossier,
        summary=_("Online dossier #%(pk)s accepted as %(code)s.")
        % {"pk": dossier.pk, "code": code},
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.return_online", permission=_desk_step("return_online"))
def return_online(actor, *, dossier, items=(), note="", at=None) -> Dossier:
    """Return an online dossier to the applicant to complete it (form 02, everything at
    once): status 5, still no code and no clock."""
    at = moment(at)
    dossier = lock(dossier)
    DossierAccess(actor, dossier).require("return_online")
    before = dossier.status
    items = [str(item).strip() for item in items or () if str(item).strip()]
    workflow.apply(dossier, "return_online", items=items)
    dossier.save(update_fields=["status"])
    DossierSupplement.objects.create(
        dossier=dossier,
        at_desk=True,
        items=items,
        note=str(note or "").strip(),
        requested_at=at,
        requested_by=actor,
    )
    record_status(dossier, before, actor, at, note="; ".join(items))
    describe(
        obj=dossier,
        summary=_("Online dossier #%(pk)s returned for completion (%(count)d item(s)).")
        % {"pk": dossier.pk, "count": len(items)},
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.refuse_online", permission=_desk_step("refuse_online"))
def refuse_online(actor, *, dossier, reason="", at=None) -> Dossier:
    """Refuse an online dossier (form 03, with the reason): status 3, no code."""
    at = moment(at)
    dossier = lock(dossier)
    DossierAccess(actor, dossier).require("refuse_online")
    before = dossier.status
    reason = str(reason or "").strip()
    workflow.apply(dossier, "refuse_online", reason=reason)
    dossier.refusal_reason = reason
    dossier.save(update_fields=["status", "refusal_reason"])
    record_status(dossier, before, actor, at, note=reason)
    describe(
        obj=dossier,
        summary=_("Online dossier #%(pk)s refused.") % {"pk": dossier.pk},
        after=snapshot(dossier),
    )
    return dossier
