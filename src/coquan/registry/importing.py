"""Reading register files (XLSX or CSV) and checking their cells, row by row.

Two kinds of problems, handled differently (issue 8: "nothing half-imported on a fatal
error"):

- **fatal** (``ImportFileError``): the file as a whole is unusable — too large
  (``COQUAN_MAX_UPLOAD_BYTES``), not an XLSX/CSV file, unreadable, empty, too many rows, or
  its header does not have the expected columns. Nothing is imported.
- **row errors** (``RowError``): a row has a bad cell (a missing value, a coordinate outside
  Vietnam, a duplicate code ...). The import actions import every valid row and report each
  invalid row with its number, column and reason.

Cells that look like spreadsheet formulas are read as their text and never evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ROWS = 10_000
MAX_COLUMNS = 40
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")


class ImportFileError(ValidationError):
    """The file as a whole cannot be imported; nothing is written."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class RowProblem(ValueError):
    """Raised by the cell parsers; the caller turns it into a RowError for its column."""


@dataclass
class SourceRow:
    number: int
    cells: dict


@dataclass
class Table:
    rows: list[SourceRow]
    headers: dict = field(default_factory=dict)

    def label(self, column: str) -> str:
        return self.headers.get(column, column)


@dataclass
class ImportResult:
    """What an import did: rows created, rows refused (each with its reason)."""

    created: int
    errors: list[RowError]
    total: int

    @property
    def refused_rows(self) -> int:
        return len({e.row for e in self.errors})


def fold(text) -> str:
    """Text for matching: NFC, trimmed, lower case."""
    return unicodedata.normalize("NFC", str(text or "")).strip().lower()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date | Decimal | int | float) and not isinstance(value, bool):
        return value
    return unicodedata.normalize("NFC", str(value)).strip()


def _too_big(limit: int) -> ImportFileError:
    size = f"{limit / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
    return ImportFileError(
        _("The file is too large: the limit is %(size)s MB.") % {"size": size}, code="too_big"
    )


def _header(raw, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]):
    aliases = {fold(a): key for key, names in columns.items() for a in (key, *names)}
    positions: dict[int, str] = {}
    headers: dict[str, str] = {}
    problems: list[str] = []
    for index, value in enumerate(raw):
        label = str(_cell(value))
        if not label:
            continue
        key = aliases.get(fold(label))
        if key is None:
            problems.append(_("unknown column “%(name)s”") % {"name": label})
        elif key in headers:
            problems.append(_("column “%(name)s” appears twice") % {"name": label})
        else:
            positions[index] = key
            headers[key] = label
    missing = [key for key in required if key not in headers]
    if missing:
        problems.append(_("missing column(s): %(names)s") % {"names": ", ".join(missing)})
    if problems:
        raise ImportFileError(
            _("The header row does not match the template: %(problems)s. Nothing was imported.")
            % {"problems": "; ".join(problems)},
            code="columns",
        )
    return positions, headers


def _table(raw_rows, columns, required) -> Table:
    iterator = iter(raw_rows)
    header = None
    for raw in iterator:
        if any(_cell(v) not in ("", None) for v in raw):
            header = list(raw)
            break
    if header is None:
        raise ImportFileError(_("The file is empty."), code="empty")
    positions, headers = _header(header, columns, required)
    rows: list[SourceRow] = []
    number = 1
    for raw in iterator:
        number += 1
        cells = {positions[i]: _cell(v) for i, v in enumerate(raw) if i in positions}
        if not any(v not in ("", None) for v in cells.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)d rows; split it into several files.")
                % {"max": MAX_ROWS},
                code="too_many_rows",
            )
        rows.append(SourceRow(number=number, cells=cells))
    if not rows:
        raise ImportFileError(_("The file has no data rows."), code="empty")
    return Table(rows=rows, headers=headers)


def _read_xlsx(data: bytes, columns, required) -> Table:
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise ImportFileError(_("This is not an Excel (.xlsx) file."), code="not_xlsx")
    unreadable = ImportFileError(
        _("The Excel file cannot be read; save it again as .xlsx."), code="not_xlsx"
    )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise unreadable from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 100, values_only=True)
        return _table(rows, columns, required)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError):
        raise unreadable from None
    finally:
        workbook.close()


def _read_csv(data: bytes, columns, required) -> Table:
    if b"\x00" in data:
        raise ImportFileError(_("This is not a CSV text file."), code="not_text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is not in UTF-8 encoding; save it again as “CSV UTF-8”."),
            code="encoding",
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = [row[:MAX_COLUMNS] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed: %(error)s") % {"error": exc}, code="malformed"
        ) from None
    return _table(rows, columns, required)


def read_table(upload, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> Table:
    """Read an uploaded .xlsx (or .csv) file; raise ImportFileError when it is unusable."""
    limit = settings.COQUAN_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_big(limit)
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ("xlsx", "csv"):
        raise ImportFileError(
            _("Unsupported file type: upload an Excel .xlsx (or CSV) file."), code="file_type"
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(limit)
    if extension == "csv":
        return _read_csv(data, columns, required)
    return _read_xlsx(data, columns, required)


# --- Cell parsers (raise RowProblem with a message for the person) ---------------------------


def text(value, *, required=False, max_length=250) -> str:
    if isinstance(value, dt.date):
        value = value.strftime("%d/%m/%Y")
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    result = str(value if value is not None else "").strip()
    if required and not result:
        raise RowProblem(_("This value is required."))
    if len(result) > max_length:
        raise RowProblem(_("At most %(max)d characters are allowed.") % {"max": max_length})
    return result


def decimal(value, *, required=False, minimum=None, maximum=None):
    if value in ("", None):
        if required:
            raise RowProblem(_("This value is required."))
        return None
    if isinstance(value, bool):
        raise RowProblem(_("Enter a number."))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        raw = str(value).replace(" ", "").replace("\u00a0", "")
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise RowProblem(_("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise RowProblem(_("Enter a number."))
    if minimum is not None and number < minimum:
        raise RowProblem(
            _("The value must be between %(min)s and %(max)s.")
            % {"min": minimum, "max": maximum if maximum is not None else "…"}
        )
    if maximum is not None and number > maximum:
        raise RowProblem(
            _("The value must be between %(min)s and %(max)s.")
            % {"min": minimum if minimum is not None else "…", "max": maximum}
        )
    return number


def integer(value, *, required=False, minimum=0):
    number = decimal(value, required=required, minimum=minimum)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise RowProblem(_("Enter a whole number, without decimals."))
    return int(number)


def date(value, *, required=False):
    if value in ("", None):
        if required:
            raise RowProblem(_("This value is required."))
        return None
    if isinstance(value, dt.date):
        return value
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    raise RowProblem(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": value})


def choice(value, options: dict[str, str], *, required=False, default=None):
    """The code of ``value`` matched against ``options`` ({folded text: code})."""
    if value in ("", None):
        if required:
            raise RowProblem(_("This value is required."))
        return default
    key = fold(text(value))
    if key not in options:
        raise RowProblem(
            _("“%(value)s” is not one of: %(options)s.")
            % {"value": value, "options": ", ".join(sorted(set(options)))}
        )
    return options[key]


def choice_options(choices) -> dict[str, str]:
    """{folded code or label: code} for a TextChoices class, labels in both languages."""
    from django.utils import translation

    options: dict[str, str] = {}
    for code, label in choices.choices:
        options[fold(code)] = code
        for language in ("vi", "en"):
            with translation.override(language):
                options[fold(str(label))] = code
    return options


def commune_lookup() -> dict[str, object]:
    """{folded name or organ_id: Agency} of the commune and district agencies; names match
    with and without the "UBND " prefix ("UBND xã Xuân Hương" or "xã Xuân Hương")."""
    from coquan.org.choices import AgencyLevel
    from coquan.org.models import Agency

    lookup: dict[str, object] = {}
    levels = (AgencyLevel.COMMUNE, AgencyLevel.DISTRICT)
    for agency in Agency.objects.filter(level__in=levels).only("pk", "name", "organ_id", "level"):
        name = fold(agency.name)
        lookup.setdefault(fold(agency.organ_id), agency)
        lookup.setdefault(name, agency)
        if name.startswith("ubnd "):
            lookup.setdefault(name[5:], agency)
    return lookup


def write_xlsx(headers: list[str], rows: list[list]) -> bytes:
    """A one-sheet workbook (templates and exports)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
