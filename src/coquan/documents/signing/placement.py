"""Where the visible signatures go on the page, and what they show (Decree 30/2020 App. I).

Drafts follow the App. I layout: the signer's block (title, signature, name) is at the
bottom right of the last page. The signer's image fills ``SIGNER_BOX`` there; the seal
(about 35 mm, red) sits so that it covers the left third of the signer's image, with the
number and notation and the signing time under it; a separately signed attachment gets a
text stamp (number and notation, ISO 8601 time, black 10 pt) at the top right of its first
page. Boxes are in PDF points (A4 is 595 × 842).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.documents.signing import Appearance, SignatureRequest, stamps

SIGNER_BOX = (330, 95, 540, 185)
SEAL_BOX = (300, 70, 404, 192)
APPENDIX_BOX = (375, 800, 570, 832)

PERSONAL_FIELD = "CoQuan_ChuKyCaNhan"
SEAL_FIELD = "CoQuan_ChuKyCoQuan"
APPENDIX_FIELD = "CoQuan_ChuKyCoQuan_PhuLuc"


def iso_time(moment=None) -> str:
    """``2026-03-05T10:22:31+07:00``: Vietnam time, ISO 8601, to the second."""
    return timezone.localtime(moment or timezone.now()).isoformat(timespec="seconds")


def _size(box):
    return box[2] - box[0], box[3] - box[1]


def personal_request(document, signer, moment=None) -> SignatureRequest:
    """The signer's personal signature on the main document, with the blue image."""
    width, height = _size(SIGNER_BOX)
    name = signer.get_full_name() or signer.get_username()
    image = stamps.signer_image(name, iso_time(moment), width, height)
    return SignatureRequest(
        field_name=PERSONAL_FIELD,
        signer_name=name,
        reason=_("Signed: %(subject)s") % {"subject": document.subject[:150]},
        location=document.agency.name,
        appearance=Appearance(page=-1, box=SIGNER_BOX, image=image),
    )


def seal_request(document, moment=None) -> SignatureRequest:
    """The agency's signature at issue: the red seal over the left third of the signer's."""
    width, height = _size(SEAL_BOX)
    caption = [document.number_and_notation, iso_time(moment)]
    image = stamps.seal_image(
        document.agency.name, document.agency.short_name, caption, width, height
    )
    return SignatureRequest(
        field_name=SEAL_FIELD,
        signer_name=document.agency.name,
        reason=_("Issued: %(number)s") % {"number": document.number_and_notation},
        location=document.agency.name,
        appearance=Appearance(page=-1, box=SEAL_BOX, image=image),
    )


def appendix_request(document, moment=None) -> SignatureRequest:
    """The agency's signature on a separate attachment: no image, number and time only."""
    width, height = _size(APPENDIX_BOX)
    image = stamps.text_stamp_image([document.number_and_notation, iso_time(moment)], width, height)
    return SignatureRequest(
        field_name=APPENDIX_FIELD,
        signer_name=document.agency.name,
        reason=_("Attachment of %(number)s") % {"number": document.number_and_notation},
        location=document.agency.name,
        appearance=Appearance(page=0, box=APPENDIX_BOX, image=image),
    )
