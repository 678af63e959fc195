"""Dossier codes (mã số hồ sơ, NĐ 61 Art. 26; TT 01/2018 Arts. 19–20; standards §3.4).

The 2018 format is ``<organ_id>-YYMMDD-NNNN``: the receiving body's QCVN 102 code, the date
of receipt and the order of receipt within that day. Newer variants seen in 2026 (a short
body code, an 8-digit date, a 7-digit sequence) are unconfirmed, so the format is a
setting:

- ``COQUAN_ONESTOP_DOSSIER_CODE_FORMAT`` (default ``"{prefix}-{date:%y%m%d}-{seq:04d}"``):
  a ``str.format`` template over ``prefix``, ``organ_id``, ``short_name``, ``date`` and
  ``seq``;
- ``COQUAN_ONESTOP_DOSSIER_CODE_PREFIXES``: ``{organ_id: prefix}`` when a body uses
  another prefix than its ``organ_id`` (the default prefix);
- ``COQUAN_ONESTOP_DOSSIER_CODE_RESET``: ``"day"`` (default), ``"year"`` or ``"never"`` —
  when the sequence starts again at 1.

The sequence is one ``DossierCounter`` row per (agency, period) locked with
``SELECT … FOR UPDATE`` inside the reception's transaction: a rolled-back reception gives
its number back, so codes stay gapless and unique under concurrency.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_FORMAT = "{prefix}-{date:%y%m%d}-{seq:04d}"
MAX_CODE_LENGTH = 60


def code_format() -> str:
    return getattr(settings, "COQUAN_ONESTOP_DOSSIER_CODE_FORMAT", DEFAULT_FORMAT)


def reset_period() -> str:
    value = getattr(settings, "COQUAN_ONESTOP_DOSSIER_CODE_RESET", "day")
    if value not in ("day", "year", "never"):
        raise ImproperlyConfigured(
            "COQUAN_ONESTOP_DOSSIER_CODE_RESET must be 'day', 'year' or 'never'."
        )
    return value


def period_for(day: dt.date) -> dt.date:
    """The counter period a reception on ``day`` belongs to."""
    reset = reset_period()
    if reset == "day":
        return day
    if reset == "year":
        return dt.date(day.year, 1, 1)
    return dt.date(2000, 1, 1)


def prefix_for(agency) -> str:
    prefixes = getattr(settings, "COQUAN_ONESTOP_DOSSIER_CODE_PREFIXES", {}) or {}
    return prefixes.get(agency.organ_id, agency.organ_id)


def format_code(agency, day: dt.date, seq: int) -> str:
    """The code of the ``seq``-th reception of ``day`` at ``agency``."""
    try:
        code = code_format().format(
            prefix=prefix_for(agency),
            organ_id=agency.organ_id,
            short_name=agency.short_name,
            date=day,
            seq=seq,
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"COQUAN_ONESTOP_DOSSIER_CODE_FORMAT is not a usable template: {exc}"
        ) from exc
    if not code or len(code) > MAX_CODE_LENGTH:
        raise ImproperlyConfigured(
            f"dossier codes must have 1 to {MAX_CODE_LENGTH} characters, got {code!r}"
        )
    return code


def take_code(agency, day: dt.date) -> tuple[int, str]:
    """The next (sequence, code) of ``agency`` for a reception on ``day``.

    Must run inside the reception's transaction: the counter row stays locked until it
    commits, and a rollback returns the number.
    """
    from coquan.onestop.models import DossierCounter

    period = period_for(day)
    DossierCounter.objects.bulk_create(
        [DossierCounter(agency=agency, period=period, last_value=0)], ignore_conflicts=True
    )
    counter = DossierCounter.objects.select_for_update().get(agency=agency, period=period)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value, format_code(agency, day, counter.last_value)
