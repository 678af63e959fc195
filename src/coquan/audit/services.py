"""Appending to and verifying the audit chain. ``append`` is the only writer."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from coquan.audit.models import AuditChainHead, AuditEntry
from coquan.core.context import current_ip, current_request_id

GENESIS_HASH = "0" * 64


def normalise_json(value):
    """The value exactly as it will read back from a JSON column (for stable hashing)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def entry_content(entry: AuditEntry) -> dict:
    """The fields covered by the hash, in a canonical form."""
    created = entry.created_at.astimezone(dt.UTC) if entry.created_at else None
    return {
        "seq": entry.seq,
        "created_at": created.isoformat(timespec="microseconds") if created else None,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "agency_id": entry.agency_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "summary": entry.summary,
        "before": entry.before,
        "after": entry.after,
        "request_id": entry.request_id,
        "ip": entry.ip,
        "prev_hash": entry.prev_hash,
    }


def compute_hash(entry: AuditEntry) -> str:
    canonical = json.dumps(
        entry_content(entry), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


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
    """Append one entry to the chain, in the caller's transaction (or its own)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head = _lock_head()
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor_id=actor_id,
            actor_name=(actor.get_username() if actor_id else "")[:150],
            agency_id=getattr(agency, "pk", agency),
            action=action[:80],
            object_type=object_type[:80],
            object_id=str(object_id)[:64],
            summary=str(summary)[:500],
            before=normalise_json(before),
            after=normalise_json(after),
            request_id=(request_id if request_id is not None else current_request_id())[:64],
            ip=ip if ip is not None else current_ip(),
            prev_hash=head.last_hash or GENESIS_HASH,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save()
        AuditChainHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.entry_hash)
    return entry


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    position: int | None = None
    reason: str = ""


def verify(chunk_size: int = 2000) -> VerifyResult:
    """Walk the chain in order; report the first position where it breaks.

    Detects an edited entry (its hash no longer matches its content), a deleted or inserted
    entry (a gap in ``seq`` or a ``prev_hash`` that does not match the entry before) and a
    reordering (``seq`` is hashed, so moving an entry breaks its hash or its link).
    Streams in chunks with bounded memory.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    position = 0
    last_seq = 0
    while True:
        chunk = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:chunk_size])
        if not chunk:
            break
        for entry in chunk:
            position += 1
            if entry.seq != expected_seq:
                return VerifyResult(
                    False,
                    position - 1,
                    entry.seq,
                    position,
                    f"expected sequence {expected_seq}, found {entry.seq}",
                )
            if entry.prev_hash != expected_prev:
                return VerifyResult(
                    False,
                    position - 1,
                    entry.seq,
                    position,
                    "link to the previous entry is broken",
                )
            if compute_hash(entry) != entry.entry_hash:
                return VerifyResult(
                    False, position - 1, entry.seq, position, "entry content was changed"
                )
            expected_prev = entry.entry_hash
            expected_seq += 1
            last_seq = entry.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_seq != last_seq:
        return VerifyResult(
            False,
            position,
            last_seq + 1,
            position + 1,
            f"chain ends at {last_seq} but the head records {head.last_seq}",
        )
    if head and head.last_seq and head.last_hash != expected_prev:
        return VerifyResult(
            False, position, last_seq, position, "the last entry does not match the head"
        )
    return VerifyResult(True, position)
