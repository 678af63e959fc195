"""The printed forms of TT 01/2018/TT-VPCP Art. 9 (standards §3.5), as A5 PDFs (WeasyPrint,
Noto Serif for Vietnamese):

- 01 receipt and appointment (with a QR code of the public lookup address);
- 02 request to supplement or complete the dossier;
- 03 refusal (at reception, or to continue processing);
- 04 apology and new appointment (the one extension);
- 05 control slip of the processing (every hand-over).

Forms are official Vietnamese documents: they are rendered in Vietnamese whatever the
page language. They are produced on demand from the stored data, so a reprint shows what
was recorded.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coquan.onestop import presenters
from coquan.onestop.choices import DossierStatus

FORMS = ("01", "02", "03", "04", "05")
# Print styles, kept out of the HTML templates (no <style> blocks under the strict CSP);
# under templates/ so that they are packaged with them.
STYLESHEET = Path(__file__).parent / "templates" / "onestop" / "pdf" / "forms.css"


def qr_png(data: str) -> bytes:
    """A QR code of ``data`` as PNG bytes (error correction M, 4 px per module)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=4, border=2)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def available_forms(dossier) -> list[str]:
    """The forms a dossier has, in order."""
    forms = []
    if dossier.is_accepted:
        forms += ["01", "05"]
    if dossier.supplements.exists():
        forms.append("02")
    if dossier.status in (DossierStatus.NOT_ACCEPTED, DossierStatus.STOPPED):
        forms.append("03")
    from coquan.onestop.models import DossierExtension

    if DossierExtension.objects.filter(dossier_id=dossier.pk).exists():
        forms.append("04")
    return sorted(forms)


def _context(dossier, request) -> dict:
    context = {
        "dossier": dossier,
        "agency": dossier.agency,
        "procedure": dossier.procedure,
        "time_limit": presenters.time_limit_text(
            dossier.procedure.time_limit, dossier.procedure.time_unit
        ),
        "desk": presenters.desk_label(),
        "printed_at": timezone.localtime(),
    }
    return context


def _form01(dossier, request) -> dict:
    url = presenters.lookup_url(dossier.dossier_code, request)
    return {
        "papers": dossier.components.filter(received=True),
        "lookup_url": url,
        "qr": base64.b64encode(qr_png(url)).decode("ascii"),
    }


def _form02(dossier, request) -> dict:
    supplement = dossier.supplements.order_by("-requested_at", "-pk").first()
    return {"supplement": supplement, "received": dossier.components.filter(received=True)}


def _form04(dossier, request) -> dict:
    return {"extension": dossier.extension}


def _form05(dossier, request) -> dict:
    legs = dossier.transfers.select_related(
        "from_step", "from_unit", "from_user", "to_step", "to_unit", "to_user"
    ).order_by("seq")
    rows = [
        {
            "leg": leg,
            "giver": presenters.giver(leg, dossier),
            "receiver": presenters.receiver(leg, dossier),
        }
        for leg in legs
    ]
    return {"rows": rows, "fees": list(dossier.fees.all())}


_EXTRA = {"01": _form01, "02": _form02, "03": lambda d, r: {}, "04": _form04, "05": _form05}


def render_form(number: str, dossier, request=None) -> bytes:
    """The PDF of form ``number`` for ``dossier``; ``ValidationError`` when the dossier has
    no such form (e.g. form 04 without an extension)."""
    from weasyprint import CSS, HTML

    if number not in available_forms(dossier):
        raise ValidationError(
            _("This dossier has no form %(number)s.") % {"number": number}, code="no_form"
        )
    with translation.override("vi"):
        context = {**_context(dossier, request), **_EXTRA[number](dossier, request)}
        html = render_to_string(f"onestop/pdf/form{number}.html", context)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
