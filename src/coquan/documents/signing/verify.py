"""Checking the signatures of a PDF with pyHanko.

A PDF passes when it has at least one signature, every signature is intact (the signed
bytes were not changed) and cryptographically valid, its certificate is trusted (one of the
agency's certificates, ``signing.trusted_certificates``), and the last signature covers the
whole file (nothing was appended after it). Anything else fails with a reason the page and
the API show: ``tampered``, ``untrusted``, ``not_covered``, ``unsigned`` or ``unreadable``.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import asdict, dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from coquan.documents.signing.server import run_coroutine

CACHE_SECONDS = 3600


@dataclass
class SignatureCheck:
    field_name: str
    signer: str
    signed_at: str
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted


@dataclass
class Verification:
    ok: bool
    reason: str
    sha256: str
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def message(self) -> str:
        messages = {
            "valid": _(
                "Every signature is valid and the file has not changed since it was signed."
            ),
            "tampered": _(
                "Verification failed: the file was changed after it was signed "
                "(a signature no longer matches the content)."
            ),
            "untrusted": _(
                "Verification failed: a signature was made with an unknown certificate."
            ),
            "not_covered": _(
                "Verification failed: content was added to the file after the last signature."
            ),
            "unsigned": _("The file carries no digital signature."),
            "unreadable": _("Verification failed: the file is not a readable PDF."),
        }
        return str(messages.get(self.reason, self.reason))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["message"] = self.message
        for check, item in zip(self.signatures, data["signatures"], strict=True):
            item["ok"] = check.ok
        return data


def _signer_name(certificate) -> str:
    try:
        return certificate.subject.native.get("common_name", "") or ""
    except (AttributeError, ValueError):
        return ""


def _check_all(data: bytes, trusted_pem: list[str]) -> Verification:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    digest = hashlib.sha256(data).hexdigest()
    roots = []
    for text in trusted_pem:
        _type, _headers, der = pem.unarmor(text.encode("ascii"))
        roots.append(asn1_x509.Certificate.load(der))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError):
        return Verification(False, "unreadable", digest)
    if not embedded:
        return Verification(False, "unsigned", digest)
    checks = []
    for signature in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = run_coroutine(
                lambda signature=signature, context=context: async_validate_pdf_signature(
                    signature, signer_validation_context=context
                )
            )
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError):
            checks.append(
                SignatureCheck(signature.field_name or "", "", "", False, False, False, False)
            )
            continue
        signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
        checks.append(
            SignatureCheck(
                field_name=signature.field_name or "",
                signer=_signer_name(status.signing_cert),
                signed_at=signed_at,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=status.coverage.name == "ENTIRE_FILE",
            )
        )
    if not all(check.intact and check.valid for check in checks):
        reason = "tampered"
    elif not all(check.trusted for check in checks):
        reason = "untrusted"
    elif not checks[-1].covers_whole_file:
        reason = "not_covered"
    else:
        reason = "valid"
    return Verification(reason == "valid", reason, digest, checks)


def verify_pdf(data: bytes, trusted_pem: list[str], *, use_cache: bool = True) -> Verification:
    """Verify every signature of ``data`` (results cached by content and trust list)."""
    key = (
        "documents:pdfverify:"
        + hashlib.sha256(data + "".join(sorted(trusted_pem)).encode("ascii")).hexdigest()
    )
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            checks = [SignatureCheck(**item) for item in cached.pop("signatures")]
            return Verification(signatures=checks, **cached)
    result = _check_all(data, trusted_pem)
    if use_cache:
        stored = asdict(result)
        cache.set(key, stored, CACHE_SECONDS)
    return result
