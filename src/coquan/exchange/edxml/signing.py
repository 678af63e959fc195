"""Signatures: XML-DSig on packages (sign and verify) and PAdES on PDF attachments.

Outgoing packages carry an enveloped XML-DSig signature (RSA-SHA256 by default, see
``config.signature_method``; canonical XML 1.0 like the packages of other systems) made
with the agency's key; the certificate travels in ``KeyInfo/X509Data``.

Verification gives one of three results (``SignatureResult.status``):

- ``valid``: the signature matches the content, covers the whole package, uses an accepted
  algorithm, the certificate was valid at verification time and it is a certificate known
  for the sending agency (``trusted(organ_id)``);
- ``invalid``: the content was changed after signing, the certificate expired or is not
  the sender's, or the signature block is malformed;
- ``unverifiable``: nothing can be concluded — no signature, no or an unreadable (e.g.
  truncated) certificate, an algorithm not accepted, a signature that does not cover the
  whole package, or an intact signature whose certificate no trust source here vouches for.

RSA-SHA1 and SHA-1 digests (older hubs, the interop samples) are accepted when verifying
only. Packages of some older systems put ``Signature`` in the edXML namespace instead of
XML-DSig's; such a block is read and verified as if it were in the XML-DSig namespace.

There is no certification authority in this deployment: trust comes from certificates
known per agency (the ``trusted`` callable; the receive pipeline answers it from the
agencies' keys on this deployment).

Hubs record their passage as a ``TraceHeader`` appended to ``TraceHeaderList`` (standards
§1.3), which the sender's whole-package signature cannot cover. ``verify_tree(hubs=...)``
sets aside the trailing ``TraceHeader`` elements whose ``OrganId`` is a known hub before
checking (``hub_hops``; docs/adr/0007-hub-trace-headers.md): everything else must be exactly
what the sender signed, and the hops set aside are reported in
``SignatureResult.hub_hops`` as the hubs' own (unsigned) statements.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import copy
import datetime as dt
import functools
import hashlib
import io
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext_lazy as _
from lxml import etree

from coquan.exchange.edxml import config
from coquan.exchange.edxml.codes import DSIG_NS, NS, ds, q

log = logging.getLogger(__name__)

VALID = "valid"
INVALID = "invalid"
UNVERIFIABLE = "unverifiable"
UNSIGNED = "unsigned"  # PDF attachments only

C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"

REASONS = {
    "ok": (VALID, _("The signature is valid and the certificate belongs to %(organ_id)s.")),
    "unsigned": (UNVERIFIABLE, _("The package is not signed.")),
    "several_signatures": (UNVERIFIABLE, _("The package carries more than one signature.")),
    "no_certificate": (UNVERIFIABLE, _("The signature carries no certificate.")),
    "bad_certificate": (
        UNVERIFIABLE,
        _("The certificate in the signature cannot be read (it is truncated or damaged)."),
    ),
    "unsupported_algorithm": (
        UNVERIFIABLE,
        _("The signature uses an algorithm that is not accepted (%(algorithm)s)."),
    ),
    "partial_reference": (
        UNVERIFIABLE,
        _("The signature does not cover the whole package."),
    ),
    "untrusted": (
        UNVERIFIABLE,
        _(
            "The signature matches the content, but no certificate of %(organ_id)s is known "
            "here, so the signer cannot be confirmed."
        ),
    ),
    "bad_signature": (
        INVALID,
        _("The signature does not match the content: the package was changed after signing."),
    ),
    "expired": (
        INVALID,
        _("The certificate was not valid at the time of verification (%(period)s)."),
    ),
    "wrong_signer": (
        INVALID,
        _(
            "The signature matches the content, but the certificate is not one of the "
            "known certificates of %(organ_id)s."
        ),
    ),
    "malformed_signature": (INVALID, _("The signature block is malformed: %(detail)s")),
}

PDF_REASONS = {
    "ok": (VALID, _("Signed by %(signer)s; the signature is valid and trusted.")),
    "unsigned": (UNSIGNED, _("The PDF file is not signed.")),
    "unreadable": (UNVERIFIABLE, _("The PDF file cannot be read: %(detail)s")),
    "untrusted": (
        UNVERIFIABLE,
        _("Signed by %(signer)s; the signature is intact but the certificate is not trusted here."),
    ),
    "broken": (
        INVALID,
        _("Signed by %(signer)s; the signature does not match the file (changed after signing)."),
    ),
}

_SIGN_METHODS = {
    "rsa-sha1": "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    "rsa-sha256": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "rsa-sha384": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "rsa-sha512": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
}
_DIGESTS = {
    "sha1": "http://www.w3.org/2000/09/xmldsig#sha1",
    "sha256": "http://www.w3.org/2001/04/xmlenc#sha256",
    "sha384": "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "sha512": "http://www.w3.org/2001/04/xmlenc#sha512",
}
ACCEPTED_SIGNATURE_METHODS = frozenset(_SIGN_METHODS.values())
ACCEPTED_DIGESTS = frozenset(_DIGESTS.values())


# --- keys and signing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    """An agency's signing material: PEM private key and PEM certificate."""

    private_key_pem: bytes
    certificate_pem: bytes


def generate_agency_certificate(
    *, organ_id: str, name: str, key_size: int = 3072, days: int = 730, now=None
) -> tuple[bytes, bytes]:
    """A new RSA key and a self-signed certificate naming the agency (PEM, PEM).

    The subject carries the agency's name (CN), CoQuan (O), ``VN`` and the QCVN 102
    identifier as ``UID``. Self-signed because no certification authority is available
    to CoQuan; a deployment with a CA replaces the certificate (docs/exchange.md).
    """
    now = now or dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CoQuan"),
            x509.NameAttribute(NameOID.COMMON_NAME, name[:64] or organ_id),
            x509.NameAttribute(NameOID.USER_ID, organ_id),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def sign_tree(root, signer: Signer):
    """Sign ``root`` (enveloped, whole document); a ``ds:Signature Id="placeholder"``
    element in the tree marks where the signature goes. Returns the signed root."""
    from signxml import XMLSigner

    method = config.signature_method()
    digest = config.digest_method()
    xml_signer = XMLSigner(
        signature_algorithm=_SIGN_METHODS.get(method, method),
        digest_algorithm=_DIGESTS.get(digest, digest),
        c14n_algorithm=C14N_10,
    )
    xml_signer.namespaces = {"ds": DSIG_NS}
    return xml_signer.sign(
        root, key=_private_key(signer.private_key_pem), cert=signer.certificate_pem.decode("ascii")
    )


@functools.lru_cache(maxsize=64)
def _private_key(pem: bytes):
    """The loaded private key, once per process: loading an RSA key checks it (about
    0.2 s for 2048 bits), which dominated the cost of signing a package."""
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(pem, password=None)


# --- verifying packages ------------------------------------------------------------------------


@dataclass
class SignatureResult:
    """The outcome of verifying a package's signature (stored as JSON with the package)."""

    status: str
    reason: str
    params: dict = field(default_factory=dict)
    algorithm: str = ""
    subject: str = ""
    issuer: str = ""
    fingerprint: str = ""
    not_after: str = ""
    legacy_namespace: bool = False
    hub_hops: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        template = REASONS.get(self.reason, (self.status, self.reason))[1]
        try:
            return str(template) % self.params
        except (KeyError, TypeError, ValueError):
            return str(template)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> SignatureResult | None:
        if not data:
            return None
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


def _result(reason: str, certificate: x509.Certificate | None = None, **params) -> SignatureResult:
    status = REASONS[reason][0]
    result = SignatureResult(
        status=status, reason=reason, params={k: str(v) for k, v in params.items()}
    )
    if certificate is not None:
        result.subject = certificate.subject.rfc4514_string()
        result.issuer = certificate.issuer.rfc4514_string()
        result.fingerprint = certificate_fingerprint(certificate)
        result.not_after = certificate.not_valid_after_utc.isoformat()
    return result


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _find_signatures(root) -> tuple[list, bool]:
    signatures = list(root.iter(ds("Signature")))
    if signatures:
        return signatures, False
    return list(root.iter(f"{{{NS}}}Signature")), True


def _child(element, name: str, namespace: str):
    return element.find(f"{{{namespace}}}{name}") if element is not None else None


def _load_certificate(text: str) -> x509.Certificate | None:
    try:
        der = base64.b64decode("".join((text or "").split()), validate=True)
        return x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError, TypeError):
        return None


def _to_dsig_namespace(signature) -> None:
    """Put a legacy signature block (edXML namespace) back into the XML-DSig namespace.

    Such blocks come from signers that wrote ``<Signature xmlns="…xmldsig#">`` and lost
    the declaration on the way; re-reading the block with the declaration restored gives
    the form that was signed (the default-namespace form, not a prefixed copy).
    """
    text = etree.tostring(signature, with_tail=False)
    prefix = f":{signature.prefix}" if signature.prefix else ""
    declaration = f'xmlns{prefix}="{NS}"'.encode()
    head_end = text.index(b">")
    head = text[:head_end].replace(declaration, f'xmlns{prefix}="{DSIG_NS}"'.encode(), 1)
    text = head + text[head_end:]
    restored = etree.fromstring(text, _hardened_parser())
    restored.tail = signature.tail
    signature.getparent().replace(signature, restored)


def _hardened_parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _verifier():
    """signxml's verifier with subtrees canonicalised as standalone documents.

    libxml2 2.14 (lxml 6.1) writes a wrong ``xmlns=""`` on elements two levels below the
    root of an inclusive-c14n subtree whose default namespace is declared above them; the
    ``<Signature xmlns="…xmldsig#">`` form other systems write hits it, and every such
    signature would look invalid. Re-reading the subtree on its own (lxml keeps every
    namespace in scope) gives the canonical form XML-DSig specifies.
    """
    from signxml import XMLVerifier

    class Verifier(XMLVerifier):
        def _c14n(self, nodes, algorithm, inclusive_ns_prefixes=None):
            nodes = nodes if isinstance(nodes, list) else [nodes]
            exclusive = algorithm.value.startswith("http://www.w3.org/2001/10/xml-exc-c14n#")
            standalone = [
                etree.fromstring(etree.tostring(node, with_tail=False), _hardened_parser())
                if not exclusive and node.getparent() is not None
                else node
                for node in nodes
            ]
            return super()._c14n(standalone, algorithm, inclusive_ns_prefixes)

    return Verifier()


def hub_hops(root, hubs: Iterable[str], sender_organ_id: str = "") -> list:
    """The ``TraceHeader`` elements known hubs appended to a package on its way.

    They are the trailing ``TraceHeader`` children of ``edXMLHeader/TraceHeaderList`` whose
    ``OrganId`` is one of ``hubs`` (never the sender's own), in document order. A hub
    appends its hop there without any white space (``hub.append_trace``), so removing
    them gives back exactly the package the sender signed.
    """
    hubs = frozenset(hubs or ())
    if not hubs:
        return []
    trace_list = root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}/{q('TraceHeaderList')}")
    if trace_list is None:
        return []
    hops = []
    for element in reversed(trace_list.findall(q("TraceHeader"))):
        organ_id = (element.findtext(q("OrganId")) or "").strip()
        if organ_id not in hubs or organ_id == sender_organ_id:
            break
        hops.append(element)
    hops.reverse()
    return hops


@contextlib.contextmanager
def set_aside(elements):
    """Take ``elements`` out of their tree for the duration of the block, then put them back.

    Text after a removed element (its ``tail``) stays in the tree, so only the elements
    themselves are set aside; the tree is restored exactly, whatever happens inside.
    """
    removed = []
    try:
        for element in elements:
            parent = element.getparent()
            previous = element.getprevious()
            saved = previous.tail if previous is not None else parent.text
            if element.tail:
                if previous is not None:
                    previous.tail = (previous.tail or "") + element.tail
                else:
                    parent.text = (parent.text or "") + element.tail
            tail = element.tail
            index = parent.index(element)
            parent.remove(element)
            removed.append((parent, index, element, previous, saved, tail))
        yield
    finally:
        for parent, index, element, previous, saved, tail in reversed(removed):
            parent.insert(index, element)
            element.tail = tail
            if previous is not None:
                previous.tail = saved
            else:
                parent.text = saved


def verify_tree(
    root,
    *,
    sender_organ_id: str,
    trusted: Callable[[str], Iterable[x509.Certificate]] | None = None,
    now: dt.datetime | None = None,
    hubs: Iterable[str] = (),
) -> SignatureResult:
    """Verify the signature of a parsed package. Never raises for any input tree.

    ``hubs``: the ``OrganId`` of the hubs this deployment knows; the trace headers they
    appended (``hub_hops``) are set aside while checking and named in the result.
    """
    try:
        hops = hub_hops(root, hubs, sender_organ_id)
        with set_aside(hops):
            result = _verify(root, sender_organ_id, trusted, now or dt.datetime.now(dt.UTC))
        result.hub_hops = [(hop.findtext(q("OrganId")) or "").strip() for hop in hops]
        return result
    except Exception as exc:  # a verifier bug must not lose the package
        log.exception("signature verification failed unexpectedly")
        return _result("malformed_signature", detail=type(exc).__name__)


def _verify(root, sender_organ_id, trusted, now) -> SignatureResult:
    from signxml import SignatureConfiguration
    from signxml.exceptions import InvalidCertificate, InvalidInput, InvalidSignature

    signatures, legacy = _find_signatures(root)
    if not signatures:
        return _result("unsigned")
    if len(signatures) > 1:
        return _result("several_signatures")
    namespace = NS if legacy else DSIG_NS
    signature = signatures[0]
    signed_info = _child(signature, "SignedInfo", namespace)
    method = _child(signed_info, "SignatureMethod", namespace)
    algorithm = method.get("Algorithm", "") if method is not None else ""
    references = signed_info.findall(f"{{{namespace}}}Reference") if signed_info is not None else []
    digests = []
    for reference in references:
        digest_method = reference.find(f"{{{namespace}}}DigestMethod")
        digests.append(digest_method.get("Algorithm", "") if digest_method is not None else "")
    if algorithm not in ACCEPTED_SIGNATURE_METHODS:
        return _result("unsupported_algorithm", algorithm=algorithm or "?")
    for digest in digests:
        if digest not in ACCEPTED_DIGESTS:
            return _result("unsupported_algorithm", algorithm=digest or "?")
    if len(references) != 1 or references[0].get("URI", None) != "":
        return _result("partial_reference")

    key_info = _child(signature, "KeyInfo", namespace)
    x509_data = _child(key_info, "X509Data", namespace)
    cert_elements = (
        x509_data.findall(f"{{{namespace}}}X509Certificate") if x509_data is not None else []
    )
    if not cert_elements:
        return _result("no_certificate")
    certificate = _load_certificate(cert_elements[0].text)
    if certificate is None:
        return _result("bad_certificate")
    if not (certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc):
        period = (
            f"{certificate.not_valid_before_utc:%d/%m/%Y} – "
            f"{certificate.not_valid_after_utc:%d/%m/%Y}"
        )
        return _result("expired", certificate, period=period)

    tree = root
    if legacy:
        tree = copy.deepcopy(root)
        copied_signatures, _legacy = _find_signatures(tree)
        _to_dsig_namespace(copied_signatures[0])
    expect = SignatureConfiguration(
        require_x509=True,
        location=".//",
        expect_references=1,
        signature_methods=frozenset(_signxml_methods()),
        digest_algorithms=frozenset(_signxml_digests()),
        verification_time=now,
    )
    try:
        _verifier().verify(
            tree, x509_cert=certificate, expect_config=expect, parser=_hardened_parser()
        )
    except InvalidSignature:
        return _result("bad_signature", certificate)
    except InvalidCertificate as exc:
        return _result("malformed_signature", certificate, detail=str(exc)[:200])
    except InvalidInput as exc:
        return _result("malformed_signature", certificate, detail=str(exc)[:200])

    known = list(trusted(sender_organ_id)) if trusted is not None and sender_organ_id else []
    result_kwargs = {"organ_id": sender_organ_id or "?"}
    if not known:
        result = _result("untrusted", certificate, **result_kwargs)
    elif certificate_fingerprint(certificate) in {certificate_fingerprint(c) for c in known}:
        result = _result("ok", certificate, **result_kwargs)
    else:
        result = _result("wrong_signer", certificate, **result_kwargs)
    result.algorithm = algorithm
    result.legacy_namespace = legacy
    return result


def _signxml_methods():
    from signxml import SignatureMethod

    return [m for m in SignatureMethod if m.value in ACCEPTED_SIGNATURE_METHODS]


def _signxml_digests():
    from signxml import DigestAlgorithm

    return [d for d in DigestAlgorithm if d.value in ACCEPTED_DIGESTS]


# --- PDF attachments (PAdES) ----------------------------------------------------------------------


@dataclass
class PdfSignatureResult:
    """The outcome of checking the signatures embedded in one PDF attachment."""

    status: str
    reason: str
    params: dict = field(default_factory=dict)
    signers: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        template = PDF_REASONS.get(self.reason, (self.status, self.reason))[1]
        try:
            return str(template) % self.params
        except (KeyError, TypeError, ValueError):
            return str(template)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> PdfSignatureResult | None:
        if not data:
            return None
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


def _pdf_result(reason: str, signers=(), **params) -> PdfSignatureResult:
    return PdfSignatureResult(
        status=PDF_REASONS[reason][0],
        reason=reason,
        params={k: str(v) for k, v in params.items()},
        signers=list(signers),
    )


def looks_like_pdf(data: bytes, content_type: str = "", name: str = "") -> bool:
    return (
        data[:1024].lstrip().startswith(b"%PDF-")
        or content_type.lower() == "application/pdf"
        or name.lower().endswith(".pdf")
    )


def _run_async(coroutine_factory):
    """Run pyHanko's async validation whether or not an event loop runs in this thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine_factory())
    box: dict = {}

    def runner():
        try:
            box["value"] = asyncio.run(coroutine_factory())
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=runner)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def verify_pdf(data: bytes, *, trusted_certificates: Iterable[x509.Certificate] = ()):
    """Check every PAdES signature embedded in a PDF; never raises for any input bytes.

    ``valid`` when every signature is intact, cryptographically valid and chains to one of
    ``trusted_certificates``; ``invalid`` when one does not match the file; ``unverifiable``
    when intact but untrusted or when the file cannot be read; ``unsigned`` without any.
    """
    try:
        return _verify_pdf(data, list(trusted_certificates))
    except Exception as exc:
        log.info("PDF signature check failed: %s", exc)
        return _pdf_result("unreadable", detail=str(exc)[:200] or type(exc).__name__)


def _verify_pdf(data: bytes, trusted_certificates: list[x509.Certificate]) -> PdfSignatureResult:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    embedded = list(reader.embedded_signatures)
    if not embedded:
        return _pdf_result("unsigned")
    roots = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in trusted_certificates
    ]
    signers, intact, trusted = [], True, True
    for signature in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)

        def validate(signature=signature, context=context):
            return async_validate_pdf_signature(signature, signer_validation_context=context)

        status = _run_async(validate)
        cert = status.signing_cert
        signers.append(cert.subject.human_friendly if cert is not None else "?")
        intact = intact and bool(status.intact and status.valid)
        trusted = trusted and bool(status.trusted)
    names = "; ".join(signers)
    if not intact:
        return _pdf_result("broken", signers, signer=names)
    if not trusted:
        return _pdf_result("untrusted", signers, signer=names)
    return _pdf_result("ok", signers, signer=names)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
