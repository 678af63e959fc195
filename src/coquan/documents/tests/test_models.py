"""Reference data and database constraints of the documents app."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from coquan.documents.models import (
    Attachment,
    DocumentType,
    ImmutableRecordError,
    IncomingDocument,
    RegisterBook,
)
from coquan.documents.tests.samples import pdf_upload


@pytest.mark.django_db
def test_the_29_types_of_decree_30_are_seeded_with_official_abbreviations():
    types = DocumentType.objects.filter(agency=None)
    assert types.count() == 29
    abbreviations = dict(types.values_list("name", "abbreviation"))
    assert abbreviations["Quy định"] == "QyĐ"
    assert abbreviations["Tờ trình"] == "TTr"
    assert abbreviations["Chương trình"] == "CTr"
    assert abbreviations["Quyết định (cá biệt)"] == "QĐ"
    # Công văn and Thư công have no abbreviation ("CV" is not official).
    assert abbreviations["Công văn"] == ""
    assert abbreviations["Thư công"] == ""
    assert types.get(code="cong-van").edxml_type_detail == 18


@pytest.mark.django_db
def test_an_agency_can_disable_rename_and_add_types(office):
    agency = office.agency
    DocumentType.objects.create(agency=agency, code="thu-cong", name="Thư công", is_active=False)
    DocumentType.objects.create(
        agency=agency, code="giay-moi", name="Giấy mời họp", abbreviation="GM"
    )
    DocumentType.objects.create(agency=agency, code="to-khai", name="Tờ khai", abbreviation="TK")
    names = list(DocumentType.objects.available_to(agency).values_list("name", flat=True))
    assert "Thư công" not in names
    assert "Giấy mời họp" in names and "Giấy mời" not in names
    assert "Tờ khai" in names
    assert len(names) == 29
    # Other agencies are not affected.
    assert DocumentType.objects.available_to(office.outsider.memberships.get().agency).count() == 29
    assert DocumentType.objects.match(agency, "công văn").code == "cong-van"
    assert DocumentType.objects.match(agency, "TK").code == "to-khai"
    assert DocumentType.objects.match(agency, "Không có") is None


@pytest.mark.django_db
def test_number_and_notation_as_printed(office):
    doc = office.register(code_number="5", code_notation="QĐ-UBND")
    assert doc.number_and_notation == "05/QĐ-UBND"
    doc2 = office.register(code_number="2491", code_notation="STC-BCTC", confirm_duplicate=True)
    assert doc2.number_and_notation == "2491/STC-BCTC"


@pytest.mark.django_db(transaction=True)
def test_arrival_numbers_are_unique_in_a_book(office):
    doc = office.register()
    with pytest.raises(IntegrityError), transaction.atomic():
        clone = IncomingDocument.objects.get(pk=doc.pk)
        clone.pk = None
        clone.save()


@pytest.mark.django_db(transaction=True)
def test_one_book_per_agency_kind_and_year(office):
    office.register()
    book = RegisterBook.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterBook.objects.create(agency=book.agency, kind=book.kind, year=book.year)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "field,value",
    [("urgency", 7), ("secrecy", "hidden"), ("status", "lost"), ("channel", "pigeon")],
)
def test_enumerations_are_checked_by_the_database(office, field, value):
    doc = office.register()
    with pytest.raises(IntegrityError), transaction.atomic():
        IncomingDocument.objects.filter(pk=doc.pk).update(**{field: value})


@pytest.mark.django_db
def test_attachments_are_immutable(office):
    doc = office.register(files=[pdf_upload()])
    attachment = Attachment.objects.get(document=doc)
    attachment.original_name = "khac.pdf"
    with pytest.raises(ImmutableRecordError):
        attachment.save()
    with pytest.raises(ImmutableRecordError):
        attachment.delete()
    assert Attachment.objects.get(pk=attachment.pk).original_name == "cong-van.pdf"


@pytest.mark.django_db
def test_load_related_fills_foreign_keys_with_one_query_per_model(office):
    """``core.related.load_related_groups``: the people of many documents in one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coquan.core.related import load_related_groups
    from coquan.documents import actions

    first = office.register(subject="Một")
    second = actions.present(
        office.clerk, document=office.register(subject="Hai", code_number="2"), leader=office.leader
    )
    documents = list(IncomingDocument.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        load_related_groups(
            (documents, ("registered_by", "presented_to", "lead_user", "document_type"))
        )
        people = [
            (d.registered_by, d.presented_to, d.lead_user, d.document_type) for d in documents
        ]
    assert len(queries) == 2  # users, document types
    assert people[0][:3] == (office.clerk, None, None)
    assert people[1][:3] == (office.clerk, office.leader, None)
    assert people[1][3].pk == second.document_type_id
    load_related_groups(([], ("registered_by",)))  # nothing to do, no query
    with pytest.raises(ValueError):
        load_related_groups((documents, ("steps",)))  # a reverse relation is refused
