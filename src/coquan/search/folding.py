"""Vietnamese text folding: the one function used at index time and at query time.

``fold("Quyết định số 05/QĐ-UBND")`` → ``"quyet dinh so 05/qd-ubnd"``: Unicode NFD, combining
marks dropped (tones and vowel hats: ặ ậ ệ ộ ợ ự → a a e o o u), ``đ/Đ`` → ``d/D`` (they are
letters of their own, not a ``d`` with a mark, so NFD alone keeps them — the DESIGN pitfall of
SQLite's ``remove_diacritics``), lower case, then NFC. NFC and NFD inputs give the same result.

``tokens`` cuts folded text into words: runs of letters and digits, everything else is a
separator. The index stores folded words joined by single spaces, so both engines see the
same plain words (PostgreSQL's parser would otherwise read ``05/qd-ubnd`` as one "file path"
token, while FTS5 splits it into three).

``aligned_fold`` folds character by character and keeps, for every folded character, the
index of the original character it came from; the highlighter uses it to put marks around
the original (accented) text where the folded words matched.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Đ/đ (Vietnamese), plus Ð/ð (U+00D0/U+00F0, the look-alike Icelandic eth some old
# Vietnamese keyboard layouts and font conversions produce instead of Đ/đ).
_D_MAP = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D", "ð": "d"})

_WORD = re.compile(r"[^\W_]+")


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) == "Mn"


def fold(text: str) -> str:
    """Fold ``text`` for matching: no tone marks or hats, ``đ`` → ``d``, lower case, NFC."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).lower())
    stripped = "".join(char for char in decomposed if not _is_mark(char))
    # lower() after the translation too: the mapped letters are upper and lower case.
    return unicodedata.normalize("NFC", stripped.translate(_D_MAP).lower())


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` (runs of letters and digits), in order."""
    return _WORD.findall(fold(text))


def words_of_folded(folded: str) -> list[str]:
    """The words of text that is already folded (no second fold)."""
    return _WORD.findall(folded)


def index_text(*parts: str) -> str:
    """Folded words of ``parts`` joined by single spaces: what the index stores and matches."""
    return " ".join(word for part in parts if part for word in tokens(part))


@functools.lru_cache(maxsize=8192)
def fold_char(char: str) -> str:
    """``fold`` of one character (cached: texts use a few hundred distinct characters)."""
    return char.lower() if char.isascii() else fold(char)


def aligned_fold(text: str) -> tuple[str, list[int] | None]:
    """(folded text, origin) where ``origin[i]`` is the index in ``text`` of folded char ``i``.

    Each original character is folded on its own (a combining mark folds to nothing), so the
    folded string can be searched and every hit mapped back to a span of the original.
    ``origin`` is None when every character folded to exactly one (NFC Vietnamese text):
    positions are then the same in both.
    """
    pieces = [fold_char(char) for char in text]
    folded = "".join(pieces)
    if len(folded) == len(text):
        return folded, None
    origin = [index for index, piece in enumerate(pieces) for _ in piece]
    return folded, origin
