"""The directory of agencies (``Route``) and peer-node credentials (``PeerNode``).

``import_directory`` reads a CSV of agency codes (UTF-8, header line):
``organ_id,name,transport,endpoint,token`` — ``transport`` is ``local``, ``http``, ``hub``
or ``pull`` (default ``http`` when an endpoint is given, else ``local``; ``local`` and
``pull`` need no endpoint). Every row is checked
before anything is written; one bad row refuses the whole file with the list of problems.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.exchange.choices import Transport
from coquan.exchange.models import PeerNode, Route

ORGAN_ID = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


def _system(actor, **kwargs) -> None:
    if actor is not None and not getattr(actor, "is_superuser", False):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only system administrators may change the directory."))


def parse_directory(text: str) -> tuple[list[dict], list[str]]:
    rows, problems = [], []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"organ_id"} - set(reader.fieldnames or [])
    if missing:
        return [], [_("The file has no “organ_id” column.")]
    seen = set()
    for line, record in enumerate(reader, start=2):
        organ_id = (record.get("organ_id") or "").strip()
        endpoint = (record.get("endpoint") or "").strip()
        transport = (record.get("transport") or "").strip() or (
            Transport.HTTP if endpoint else Transport.LOCAL
        )
        if not ORGAN_ID.match(organ_id):
            problems.append(
                _("Line %(line)s: “%(value)s” is not an agency code (000.00.00.A00).")
                % {"line": line, "value": organ_id}
            )
            continue
        if organ_id in seen:
            problems.append(
                _("Line %(line)s: %(value)s appears twice.") % {"line": line, "value": organ_id}
            )
            continue
        seen.add(organ_id)
        if transport not in Transport.values:
            problems.append(
                _("Line %(line)s: unknown transport “%(value)s”.")
                % {"line": line, "value": transport}
            )
            continue
        if transport not in (Transport.LOCAL, Transport.PULL):
            try:
                URLValidator(schemes=["http", "https"])(endpoint)
            except ValidationError:
                problems.append(
                    _("Line %(line)s: the endpoint must be an http(s) address.") % {"line": line}
                )
                continue
        rows.append(
            {
                "organ_id": organ_id,
                "name": (record.get("name") or "").strip()[:200],
                "transport": transport,
                "endpoint": endpoint[:300],
                "token": (record.get("token") or "").strip()[:200],
            }
        )
    return rows, problems


@action("exchange.directory.import", permission=_system)
def import_directory(actor, *, text: str) -> dict:
    """Create or update directory routes from a CSV (all rows or none)."""
    rows, problems = parse_directory(text)
    if problems:
        raise ValidationError(problems)
    created = updated = 0
    for row in rows:
        _route, was_created = Route.objects.update_or_create(
            organ_id=row["organ_id"], defaults={**row, "active": True}
        )
        created += was_created
        updated += not was_created
    describe(
        summary=_("Directory imported: %(created)s new, %(updated)s updated")
        % {"created": created, "updated": updated},
        after={"created": created, "updated": updated},
    )
    return {"created": created, "updated": updated}


@action("exchange.node.add", permission=_system)
def add_peer_node(actor, *, name: str, sender_organ_ids: str = "*") -> tuple[PeerNode, str]:
    """Register a node allowed to POST packages here; returns it and its token (shown once)."""
    token = secrets.token_urlsafe(32)
    node = PeerNode.objects.create(
        name=name[:200],
        token_sha256=hashlib.sha256(token.encode("utf-8")).hexdigest(),
        sender_organ_ids=sender_organ_ids,
    )
    describe(obj=node, summary=_("Peer node %(name)s registered") % {"name": node.name})
    return node, token
