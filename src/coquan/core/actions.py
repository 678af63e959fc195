"""The action helper: every state change that matters goes through an ``@action``.

An action is a plain function with keyword-only arguments whose first argument is the
acting person. The decorator

1. runs the permission check (``permission(actor, **kwargs)`` raising ``PermissionDenied``);
   a denial is written to the audit log (in its own transaction) and re-raised;
2. runs the body inside ``transaction.atomic()``;
3. writes exactly one audit entry in that transaction, described by the body through
   ``describe(...)`` (object, agency, summary, before/after);
4. side effects are deferred by the body with ``transaction.on_commit``.

Domain errors are exceptions (``PermissionDenied``, ``ValidationError``), never responses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction


@dataclass
class ActionRecord:
    code: str
    agency: object = None
    actor: object = None
    obj: object = None
    summary: str = ""
    before: object = None
    after: object = None
    extra: dict = field(default_factory=dict)


_current: ContextVar[ActionRecord | None] = ContextVar("coquan_action", default=None)


def describe(*, agency=None, obj=None, summary=None, before=None, after=None) -> None:
    """Fill in the audit entry of the action that is running."""
    record = _current.get()
    if record is None:
        raise RuntimeError("describe() called outside an action")
    if agency is not None:
        record.agency = agency
    if obj is not None:
        record.obj = obj
    if summary is not None:
        record.summary = summary
    if before is not None:
        record.before = before
    if after is not None:
        record.after = after


def current_actor():
    """The person acting in the innermost running action (None outside any action, or
    when the system acts).

    For code that runs inside an action without being called by it with the actor: a
    receiver of a model signal sent by the action's ``save()`` (the exchange app's statuses
    04/05/06 name the person who assigned, started or completed the document).
    """
    record = _current.get()
    return record.actor if record is not None else None


def record_denial(actor, code: str, *, agency=None, reason: str = "") -> None:
    """Write a ``permission_denied`` audit entry in its own transaction."""
    from coquan.audit import services as audit

    audit.append(
        action="permission_denied",
        actor=actor,
        agency=agency,
        summary=f"{code}: {reason}"[:500],
    )


def action(code: str, *, permission: Callable[..., object] | None = None):
    """Declare an action with audit code ``code`` and an optional permission check."""

    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(actor, **kwargs):
            if permission is not None:
                try:
                    permission(actor, **kwargs)
                except PermissionDenied as exc:
                    record_denial(actor, code, agency=kwargs.get("agency"), reason=str(exc))
                    raise
            from coquan.audit import services as audit

            record = ActionRecord(code=code, agency=kwargs.get("agency"), actor=actor)
            token = _current.set(record)
            try:
                with transaction.atomic():
                    result = fn(actor, **kwargs)
                    if record.obj is None and hasattr(result, "_meta"):
                        record.obj = result
                    if record.agency is None and record.obj is not None:
                        record.agency = getattr(record.obj, "agency", None)
                    audit.append(
                        action=code,
                        actor=actor,
                        agency=record.agency,
                        obj=record.obj,
                        summary=record.summary or (str(record.obj) if record.obj else ""),
                        before=record.before,
                        after=record.after,
                    )
            except PermissionDenied as exc:
                record_denial(actor, code, agency=record.agency, reason=str(exc))
                raise
            finally:
                _current.reset(token)
            return result

        wrapper.action_code = code
        return wrapper

    return decorator
