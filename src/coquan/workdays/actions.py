"""State changes of the working-day calendar: creating, editing and deleting overrides.

The calendar is deployment-wide (every agency of a province follows the same Prime
Minister's decisions), so only deployment administrators (``user.is_superuser``) change it.
Each action writes one audit entry, replaces the calendar version token in its transaction
and clears this process's cached calendar when the transaction commits; other processes see
the new token on their next calculation (``coquan.workdays.store``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.workdays import store
from coquan.workdays.calendar import MAX_YEAR, MIN_YEAR
from coquan.workdays.choices import OverrideKind
from coquan.workdays.models import CalendarOverride

NAME_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2000


def require_deployment_admin(actor, **kwargs) -> None:
    """Only deployment administrators (superusers) may change the calendar."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_superuser):
        raise PermissionDenied(
            _("Only deployment administrators may change the working-day calendar.")
        )


def _clean(*, date, kind, name, note, exclude_pk=None) -> dict:
    """Checked, normalised field values; ``ValidationError`` keyed by field otherwise."""
    errors: dict[str, list[str]] = {}
    if isinstance(date, dt.datetime) or not isinstance(date, dt.date):
        errors.setdefault("date", []).append(_("Enter a valid date."))
    elif not MIN_YEAR <= date.year <= MAX_YEAR:
        errors.setdefault("date", []).append(
            _("The calendar covers the years %(first)s to %(last)s.")
            % {"first": MIN_YEAR, "last": MAX_YEAR}
        )
    if kind not in OverrideKind.values:
        errors.setdefault("kind", []).append(_("Choose whether the day is off or worked."))
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("Enter the name shown on the calendar."))
    elif len(name) > NAME_MAX_LENGTH:
        errors.setdefault("name", []).append(
            _("The name may have at most %(count)s characters.") % {"count": NAME_MAX_LENGTH}
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        errors.setdefault("note", []).append(
            _("The note may have at most %(count)s characters.") % {"count": NOTE_MAX_LENGTH}
        )
    if "date" not in errors:
        existing = CalendarOverride.objects.filter(date=date).exclude(pk=exclude_pk).first()
        if existing is not None:
            errors["date"] = [_duplicate_message(existing)]
    if errors:
        raise ValidationError(errors)
    return {"date": date, "kind": kind, "name": name, "note": note}


def _duplicate_message(existing: CalendarOverride) -> str:
    return _(
        "The date %(date)s already has an override (%(name)s). Edit that override instead "
        "of adding another."
    ) % {"date": date_format(existing.date, "d/m/Y"), "name": existing.name}


def _save(override: CalendarOverride) -> None:
    """Save in a savepoint; a concurrent duplicate date becomes a clear validation error."""
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError:
        existing = CalendarOverride.objects.filter(date=override.date).first()
        if existing is not None and existing.pk != override.pk:
            raise ValidationError({"date": [_duplicate_message(existing)]}) from None
        raise


def _calendar_changed() -> None:
    store.bump_version()
    transaction.on_commit(store.invalidate)


def _summary(override: CalendarOverride) -> str:
    return f"{override.date:%d/%m/%Y} {override.kind}: {override.name}"


@action("workdays.override.create", permission=require_deployment_admin)
def create_override(actor, *, date: dt.date, kind: str, name: str, note: str = ""):
    """Add an override: ``day_off`` makes ``date`` a day off (a bridge day, a new holiday
    such as 24/11), ``working_day`` makes it worked (a make-up Saturday).

    Deployment administrators only. One override per date: a duplicate is a
    ``ValidationError`` on ``date``. Audited as ``workdays.override.create``; deadlines
    computed after the commit use the new calendar.
    """
    values = _clean(date=date, kind=kind, name=name, note=note)
    override = CalendarOverride(**values, created_by=actor)
    _save(override)
    _calendar_changed()
    describe(obj=override, summary=_summary(override), after=override.snapshot())
    return override


@action("workdays.override.update", permission=require_deployment_admin)
def update_override(
    actor,
    *,
    override: CalendarOverride,
    date: dt.date | None = None,
    kind: str | None = None,
    name: str | None = None,
    note: str | None = None,
):
    """Change an override's date, kind, name or note (arguments left ``None`` keep their
    value). Deployment administrators only; same checks as ``create_override``. Audited as
    ``workdays.override.update`` with the values before and after."""
    current = CalendarOverride.objects.select_for_update().filter(pk=override.pk).first()
    if current is None:
        raise ValidationError(_("This override no longer exists."))
    before = current.snapshot()
    values = _clean(
        date=current.date if date is None else date,
        kind=current.kind if kind is None else kind,
        name=current.name if name is None else name,
        note=current.note if note is None else note,
        exclude_pk=current.pk,
    )
    for field, value in values.items():
        setattr(current, field, value)
    _save(current)
    _calendar_changed()
    describe(obj=current, summary=_summary(current), before=before, after=current.snapshot())
    return current


@action("workdays.override.delete", permission=require_deployment_admin)
def delete_override(actor, *, override: CalendarOverride):
    """Remove an override: the date follows the statutory calendar again. Deployment
    administrators only. Audited as ``workdays.override.delete`` with the removed values."""
    current = CalendarOverride.objects.select_for_update().filter(pk=override.pk).first()
    if current is None:
        raise ValidationError(_("This override no longer exists."))
    before = current.snapshot()
    # A queryset delete keeps ``current.pk`` for the audit entry's object reference.
    CalendarOverride.objects.filter(pk=current.pk).delete()
    _calendar_changed()
    describe(obj=current, summary=_summary(current), before=before)
    return current
