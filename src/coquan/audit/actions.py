"""Actions of the audit app. The log itself is written by ``services.append`` only."""

from __future__ import annotations

from coquan.audit.permissions import require_verify
from coquan.core.actions import action, describe


@action("audit.chain.verify", permission=require_verify)
def record_chain_verification(actor, *, result) -> None:
    """Record in the log that ``actor`` checked the chain, and what the check found.

    Who may call it: superusers (``require_verify``). The check itself (``services.verify``)
    runs before, outside any transaction, so a long walk never holds the write lock; this
    action only writes its outcome as one entry (legal trail of who verified, and when).
    """
    describe(
        summary=(
            f"OK: {result.checked} entries verified"
            if result.ok
            else f"BROKEN at position {result.position} (seq {result.broken_seq}): {result.reason}"
        ),
        after={
            "ok": result.ok,
            "checked": result.checked,
            "position": result.position,
            "broken_seq": result.broken_seq,
            "code": result.code,
            "last_seq": result.last_seq,
            "last_hash": result.last_hash,
        },
    )
