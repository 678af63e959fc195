"""XML-DSig on packages and PAdES on PDF attachments.

No certification authority can exist in a test run: keys and self-signed certificates are
generated with ``cryptography`` (helpers.key_pair) and trust comes from the certificates
known for the sending agency, as on a deployment.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree
from signxml import XMLSigner

from coquan.exchange.edxml import build_document_package
from coquan.exchange.edxml.build import document_tree
from coquan.exchange.edxml.codes import DSIG_NS, ds, q
from coquan.exchange.edxml.safe import parse_xml
from coquan.exchange.edxml.signing import (
    INVALID,
    UNSIGNED,
    UNVERIFIABLE,
    VALID,
    Signer,
    generate_agency_certificate,
    verify_pdf,
    verify_tree,
)
from coquan.exchange.tests.helpers import (
    SENDER,
    certificate_for,
    key_pair,
    make_package,
    minimal_pdf,
    signed_pdf,
    signer_for,
)

OTHER = "000.00.03.H06"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"


def trusted_sender(organ_id):
    return [certificate_for(SENDER)] if organ_id == SENDER else []


def verify(data: bytes, trusted=trusted_sender, **kwargs):
    return verify_tree(parse_xml(data), sender_organ_id=SENDER, trusted=trusted, **kwargs)


def signed_package() -> bytes:
    return build_document_package(make_package(), signer=signer_for(SENDER))


def test_outgoing_signature_is_rsa_sha256_enveloped_in_the_header():
    data = signed_package()
    tree = parse_xml(data)
    signature = tree.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}/{ds('Signature')}")
    assert signature is not None
    method = signature.find(f"{ds('SignedInfo')}/{ds('SignatureMethod')}").get("Algorithm")
    assert method == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    reference = signature.find(f"{ds('SignedInfo')}/{ds('Reference')}")
    assert reference.get("URI") == ""
    assert signature.find(f"{ds('KeyInfo')}/{ds('X509Data')}/{ds('X509Certificate')}") is not None


def test_valid_signature_of_a_known_sender():
    result = verify(signed_package())
    assert result.status == VALID
    assert result.reason == "ok"
    assert "UID=000.00.14.H06" in result.subject
    assert result.fingerprint


def test_changed_content_makes_the_signature_invalid():
    data = signed_package().replace("chuyển đổi số".encode(), b"chuyen doi so", 1)
    result = verify(data)
    assert (result.status, result.reason) == (INVALID, "bad_signature")


def test_intact_signature_of_an_unknown_sender_is_unverifiable():
    result = verify(signed_package(), trusted=lambda organ_id: [])
    assert (result.status, result.reason) == (UNVERIFIABLE, "untrusted")


def test_certificate_of_another_agency_is_invalid():
    result = verify(signed_package(), trusted=lambda organ_id: [certificate_for(OTHER)])
    assert (result.status, result.reason) == (INVALID, "wrong_signer")


def test_expired_certificate_is_invalid():
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    key_pem, cert_pem = generate_agency_certificate(
        organ_id=SENDER, name="Sở cũ", key_size=2048, days=30, now=past
    )
    data = build_document_package(make_package(), signer=Signer(key_pem, cert_pem))
    certificate = x509.load_pem_x509_certificate(cert_pem)
    result = verify(data, trusted=lambda organ_id: [certificate])
    assert (result.status, result.reason) == (INVALID, "expired")


def test_unsigned_package_is_unverifiable():
    result = verify(build_document_package(make_package()))
    assert (result.status, result.reason) == (UNVERIFIABLE, "unsigned")


class _OldHubSigner(XMLSigner):
    """An older hub that still signs with RSA-SHA1 (signxml refuses it by default)."""

    def check_deprecated_methods(self):
        return None


def _sign_like_an_old_hub() -> bytes:
    tree = document_tree(make_package())
    header = tree.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}")
    etree.SubElement(header, ds("Signature"), Id="placeholder", nsmap={"ds": DSIG_NS})
    signer = _OldHubSigner(
        signature_algorithm="rsa-sha1", digest_algorithm="sha1", c14n_algorithm=C14N
    )
    signer.namespaces = {"ds": DSIG_NS}
    key_pem, cert_pem = key_pair(SENDER)
    signed = signer.sign(tree, key=key_pem, cert=cert_pem.decode())
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _sign_like_dotnet() -> bytes:
    """RSA-SHA1 with ``<Signature xmlns="…xmldsig#">`` (the default-namespace form), made
    step by step as XML-DSig describes (enveloped, inclusive canonical XML 1.0)."""
    root = etree.fromstring(build_document_package(make_package()))
    digest = hashlib.sha1(etree.tostring(root, method="c14n")).digest()  # noqa: S324
    key_pem, cert_pem = key_pair(SENDER)
    certificate = x509.load_pem_x509_certificate(cert_pem)
    der = certificate.public_bytes(serialization.Encoding.DER)
    block = (
        f'<Signature xmlns="{DSIG_NS}"><SignedInfo>'
        f'<CanonicalizationMethod Algorithm="{C14N}"/>'
        '<SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>'
        '<Reference URI=""><Transforms>'
        '<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
        f'<Transform Algorithm="{C14N}"/></Transforms>'
        '<DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>'
        f"<DigestValue>{base64.b64encode(digest).decode()}</DigestValue>"
        "</Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data>"
        f"<X509Certificate>{base64.b64encode(der).decode()}</X509Certificate>"
        "</X509Data></KeyInfo></Signature>"
    )
    root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}").append(etree.fromstring(block))
    root = etree.fromstring(etree.tostring(root))  # namespaces as a receiver will see them
    signed_info = next(root.iter(ds("SignedInfo")))
    # Canonicalised on its own (with every namespace in scope): lxml's subtree c14n has a
    # default-namespace bug (see signing._verifier).
    canonical = etree.tostring(etree.fromstring(etree.tostring(signed_info)), method="c14n")
    assert b'xmlns=""' not in canonical
    key = serialization.load_pem_private_key(key_pem, password=None)
    value = key.sign(canonical, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303
    next(root.iter(ds("SignatureValue"))).text = base64.b64encode(value).decode()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_sha1_signatures_of_older_hubs_are_accepted_for_verification():
    result = verify(_sign_like_an_old_hub())
    assert result.status == VALID
    assert result.algorithm == "http://www.w3.org/2000/09/xmldsig#rsa-sha1"


def test_default_namespace_signature_of_other_systems_verifies():
    result = verify(_sign_like_dotnet())
    assert result.status == VALID
    assert result.legacy_namespace is False


def test_signature_block_that_lost_its_namespace_is_still_verified():
    data = _sign_like_dotnet()
    declaration = f'<Signature xmlns="{DSIG_NS}">'.encode()
    assert declaration in data
    legacy = data.replace(declaration, b"<Signature>")  # now in the edXML namespace
    result = verify(legacy)
    assert result.status == VALID
    assert result.legacy_namespace is True
    tampered = legacy.replace("chuyển đổi số".encode(), b"chuyen doi so", 1)
    assert verify(tampered).status == INVALID


def test_truncated_certificate_is_unverifiable():
    data = signed_package()
    start = data.index(b"<ds:X509Certificate>") + len(b"<ds:X509Certificate>")
    end = data.index(b"</ds:X509Certificate>")
    truncated = data[:start] + data[start : start + 11] + data[end:]
    result = verify(truncated)
    assert (result.status, result.reason) == (UNVERIFIABLE, "bad_certificate")


def test_signature_over_part_of_the_package_is_unverifiable():
    data = signed_package().replace(b'<ds:Reference URI="">', b'<ds:Reference URI="#x">')
    assert verify(data).reason == "partial_reference"


def test_disallowed_algorithm_is_unverifiable():
    data = signed_package().replace(
        b"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        b"http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
    )
    result = verify(data)
    assert (result.status, result.reason) == (UNVERIFIABLE, "unsupported_algorithm")


def test_two_signatures_are_unverifiable():
    data = signed_package()
    start = data.index(b"<ds:Signature")
    end = data.index(b"</ds:Signature>") + len(b"</ds:Signature>")
    doubled = data[:end] + data[start:end] + data[end:]
    assert verify(doubled).reason == "several_signatures"


def test_garbage_signature_block_is_reported_not_raised():
    data = signed_package()
    start = data.index(b"<ds:SignatureValue>") + len(b"<ds:SignatureValue>")
    end = data.index(b"</ds:SignatureValue>")
    broken = data[:start] + b"@@not base64@@" + data[end:]
    result = verify(broken)
    assert result.status == INVALID


# --- PDF attachments (PAdES, pyHanko) ---------------------------------------------------------


def test_pdf_signed_by_a_trusted_certificate_is_valid():
    result = verify_pdf(signed_pdf(SENDER), trusted_certificates=[certificate_for(SENDER)])
    assert result.status == VALID
    assert "000.00.14.H06" in result.signers[0]


def test_pdf_signed_by_an_unknown_certificate_is_unverifiable():
    result = verify_pdf(signed_pdf(SENDER), trusted_certificates=[certificate_for(OTHER)])
    assert (result.status, result.reason) == (UNVERIFIABLE, "untrusted")


def test_pdf_changed_after_signing_is_invalid():
    data = signed_pdf(SENDER)
    position = data.index(b"MediaBox[0 0 200 200]")
    changed = data[:position] + b"MediaBox[0 0 300 200]" + data[position + 21 :]
    result = verify_pdf(changed, trusted_certificates=[certificate_for(SENDER)])
    assert (result.status, result.reason) == (INVALID, "broken")


def test_unsigned_and_unreadable_pdfs():
    assert verify_pdf(minimal_pdf()).status == UNSIGNED
    result = verify_pdf(b"%PDF-1.7\n not really a pdf")
    assert (result.status, result.reason) == (UNVERIFIABLE, "unreadable")
