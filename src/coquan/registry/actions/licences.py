"""The licence lifecycle: issue, amend, renew, suspend, reinstate, revoke, expire.

Every step checks the transition table (``registry.workflow``), changes the licence, writes
one ``LicenceEvent`` (the legal trail shown on the licence page) and one audit entry.
Steps that change the year's counts refresh the derived indicators after commit.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.registry import workflow
from coquan.registry.actions.common import (
    UNSET,
    add_months,
    apply_changes,
    full_clean,
    refresh_derived_on_commit,
    snapshot,
    today,
)
from coquan.registry.choices import HolderKind, LicenceEventKind, LicenceStatus
from coquan.registry.extra_fields import clean_extra
from coquan.registry.models import Licence, LicenceEvent, LicenceType
from coquan.registry.permissions import require_editor, require_system

LICENCE_FIELDS = (
    "licence_type",
    "number",
    "holder_kind",
    "holder_name",
    "holder_id_number",
    "holder_address",
    "issue_date",
    "expiry_date",
    "status",
    "conditions",
    "extra",
    "dossier_ref",
    "outgoing_document_ref",
)
AMENDABLE = (
    "holder_kind",
    "holder_name",
    "holder_id_number",
    "holder_address",
    "conditions",
    "extra",
    "dossier_ref",
    "outgoing_document_ref",
)


def _snap(licence: Licence) -> dict:
    return snapshot(licence, LICENCE_FIELDS)


def _event(licence, actor, kind, *, effective_date, reason="", document_ref="", changes=None):
    return LicenceEvent.objects.create(
        agency_id=licence.agency_id,
        licence=licence,
        kind=kind,
        effective_date=effective_date,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        document_ref=document_ref,
        changes=changes or {},
    )


def _check_type(licence_type: LicenceType) -> None:
    if not licence_type.is_active:
        raise ValidationError({"licence_type": _("This licence type is no longer in use.")})


def _check_holder_kind(kind: str) -> None:
    if kind not in HolderKind.values:
        raise ValidationError({"holder_kind": _("Choose an organisation or an individual.")})


@action("registry.licence.issue", permission=require_editor)
def issue_licence(
    actor,
    *,
    agency,
    licence_type: LicenceType,
    number: str,
    holder_name: str,
    issue_date: dt.date,
    holder_kind: str = HolderKind.ORGANISATION,
    holder_id_number: str = "",
    holder_address: str = "",
    expiry_date: dt.date | None = None,
    conditions: str = "",
    extra: dict | None = None,
    dossier_ref: str = "",
    outgoing_document_ref: str = "",
) -> Licence:
    """Enter an issued licence in the agency's register (status valid).

    Who: the agency's editors (``registry.permissions``). Rules: the number is unique per
    agency and type; the extra fields match the type's schema; without an expiry date, a
    type with a default validity gets issue date + that many months − 1 day. A licence
    entered after its expiry date (an old register typed in) is recorded as expired.
    """
    _check_type(licence_type)
    _check_holder_kind(holder_kind)
    if expiry_date is None and licence_type.default_validity_months:
        expiry_date = add_months(issue_date, licence_type.default_validity_months)
    licence = Licence(
        agency=agency,
        licence_type=licence_type,
        number=(number or "").strip(),
        holder_kind=holder_kind,
        holder_name=(holder_name or "").strip(),
        holder_id_number=(holder_id_number or "").strip(),
        holder_address=(holder_address or "").strip(),
        issue_date=issue_date,
        expiry_date=expiry_date,
        status=LicenceStatus.VALID,
        conditions=conditions or "",
        extra=clean_extra(licence_type.field_schema, extra or {}),
        dossier_ref=(dossier_ref or "").strip(),
        outgoing_document_ref=(outgoing_document_ref or "").strip(),
    )
    if not licence.number:
        raise ValidationError({"number": _("Enter the licence number.")})
    taken = Licence.objects.filter(
        agency=agency, licence_type=licence_type, number__iexact=licence.number
    )
    if taken.exists():
        raise ValidationError(
            {"number": _("A licence of this type with this number is already in the register.")}
        )
    # A licence entered after its expiry date (back-entering an old register) is expired.
    lapsed = expiry_date is not None and expiry_date < today()
    if lapsed:
        licence.status = LicenceStatus.EXPIRED
    full_clean(licence)
    licence.save()
    _event(
        licence,
        actor,
        LicenceEventKind.ISSUED,
        effective_date=issue_date,
        document_ref=licence.outgoing_document_ref,
    )
    if lapsed:
        _event(
            licence,
            actor,
            LicenceEventKind.EXPIRED,
            effective_date=expiry_date + dt.timedelta(days=1),
        )
    describe(
        obj=licence,
        agency=agency,
        summary=_("Licence %(number)s issued") % {"number": licence.number},
        after=_snap(licence),
    )
    refresh_derived_on_commit(agency, issue_date.year)
    return licence


def _step_date(effective_date: dt.date | None) -> dt.date:
    return effective_date or today()


@action("registry.licence.amend", permission=require_editor)
def amend_licence(
    actor,
    *,
    licence: Licence,
    reason: str = "",
    document_ref: str = "",
    effective_date: dt.date | None = None,
    **changes,
) -> Licence:
    """Change a valid or suspended licence's holder data, conditions, extra fields or links.

    Who: the agency's editors. Number, type, dates and status change only through their own
    steps (renew, suspend ...). The event records which fields changed (ID numbers masked).
    """
    workflow.check_transition("amend", licence.status)
    before = _snap(licence)
    if changes.get("holder_kind", UNSET) is not UNSET:
        _check_holder_kind(changes["holder_kind"])
    if changes.get("extra", UNSET) is not UNSET:
        changes["extra"] = clean_extra(licence.licence_type.field_schema, changes["extra"])
    for key in ("holder_name", "holder_id_number", "holder_address", "dossier_ref"):
        if isinstance(changes.get(key), str):
            changes[key] = changes[key].strip()
    changed = apply_changes(licence, AMENDABLE, changes)
    if not changed:
        raise ValidationError(_("Nothing was changed."), code="no_change")
    full_clean(licence)
    licence.save()
    after = _snap(licence)
    _event(
        licence,
        actor,
        LicenceEventKind.AMENDED,
        effective_date=_step_date(effective_date),
        reason=reason,
        document_ref=document_ref,
        changes={"fields": changed},
    )
    describe(
        obj=licence,
        summary=_("Licence %(number)s amended") % {"number": licence.number},
        before=before,
        after=after,
    )
    return licence


@action("registry.licence.renew", permission=require_editor)
def renew_licence(
    actor,
    *,
    licence: Licence,
    expiry_date: dt.date,
    reason: str = "",
    document_ref: str = "",
    effective_date: dt.date | None = None,
) -> Licence:
    """Extend a valid or expired licence to a new expiry date (status valid again).

    Who: the agency's editors. Rule: the new expiry date is later than the current one and
    not in the past.
    """
    target, event = workflow.check_transition("renew", licence.status)
    if expiry_date is None:
        raise ValidationError({"expiry_date": _("Enter the new expiry date.")})
    if licence.expiry_date and expiry_date <= licence.expiry_date:
        raise ValidationError(
            {"expiry_date": _("The new expiry date must be later than the current one.")}
        )
    if expiry_date < today():
        raise ValidationError({"expiry_date": _("The new expiry date has already passed.")})
    before = _snap(licence)
    old_expiry = licence.expiry_date
    licence.expiry_date, licence.status = expiry_date, target
    licence.save(update_fields=["expiry_date", "status", "updated_at"])
    _event(
        licence,
        actor,
        event,
        effective_date=_step_date(effective_date),
        reason=reason,
        document_ref=document_ref,
        changes={
            "expiry_date": [old_expiry.isoformat() if old_expiry else None, expiry_date.isoformat()]
        },
    )
    describe(
        obj=licence,
        summary=_("Licence %(number)s renewed") % {"number": licence.number},
        before=before,
        after=_snap(licence),
    )
    return licence


def _status_step(step: str, summary: str, actor, licence, reason, document_ref, effective_date):
    target, event = workflow.check_transition(step, licence.status)
    if step in ("suspend", "revoke") and not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for this step.")})
    before = _snap(licence)
    licence.status = target
    licence.save(update_fields=["status", "updated_at"])
    _event(
        licence,
        actor,
        event,
        effective_date=_step_date(effective_date),
        reason=(reason or "").strip(),
        document_ref=(document_ref or "").strip(),
        changes={"status": [before["status"], target]},
    )
    describe(obj=licence, summary=summary, before=before, after=_snap(licence))
    return licence


@action("registry.licence.suspend", permission=require_editor)
def suspend_licence(
    actor,
    *,
    licence: Licence,
    reason: str,
    document_ref: str = "",
    effective_date: dt.date | None = None,
) -> Licence:
    """Suspend a valid licence (a sanction or the holder's request); the reason is required.
    Who: the agency's editors. A suspended licence is off the public register."""
    summary = _("Licence %(number)s suspended") % {"number": licence.number}
    return _status_step("suspend", summary, actor, licence, reason, document_ref, effective_date)


@action("registry.licence.reinstate", permission=require_editor)
def reinstate_licence(
    actor,
    *,
    licence: Licence,
    reason: str = "",
    document_ref: str = "",
    effective_date: dt.date | None = None,
) -> Licence:
    """End a suspension: the licence is valid again. Who: the agency's editors."""
    summary = _("Licence %(number)s reinstated") % {"number": licence.number}
    return _status_step("reinstate", summary, actor, licence, reason, document_ref, effective_date)


@action("registry.licence.revoke", permission=require_editor)
def revoke_licence(
    actor,
    *,
    licence: Licence,
    reason: str,
    document_ref: str = "",
    effective_date: dt.date | None = None,
) -> Licence:
    """Revoke a valid or suspended licence for good; the reason is required.
    Who: the agency's editors. Revoked is final: no further step is possible."""
    summary = _("Licence %(number)s revoked") % {"number": licence.number}
    return _status_step("revoke", summary, actor, licence, reason, document_ref, effective_date)


@action("registry.licence.expire", permission=require_system)
def expire_licences(actor=None, *, on: dt.date | None = None) -> int:
    """Mark every valid or suspended licence whose expiry date has passed as expired.

    Who: the daily task (``registry_expire`` command, actor None) or a superuser. Writes one
    ``expired`` event per licence and a single audit entry with the count. Idempotent.
    """
    day = on or today()
    overdue = list(Licence.objects.overdue_for_expiry(day).only("pk", "agency_id", "expiry_date"))
    if overdue:
        Licence.objects.filter(pk__in=[lic.pk for lic in overdue]).update(
            status=LicenceStatus.EXPIRED
        )
        LicenceEvent.objects.bulk_create(
            [
                LicenceEvent(
                    agency_id=lic.agency_id,
                    licence_id=lic.pk,
                    kind=LicenceEventKind.EXPIRED,
                    effective_date=lic.expiry_date + dt.timedelta(days=1),
                )
                for lic in overdue
            ],
            batch_size=500,
        )
    describe(
        summary=_("%(count)d licence(s) expired") % {"count": len(overdue)},
        after={"expired": [lic.pk for lic in overdue][:1000], "count": len(overdue), "on": day},
    )
    return len(overdue)
