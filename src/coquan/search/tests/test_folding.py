"""Vietnamese folding: one function for index and query time (property tests + fixed cases)."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coquan.search.folding import aligned_fold, fold, index_text, tokens

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " 0123456789/-.,"), max_size=80
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Quyết định cấp phép", "quyet dinh cap phep"),
        ("Đống Đa", "dong da"),
        ("ĐỐNG ĐA", "dong da"),
        ("ặ ậ ệ ộ ợ ự", "a a e o o u"),
        ("Ặ Ậ Ệ Ộ Ợ Ự", "a a e o o u"),
        ("05/QĐ-UBND", "05/qd-ubnd"),
        ("Ủy ban nhân dân tỉnh Bắc Giang", "uy ban nhan dan tinh bac giang"),
        ("Ðà Nẵng", "da nang"),  # U+00D0, the look-alike of Đ
        ("", ""),
    ],
)
def test_fixed_cases(text, folded):
    assert fold(text) == folded


def test_nfd_and_nfc_inputs_fold_to_the_same_text():
    nfc = "Nghị định số 30/2020/NĐ-CP về công tác văn thư"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    assert fold(nfc) == fold(nfd) == "nghi dinh so 30/2020/nd-cp ve cong tac van thu"


def test_tokens_cut_numbers_and_notations_into_pieces():
    assert tokens("Số: 2491/STC-BCTC") == ["so", "2491", "stc", "bctc"]
    assert index_text("05/QĐ-UBND", "Về việc…") == "05 qd ubnd ve viec"


def test_aligned_fold_maps_every_folded_character_back():
    text = unicodedata.normalize("NFD", "Đống Đa")
    folded, origin = aligned_fold(text)
    assert folded == "dong da"
    assert text[origin[0]] == "Đ" and len(origin) == len(folded)


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_nfc_and_nfd_forms_fold_equal(text):
    assert fold(unicodedata.normalize("NFC", text)) == fold(unicodedata.normalize("NFD", text))


@given(st.text(alphabet=string.printable))
def test_ascii_is_unchanged_except_case(text):
    assert fold(text) == text.lower()


@given(vietnamese_text)
def test_vietnamese_text_folds_to_ascii(text):
    assert fold(text).isascii()


@given(vietnamese_text)
def test_aligned_fold_agrees_with_fold_on_vietnamese(text):
    assert aligned_fold(text)[0] == fold(text)


@given(st.text())
def test_tokens_are_folded_letters_and_digits_only(text):
    for word in tokens(text):
        assert word and all(char.isalnum() for char in word)
        assert fold(word) == word
