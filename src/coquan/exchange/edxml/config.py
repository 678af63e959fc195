"""Limits and rules of the edXML library, read from Django settings with safe defaults.

Everything the standard leaves unconfirmed (❓ in standards §1) is a setting, not code:
which ``DocumentType/Type`` values are accepted, the field lengths (from a production
validator, 🟡), the algorithm outgoing signatures use (hub support for SHA-256 ❓).

Settings (all optional):

- ``COQUAN_EXCHANGE_MAX_PACKAGE_BYTES`` (50 MiB): larger packages are refused unread.
- ``COQUAN_EXCHANGE_MAX_ATTACHMENT_BYTES`` (7 000 000): decoded size of one attachment. The
  hardened parser keeps libxml2's limit of 10 000 000 characters per text node (no
  ``huge_tree``), which is about 7.4 MB of base64-encoded data.
- ``COQUAN_EXCHANGE_MAX_ATTACHMENTS`` (50), ``COQUAN_EXCHANGE_MAX_DEPTH`` (32),
  ``COQUAN_EXCHANGE_MAX_ELEMENTS`` (20 000).
- ``COQUAN_EXCHANGE_FIELD_LIMITS``: a dict of element name → maximum length, merged over
  ``FIELD_LIMITS``.
- ``COQUAN_EXCHANGE_DOCUMENT_TYPES`` ((1, 2)): accepted ``DocumentType/Type`` values.
- ``COQUAN_EXCHANGE_SIGNATURE_METHOD`` ("rsa-sha256") and ``COQUAN_EXCHANGE_DIGEST``
  ("sha256") for outgoing signatures (SHA-1 is accepted only when verifying).
- ``COQUAN_EXCHANGE_KNOWN_HUBS`` (()): ``OrganId`` of the hubs whose trace headers are set
  aside when a package's signature is checked (``signing.hub_hops``), with this hub's own
  ``COQUAN_EXCHANGE_HUB_ORGAN_ID``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from coquan.exchange.edxml.codes import STATUS_CODES, STEERING_TYPES

MIB = 1024 * 1024

# Maximum lengths (characters) by element name: §1.3 validator limits; SignerInfo from
# Decree 30 App. VI (Position 100, FullName 50); the rest are CoQuan's column sizes.
FIELD_LIMITS = MappingProxyType(
    {
        "OrganName": 200,
        "OrganAdd": 500,
        "OrganizationInCharge": 500,
        "Email": 100,
        "Telephone": 20,
        "Fax": 20,
        "Website": 100,
        "CodeNumber": 11,
        "CodeNotation": 30,
        "Place": 50,
        "TypeName": 100,
        "Subject": 500,
        "Content": 500,
        "ToPlace": 150,
        "SphereOfPromulgation": 100,
        "TyperNotation": 10,
        "Appendix": 250,
        "Competence": 100,
        "Position": 100,
        "FullName": 50,
        "Description": 500,
        "BussinessDocReason": 500,
        "Department": 200,
        "Staff": 100,
        "Mobile": 20,
        "Code": 45,
        "AttachmentName": 255,
        "ContentType": 100,
        "ContentId": 100,
        "DocumentId": 100,
    }
)


@dataclass(frozen=True)
class Limits:
    """Resource limits of the hardened parser (``safe``)."""

    max_package_bytes: int = 50 * MIB
    max_attachment_bytes: int = 7_000_000
    max_attachments: int = 50
    max_depth: int = 32
    max_elements: int = 20_000


@dataclass(frozen=True)
class Rules:
    """Field rules of ``validate``."""

    field_limits: Mapping[str, int] = field(default_factory=lambda: FIELD_LIMITS)
    document_types: tuple[int, ...] = (1, 2)
    priorities: tuple[int, ...] = (0, 1, 2, 3, 4)
    steering_types: tuple[int, ...] = STEERING_TYPES
    status_codes: tuple[str, ...] = STATUS_CODES

    def limit(self, name: str) -> int | None:
        return self.field_limits.get(name)


def _setting(name: str, default):
    from django.conf import settings

    if not settings.configured:
        return default
    return getattr(settings, name, default)


def current_limits() -> Limits:
    defaults = Limits()
    return Limits(
        max_package_bytes=int(
            _setting("COQUAN_EXCHANGE_MAX_PACKAGE_BYTES", defaults.max_package_bytes)
        ),
        max_attachment_bytes=int(
            _setting("COQUAN_EXCHANGE_MAX_ATTACHMENT_BYTES", defaults.max_attachment_bytes)
        ),
        max_attachments=int(_setting("COQUAN_EXCHANGE_MAX_ATTACHMENTS", defaults.max_attachments)),
        max_depth=int(_setting("COQUAN_EXCHANGE_MAX_DEPTH", defaults.max_depth)),
        max_elements=int(_setting("COQUAN_EXCHANGE_MAX_ELEMENTS", defaults.max_elements)),
    )


def current_rules() -> Rules:
    limits = dict(FIELD_LIMITS)
    limits.update(_setting("COQUAN_EXCHANGE_FIELD_LIMITS", {}) or {})
    return Rules(
        field_limits=MappingProxyType(limits),
        document_types=tuple(_setting("COQUAN_EXCHANGE_DOCUMENT_TYPES", (1, 2))),
    )


def refuse_invalid_signatures() -> bool:
    """``COQUAN_EXCHANGE_REFUSE_INVALID_SIGNATURE`` (True): refuse a package whose signature
    does not match its content (status 02). Unverifiable signatures are only shown."""
    return bool(_setting("COQUAN_EXCHANGE_REFUSE_INVALID_SIGNATURE", True))


def signature_method() -> str:
    return str(_setting("COQUAN_EXCHANGE_SIGNATURE_METHOD", "rsa-sha256"))


def digest_method() -> str:
    return str(_setting("COQUAN_EXCHANGE_DIGEST", "sha256"))


def known_hubs() -> frozenset[str]:
    """``COQUAN_EXCHANGE_KNOWN_HUBS``: the hubs whose ``TraceHeader`` (appended on the way,
    outside the sender's signature) are set aside when verifying (docs/adr/0007); a hub
    knows itself (``COQUAN_EXCHANGE_HUB_ORGAN_ID``), so a package coming round again is
    read and refused as a loop."""
    value = _setting("COQUAN_EXCHANGE_KNOWN_HUBS", ()) or ()
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    hubs = {str(item).strip() for item in value}
    hubs.add(str(_setting("COQUAN_EXCHANGE_HUB_ORGAN_ID", "") or "").strip())
    return frozenset(hubs - {""})
