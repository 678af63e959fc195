"""Golden searches with real Vietnamese titles: the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata

import pytest

pytestmark = pytest.mark.django_db


def test_words_without_tone_marks_find_the_decision(golden):
    titles = golden.titles("quyet dinh cap phep")
    assert titles == [golden.docs["licence"].subject]


def test_words_with_tone_marks_find_the_same_decision(golden):
    assert golden.titles("Quyết định cấp phép") == [golden.docs["licence"].subject]
    assert golden.titles("QUYẾT ĐỊNH CẤP PHÉP") == [golden.docs["licence"].subject]


def test_d_with_stroke_folds_to_d(golden):
    expected = [golden.docs["dongda"].subject]
    assert golden.titles("dong da") == expected
    assert golden.titles("Đống Đa") == expected
    assert golden.titles("đống đa") == expected
    assert golden.titles("DONG DA") == expected


@pytest.mark.parametrize(
    "text",
    ["cap nhat", "dac thu", "hoat dong", "hop tac", "du lieu", "huong dan", "thuc hien cap"],
)
def test_stacked_tones_fold_to_their_base_vowel(golden, text):
    # ự ệ ậ ặ ộ ợ ữ ướ: every stacked tone mark of the title folds away.
    assert golden.titles(text) == [golden.docs["tones"].subject]


def test_stacked_tones_typed_with_their_marks(golden):
    assert golden.titles("thực hiện cập nhật đặc thù hoạt động hợp tác") == [
        golden.docs["tones"].subject
    ]


def test_nfd_input_matches_nfc_text(golden):
    query = unicodedata.normalize("NFD", "Đống Đa quy hoạch")
    assert query != unicodedata.normalize("NFC", query)
    assert golden.titles(query) == [golden.docs["dongda"].subject]


def test_nfd_text_is_found_by_nfc_input(golden):
    subject = unicodedata.normalize("NFD", "Thông báo kết luận của Chủ tịch về phòng chống lụt bão")
    doc = golden.register(subject=subject, code_number="9", code_notation="TB-VP")
    assert [h.object_id for h in golden.search("lụt bão").hits] == [doc.pk]
    assert [h.object_id for h in golden.search("lut bao").hits] == [doc.pk]


@pytest.mark.parametrize("text", ["05/QĐ-UBND", "05/QD-UBND", "05/qd-ubnd", "05/qđ-ubnd"])
def test_number_and_notation_with_and_without_diacritics(golden, text):
    hits = golden.search(text).hits
    assert [h.number for h in hits] == ["05/QĐ-UBND"]
    assert "<mark>05/QĐ-UBND</mark>" in hits[0].number_html


@pytest.mark.parametrize("text", ["2491/STC-BCTC", "2491/stc-bctc", '"2491 STC BCTC"'])
def test_finance_notation(golden, text):
    assert [h.number for h in golden.search(text).hits] == ["2491/STC-BCTC"]


def test_a_notation_alone_finds_every_document_carrying_it(golden):
    numbers = sorted(h.number for h in golden.search("QĐ-UBND").hits)
    assert numbers == ["05/QĐ-UBND", "77/QĐ-UBND"]


def test_highlight_marks_the_original_words(golden):
    hit = golden.search("dong da").hits[0]
    assert "quận <mark>Đống</mark> <mark>Đa</mark>" in hit.title_html


def test_issuer_matches_with_lower_weight_than_subject(golden):
    # "tai chinh" is the issuer of the budget report and in no subject.
    assert golden.titles("tai chinh") == [golden.docs["budget"].subject]
    # In the subject (A) of the founding decision, in the issuer (B) of the guidance.
    assert golden.titles("thong tin truyen thong") == [
        golden.docs["founding"].subject,
        golden.docs["tones"].subject,
    ]


def test_prefix_search(golden):
    assert golden.titles("quy hoa*") == [golden.docs["dongda"].subject]


def test_phrase_requires_the_words_in_order(golden):
    assert golden.titles('"cap phep xuat ban"') == [golden.docs["licence"].subject]
    assert golden.titles('"xuat ban cap phep"') == []


def test_exclusion_and_alternatives(golden):
    assert golden.titles("quyet dinh -cap") == [golden.docs["founding"].subject]
    assert sorted(golden.titles('"dong da" OR "ngan sach"')) == sorted(
        [golden.docs["dongda"].subject, golden.docs["budget"].subject]
    )
    # OR joins its two neighbours only: (dong OR ngan) AND sach.
    assert golden.titles("dong OR ngan sach") == [golden.docs["budget"].subject]


def test_autocomplete_gives_the_eight_newest_matches(golden):
    docs = [
        golden.register(subject=f"Giấy mời họp giao ban tuần {i}", code_number=str(40 + i))
        for i in range(11)
    ]
    hits = golden.backend.autocomplete("giay moi ho", golden.clerk, agency=golden.agency)
    assert [h.object_id for h in hits] == [d.pk for d in reversed(docs)][:8]
    assert hits[0].title_html.startswith("<mark>Giấy</mark> <mark>mời</mark> <mark>họp</mark>")
    # A rarer word than the window can hold: found by the index lookup.
    hits = golden.backend.autocomplete("05/QĐ-UB", golden.clerk, agency=golden.agency)
    assert [h.number for h in hits] == ["05/QĐ-UBND"]
