"""The state machine of an incoming document, as data.

Decree 30/2020 Arts. 22–24: a registered document is presented to a leader, who assigns a
lead handler (with co-handlers and people informed); the handler works on it and closes it;
a leader may reopen it. A leader or handler can send it back to the clerk (returned), and
the clerk can refuse a document that does not belong to the agency (refused, final).

``TRANSITIONS`` lists, for each step an action may take, the statuses it may start from,
the status it leads to (``None``: unchanged) and its guards. Actions call ``apply`` and
never set ``status`` themselves, so an illegal move is refused in one place with a clear
``ValidationError`` (code ``invalid_transition``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.documents.choices import IncomingStatus as S


def _result_note_required(document, *, result_note: str = "", **_kwargs) -> None:
    if not (result_note or "").strip():
        raise ValidationError(
            {"result_note": _("Write what was done before closing the document.")},
            code="required",
        )


def _reason_required(document, *, reason: str = "", **_kwargs) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")}, code="required")


def _has_a_lead(document, *, lead_unit=None, lead_user=None, **_kwargs) -> None:
    if lead_unit is None and lead_user is None:
        raise ValidationError(
            {"lead": _("Choose the lead unit or the lead person.")}, code="required"
        )


def _secret_goes_to_people(document, *, lead_unit=None, co_handlers=(), for_info=(), **_kw):
    """A secret document is handed to named people only: grants are personal."""
    from coquan.org.models import Unit

    if not document.is_secret:
        return
    targets = [lead_unit, *co_handlers, *for_info]
    if any(isinstance(target, Unit) for target in targets if target is not None):
        message = _("A secret document can only be assigned to named people, not to units.")
        raise ValidationError({"lead": ValidationError(message, code="secret_to_unit")})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None
    guards: tuple[Callable[..., None], ...] = ()


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "present",
            gettext_lazy("Present to a leader"),
            frozenset({S.REGISTERED, S.RETURNED, S.PRESENTED}),
            S.PRESENTED,
        ),
        Transition(
            "assign",
            gettext_lazy("Assign"),
            frozenset({S.PRESENTED, S.ASSIGNED, S.IN_PROGRESS}),
            S.ASSIGNED,
            (_has_a_lead, _secret_goes_to_people),
        ),
        Transition(
            "start",
            gettext_lazy("Start handling"),
            frozenset({S.ASSIGNED}),
            S.IN_PROGRESS,
        ),
        Transition(
            "opinion",
            gettext_lazy("Add an opinion"),
            frozenset({S.PRESENTED, S.ASSIGNED, S.IN_PROGRESS}),
            None,
        ),
        Transition(
            "add_file",
            gettext_lazy("Add a file"),
            frozenset({S.REGISTERED, S.PRESENTED, S.ASSIGNED, S.IN_PROGRESS, S.RETURNED}),
            None,
        ),
        Transition(
            "complete",
            gettext_lazy("Mark as done"),
            frozenset({S.ASSIGNED, S.IN_PROGRESS}),
            S.DONE,
            (_result_note_required,),
        ),
        Transition(
            "reopen",
            gettext_lazy("Reopen"),
            frozenset({S.DONE}),
            S.IN_PROGRESS,
            (_reason_required,),
        ),
        Transition(
            "return",
            gettext_lazy("Return to the clerk"),
            frozenset({S.PRESENTED, S.ASSIGNED, S.IN_PROGRESS}),
            S.RETURNED,
            (_reason_required,),
        ),
        Transition(
            "refuse",
            gettext_lazy("Refuse"),
            frozenset({S.REGISTERED, S.RETURNED}),
            S.REFUSED,
            (_reason_required,),
        ),
    )
}


def is_allowed(document, name: str) -> bool:
    """Whether the step ``name`` may start from the document's current status."""
    return document.status in TRANSITIONS[name].sources


def check(document, name: str, **kwargs) -> Transition:
    """Refuse the step when the status does not allow it or a guard fails."""
    transition = TRANSITIONS[name]
    if document.status not in transition.sources:
        raise ValidationError(
            _("“%(step)s” is not possible while the document is “%(status)s”."),
            code="invalid_transition",
            params={"step": transition.label, "status": document.get_status_display()},
        )
    for guard in transition.guards:
        guard(document, **kwargs)
    return transition


def apply(document, name: str, **kwargs) -> tuple[str, str]:
    """Check the step and set the new status on ``document`` (not saved); (before, after)."""
    transition = check(document, name, **kwargs)
    before = document.status
    if transition.target is not None:
        document.status = transition.target
    return before, document.status


def presentation_late_before(today: dt.date | None = None) -> dt.datetime | None:
    """Documents that arrived before this moment and are still not presented are late.

    Decree 30/2020 Art. 4.2.c / 23: present the day of arrival or at the latest the next
    working day. A document is late when a whole working day after its arrival day has
    gone by, i.e. it arrived before the start of the last working day before today.
    """
    from coquan.workdays.calendar import is_working_day

    today = today or timezone.localdate()
    day = today - dt.timedelta(days=1)
    for _step in range(60):
        if is_working_day(day):
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        day -= dt.timedelta(days=1)
    return None
