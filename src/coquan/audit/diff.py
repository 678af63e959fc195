"""Before/after JSON as rows of a readable comparison table (pure functions)."""

from __future__ import annotations

import json
from dataclasses import dataclass

MISSING = object()


@dataclass(frozen=True)
class DiffRow:
    """One field of an entry's before/after pair. ``change``: added, removed, changed, same."""

    key: str
    before: str
    after: str
    change: str

    @property
    def changed(self) -> bool:
        return self.change != "same"


def value_text(value) -> str:
    """A JSON value as a person reads it: text as is, everything else as compact JSON."""
    if value is MISSING:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _row(key: str, before, after) -> DiffRow:
    if before is MISSING:
        change = "added"
    elif after is MISSING:
        change = "removed"
    else:
        change = "same" if before == after else "changed"
    return DiffRow(key, value_text(before), value_text(after), change)


def diff_rows(before, after) -> list[DiffRow]:
    """Compare two recorded states.

    Two objects (or an object and nothing) compare key by key, sorted; any other pair (lists,
    plain values) is one row with an empty key. Nothing recorded on either side: no rows.
    """
    if before is None and after is None:
        return []
    if isinstance(before, dict | None) and isinstance(after, dict | None):
        old = before or {}
        new = after or {}
        return [
            _row(key, old.get(key, MISSING), new.get(key, MISSING))
            for key in sorted(set(old) | set(new))
        ]
    return [_row("", MISSING if before is None else before, MISSING if after is None else after)]
