"""The state machine of a dossier, as data (standards §3.3 and §3.6).

``TRANSITIONS`` lists, for each step an action may take, the statuses it may start from
(``""``: the dossier does not exist yet), the status it leads to (``None``: unchanged), and
its guards. Actions call ``apply`` and never set ``status`` themselves, so an illegal move
is refused in one place with a clear ``ValidationError`` (code ``invalid_transition``).

Status 1 (submitted online) and 7 (withdrawn) are reached from the online portal
(``actions.portal``): the applicant submits (1), the desk accepts (2), asks to complete (5,
no code) or refuses (3); the applicant answers a request (back to 1 before acceptance; the
desk then records the completed dossier after it) or withdraws (7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from coquan.onestop import deadlines
from coquan.onestop.choices import DossierStatus as S

NEW_RECORD = ""


def next_step(dossier):
    """The step after the current one (the first step when none is current), or None."""
    steps = dossier.procedure.steps.all()
    if dossier.current_step_id is None:
        return steps.order_by("order").first()
    return steps.filter(order__gt=dossier.current_step.order).order_by("order").first()


def previous_step(dossier):
    if dossier.current_step_id is None:
        return None
    steps = dossier.procedure.steps.all()
    return steps.filter(order__lt=dossier.current_step.order).order_by("-order").first()


def _text_required(field: str, message: str):
    def guard(dossier, **kwargs) -> None:
        if not str(kwargs.get(field) or "").strip():
            raise ValidationError({field: message}, code="required")

    return guard


def _has_next_step(dossier, **_kwargs) -> None:
    if next_step(dossier) is None:
        raise ValidationError(
            _("This is the last step: approve the result instead of forwarding."),
            code="last_step",
        )


def _has_previous_step(dossier, **_kwargs) -> None:
    if previous_step(dossier) is None:
        raise ValidationError(
            _("This is the first step: there is no previous step to return the dossier to."),
            code="first_step",
        )


def _at_last_step(dossier, **_kwargs) -> None:
    if dossier.current_step_id is None or next_step(dossier) is not None:
        raise ValidationError(
            _("The result is approved at the last step of the procedure (%(step)s).")
            % {"step": dossier.procedure.steps.order_by("-order").first()},
            code="not_last_step",
        )


def _items_required(dossier, *, items=(), **_kwargs) -> None:
    if not [item for item in items or () if str(item).strip()]:
        raise ValidationError(
            {"items": _("List everything that is missing, all at once.")}, code="required"
        )


def _accepted(dossier, **_kwargs) -> None:
    if not dossier.is_accepted:
        raise ValidationError(
            _(
                "This dossier was returned for completion at the desk and never accepted: "
                "receive the completed dossier as a new reception."
            ),
            code="not_accepted",
        )


def _no_licence_yet(dossier, **_kwargs) -> None:
    if dossier.licence_document_id is not None:
        raise ValidationError(
            _("The licence of this dossier is already being drafted; it is recorded when issued."),
            code="licence_pending",
        )


def _amount_positive(dossier, *, amount=None, **_kwargs) -> None:
    try:
        value = int(amount)
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        raise ValidationError(
            {"amount": _("Give the amount in đồng (more than 0).")}, code="amount"
        )


def _online(dossier, **_kwargs) -> None:
    if dossier.applicant_account_id is None:
        raise ValidationError(
            _("Only a dossier submitted online can take this step."), code="not_online"
        )


def _online_not_accepted(dossier, **kwargs) -> None:
    _online(dossier)
    if dossier.is_accepted:
        raise ValidationError(_("This dossier was already accepted."), code="already_accepted")


def _unanswered_request(dossier, **_kwargs) -> None:
    from coquan.onestop.models import DossierSupplement

    open_requests = DossierSupplement.objects.filter(
        dossier_id=dossier.pk, resolved_at__isnull=True, answered_at__isnull=True
    )
    if not open_requests.exists():
        raise ValidationError(
            _("There is no open request to answer on this dossier."), code="nothing_to_answer"
        )


def _extension_allowed(dossier, *, new_due_date=None, at=None, **_kwargs) -> None:
    """NĐ 61 Art. 19: one re-appointment only, asked at least one working day before the
    deadline, with a later date."""
    from coquan.onestop.models import DossierExtension
    from coquan.workdays.calendar import is_working_day

    if DossierExtension.objects.filter(dossier_id=dossier.pk).exists():
        raise ValidationError(
            _(
                "This dossier has already been extended once; the law allows only one new "
                "appointment."
            ),
            code="already_extended",
        )
    if dossier.due_at is None:
        raise ValidationError(_("The clock of this dossier is stopped."), code="paused")
    minimum = deadlines.extension_min_days()
    if deadlines.working_days_left(at, dossier.due_at) < minimum:
        raise ValidationError(
            _(
                "An extension must be asked at least %(days)d working day(s) before the "
                "deadline (%(due)s)."
            )
            % {"days": minimum, "due": date_format(dossier.due_at, "d/m/Y H:i")},
            code="too_late",
        )
    if new_due_date is None:
        raise ValidationError({"new_due_date": _("Give the new date.")}, code="required")
    if new_due_date <= timezone.localtime(dossier.due_at).date():
        raise ValidationError(
            {
                "new_due_date": _("The new date must be after the current appointment (%(due)s).")
                % {"due": date_format(dossier.due_at, "d/m/Y")}
            },
            code="not_later",
        )
    if not is_working_day(new_due_date):
        raise ValidationError(
            {"new_due_date": _("The new date must be a working day.")}, code="not_working_day"
        )


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None
    guards: tuple[Callable[..., None], ...] = ()


_reason = _text_required("reason", pgettext_lazy("onestop", "Give the reason."))

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("accept", pgettext_lazy("onestop step", "Accept"), frozenset({""}), S.ACCEPTED),
        Transition(
            "desk_supplement",
            pgettext_lazy("onestop step", "Ask to complete the dossier"),
            frozenset({""}),
            S.SUPPLEMENT,
            (_items_required,),
        ),
        Transition(
            "desk_refuse",
            pgettext_lazy("onestop step", "Refuse to receive"),
            frozenset({""}),
            S.NOT_ACCEPTED,
            (_reason,),
        ),
        Transition(
            "forward",
            pgettext_lazy("onestop step", "Forward to the next step"),
            frozenset({S.ACCEPTED, S.IN_PROGRESS}),
            S.IN_PROGRESS,
            (_has_next_step,),
        ),
        Transition(
            "return",
            pgettext_lazy("onestop step", "Return to the previous step"),
            frozenset({S.IN_PROGRESS}),
            S.IN_PROGRESS,
            (_has_previous_step, _reason),
        ),
        Transition(
            "request_supplement",
            pgettext_lazy("onestop step", "Request a supplement"),
            frozenset({S.IN_PROGRESS}),
            S.SUPPLEMENT,
            (_items_required,),
        ),
        Transition(
            "resubmit",
            pgettext_lazy("onestop step", "Record the completed dossier"),
            frozenset({S.SUPPLEMENT}),
            S.IN_PROGRESS,
            (_accepted,),
        ),
        Transition(
            "extend",
            pgettext_lazy("onestop step", "Extend with an apology"),
            frozenset({S.ACCEPTED, S.IN_PROGRESS}),
            None,
            (_reason, _extension_allowed),
        ),
        Transition(
            "stop",
            pgettext_lazy("onestop step", "Stop processing"),
            frozenset({S.IN_PROGRESS}),
            S.STOPPED,
            (_reason,),
        ),
        Transition(
            "approve",
            pgettext_lazy("onestop step", "Approve the result"),
            frozenset({S.IN_PROGRESS}),
            S.RESOLVED,
            (_at_last_step,),
        ),
        Transition(
            "approve_licence",
            pgettext_lazy("onestop step", "Approve and draft the licence"),
            frozenset({S.IN_PROGRESS}),
            None,
            (_at_last_step, _no_licence_yet),
        ),
        Transition(
            "licence_issued",
            pgettext_lazy("onestop step", "Licence issued"),
            frozenset({S.IN_PROGRESS}),
            S.RESOLVED,
        ),
        Transition(
            "request_fees",
            pgettext_lazy("onestop step", "Request fees"),
            frozenset({S.IN_PROGRESS}),
            S.FINANCIAL,
            (_reason, _amount_positive),
        ),
        Transition(
            "record_payment",
            pgettext_lazy("onestop step", "Record the payment"),
            frozenset({S.FINANCIAL}),
            S.IN_PROGRESS,
        ),
        Transition(
            "submit_online",
            pgettext_lazy("onestop step", "Submit online"),
            frozenset({""}),
            S.NEW,
        ),
        Transition(
            "accept_online",
            pgettext_lazy("onestop step", "Accept the online dossier"),
            frozenset({S.NEW}),
            S.ACCEPTED,
            (_online_not_accepted,),
        ),
        Transition(
            "return_online",
            pgettext_lazy("onestop step", "Return the online dossier to complete it"),
            frozenset({S.NEW}),
            S.SUPPLEMENT,
            (_online_not_accepted, _items_required),
        ),
        Transition(
            "refuse_online",
            pgettext_lazy("onestop step", "Refuse the online dossier"),
            frozenset({S.NEW}),
            S.NOT_ACCEPTED,
            (_online_not_accepted, _reason),
        ),
        Transition(
            "answer_online",
            pgettext_lazy("onestop step", "Send the completed dossier again"),
            frozenset({S.SUPPLEMENT}),
            S.NEW,
            (_online_not_accepted, _unanswered_request),
        ),
        Transition(
            "answer_supplement",
            pgettext_lazy("onestop step", "Answer the supplement request"),
            frozenset({S.SUPPLEMENT}),
            None,
            (_online, _accepted, _unanswered_request),
        ),
        Transition(
            "withdraw",
            pgettext_lazy("onestop step", "Withdraw the dossier"),
            frozenset({S.NEW, S.ACCEPTED, S.IN_PROGRESS, S.SUPPLEMENT, S.FINANCIAL}),
            S.WITHDRAWN,
            (_online,),
        ),
        Transition(
            "return_result",
            pgettext_lazy("onestop step", "Return the result"),
            frozenset({S.RESOLVED}),
            S.RETURNED,
        ),
    )
}


def is_allowed(dossier, name: str) -> bool:
    """Whether the step ``name`` may start from the dossier's current status."""
    return (dossier.status or NEW_RECORD) in TRANSITIONS[name].sources


def check(dossier, name: str, **kwargs) -> Transition:
    """Refuse the step when the status does not allow it or a guard fails."""
    transition = TRANSITIONS[name]
    if (dossier.status or NEW_RECORD) not in transition.sources:
        raise ValidationError(
            _("“%(step)s” is not possible while the dossier is “%(status)s”."),
            code="invalid_transition",
            params={"step": transition.label, "status": dossier.get_status_display()},
        )
    for guard in transition.guards:
        guard(dossier, **kwargs)
    return transition


def apply(dossier, name: str, **kwargs) -> tuple[str, str]:
    """Check the step and set the new status on ``dossier`` (not saved); (before, after)."""
    transition = check(dossier, name, **kwargs)
    before = dossier.status or NEW_RECORD
    if transition.target is not None:
        dossier.status = transition.target
    return before, dossier.status
