"""``ServerKeySigner``: PAdES signatures with pyHanko and a key held by the server."""

from __future__ import annotations

import asyncio
import io
import threading
from functools import lru_cache

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _

from coquan.core.keyvault import SealedKeyError, unseal
from coquan.documents.signing import SignatureRequest, Signer, SigningError


def run_coroutine(factory):
    """Run ``factory()``'s coroutine to completion, also when an event loop is running here.

    pyHanko's synchronous API calls ``asyncio.run``, which fails inside a running loop (a
    test driving a browser, an ASGI worker thread); then the coroutine runs in a thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    result: dict = {}

    def runner():
        try:
            result["value"] = asyncio.run(factory())
        except BaseException as exc:  # re-raised in the calling thread
            result["error"] = exc

    thread = threading.Thread(target=runner)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def _loaded_key_signer_class():
    from pyhanko.sign import signers

    class LoadedKeySigner(signers.SimpleSigner):
        """pyHanko's ``SimpleSigner`` signing with a key object loaded once.

        ``SimpleSigner.sign_raw`` parses the private key again for every signature (twice per
        PDF: the size estimate and the real one), which costs more than the signature itself
        for RSA keys; RSA PKCS#1 v1.5 and ECDSA use the loaded key, anything else falls back
        to pyHanko's own code.
        """

        def __init__(self, *, private_key, **kwargs):
            super().__init__(**kwargs)
            self._loaded_key = private_key

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
            from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
            from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
            from pyhanko_certvalidator.util import get_pyca_cryptography_hash

            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = mechanism["algorithm"].native
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            key = self._loaded_key
            if algorithm == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
                return key.sign(data, PKCS1v15(), hash_algo)
            if algorithm == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
                return key.sign(data, ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)

    return LoadedKeySigner


class _LoadedKeySignerProxy:
    """Builds the pyHanko signer class on first use (pyHanko is imported lazily)."""

    cls = None

    def __call__(self, **kwargs):
        if self.cls is None:
            type(self).cls = _loaded_key_signer_class()
        return self.cls(**kwargs)


_LoadedKeySigner = _LoadedKeySignerProxy()


class ServerKeySigner(Signer):
    """Signs with a private key and certificate given as PEM texts (``SigningKey``)."""

    def __init__(self, *, certificate_pem: str, private_key_pem: str):
        self.certificate_pem = certificate_pem
        certificate = x509.load_pem_x509_certificate(certificate_pem.encode("ascii"))
        # As stored (sealed, core.keyvault) or plain.
        private_key = serialization.load_pem_private_key(unseal(private_key_pem), password=None)
        self._private_key = private_key
        self._certificate = asn1_x509.Certificate.load(
            certificate.public_bytes(serialization.Encoding.DER)
        )
        self._key = asn1_keys.PrivateKeyInfo.load(
            private_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def _pyhanko_signer(self):
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        return _LoadedKeySigner(
            private_key=self._private_key,
            signing_cert=self._certificate,
            signing_key=self._key,
            cert_registry=SimpleCertificateStore.from_certs([self._certificate]),
        )

    def sign_pdf(self, pdf: bytes, request: SignatureRequest) -> bytes:
        from pyhanko.pdf_utils.images import PdfImage
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.pdf_utils.misc import PdfError
        from pyhanko.sign import fields
        from pyhanko.sign.general import SigningError as PyHankoSigningError
        from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
        from pyhanko.stamp import StaticStampStyle

        metadata = PdfSignatureMetadata(
            field_name=request.field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            name=request.signer_name or None,
            reason=request.reason or None,
            location=request.location or None,
        )
        appearance = request.appearance
        field_spec = None
        style = None
        if appearance is not None:
            field_spec = fields.SigFieldSpec(
                request.field_name,
                on_page=appearance.page,
                box=appearance.box if appearance.image is not None else None,
            )
            if appearance.image is not None:
                style = StaticStampStyle(
                    background=PdfImage(appearance.image),
                    border_width=0,
                    background_opacity=1.0,
                )
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            signer = PdfSigner(
                metadata, self._pyhanko_signer(), stamp_style=style, new_field_spec=field_spec
            )
            output = run_coroutine(lambda: signer.async_sign_pdf(writer))
        except (PdfError, PyHankoSigningError, ValueError, KeyError, IndexError) as exc:
            raise SigningError(
                _("The PDF could not be signed: %(error)s"),
                code="signing_failed",
                params={"error": str(exc)[:200]},
            ) from exc
        return output.getvalue()


@lru_cache(maxsize=256)
def _cached_signer(fingerprint: str, certificate_pem: str, private_key_pem: str):
    """One loaded signer per key: parsing an RSA private key costs tens of milliseconds."""
    return ServerKeySigner(certificate_pem=certificate_pem, private_key_pem=private_key_pem)


def server_key_signer(agency, holder=None) -> ServerKeySigner | None:
    """The default signer factory: the active ``SigningKey`` of the agency (or the person)."""
    from coquan.documents.models import SigningKey

    keys = SigningKey.objects.active()
    key = keys.personal_key(agency, holder) if holder is not None else keys.agency_key(agency)
    if key is None:
        return None
    try:
        return _cached_signer(key.fingerprint, key.certificate_pem, key.private_key_pem)
    except SealedKeyError as exc:  # the deployment's key passphrase changed (core.keyvault)
        raise SigningError(str(exc), code="key_sealed") from exc
