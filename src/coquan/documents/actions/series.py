"""Numbering series of outgoing documents, configured by the agency's administrator."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.documents.choices import SeriesScope
from coquan.documents.models import DocumentType, OutgoingSeries
from coquan.documents.outgoing_permissions import can_manage_series


def _require_admin(actor, *, agency, **_kwargs):
    if not can_manage_series(actor, agency):
        raise PermissionDenied(_("Only the agency's administrators configure numbering series."))


@action("documents.series.save", permission=_require_admin)
def save_series(
    actor,
    *,
    agency,
    name: str,
    scope: str,
    document_types=(),
    issuer_abbreviation: str = "",
    is_active: bool = True,
    series=None,
) -> OutgoingSeries:
    """Create or change a numbering series (sổ văn bản đi) of ``agency``.

    Who: an administrator of the agency, for its head (Decree 30/2020 Art. 15: the head
    decides the numbering of administrative documents). Rules: one active general and one
    active secret series per agency; a series of chosen types needs at least one type, and
    a type belongs to at most one active series of the agency, so every document has
    exactly one series. Numbers already given stay in their books.
    """
    name = (name or "").strip()
    issuer_abbreviation = (issuer_abbreviation or "").strip()
    types = list(document_types or ())
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        errors.setdefault("name", []).append(_("Give a name of at most 100 characters."))
    if scope not in SeriesScope.values:
        errors.setdefault("scope", []).append(_("Unknown kind of series."))
    if len(issuer_abbreviation) > 30:
        errors.setdefault("issuer_abbreviation", []).append(
            _("At most %(limit)d characters.") % {"limit": 30}
        )
    available = DocumentType.objects.available_to(agency)
    if any(not available.filter(pk=t.pk).exists() for t in types):
        errors.setdefault("document_types", []).append(_("Choose types your agency uses."))
    if scope == SeriesScope.TYPES and not types:
        errors.setdefault("document_types", []).append(_("Choose the types this series numbers."))
    others = OutgoingSeries.objects.filter(agency=agency, is_active=True)
    if series is not None:
        others = others.exclude(pk=series.pk)
    if (
        is_active
        and scope in (SeriesScope.GENERAL, SeriesScope.SECRET)
        and others.filter(scope=scope).exists()
    ):
        errors.setdefault("scope", []).append(
            _("The agency already has an active series of this kind; deactivate it first.")
        )
    if is_active and scope == SeriesScope.TYPES:
        taken = others.filter(scope=SeriesScope.TYPES, document_types__in=types).values_list(
            "document_types__name", flat=True
        )
        taken = sorted({str(n) for n in taken if n})
        if taken:
            errors.setdefault("document_types", []).append(
                _("Already numbered by another series: %(types)s.") % {"types": ", ".join(taken)}
            )
    if others.filter(name__iexact=name).exists() or (
        OutgoingSeries.objects.filter(agency=agency, name__iexact=name, is_active=False)
        .exclude(pk=getattr(series, "pk", None))
        .exists()
    ):
        errors.setdefault("name", []).append(_("Another series has this name."))
    if errors:
        raise ValidationError(errors)
    before = None
    if series is None:
        series = OutgoingSeries(agency=agency)
    else:
        if series.agency_id != agency.pk:
            raise PermissionDenied(_("This series belongs to another agency."))
        before = {"name": series.name, "scope": series.scope, "is_active": series.is_active}
    series.name = name
    series.scope = scope
    series.issuer_abbreviation = issuer_abbreviation
    series.is_active = is_active
    series.save()
    series.document_types.set(types if scope == SeriesScope.TYPES else [])
    describe(
        agency=agency,
        obj=series,
        summary=_("Numbering series: %(name)s") % {"name": name},
        before=before,
        after={
            "name": name,
            "scope": scope,
            "is_active": is_active,
            "types": [t.pk for t in types],
        },
    )
    return series
