"""Test helpers: a real ``@action`` to build audit state with, and raw-SQL tampering."""

from __future__ import annotations

from django.db import connection

from coquan.audit.models import AuditChainHead, AuditEntry
from coquan.core.access import require_role
from coquan.core.actions import action, describe


def _may_rename(actor, *, agency, unit, **kwargs):
    require_role(actor, agency, "admin")


@action("test.unit.rename", permission=_may_rename)
def rename_unit(actor, *, agency, unit, name, fail_with=None):
    """Rename ``unit`` (agency admins). Test-only action; ``fail_with`` raises after saving."""
    before = {"name": unit.name, "code": unit.code}
    unit.name = name
    unit.save(update_fields=["name"])
    describe(
        obj=unit,
        agency=agency,
        summary=f"Đổi tên đơn vị {unit.code} thành {name}",
        before=before,
        after={"name": name, "code": unit.code},
    )
    if fail_with is not None:
        raise fail_with
    return unit


# --- raw SQL, the way someone with database access would tamper with the log --------------

TABLE = AuditEntry._meta.db_table
HEAD = AuditChainHead._meta.db_table


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=TABLE, head=HEAD), params)


def json_param(value):
    return connection.ops.adapt_json_value(value, None)


def swap_seq(first: int, second: int) -> None:
    """Swap two entries' sequence numbers (through a temporary value; seq is unique)."""
    raw("UPDATE {table} SET seq = %s WHERE seq = %s", [-1, first])
    raw("UPDATE {table} SET seq = %s WHERE seq = %s", [first, second])
    raw("UPDATE {table} SET seq = %s WHERE seq = %s", [second, -1])


def shift_up_from(seq: int) -> None:
    """Renumber entries ``seq``.. one up, making room for a forged entry at ``seq``."""
    raw("UPDATE {table} SET seq = -seq - 1 WHERE seq >= %s", [seq])
    raw("UPDATE {table} SET seq = -seq WHERE seq < 0")


def insert_row(values: dict) -> None:
    """Insert a row directly (bypassing ``append``), as a forger would."""
    columns = list(values)
    params = [
        json_param(values[name])
        if name in ("before", "after") and values[name] is not None
        else connection.ops.adapt_datetimefield_value(values[name])
        if name == "created_at"
        else values[name]
        for name in columns
    ]
    placeholders = ", ".join(["%s"] * len(columns))
    names = ", ".join(columns)  # field names of this module's own dicts, never user input
    raw(f"INSERT INTO {{table}} ({names}) VALUES ({placeholders})", params)  # noqa: S608
