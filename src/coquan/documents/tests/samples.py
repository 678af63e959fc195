"""Sample files (built in memory, byte-exact signatures) and helpers for the tests."""

from __future__ import annotations

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
TIFF_BYTES = b"II*\x00" + b"\x00" * 32
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"This program cannot be run in DOS mode"
)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def odt_bytes() -> bytes:
    return zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
    )


def ole2_bytes(*stream_names: str) -> bytes:
    """A minimal OLE2 compound file whose directory lists ``stream_names`` (512-byte sectors).

    Sector 0 is the FAT, sector 1 the directory (root entry + one entry per stream).
    """
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # number of FAT sectors
    struct.pack_into("<I", header, 0x30, 1)  # first directory sector
    struct.pack_into("<I", header, 0x38, 4096)
    struct.pack_into("<III", header, 0x3C, end, 0, end)
    struct.pack_into("<I", header, 0x48, 0)
    difat = [0] + [free] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = [fat_sector, end] + [free] * 126
    fat_bytes = struct.pack("<128I", *fat)
    directory = bytearray(512)

    def entry(index: int, name: str, kind: int) -> None:
        raw = (name + "\x00").encode("utf-16-le")
        base = index * 128
        directory[base : base + len(raw)] = raw
        struct.pack_into("<HBB", directory, base + 64, len(raw), kind, 1)
        struct.pack_into("<III", directory, base + 68, free, free, free)

    entry(0, "Root Entry", 5)
    for index, name in enumerate(stream_names[:3], start=1):
        entry(index, name, 2)
    return bytes(header) + fat_bytes + bytes(directory)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf_upload(name: str = "cong-van.pdf"):
    return upload(name, PDF_BYTES, "application/pdf")


# --- Outgoing documents -------------------------------------------------------------------------

_PDF_CACHE: dict[str, bytes] = {}

DRAFT_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
body {{ font-family: 'Noto Serif', serif; font-size: 13pt; }}
.head {{ display: flex; justify-content: space-between; text-align: center; }}
.sign {{ margin-left: 55%; text-align: center; margin-top: 20mm; }}
</style></head><body>
<div class="head"><div><b>SỞ THÔNG TIN VÀ TRUYỀN THÔNG</b><br>
Số: &nbsp;&nbsp;&nbsp;/STTTT-CNTT</div>
<div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b></div></div>
<p>V/v {subject}</p><p>Kính gửi: Sở Tài chính tỉnh Bắc Giang.</p>
<p>Sở Thông tin và Truyền thông trả lời như sau: nội dung dự thảo.</p>
<div class="sign"><b>GIÁM ĐỐC</b><br><br><br><br><b>Lê Văn Quyết</b></div>
</body></html>"""


def draft_pdf_bytes(subject: str = "trả lời kiến nghị") -> bytes:
    """A one-page A4 draft in the Decree 30 layout (WeasyPrint, Vietnamese text), cached."""
    if subject not in _PDF_CACHE:
        import weasyprint

        _PDF_CACHE[subject] = weasyprint.HTML(string=DRAFT_HTML.format(subject=subject)).write_pdf()
    return _PDF_CACHE[subject]


def draft_pdf_upload(name: str = "du-thao.pdf", subject: str = "trả lời kiến nghị"):
    return upload(name, draft_pdf_bytes(subject), "application/pdf")
