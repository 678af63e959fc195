"""Generating and loading the server-held signing keys (``SigningKey``).

``generate_key`` makes a key pair and a **self-signed** certificate — a test key: no
certification authority can exist inside CoQuan, so signatures made with it are trusted
only by this deployment (the verification trusts the certificates of its own keys). A real
deployment imports a certificate issued by a licensed CA (``import_key``) or plugs in a
USB-token / remote-signing implementation of ``documents.signing.Signer``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.db import transaction
from django.utils import timezone


def _name(common_name: str, organisation: str, organ_id: str) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
    ]
    if organ_id:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, organ_id))
    return x509.Name(attributes)


def make_key_pair(algorithm: str = "rsa"):
    """A new private key: RSA 2048 (``rsa``, the usual choice of Vietnamese CAs) or P-256."""
    if algorithm == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise ValueError(f"unknown key algorithm {algorithm!r}")


def self_signed_certificate(
    private_key, common_name: str, organisation: str, organ_id: str = "", days: int = 3 * 365
) -> x509.Certificate:
    """A self-signed certificate for document signing (non-repudiation, digital signature)."""
    name = _name(common_name, organisation, organ_id)
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(private_key, hashes.SHA256())
    )


def private_key_pem(private_key) -> str:
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def certificate_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


@transaction.atomic
def import_key(agency, *, certificate: str, private_key: str, holder=None):
    """Store a key pair (PEM texts) as the active key of ``agency`` (and ``holder``).

    The previous active key of the same agency and holder stays, inactive, to verify what
    it signed.
    """
    from coquan.documents.models import SigningKey

    cert = x509.load_pem_x509_certificate(certificate.encode("ascii"))
    serialization.load_pem_private_key(private_key.encode("ascii"), password=None)
    SigningKey.objects.filter(agency=agency, holder=holder, active=True).update(active=False)
    return SigningKey.objects.create(
        agency=agency,
        holder=holder,
        certificate_pem=certificate,
        private_key_pem=private_key,
        fingerprint=fingerprint(cert),
        subject=cert.subject.rfc4514_string()[:500],
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        created_at=timezone.now(),
    )


def generate_key(agency, *, holder=None, algorithm: str = "rsa", private_key=None):
    """Generate a self-signed test key for ``agency`` (its seal) or for ``holder`` in it.

    ``private_key`` lets tests reuse one key pair (generating RSA keys is slow).
    """
    key = private_key or make_key_pair(algorithm)
    common_name = (
        agency.name if holder is None else (holder.get_full_name() or holder.get_username())
    )
    certificate = self_signed_certificate(key, common_name, agency.name, agency.organ_id)
    return import_key(
        agency,
        certificate=certificate_pem(certificate),
        private_key=private_key_pem(key),
        holder=holder,
    )
