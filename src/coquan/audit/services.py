"""Appending to and verifying the audit chain. ``append`` is the only writer.

How the chain works (docs/audit.md has the long version):

- ``append`` first locks the single head row and reads the last ``seq`` and hash from it
  (PostgreSQL: ``SELECT ... FOR UPDATE``; SQLite: ``UPDATE ... SET last_seq = last_seq + 1
  ... RETURNING`` under the write lock ``BEGIN IMMEDIATE`` took), so concurrent writers
  queue up, ``seq`` is gapless and each entry links to the one committed before it.
- The entry's ``entry_hash`` is SHA-256 over a canonical text of its content, which includes
  ``seq`` and ``prev_hash`` (the previous entry's hash). The row is written with a plain
  ``INSERT`` of exactly the hashed values, then the head records the new hash, all in the
  caller's transaction: if the caller rolls back, the entry, the seq and the head go with it.
- ``verify`` walks the entries in ``seq`` order in chunks and reports the first position where
  the sequence, the link or the content hash does not match, then checks the head.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import math
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _

from coquan.audit.models import AuditChainHead, AuditEntry
from coquan.core.context import current_ip, current_request_id

GENESIS_HASH = "0" * 64
PERMISSION_DENIED = "permission_denied"

# The columns ``append`` writes, in order; every one of them except ``entry_hash`` is hashed.
HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "agency_id",
    "action",
    "object_type",
    "object_id",
    "summary",
    "before",
    "after",
    "request_id",
    "ip",
    "prev_hash",
)
_COLUMNS = (*HASHED_FIELDS, "entry_hash")
_ATTNAMES = tuple(field.attname for field in AuditEntry._meta.concrete_fields)

# Sequence numbers of ``permission_denied`` entries written during the current request; set
# by ``PermissionDeniedAuditMiddleware`` so that a denial an action already recorded is not
# recorded a second time when its exception reaches the middleware.
_request_denials: ContextVar[list[int] | None] = ContextVar("coquan_audit_denials", default=None)


# --- canonical content ------------------------------------------------------------------------


def _plain_number(value: float):
    """An integral float as the exact integer its shortest text denotes, else the float.

    PostgreSQL ``jsonb`` stores numbers as ``numeric``: ``100.0`` reads back as ``100`` and
    ``1e20`` as an integer, while other floats read back unchanged. Writing and hashing
    integral floats as integers makes both sides agree.
    """
    if not math.isfinite(value):
        return str(value)  # JSON has no NaN/Infinity; keep the information as text
    if value.is_integer():
        return int(Decimal(repr(value)))
    return value


def _canonical_values(value):
    """Nested JSON values with NUL characters dropped and integral floats made integers."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, float):
        return _plain_number(value)
    if isinstance(value, list):
        return [_canonical_values(item) for item in value]
    if isinstance(value, dict):
        return {_canonical_values(key): _canonical_values(item) for key, item in value.items()}
    return value


class _NotPlainJson(Exception):
    """A value that needs the JSON encoder (dates, decimals, tuples, lazy text ...)."""


def _plain_json(value):
    """``_canonical_values`` for values made only of JSON types; raises ``_NotPlainJson``."""
    kind = type(value)
    if kind is str:
        return value.replace("\x00", "") if "\x00" in value else value
    if value is None or kind is bool or kind is int:
        return value
    if kind is float:
        return _plain_number(value)
    if kind is dict:
        result = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlainJson
            result[key.replace("\x00", "") if "\x00" in key else key] = _plain_json(item)
        return result
    if kind is list:
        return [_plain_json(item) for item in value]
    raise _NotPlainJson


def normalise_json(value):
    """The value exactly as it will read back from a JSON column (for stable hashing).

    Dates, decimals and UUIDs become text (``DjangoJSONEncoder``), NUL characters (refused by
    PostgreSQL) are dropped and integral floats become integers. Values made only of JSON
    types skip the encoder round trip (the common case, and the cheaper one).
    """
    if value is None:
        return None
    try:
        return _plain_json(value)
    except _NotPlainJson:
        pass
    return _canonical_values(
        json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))
    )


def canonical_text(value) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8 strings, integral floats as integers."""
    return json.dumps(
        _canonical_values(value), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


@lru_cache(maxsize=1024)
def _ip_for_hash(value) -> str | None:
    """IPv6 addresses are compared in their exploded form (databases rewrite the text)."""
    if not value:
        return None
    try:
        return ipaddress.ip_address(str(value)).exploded
    except ValueError:
        return str(value)


def entry_content(entry) -> dict:
    """The fields covered by the hash, in a canonical form (an entry or a mapping of values)."""
    if isinstance(entry, Mapping):
        get = entry.get
    else:

        def get(name):
            return getattr(entry, name)

    created = get("created_at")
    created = created.astimezone(dt.UTC).isoformat(timespec="microseconds") if created else None
    content = {name: get(name) for name in HASHED_FIELDS}
    content["created_at"] = created
    content["ip"] = _ip_for_hash(content["ip"])
    return content


def compute_hash(entry) -> str:
    """SHA-256 (hex) of the canonical content of ``entry`` (an entry or a mapping)."""
    return hashlib.sha256(canonical_text(entry_content(entry)).encode("utf-8")).hexdigest()


def _hash_normalised(content: dict) -> str:
    """``compute_hash`` for content whose values ``append`` has already normalised."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- appending --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Statements:
    """The SQL of one append.

    SQLite: ``UPDATE head SET last_seq = last_seq + 1 ... RETURNING`` (under the write lock
    ``BEGIN IMMEDIATE`` took), ``INSERT`` the entry, ``UPDATE head SET last_hash``.
    PostgreSQL (``merged``): ``SELECT ... FOR UPDATE`` locks the head row without writing a
    row version, then one statement inserts the entry and moves the head (a data-modifying
    CTE), so each append leaves one new head version instead of two.
    """

    advance_head: str
    init_head: str
    insert_entry: str
    set_head_hash: str
    merged: bool


_STATEMENTS: dict[str, _Statements] = {}


def _statements(connection) -> _Statements:
    """The SQL ``append`` runs, built once per database vendor.

    Only table and column names from the model's metadata, quoted by the backend, are
    interpolated (hence the ``noqa: S608``); every value is a query parameter.
    """
    built = _STATEMENTS.get(connection.vendor)
    if built is not None:
        return built
    quote = connection.ops.quote_name
    head = quote(AuditChainHead._meta.db_table)
    table = quote(AuditEntry._meta.db_table)
    column = {name: quote(AuditEntry._meta.get_field(name).column) for name in _COLUMNS}
    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    seq = column["seq"]
    insert_entry = (
        f"INSERT INTO {table} ({', '.join(column[name] for name in _COLUMNS)}) "  # noqa: S608
        f"VALUES ({placeholders}) RETURNING id"
    )
    set_head_hash = f"UPDATE {head} SET last_hash = %s WHERE id = 1"  # noqa: S608
    advance_head = (
        f"UPDATE {head} SET last_seq = last_seq + 1 WHERE id = 1 "  # noqa: S608
        "RETURNING last_seq, last_hash"
    )
    merged = connection.vendor == "postgresql"
    if merged:
        advance_head = f"SELECT last_seq + 1, last_hash FROM {head} WHERE id = 1 FOR UPDATE"  # noqa: S608
        insert_entry = (
            f"WITH new_entry AS ({insert_entry}) "  # noqa: S608
            f"UPDATE {head} SET last_seq = %s, last_hash = %s WHERE id = 1 "
            f"RETURNING (SELECT id FROM new_entry)"
        )
    built = _Statements(
        advance_head=advance_head,
        # Re-creates a missing head from the last entry (after a test flush, or on a database
        # restored without it). ``WHERE 1 = 1`` keeps SQLite's upsert parser unambiguous.
        init_head=(
            f"INSERT INTO {head} (id, last_seq, last_hash) "  # noqa: S608
            f"SELECT 1, COALESCE(MAX({seq}), 0), COALESCE((SELECT {column['entry_hash']} "
            f"FROM {table} ORDER BY {seq} DESC LIMIT 1), '') FROM {table} WHERE 1 = 1 "
            f"ON CONFLICT (id) DO NOTHING"
        ),
        insert_entry=insert_entry,
        set_head_hash=set_head_hash,
        merged=merged,
    )
    _STATEMENTS[connection.vendor] = built
    return built


def _reference(obj) -> int | None:
    """The primary key of a model instance or an id (as the integer the column returns)."""
    value = getattr(obj, "pk", obj)
    return None if value in (None, "") else int(value)


def _clean_text(value, limit: int) -> str:
    return str(value or "").replace("\x00", "")[:limit]


@lru_cache(maxsize=1024)
def _clean_ip(value) -> str | None:
    """The address as the database will store it (Django's IPv6 form), or None if invalid."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value).strip())
    except ValueError:
        return None
    return clean_ipv6_address(str(address)) if address.version == 6 else str(address)


def append(
    *,
    action: str,
    actor=None,
    agency=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    before=None,
    after=None,
    request_id: str | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction (or its own).

    Who calls it: the ``@action`` decorator (one entry per action, and one per permission
    denial), the sign-in signal receivers, ``record_permission_denied`` and a few management
    commands. ``request_id`` and ``ip`` default to the current request's (core.context).
    Runs three statements (two on PostgreSQL, see ``_Statements``): lock and read the head,
    insert the entry, move the head. No savepoint: a failure here fails the caller's
    transaction, as it should.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    values = {
        "created_at": timezone.now(),
        "actor_id": actor_id,
        "actor_name": _clean_text(actor.get_username() if actor_id else "", 150),
        "agency_id": _reference(agency),
        "action": _clean_text(action, 80),
        "object_type": _clean_text(object_type, 80),
        "object_id": _clean_text(object_id, 64),
        "summary": _clean_text(summary, 500),
        "before": normalise_json(before),
        "after": normalise_json(after),
        "request_id": _clean_text(
            request_id if request_id is not None else current_request_id(), 64
        ),
        "ip": _clean_ip(ip if ip is not None else current_ip()),
    }
    connection = connections[DEFAULT_DB_ALIAS]
    ops = connection.ops
    sql = _statements(connection)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(sql.advance_head)
        row = cursor.fetchone()
        if row is None:
            cursor.execute(sql.init_head)
            cursor.execute(sql.advance_head)
            row = cursor.fetchone()
        values["seq"] = row[0]
        values["prev_hash"] = row[1] or GENESIS_HASH
        entry_hash = _hash_normalised(entry_content(values))
        json_value = ops.adapt_json_value
        cursor.execute(
            sql.insert_entry,
            [
                values["seq"],
                ops.adapt_datetimefield_value(values["created_at"]),
                values["actor_id"],
                values["actor_name"],
                values["agency_id"],
                values["action"],
                values["object_type"],
                values["object_id"],
                values["summary"],
                None if values["before"] is None else json_value(values["before"], None),
                None if values["after"] is None else json_value(values["after"], None),
                values["request_id"],
                ops.adapt_ipaddressfield_value(values["ip"]),
                values["prev_hash"],
                entry_hash,
                *([values["seq"], entry_hash] if sql.merged else []),
            ],
        )
        pk = cursor.fetchone()[0]
        if not sql.merged:
            cursor.execute(sql.set_head_hash, [entry_hash])
    values["id"] = pk
    values["entry_hash"] = entry_hash
    entry = AuditEntry.from_db(connection.alias, _ATTNAMES, [values[name] for name in _ATTNAMES])
    if values["action"] == PERMISSION_DENIED:
        recorded = _request_denials.get()
        if recorded is not None:
            recorded.append(entry.seq)
    return entry


# --- permission denials from views ---------------------------------------------------------


def track_request_denials():
    """Start noting the denials recorded during one request; returns the token to reset."""
    return _request_denials.set([])


def stop_tracking_request_denials(token) -> None:
    _request_denials.reset(token)


def record_permission_denied(request, reason: str = "") -> AuditEntry | None:
    """Write one ``permission_denied`` entry for a request a view refused.

    Called by ``PermissionDeniedAuditMiddleware`` when a view raises ``PermissionDenied``.
    When the refusal came from an action's permission check, the action already wrote the
    entry during this request; then nothing more is written and None is returned. The entry
    names the person (if signed in), the active agency, the method and the path (never the
    query string, which may carry secrets).
    """
    if _request_denials.get():
        return None
    from coquan.core.middleware import client_ip
    from coquan.org.active import active_agency

    user = getattr(request, "user", None)
    signed_in = getattr(user, "is_authenticated", False)
    reason = str(reason or "")
    summary = f"{request.method} {request.path}"
    if reason:
        summary = f"{summary}: {reason}"
    return append(
        action=PERMISSION_DENIED,
        actor=user if signed_in else None,
        agency=active_agency(request) if signed_in else None,
        summary=summary,
        request_id=getattr(request, "request_id", None),
        ip=client_ip(request),
    )


# --- verifying ----------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    """The outcome of ``verify``.

    ``checked`` counts the entries found intact before the break (all of them when ``ok``).
    ``position`` is the 1-based position in ``seq`` order where the chain breaks and
    ``broken_seq`` the sequence number found (or expected) there; ``code`` says what broke:
    ``sequence`` (an entry missing or added), ``link`` (prev_hash does not match the entry
    before: inserted, deleted or reordered), ``content`` (edited), ``head`` (the tail was
    deleted or an entry was added behind the head's back), ``head_missing``.
    """

    ok: bool
    checked: int
    broken_seq: int | None = None
    position: int | None = None
    reason: str = ""
    code: str = ""
    last_seq: int = 0
    last_hash: str = ""


class _Walk:
    """State of a walk along the chain, resumable when the head moved on meanwhile."""

    def __init__(self, chunk_size: int):
        self.chunk_size = max(1, int(chunk_size))
        self.expected_prev = GENESIS_HASH
        self.expected_seq = 1
        self.position = 0
        self.last_seq: int | None = None

    def _chunks(self, upto: int | None):
        fields = (*HASHED_FIELDS, "entry_hash")
        while True:
            qs = AuditEntry.objects.order_by("seq")
            if self.last_seq is not None:
                qs = qs.filter(seq__gt=self.last_seq)
            if upto is not None:
                qs = qs.filter(seq__lte=upto)
            chunk = list(qs.values(*fields)[: self.chunk_size])
            if chunk:
                yield chunk
            if len(chunk) < self.chunk_size:
                return

    def run(self, upto: int | None = None) -> VerifyResult | None:
        """Check the entries after the last one seen (up to ``upto``); return a failure."""
        for chunk in self._chunks(upto):
            for entry in chunk:
                self.position += 1
                seq = entry["seq"]
                failure = None
                if seq != self.expected_seq:
                    failure = (
                        "sequence",
                        _("expected sequence %(expected)s, found %(found)s")
                        % {"expected": self.expected_seq, "found": seq},
                    )
                elif entry["prev_hash"] != self.expected_prev:
                    failure = (
                        "link",
                        _("the link to the previous entry is broken"),
                    )
                elif compute_hash(entry) != entry["entry_hash"]:
                    failure = ("content", _("the entry's content was changed"))
                if failure:
                    return self.fail(seq, *failure)
                self.expected_prev = entry["entry_hash"]
                self.expected_seq += 1
                self.last_seq = seq
        return None

    def fail(
        self,
        seq,
        code: str,
        reason: str,
        position: int | None = None,
        checked: int | None = None,
    ) -> VerifyResult:
        return VerifyResult(
            ok=False,
            checked=self.expected_seq - 1 if checked is None else checked,
            broken_seq=seq,
            position=position or self.position,
            reason=reason,
            code=code,
        )


def verify(chunk_size: int = 2000) -> VerifyResult:
    """Walk the chain in order; report the first position where it breaks.

    Detects an edited entry (its hash no longer matches its content), a deleted or inserted
    entry (a gap in ``seq`` or a ``prev_hash`` that does not match the entry before), a
    reordering (``seq`` is hashed, so moving an entry breaks its link or its hash), a deleted
    tail or an entry added after the last one (the head disagrees). Streams in chunks of
    ``chunk_size`` rows (bounded memory); entries appended while it runs are checked too.
    """
    walk = _Walk(chunk_size)
    failure = walk.run()
    if failure:
        return failure
    head = AuditChainHead.objects.filter(pk=1).values("last_seq", "last_hash").first()
    if head is None:
        if walk.position == 0:
            return VerifyResult(ok=True, checked=0)
        return walk.fail(
            walk.last_seq, "head_missing", _("the chain head is missing"), walk.position
        )
    # An append commits its entry and the head together, so every entry up to the head's
    # last_seq is visible now. Entries beyond the head when the walk ended were not written
    # by ``append``; entries the walk has not seen yet were appended meanwhile: check them.
    if walk.last_seq is not None and walk.last_seq > head["last_seq"]:
        return walk.fail(
            head["last_seq"] + 1,
            "head",
            _(
                "entry %(seq)s was not written through the chain "
                "(the chain head records %(head)s entries)"
            )
            % {"seq": head["last_seq"] + 1, "head": head["last_seq"]},
            head["last_seq"] + 1,
            checked=head["last_seq"],
        )
    if head["last_seq"] > (walk.last_seq or 0):
        failure = walk.run(upto=head["last_seq"])
        if failure:
            return failure
    last_seq = walk.last_seq or 0
    if last_seq < head["last_seq"]:
        if head["last_seq"] == last_seq + 1:
            reason = _("entry %(first)s is missing (the chain head records %(last)s entries)")
        else:
            reason = _(
                "entries %(first)s to %(last)s are missing "
                "(the chain head records %(last)s entries)"
            )
        return walk.fail(
            last_seq + 1,
            "head",
            reason % {"first": last_seq + 1, "last": head["last_seq"]},
            walk.position + 1,
        )
    if last_seq and head["last_hash"] != walk.expected_prev:
        return walk.fail(
            last_seq, "head", _("the last entry does not match the chain head"), walk.position
        )
    return VerifyResult(
        ok=True, checked=walk.position, last_seq=last_seq, last_hash=walk.expected_prev
    )
