"""Digital signatures of outgoing documents (PAdES), behind one interface.

``Signer`` is what the actions use: ``sign_pdf(pdf_bytes, request) -> signed_bytes`` adds
one PAdES signature (an incremental update, so earlier signatures stay valid) with the
visible appearance the request describes. ``get_signer(agency, holder)`` returns the
implementation for an agency's seal (``holder=None``) or a person's signature. The default
is ``ServerKeySigner`` (pyHanko with a key held by the server, ``SigningKey``); a
deployment replaces it with a USB-token or remote-signing implementation by naming a
factory ``(agency, holder) -> Signer`` in the setting ``COQUAN_DOCUMENT_SIGNER``.

``verify_pdf`` checks every signature of a PDF with pyHanko (documents.signing.verify).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

DEFAULT_FACTORY = "coquan.documents.signing.server.server_key_signer"


@dataclass(frozen=True)
class Appearance:
    """Where and how the signature shows: page index (-1: last), box in PDF points, image."""

    page: int = -1
    box: tuple[int, int, int, int] = (330, 95, 540, 185)
    image: object = None  # a PIL image (RGBA); None for an invisible signature


@dataclass(frozen=True)
class SignatureRequest:
    """What to sign and how: the field name, who signs, why, and the visible appearance."""

    field_name: str
    signer_name: str
    reason: str = ""
    location: str = ""
    appearance: Appearance | None = field(default=None)


class SigningError(ValidationError):
    """Signing could not be done (no key, not a PDF, the device refused ...)."""

    def __init__(self, message, code="signing_failed", params=None):
        super().__init__(message, code=code, params=params)


class Signer(ABC):
    """Signs PDFs for one holder (a person, or an agency's seal)."""

    #: The signing certificate (PEM), published so that verifiers can trust it.
    certificate_pem: str = ""

    @abstractmethod
    def sign_pdf(self, pdf: bytes, request: SignatureRequest) -> bytes:
        """The PDF with one more signature (incremental update). Raises ``SigningError``."""


def get_signer(agency, holder=None) -> Signer:
    """The signer of ``holder`` (a person) or of ``agency``'s seal when ``holder`` is None."""
    factory = import_string(getattr(settings, "COQUAN_DOCUMENT_SIGNER", DEFAULT_FACTORY))
    signer = factory(agency, holder)
    if signer is None:
        if holder is None:
            message = _(
                "The agency has no signing key for its seal. An administrator creates one with "
                "the command documents_signing_key."
            )
        else:
            message = _(
                "%(name)s has no personal signing key in this agency. An administrator creates "
                "one with the command documents_signing_key."
            ) % {"name": holder.get_full_name()}
        raise SigningError(message, code="no_signing_key")
    return signer


def trusted_certificates(agency) -> list[str]:
    """PEM certificates whose signatures on ``agency``'s documents are trusted.

    The certificates of every key (active or not) held for the agency: the self-signed test
    certificates of this deployment, or CA-issued ones imported by the administrator.
    """
    from coquan.documents.models import SigningKey

    return list(SigningKey.objects.filter(agency=agency).values_list("certificate_pem", flat=True))
