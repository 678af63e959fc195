"""The licence lifecycle as data: which action moves a licence from which statuses to which.

``None`` as the target means the status does not change (an amendment). Revoked is final;
an expired licence may only be renewed. The actions in ``actions/licences.py`` call
``check_transition`` before changing anything; templates and the API ask ``allowed``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coquan.registry.choices import LicenceEventKind as Event
from coquan.registry.choices import LicenceStatus as S

TRANSITIONS: dict[str, tuple[frozenset[str], str | None, str]] = {
    "amend": (frozenset({S.VALID, S.SUSPENDED}), None, Event.AMENDED),
    "renew": (frozenset({S.VALID, S.EXPIRED}), S.VALID, Event.RENEWED),
    "suspend": (frozenset({S.VALID}), S.SUSPENDED, Event.SUSPENDED),
    "reinstate": (frozenset({S.SUSPENDED}), S.VALID, Event.REINSTATED),
    "revoke": (frozenset({S.VALID, S.SUSPENDED}), S.REVOKED, Event.REVOKED),
    "expire": (frozenset({S.VALID, S.SUSPENDED}), S.EXPIRED, Event.EXPIRED),
}

#: The steps a person can take from a licence page (``expire`` is the daily task's).
MANUAL_STEPS = ("amend", "renew", "suspend", "reinstate", "revoke")


def allowed(step: str, status: str) -> bool:
    return status in TRANSITIONS[step][0]


def allowed_steps(status: str) -> list[str]:
    return [step for step in MANUAL_STEPS if allowed(step, status)]


def check_transition(step: str, status: str) -> tuple[str | None, str]:
    """(new status or None, event kind) for ``step`` from ``status``; ValidationError if not
    allowed."""
    sources, target, event = TRANSITIONS[step]
    if status not in sources:
        raise ValidationError(
            _("This step is not possible for a licence with status “%(status)s”.")
            % {"status": S(status).label},
            code="invalid_transition",
        )
    return target, event
