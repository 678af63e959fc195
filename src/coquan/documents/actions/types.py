"""Document types of an agency (part 1: "configurable per agency"), set by its administrator.

The 29 types of Decree 30/2020 are global rows; an agency **disables** one, or gives it its
own name/abbreviation, with an agency row of the same ``code`` (``DocumentTypeQuerySet
.available_to`` prefers it), and **adds** its own types with new codes. Rows are never
deleted (documents point to them); a type is switched off with ``is_active``.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coquan.core.access import has_role
from coquan.core.actions import action, describe
from coquan.documents.models import DocumentType


def can_manage_types(user, agency) -> bool:
    return agency is not None and has_role(user, agency, "admin")


def _require_admin(actor, *, agency, **_kwargs):
    if not can_manage_types(actor, agency):
        raise PermissionDenied(_("Only the agency's administrators configure document types."))


ABBREVIATION = re.compile(r"^[\wĐđ]{1,10}$")


@action("documents.types.save", permission=_require_admin)
def save_document_type(
    actor,
    *,
    agency,
    name: str,
    abbreviation: str = "",
    is_active: bool = True,
    code: str = "",
) -> DocumentType:
    """Create or change the agency's row for type ``code`` (a new code adds a type; the code
    of a global type overrides it for the agency: rename, new abbreviation, or disable)."""
    name = " ".join((name or "").split())
    abbreviation = (abbreviation or "").strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        errors.setdefault("name", []).append(_("Give a name of at most 100 characters."))
    if abbreviation and not ABBREVIATION.match(abbreviation):
        errors.setdefault("abbreviation", []).append(
            _("At most 10 letters or digits, without spaces.")
        )
    code = (code or "").strip() or slugify(name.replace("đ", "d").replace("Đ", "D"))[:40]
    if not code:
        errors.setdefault("name", []).append(_("Give a name of at most 100 characters."))
    if errors:
        raise ValidationError(errors)
    global_row = DocumentType.objects.filter(agency=None, code=code).first()
    row = DocumentType.objects.filter(agency=agency, code=code).first()
    before = None
    if row is None:
        row = DocumentType(
            agency=agency,
            code=code,
            edxml_type_detail=global_row.edxml_type_detail if global_row else None,
            sort_order=global_row.sort_order if global_row else 200,
        )
    else:
        before = {"name": row.name, "abbreviation": row.abbreviation, "active": row.is_active}
    if global_row is None and row.pk is None:
        clash = DocumentType.objects.available_to(agency).filter(name__iexact=name)
        if clash.exists():
            raise ValidationError(
                {"name": _("Your agency already uses a type with this name.")}, code="duplicate"
            )
    row.name, row.abbreviation, row.is_active = name, abbreviation, bool(is_active)
    row.save()
    describe(
        agency=agency,
        obj=row,
        summary=_("Document type saved: %(name)s") % {"name": name},
        before=before,
        after={"name": name, "abbreviation": abbreviation, "active": row.is_active},
    )
    return row


def types_for_admin(agency) -> list[tuple]:
    """(code, shown row, global row or None, agency row or None) for every type, in order."""
    rows = list(DocumentType.objects.filter(agency=None)) + list(
        DocumentType.objects.filter(agency=agency)
    )
    globals_ = {r.code: r for r in rows if r.agency_id is None}
    own = {r.code: r for r in rows if r.agency_id is not None}
    codes = sorted(
        set(globals_) | set(own),
        key=lambda c: ((own.get(c) or globals_[c]).sort_order, (own.get(c) or globals_[c]).name),
    )
    return [(c, own.get(c) or globals_[c], globals_.get(c), own.get(c)) for c in codes]
