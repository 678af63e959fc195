"""The state machine of an outgoing document, as data.

Decree 30/2020 Arts. 10–19: the drafter sends the draft for review; the chain (unit
leader's review, opinions, form check by the office, approval by the signer) runs in
``ChainTask`` rows while the document is ``in_review``; the signer's approval makes it
``approved``, the signer's signature ``signed``; the clerk numbers, seals and issues it
(``issued``). A reviewer can send it back to the drafter (``returned``); the drafter can
abandon it (``withdrawn``); the issuing agency can recall it (``recalled``). A change after
approval sends it back to the signer (``approved`` → ``in_review``). An issued document can
be updated or replaced by a later document (``revise``); when a replacement is issued, the
original becomes ``replaced``.

``TRANSITIONS`` lists for each step the statuses it may start from, its target (``None``:
unchanged) and its guards. Actions call ``apply``; an illegal move is a ``ValidationError``
with code ``invalid_transition``; a change to a signed or issued document has code
``frozen``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coquan.documents.choices import EDITABLE_OUTGOING
from coquan.documents.choices import OutgoingStatus as S
from coquan.documents.workflow import Transition


def _text_required(field: str):
    def guard(document, **kwargs) -> None:
        if not (kwargs.get(field) or "").strip():
            raise ValidationError({field: _("Write the comment.")}, code="required")

    return guard


def _ready_for_review(document, *, main_file=None, **_kwargs) -> None:
    errors = {}
    if document.signer_id is None:
        errors["signer"] = [_("Choose the leader who will sign the document.")]
    if main_file is None:
        errors["main_file"] = [_("Add the file of the draft before sending it for review.")]
    if errors:
        raise ValidationError(errors, code="incomplete")


EDIT_STATUSES = frozenset(EDITABLE_OUTGOING)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("edit", gettext_lazy("Change the draft"), EDIT_STATUSES, None),
        Transition(
            "submit",
            gettext_lazy("Send for review"),
            frozenset({S.DRAFT, S.RETURNED}),
            S.IN_REVIEW,
            (_ready_for_review,),
        ),
        Transition(
            "request_opinions", gettext_lazy("Ask for opinions"), frozenset({S.IN_REVIEW}), None
        ),
        Transition("review", gettext_lazy("Review"), frozenset({S.IN_REVIEW}), None),
        Transition(
            "opinion",
            gettext_lazy("Give an opinion"),
            frozenset({S.IN_REVIEW}),
            None,
            (_text_required("text"),),
        ),
        Transition("check", gettext_lazy("Check the form"), frozenset({S.IN_REVIEW}), None),
        Transition("approve", gettext_lazy("Approve"), frozenset({S.IN_REVIEW}), S.APPROVED),
        Transition(
            "reject",
            gettext_lazy("Send back"),
            frozenset({S.IN_REVIEW}),
            None,
            (_text_required("comment"),),
        ),
        Transition(
            "withdraw",
            gettext_lazy("Withdraw the draft"),
            frozenset({S.DRAFT, S.RETURNED, S.IN_REVIEW, S.APPROVED}),
            S.WITHDRAWN,
        ),
        Transition("sign", gettext_lazy("Sign"), frozenset({S.APPROVED}), S.SIGNED),
        Transition("issue", gettext_lazy("Number and issue"), frozenset({S.SIGNED}), S.ISSUED),
        Transition(
            "recall",
            gettext_lazy("Recall"),
            frozenset({S.ISSUED}),
            S.RECALLED,
            (_text_required("reason"),),
        ),
        # Drafting an update or a replacement of an issued document (the original's step).
        Transition("revise", gettext_lazy("Update or replace"), frozenset({S.ISSUED}), None),
        # The original when its replacement is issued.
        Transition("replaced", gettext_lazy("Replace"), frozenset({S.ISSUED}), S.REPLACED),
    )
}


def is_allowed(document, name: str) -> bool:
    """Whether the step ``name`` may start from the document's current status."""
    return document.status in TRANSITIONS[name].sources


def check(document, name: str, **kwargs) -> Transition:
    """Refuse the step when the status does not allow it or a guard fails."""
    transition = TRANSITIONS[name]
    if document.status not in transition.sources:
        if name == "edit" or (document.is_frozen and name in ("submit", "withdraw")):
            raise ValidationError(
                _("The document is “%(status)s”: it is frozen and can no longer be changed."),
                code="frozen",
                params={"status": document.get_status_display()},
            )
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
