"""Numbers, notations and series of outgoing documents (Decree 30/2020 Art. 15, App. I 3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from coquan.documents import actions, numbering
from coquan.documents.choices import Secrecy, SeriesScope
from coquan.documents.models import DocumentType, OutgoingSeries, RegisterBook


@given(st.integers(min_value=1, max_value=999_999))
def test_numbers_below_ten_get_a_leading_zero_and_others_are_unchanged(number):
    text = numbering.format_number(number)
    assert int(text) == number
    assert len(text) == (2 if number < 10 else len(str(number)))


def test_notation_from_the_type_abbreviation_or_the_unit_for_cong_van():
    decision = DocumentType(name="Quyết định", abbreviation="QĐ")
    letter = DocumentType(name="Công văn", abbreviation="")
    assert numbering.build_notation(decision, "STTTT", "VP") == "QĐ-STTTT"
    assert numbering.build_notation(letter, "STTTT", "VP") == "STTTT-VP"
    assert numbering.build_notation(letter, "STTTT") == "STTTT"


db_test = pytest.mark.django_db


@db_test
def test_without_configuration_one_general_and_one_secret_series_are_created(dept):
    doc = dept.draft()
    general = numbering.series_for(doc)
    assert general.scope == SeriesScope.GENERAL and general.name == "Văn bản đi"
    secret = dept.draft(secrecy=Secrecy.SECRET)
    assert numbering.series_for(secret).scope == SeriesScope.SECRET
    assert numbering.series_for(dept.draft()) == general  # created once
    assert OutgoingSeries.objects.filter(agency=dept.agency).count() == 2


@db_test
def test_a_type_series_and_a_board_series_number_apart(dept):
    decisions = actions.save_series(
        dept.admin,
        agency=dept.agency,
        name="Sổ quyết định",
        scope=SeriesScope.TYPES,
        document_types=[dept.doc_type("quyet-dinh")],
    )
    board = actions.save_series(
        dept.admin,
        agency=dept.agency,
        name="Hội đồng thi đua khen thưởng",
        scope=SeriesScope.BOARD,
        issuer_abbreviation="HĐTĐKT",
    )
    letter = dept.advance(dept.draft(), "issued")
    decision = dept.advance(dept.draft(document_type=dept.doc_type("quyet-dinh")), "issued")
    board_decision = dept.advance(
        dept.draft(document_type=dept.doc_type("quyet-dinh"), series=board), "issued"
    )
    second_letter = dept.advance(dept.draft(subject="Công văn thứ hai"), "issued")
    assert letter.number_and_notation == "01/STTTT-CNTT"
    assert decision.number_and_notation == "01/QĐ-STTTT"
    assert decision.register_book.series == decisions
    assert board_decision.number_and_notation == "01/QĐ-HĐTĐKT"
    assert second_letter.number_and_notation == "02/STTTT-CNTT"


@db_test
def test_numbers_start_again_at_one_in_a_new_year(dept):
    series = numbering.default_series(dept.agency, SeriesScope.GENERAL)
    book, first = numbering.next_number(series, 2026)
    assert first == 1
    RegisterBook.objects.filter(pk=book.pk).update(last_number=57)
    assert numbering.next_number(series, 2026)[1] == 58
    new_book, first_next_year = numbering.next_number(series, 2027)
    assert first_next_year == 1 and new_book.pk != book.pk and new_book.year == 2027


@db_test
@pytest.mark.parametrize(
    "values,field",
    [
        ({"name": "", "scope": SeriesScope.TYPES}, "name"),
        ({"name": "Sổ theo loại", "scope": SeriesScope.TYPES}, "document_types"),
        ({"name": "Sổ chung thứ hai", "scope": SeriesScope.GENERAL}, "scope"),
        ({"name": "Sổ lạ", "scope": "bogus"}, "scope"),
    ],
)
def test_bad_series_are_refused(dept, values, field):
    numbering.default_series(dept.agency, SeriesScope.GENERAL)
    before = OutgoingSeries.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.save_series(dept.admin, agency=dept.agency, **values)
    assert field in caught.value.message_dict
    assert OutgoingSeries.objects.count() == before


@db_test
def test_a_type_belongs_to_one_series_only(dept):
    decision = dept.doc_type("quyet-dinh")
    actions.save_series(
        dept.admin,
        agency=dept.agency,
        name="Sổ QĐ",
        scope=SeriesScope.TYPES,
        document_types=[decision],
    )
    with pytest.raises(ValidationError) as caught:
        actions.save_series(
            dept.admin,
            agency=dept.agency,
            name="Sổ QĐ 2",
            scope=SeriesScope.TYPES,
            document_types=[decision],
        )
    assert "Quyết định" in caught.value.message_dict["document_types"][0]


@db_test
def test_only_the_agencys_admin_configures_series(dept):
    for person in (dept.clerk, dept.leader, dept.outsider):
        with pytest.raises(PermissionDenied):
            actions.save_series(person, agency=dept.agency, name="Sổ", scope=SeriesScope.BOARD)
    assert not OutgoingSeries.objects.exists()
