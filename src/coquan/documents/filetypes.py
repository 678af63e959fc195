"""File type detection from content (magic bytes), never from the file name.

Only the types the clerk's office handles are accepted (issue 3, part 2): PDF, Word (DOC,
DOCX), Excel (XLS, XLSX), OpenDocument text (ODT) and images (PNG, JPEG, TIFF). A file
whose bytes are none of these (an executable renamed ``.pdf``, a plain ZIP, a PowerPoint)
is refused whatever its name says. No third-party library: the signatures are small.

- PDF: ``%PDF-`` at the start.
- OOXML (DOCX, XLSX) and ODT are ZIP containers: the ZIP directory must name the parts
  that make the format (``word/document.xml``, ``xl/workbook.xml``, or a ``mimetype``
  entry reading ``application/vnd.oasis.opendocument.text``).
- DOC and XLS are OLE2 compound files: the directory must hold a ``WordDocument`` stream
  (DOC) or a ``Workbook``/``Book`` stream (XLS).
- PNG, JPEG and TIFF by their fixed signatures.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str
    label: str


PDF = FileType("application/pdf", "pdf", "PDF")
DOC = FileType("application/msword", "doc", "Word (DOC)")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX"
)
XLS = FileType("application/vnd.ms-excel", "xls", "Excel (XLS)")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "ODT")
PNG = FileType("image/png", "png", "PNG")
JPEG = FileType("image/jpeg", "jpg", "JPEG")
TIFF = FileType("image/tiff", "tif", "TIFF")

ALLOWED_TYPES = (PDF, DOC, DOCX, XLS, XLSX, ODT, PNG, JPEG, TIFF)
ALLOWED_LABELS = ", ".join(t.label for t in ALLOWED_TYPES)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# OLE2 (Compound File Binary) constants.
_END_OF_CHAIN = 0xFFFFFFFE
_MAX_SECTOR = 0xFFFFFFFA
_MAX_DIRECTORY_SECTORS = 64


def sniff(fileobj) -> FileType | None:
    """The allowed type of the file's content, or ``None`` when it is not one of them.

    ``fileobj`` must be seekable (Django uploads are); its position is restored.
    """
    start = fileobj.tell()
    try:
        fileobj.seek(0)
        head = fileobj.read(16)
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith((b"II*\x00", b"MM\x00*")):
            return TIFF
        if head.startswith(ZIP_MAGIC):
            fileobj.seek(0)
            return _sniff_zip(fileobj)
        if head.startswith(OLE2_MAGIC):
            fileobj.seek(0)
            return _sniff_ole2(fileobj)
        return None
    finally:
        fileobj.seek(start)


def _sniff_zip(fileobj) -> FileType | None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    if member.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                        return ODT
                return None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        return None
    return None


def ole2_stream_names(fileobj) -> set[str]:
    """Names of the entries in an OLE2 compound file's directory (best effort, bounded).

    Reads the header, the FAT sectors listed in the header's DIFAT (enough for files of
    several megabytes) and follows the directory chain for at most 64 sectors.
    """
    header = fileobj.read(512)
    if len(header) < 512 or not header.startswith(OLE2_MAGIC):
        return set()
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        return set()
    sector_size = 1 << sector_shift
    first_dir = struct.unpack_from("<I", header, 0x30)[0]
    difat = struct.unpack_from("<109I", header, 0x4C)
    entries_per_fat = sector_size // 4

    def read_sector(number: int) -> bytes:
        fileobj.seek((number + 1) * sector_size)
        return fileobj.read(sector_size)

    fat_cache: dict[int, tuple[int, ...]] = {}

    def next_sector(number: int) -> int:
        fat_index, offset = divmod(number, entries_per_fat)
        if fat_index >= len(difat) or difat[fat_index] > _MAX_SECTOR:
            return _END_OF_CHAIN
        if fat_index not in fat_cache:
            data = read_sector(difat[fat_index])
            if len(data) < sector_size:
                return _END_OF_CHAIN
            fat_cache[fat_index] = struct.unpack(f"<{entries_per_fat}I", data)
        return fat_cache[fat_index][offset]

    names: set[str] = set()
    sector = first_dir
    seen: set[int] = set()
    while sector <= _MAX_SECTOR and sector not in seen and len(seen) < _MAX_DIRECTORY_SECTORS:
        seen.add(sector)
        data = read_sector(sector)
        for pos in range(0, len(data) - 127, 128):
            entry = data[pos : pos + 128]
            name_length = struct.unpack_from("<H", entry, 64)[0]
            entry_type = entry[66]
            if entry_type in (1, 2, 5) and 2 <= name_length <= 64:
                names.add(entry[: name_length - 2].decode("utf-16-le", errors="replace"))
        sector = next_sector(sector)
    return names


def _sniff_ole2(fileobj) -> FileType | None:
    try:
        names = ole2_stream_names(fileobj)
    except (struct.error, OSError, ValueError):
        return None
    if "WordDocument" in names:
        return DOC
    if "Workbook" in names or "Book" in names:
        return XLS
    return None
