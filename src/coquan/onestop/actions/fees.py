"""Fees requested during processing (NĐ 61 Art. 22; status 6).

``request_fees``: a handler asks for an amount with its reason; status 6 "Yêu cầu thực hiện
nghĩa vụ tài chính"; the clock is paused (§3.7.3: waiting for financial obligations is
excluded). ``record_payment``: the desk or the handler records the payment (method,
receipt number); status 4 again, and the appointment and the step deadline move later by
the working days the clock was paused — a pause, not the restart of a supplement."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.onestop import deadlines, workflow
from coquan.onestop.actions.common import label, lock, moment, record_status, snapshot
from coquan.onestop.models import DossierFee
from coquan.onestop.models.fees import PaymentMethod
from coquan.onestop.permissions import DossierAccess


def _may(name: str):
    def check(actor, *, dossier, **_kwargs) -> None:
        DossierAccess(actor, dossier).require(name)

    return check


def _shift(moment_: dt.datetime | None, days: int) -> dt.datetime | None:
    """The same time of day ``days`` working days later."""
    from coquan.workdays.calendar import add_working_days_to_date

    if moment_ is None or days <= 0:
        return moment_
    local = timezone.localtime(moment_)
    day = add_working_days_to_date(local.date(), days)
    return local.replace(year=day.year, month=day.month, day=day.day)


@action("onestop.dossier.request_fees", permission=_may("request_fees"))
def request_fees(actor, *, dossier, amount=None, reason="", at=None):
    """Ask the applicant to pay ``amount`` đồng for ``reason``: status 6, clock paused."""
    at = moment(at)
    dossier = lock(dossier)
    DossierAccess(actor, dossier).require("request_fees")
    before = dossier.status
    before_snapshot = snapshot(dossier)
    reason = str(reason or "").strip()
    workflow.apply(dossier, "request_fees", amount=amount, reason=reason)
    fee = DossierFee.objects.create(
        dossier=dossier,
        amount=int(amount),
        reason=reason,
        step=dossier.current_step,
        requested_at=at,
        requested_by=actor,
        due_at_before=dossier.due_at,
        step_due_at_before=dossier.step_due_at,
    )
    dossier.paused_at = at
    dossier.due_at = None
    dossier.step_due_at = None
    dossier.save(update_fields=["status", "paused_at", "due_at", "step_due_at"])
    record_status(dossier, before, actor, at, note=f"{fee.amount:,} đ — {reason}")
    describe(
        obj=dossier,
        summary=_("Fees of %(amount)s đồng requested for dossier %(code)s.")
        % {"amount": f"{fee.amount:,}".replace(",", "."), "code": label(dossier)},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier


@action("onestop.dossier.record_payment", permission=_may("record_payment"))
def record_payment(actor, *, dossier, payment_method="", payment_reference="", at=None):
    """Record the payment of the open fee request: status 4, the deadlines move later by
    the working days paused."""
    from django.core.exceptions import ValidationError

    from coquan.workdays.calendar import current_calendar

    at = moment(at)
    dossier = lock(dossier)
    DossierAccess(actor, dossier).require("record_payment")
    before = dossier.status
    before_snapshot = snapshot(dossier)
    workflow.apply(dossier, "record_payment")
    if payment_method not in PaymentMethod.values:
        raise ValidationError({"payment_method": _("Choose how the fee was paid.")})
    fee = DossierFee.objects.filter(dossier=dossier, paid_at__isnull=True).order_by("-pk").first()
    if fee is None:  # pragma: no cover — status 6 always has an open request
        raise ValidationError(_("There is no fee to pay on this dossier."), code="no_fee")
    fee.paid_at = at
    fee.payment_method = payment_method
    fee.payment_reference = str(payment_reference or "").strip()[:100]
    fee.recorded_by = actor
    fee.save(update_fields=["paid_at", "payment_method", "payment_reference", "recorded_by"])
    paused = current_calendar().paused_working_days(
        dossier.clock_started_at,
        fee.requested_at,
        at,
        cutoff=deadlines.cutoff_for(dossier.procedure),
    )
    dossier.due_at = _shift(fee.due_at_before, paused)
    dossier.step_due_at = _shift(fee.step_due_at_before, paused)
    dossier.paused_at = None
    dossier.save(update_fields=["status", "paused_at", "due_at", "step_due_at"])
    dossier.transfers.filter(finished_at__isnull=True).update(step_due_at=dossier.step_due_at)
    record_status(dossier, before, actor, at, note=fee.payment_reference)
    describe(
        obj=dossier,
        summary=_("Payment of the fees of dossier %(code)s recorded; the clock runs again.")
        % {"code": label(dossier)},
        before=before_snapshot,
        after=snapshot(dossier),
    )
    return dossier
