"""The receive pipeline as small steps (the Paperless-ngx habit, STYLE.md).

``prepare`` runs the pure steps on the received bytes, outside any database transaction:

1. size (before reading anything; ``safe.check_size``),
2. safe parse (``safe.parse_xml``: hardened lxml, DOCTYPE refused, depth/count limits),
3. read the envelope (``parse.read_tree``: structure, duplicates, base64, attachment sizes),
4. recipient (the package must be addressed to this agency's ``organ_id``),
5. verify the XML signature (``signing.verify_tree``; invalid ones are refused; the trace
   headers of known hubs are set aside, docs/adr/0007-hub-trace-headers.md),
6. validate the fields (``validate.validate``: every problem; errors refuse),
7. check the PAdES signatures of PDF attachments (``signing.verify_pdf``).

The first step that refuses stops the pipeline; ``Prepared.refusal`` says why and
``Prepared.reply_to`` whom a status 02 can tell (None when the sender cannot be known, or
when the failure is CoQuan's own). ``actions.receive_package`` then stores the raw bytes
and writes the outcome in one transaction (state, attachments, status 01 or 02, one audit
entry). The helpers below store files and build the status packages.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import BooleanField, Value
from django.utils import timezone
from lxml import etree

from coquan.exchange.edxml import build_status_package, check_recipient, validate
from coquan.exchange.edxml import config as edxml_config
from coquan.exchange.edxml.codes import (
    BUSINESS_NEW,
    BUSINESS_RECALL,
    STATUS_WIRE,
    q,
)
from coquan.exchange.edxml.model import (
    DocumentPackage,
    Organization,
    ResponseFor,
    StaffInfo,
    StatusPackage,
)
from coquan.exchange.edxml.parse import read_tree, refusal_target
from coquan.exchange.edxml.problems import PackageRefused, Problem, errors, invalid
from coquan.exchange.edxml.safe import check_size, parse_xml
from coquan.exchange.edxml.signing import (
    INVALID,
    PdfSignatureResult,
    SignatureResult,
    looks_like_pdf,
    verify_pdf,
    verify_tree,
)
from coquan.exchange.edxml.values import write_timestamp

log = logging.getLogger(__name__)

SYSTEM_STAFF = "Hệ thống CoQuan"  # StaffInfo/Staff of statuses the system sends (wire text)


@dataclass
class Prepared:
    """What the pure steps found out about one received package."""

    raw: bytes
    size: int
    sha256: str
    refusal: PackageRefused | None = None
    package: DocumentPackage | StatusPackage | None = None
    reply_to: ResponseFor | None = None
    signature: SignatureResult | None = None
    problems: list[Problem] = field(default_factory=list)
    pdf_results: dict[int, PdfSignatureResult] = field(default_factory=dict)
    receipt_key: str | None = None

    @property
    def accepted(self) -> bool:
        return self.refusal is None

    @property
    def keep_raw(self) -> bool:
        """Oversized packages are not stored (storing them is what an attacker wants)."""
        return self.refusal is None or self.refusal.code not in ("too_large", "empty")


# --- steps ---------------------------------------------------------------------------------------


def step_size(prepared: Prepared, limits) -> None:
    check_size(prepared.size, limits)


def step_parse(prepared: Prepared, limits) -> etree._Element:
    return parse_xml(prepared.raw, limits)


def step_read(prepared: Prepared, tree, limits) -> None:
    prepared.reply_to = refusal_target(tree)
    prepared.package = read_tree(tree, limits)
    if isinstance(prepared.package, DocumentPackage):
        prepared.reply_to = reply_target(prepared.package)


def step_recipient(prepared: Prepared, agency) -> None:
    check_recipient(prepared.package, agency.organ_id)


def step_signature(prepared: Prepared, tree, trusted) -> None:
    prepared.signature = verify_tree(
        tree,
        sender_organ_id=prepared.package.sender.organ_id,
        trusted=trusted,
        hubs=edxml_config.known_hubs(),
    )
    if prepared.signature.status == INVALID and edxml_config.refuse_invalid_signatures():
        raise PackageRefused("bad_signature", reason=prepared.signature.message)


def step_validate(prepared: Prepared) -> None:
    prepared.problems = validate(prepared.package)
    if errors(prepared.problems):
        raise invalid(prepared.problems)


def step_pdf(prepared: Prepared, trusted) -> None:
    package = prepared.package
    if not isinstance(package, DocumentPackage):
        return
    certificates = list(trusted(package.sender.organ_id)) if trusted else []
    for index, attachment in enumerate(package.attachments):
        if looks_like_pdf(attachment.data, attachment.content_type, attachment.attachment_name):
            prepared.pdf_results[index] = verify_pdf(
                attachment.data, trusted_certificates=certificates
            )


def step_receipt_key(prepared: Prepared, tree) -> None:
    prepared.receipt_key = receipt_key(prepared.package, tree)


def prepare(*, agency, raw: bytes, size: int | None = None, trusted=None, limits=None):
    """Run the pure steps; never raises for any input bytes (see the module docstring).

    ``size`` is the true size when the caller cut the stream at the limit (then ``raw`` is
    at most ``max_package_bytes + 1`` bytes long).
    """
    raw = raw if isinstance(raw, bytes) else bytes(raw or b"")
    prepared = Prepared(
        raw=raw,
        size=len(raw) if size is None else max(size, len(raw)),
        sha256=hashlib.sha256(raw).hexdigest(),
    )
    limits = limits or edxml_config.current_limits()
    if trusted is not None:
        trusted = _once_per_organ(trusted)
    try:
        step_size(prepared, limits)
        tree = step_parse(prepared, limits)
        step_read(prepared, tree, limits)
        step_recipient(prepared, agency)
        step_signature(prepared, tree, trusted)
        step_validate(prepared)
        step_pdf(prepared, trusted)
        step_receipt_key(prepared, tree)
    except PackageRefused as exc:
        prepared.refusal = exc
    except Exception as exc:  # CoQuan's own failure: quarantine, do not blame the sender
        log.exception("receive pipeline failed on package %s", prepared.sha256)
        prepared.refusal = PackageRefused("processing_failed", detail=type(exc).__name__)
        prepared.reply_to = None
    if isinstance(prepared.package, StatusPackage):
        prepared.reply_to = None  # a status is never answered with a status
    return prepared


# --- keys, identities -------------------------------------------------------------------------


def _once_per_organ(trusted):
    """``trusted`` asked once per ``organ_id`` for one package (signature and PDF steps)."""
    found = {}

    def lookup(organ_id: str):
        if organ_id not in found:
            found[organ_id] = list(trusted(organ_id))
        return found[organ_id]

    return lookup


def reply_target(package: DocumentPackage) -> ResponseFor:
    """``ResponseFor`` of a status about ``package`` (its sender and identifiers)."""
    issued = package.promulgation_info.promulgation_date
    return ResponseFor(
        organ_id=package.sender.organ_id,
        code=package.code.text,
        promulgation_date=issued if not isinstance(issued, str) else None,
        document_id=package.document_id,
    )


def _c14n_digest(tree, *paths: str) -> str:
    digest = hashlib.sha256()
    for path in paths:
        for element in tree.iterfind(path):
            digest.update(etree.tostring(element, method="c14n"))
    return digest.hexdigest()


def receipt_key(package, tree) -> str:
    """The key under which a package is received once per agency.

    A new document: its ``DocumentId``. A recall: ``DocumentId|1``. An update or
    replacement: ``DocumentId|type|digest`` of its header and ``Bussiness`` block (a
    redelivery through a hub adds trace headers but changes neither). A status: sender,
    code, time stamp and document.
    """
    if isinstance(package, StatusPackage):
        return "|".join(
            [
                "status",
                package.sender.organ_id,
                package.status_code,
                write_timestamp(package.timestamp),
                package.document_id,
            ]
        )
    doc_type = package.business_doc_type
    if doc_type == BUSINESS_NEW:
        return package.document_id
    if doc_type == BUSINESS_RECALL:
        return f"{package.document_id}|{doc_type}"
    header = f"{q('edXMLEnvelope')}/{q('edXMLHeader')}"
    digest = _c14n_digest(
        tree,
        f"{header}/{q('MessageHeader')}",
        f"{header}/{q('TraceHeaderList')}/{q('Bussiness')}",
    )
    return f"{package.document_id}|{doc_type}|{digest}"


def trusted_certificates(organ_id: str):
    """Certificates this deployment knows for ``organ_id``: its agencies' keys still valid."""
    from coquan.exchange.models import AgencyKey, Route

    # One statement for both sources (the receipt's hot path, bench/exchange.py).
    keys = (
        AgencyKey.objects.for_organ_id(organ_id)
        .filter(not_after__gte=timezone.now())
        .order_by()
        .values_list("certificate_pem", Value(True, output_field=BooleanField()))
    )
    directory = (
        Route.objects.filter(organ_id=organ_id, active=True)
        .exclude(certificate_pem="")
        .order_by()
        .values_list("certificate_pem", Value(False, output_field=BooleanField()))
    )
    certificates = []
    for pem, own in keys.union(directory, all=True):
        try:
            certificates.append(_certificate(pem))
        except ValueError:
            if own:
                raise
            log.warning("directory certificate of %s cannot be read", organ_id)
    return certificates


@functools.lru_cache(maxsize=256)
def _certificate(pem: str):
    """A certificate read once per process (the same few are checked on every receipt)."""
    from cryptography import x509

    return x509.load_pem_x509_certificate(pem.encode("ascii"))


def agency_organization(agency) -> Organization:
    """The ``From`` block of packages an agency sends (org.Agency mirrors edXML ``From``)."""
    parent = agency.parent
    return Organization(
        organ_id=agency.organ_id,
        organization_in_charge=parent.name if parent is not None else "",
        organ_name=agency.name,
        organ_add=agency.address,
        email=agency.email,
        telephone=agency.telephone,
        fax=agency.fax,
        website=agency.website,
    )


def staff_of(actor) -> StaffInfo:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return StaffInfo(staff=SYSTEM_STAFF)
    name = getattr(actor, "full_name", "") or actor.get_username()
    return StaffInfo(staff=name[:100], email=getattr(actor, "email", "") or "")


def response_for_json(target: ResponseFor) -> dict:
    """``ResponseFor`` as stored on a status row (a date read from the package as ISO, a
    date that could not be read as its text)."""
    issued = target.promulgation_date
    data = {"organ_id": target.organ_id, "code": target.code, "document_id": target.document_id}
    if isinstance(issued, str):
        data["date_text"] = issued
    elif issued is not None:
        data["date"] = issued.isoformat()
    return data


def response_for_of(data: dict) -> ResponseFor:
    import datetime as dt

    issued = data.get("date_text")
    if data.get("date"):
        issued = dt.date.fromisoformat(data["date"])
    return ResponseFor(
        organ_id=data.get("organ_id", ""),
        code=data.get("code", ""),
        promulgation_date=issued,
        document_id=data.get("document_id", ""),
    )


def status_content(row) -> bytes:
    """The bytes of the status package of ``row`` (an ``OutgoingStatus``): built once from
    the row (its time, acting person, code and the document answered), signed with the
    agency's active key if any, stored, and the same bytes on every later call and retry
    (two workers racing: the first stored wins, the other reads it)."""
    from coquan.exchange.models import AgencyKey, OutgoingStatus

    if row.content is not None:
        return bytes(row.content)
    agency = row.agency
    key = AgencyKey.objects.active().filter(agency=agency).first()
    package = StatusPackage(
        sender=agency_organization(agency),
        response_for=response_for_of(row.response_for or {}),
        staff_info=staff_of(row.created_by),
        status_code=row.status_code,
        description=row.description or STATUS_WIRE.get(row.status_code, ""),
        timestamp=timezone.localtime(row.created_at).replace(tzinfo=None, microsecond=0),
    )
    content = build_status_package(package, signer=key.signer() if key else None)
    built = {"content": content, "sha256": hashlib.sha256(content).hexdigest()}
    built["signed"] = key is not None
    if OutgoingStatus.objects.filter(pk=row.pk, content__isnull=True).update(**built):
        for name, value in built.items():
            setattr(row, name, value)
    else:
        row.refresh_from_db(fields=["content", "sha256", "signed"])
    return bytes(row.content)


# --- files ---------------------------------------------------------------------------------------

_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,8})$")


def _store(name: str, data: bytes) -> str:
    """Store content-addressed bytes once; return the storage name."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(data))


def store_raw(agency, prepared: Prepared) -> str:
    sha = prepared.sha256
    return _store(f"exchange/received/{agency.pk}/{sha[:2]}/{sha}.edxml", prepared.raw)


def store_attachments(agency, prepared: Prepared) -> list[str]:
    names = []
    package = prepared.package
    for attachment in getattr(package, "attachments", []):
        sha = attachment.sha256
        match = _EXTENSION.search(attachment.attachment_name or "")
        suffix = f".{match.group(1).lower()}" if match else ""
        names.append(
            _store(f"exchange/attachments/{agency.pk}/{sha[:2]}/{sha}{suffix}", attachment.data)
        )
    return names
