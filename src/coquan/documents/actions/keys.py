"""Installing the server-held signing keys of an agency and of its signers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from coquan.core.access import roles_in
from coquan.core.actions import action, describe
from coquan.documents.models import SigningKey
from coquan.documents.signing import keys


def _system_or_admin(actor, *, agency, **_kwargs):
    if actor is None or getattr(actor, "is_superuser", False):
        return
    if "admin" not in roles_in(actor, agency):
        raise PermissionDenied(_("Only the agency's administrators manage signing keys."))


@action("documents.signing_key.generate", permission=_system_or_admin)
def generate_signing_key(
    actor, *, agency, holder=None, algorithm: str = "rsa", private_key=None
) -> SigningKey:
    """Generate a self-signed **test** key for ``agency``'s seal, or for ``holder`` in it.

    Who: the system (management command ``documents_signing_key``), a superuser or an
    administrator of the agency. The new key becomes the active one; earlier keys stay to
    verify what they signed. A self-signed certificate is trusted only by this deployment:
    no certification authority exists inside CoQuan (documents.signing.keys).
    """
    from coquan.documents.actions.common import is_active_member

    if holder is not None and not is_active_member(holder, agency):
        raise ValidationError(
            {"holder": _("The key holder must be a member of the agency.")}, code="invalid"
        )
    if algorithm not in ("rsa", "ec"):
        raise ValidationError({"algorithm": _("Unknown key algorithm.")}, code="invalid")
    key = keys.generate_key(agency, holder=holder, algorithm=algorithm, private_key=private_key)
    describe(
        agency=agency,
        obj=key,
        summary=_("Signing key %(fingerprint)s") % {"fingerprint": key.fingerprint[:16]},
        after={"holder": getattr(holder, "pk", None), "fingerprint": key.fingerprint},
    )
    return key
