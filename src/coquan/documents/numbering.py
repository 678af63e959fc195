"""Numbers and notations of outgoing documents (Decree 30/2020 Art. 15; App. I item 3).

- **Series.** A document is numbered in its agency's series for it: an advisory board's
  series when the draft names one; the secret series for a secret document (Art. 15.2);
  the series listing its type, if any; else the general series. The general and secret
  series are created on first use, so an agency that configures nothing has one shared
  series for everything and one for secret documents.
- **Book.** Each series has one ``RegisterBook`` per year: numbers restart at 1 on
  1 January. ``next_number`` creates the book when missing (``INSERT … ON CONFLICT DO
  NOTHING``), locks it (``SELECT … FOR UPDATE``) and takes ``last_number + 1`` in the
  caller's transaction, so numbers are gapless and unique under concurrency; the unique
  constraint (book, number) is the last line of defence. On SQLite, ``BEGIN IMMEDIATE``
  serialises writers.
- **Format.** ``Số: 05/QĐ-STTTT``: numbers below 10 get a leading zero; the notation is the
  type abbreviation and the issuer abbreviation (``QĐ-STTTT``); a type without an
  abbreviation (công văn) uses the issuer and the drafting unit (``STTTT-VP``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from coquan.documents.choices import BookKind, SeriesScope


def format_number(number: int) -> str:
    """``5`` → ``"05"``; ``123`` → ``"123"`` (App. I item 3: leading zero below 10)."""
    return f"{number:02d}"


def build_notation(document_type, issuer: str, unit_code: str = "") -> str:
    """``QĐ-STTTT`` for a type with an abbreviation, ``STTTT-VP`` for công văn."""
    issuer = (issuer or "").strip()
    abbreviation = (document_type.abbreviation or "").strip()
    parts = [abbreviation, issuer] if abbreviation else [issuer, (unit_code or "").strip()]
    return "-".join(part for part in parts if part)[:30]


def default_series(agency, scope: str):
    """The agency's active general or secret series, created on first use."""
    from coquan.documents.models import OutgoingSeries

    series = OutgoingSeries.objects.filter(agency=agency, scope=scope, is_active=True).first()
    if series is not None:
        return series
    name = (
        _("Outgoing documents") if scope == SeriesScope.GENERAL else _("Secret outgoing documents")
    )
    OutgoingSeries.objects.bulk_create(
        [OutgoingSeries(agency=agency, scope=scope, name=str(name))], ignore_conflicts=True
    )
    series = OutgoingSeries.objects.filter(agency=agency, scope=scope, is_active=True).first()
    if series is None:  # the name was taken by another series of the agency
        series = OutgoingSeries.objects.create(
            agency=agency, scope=scope, name=f"{name} ({agency.short_name})"
        )
    return series


def series_for(document):
    """The series that numbers ``document`` (see the module docstring)."""
    from django.db.models import Exists, OuterRef

    from coquan.documents.models import OutgoingSeries

    if document.series_id is not None and document.series.is_active:
        return document.series
    scope = SeriesScope.SECRET if document.is_secret else SeriesScope.GENERAL
    through = OutgoingSeries.document_types.through
    candidates = (
        OutgoingSeries.objects.filter(agency_id=document.agency_id, is_active=True)
        .filter(scope__in=(scope, SeriesScope.TYPES))
        .annotate(
            has_type=Exists(
                through.objects.filter(
                    outgoingseries_id=OuterRef("pk"), documenttype_id=document.document_type_id
                )
            )
        )
        .order_by("pk")
    )
    found = {}
    for series in candidates:  # one query: the agency's few active series
        if series.scope == SeriesScope.TYPES:
            if series.has_type and not document.is_secret:
                found.setdefault(SeriesScope.TYPES, series)
        else:
            found.setdefault(series.scope, series)
    return (
        found.get(SeriesScope.TYPES) or found.get(scope) or default_series(document.agency, scope)
    )


def next_number(series, year: int):
    """(book, number): the series' book of ``year``, locked, and its next number (not saved)."""
    from coquan.documents.models import RegisterBook

    books = RegisterBook.objects.select_for_update()
    book = books.filter(series=series, year=year).first()
    if book is None:  # the first number of the year: create the book, tolerating a race
        RegisterBook.objects.bulk_create(
            [
                RegisterBook(
                    agency_id=series.agency_id, kind=BookKind.OUTGOING, series=series, year=year
                )
            ],
            ignore_conflicts=True,
        )
        book = books.get(series=series, year=year)
    return book, book.last_number + 1


def notation_for(document, series) -> str:
    issuer = series.issuer_abbreviation or document.agency.short_name
    unit_code = document.drafting_unit.code if document.drafting_unit_id else ""
    return build_notation(document.document_type, issuer, unit_code)
