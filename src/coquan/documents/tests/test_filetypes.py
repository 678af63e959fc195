"""File types are recognised from their bytes; names are sanitised."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coquan.documents import filetypes
from coquan.documents.files import safe_filename
from coquan.documents.tests import samples


@pytest.mark.parametrize(
    "data,expected",
    [
        (samples.PDF_BYTES, filetypes.PDF),
        (samples.docx_bytes(), filetypes.DOCX),
        (samples.xlsx_bytes(), filetypes.XLSX),
        (samples.odt_bytes(), filetypes.ODT),
        (samples.ole2_bytes("WordDocument", "1Table"), filetypes.DOC),
        (samples.ole2_bytes("Workbook"), filetypes.XLS),
        (samples.ole2_bytes("Book"), filetypes.XLS),
        (samples.PNG_BYTES, filetypes.PNG),
        (samples.JPEG_BYTES, filetypes.JPEG),
        (samples.TIFF_BYTES, filetypes.TIFF),
    ],
    ids=["pdf", "docx", "xlsx", "odt", "doc", "xls", "xls-book", "png", "jpeg", "tiff"],
)
def test_allowed_types_are_recognised_from_content(data, expected):
    assert filetypes.sniff(io.BytesIO(data)) == expected


@pytest.mark.parametrize(
    "data",
    [
        samples.EXE_BYTES,
        b"",
        b"plain text pretending to be a PDF",
        b"<html><script>alert(1)</script></html>",
        samples.zip_bytes({"readme.txt": b"hello"}),
        samples.zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
        samples.zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        samples.ole2_bytes("PowerPoint Document"),
        samples.ole2_bytes(),
        b"PK\x03\x04 truncated zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 truncated ole2",
    ],
    ids=[
        "exe",
        "empty",
        "text",
        "html",
        "plain-zip",
        "pptx",
        "ods",
        "ppt",
        "ole2-no-stream",
        "broken-zip",
        "broken-ole2",
    ],
)
def test_other_content_is_refused_whatever_its_name(data):
    assert filetypes.sniff(io.BytesIO(data)) is None


def test_sniff_restores_the_file_position():
    handle = io.BytesIO(samples.docx_bytes())
    handle.seek(7)
    filetypes.sniff(handle)
    assert handle.tell() == 7


@pytest.mark.parametrize(
    "name,expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\evil.pdf", "evil.pdf"),
        ("/var/lib/coquan/files/x.pdf", "x.pdf"),
        ("..", "tep-dinh-kem"),
        (".htaccess", "htaccess"),
        ("Công văn số 12\x00.pdf", "Công văn số 12.pdf"),
        ('a<b>c:d"e|f?g*h.pdf', "abcdefgh.pdf"),
        ("Quyết định   bổ nhiệm.docx", "Quyết định bổ nhiệm.docx"),
        ("", "tep-dinh-kem"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_long_names_keep_their_extension():
    name = safe_filename("đ" * 400 + ".pdf")
    assert name.endswith(".pdf") and len(name) <= 200


@given(st.text(max_size=300))
def test_safe_filename_never_leaves_a_path(name):
    result = safe_filename(name)
    assert result
    assert "/" not in result and "\\" not in result and "\x00" not in result
    assert not result.startswith(".")
    assert len(result) <= 200
