"""Helpers shared by the registry actions: snapshots, validation, deferred refreshes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone

#: Fields that hold personal identification numbers: masked in audit snapshots.
MASKED_FIELDS = {"holder_id_number", "owner_id_number"}


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()  # "leave this field as it is" in the update actions


def today() -> dt.date:
    return timezone.localdate()


def snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict:
    """The named fields of ``obj`` for an audit entry (foreign keys as ids, IDs masked)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if name in MASKED_FIELDS and value:
            value = "***"
        if isinstance(value, Decimal):
            value = format(value, "f")
        data[name] = value
    return data


def full_clean(obj: models.Model, exclude: tuple[str, ...] = ()) -> None:
    """Run the model's field, choice and constraint checks; errors keep field names.

    Constraint errors that name no field (unique together, check constraints) are reported
    under ``__all__`` so the forms show them above the fields.
    """
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        errors = {}
        for field, messages in exc.message_dict.items():
            errors.setdefault(field if field != NON_FIELD_ERRORS else "__all__", []).extend(
                messages
            )
        raise ValidationError(errors) from None


def apply_changes(obj: models.Model, allowed: tuple[str, ...], changes: dict) -> list[str]:
    """Set the ``changes`` whose key is in ``allowed`` and not UNSET; the changed names."""
    changed = []
    for name, value in changes.items():
        if name not in allowed:
            raise TypeError(f"unexpected field {name}")
        if value is UNSET:
            continue
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def refresh_derived_on_commit(agency, year: int | None) -> None:
    """After the transaction commits, refresh the derived indicators that count registers."""
    if year is None:
        return
    agency_id = agency.pk

    def enqueue():
        from coquan.registry.tasks import refresh_derived_indicators

        refresh_derived_indicators.enqueue(agency_id, year)

    transaction.on_commit(enqueue)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day, minus one day
    (a 12-month licence issued on 15/03/2026 is valid until 14/03/2027)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate) - dt.timedelta(days=1)
        except ValueError:
            continue
    raise ValueError(day)
