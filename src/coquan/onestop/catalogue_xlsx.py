"""The procedure catalogue as an XLSX workbook (export and import), beside the JSON format
of ``catalogue_io``: the workbook is read into the same JSON structure and validated by
``catalogue_io.parse`` and ``actions.import_catalogue``, so both formats obey one set of
rules. Errors name the sheet and row.

Three sheets, one header row each, values as the JSON format writes them (codes for
choices, unit codes of the importing agency):

- ``Thủ tục``: STT, code, name, sector code, sector, level, competent authority, legal
  basis, result, fee (đồng), fee note, time limit, time unit, cut-off (HH:MM), online level,
  version and state (information only);
- ``Thành phần hồ sơ``: procedure code, name, form, copies, template, mandatory (có /
  không), applies to;
- ``Các bước``: procedure code, name, unit code, role, time budget.

Papers and steps belong to the procedure whose code they name, in the order of their rows.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from coquan.onestop import catalogue_io

MAX_BYTES = catalogue_io.MAX_BYTES
MAX_ROWS = 5000
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SHEET_PROCEDURES = pgettext_lazy("catalogue sheet", "Procedures")
SHEET_COMPONENTS = pgettext_lazy("catalogue sheet", "Dossier papers")
SHEET_STEPS = pgettext_lazy("catalogue sheet", "Steps")

# (JSON key, header) per sheet, in column order.
PROCEDURE_COLUMNS = (
    ("number", pgettext_lazy("catalogue column", "No.")),
    ("code", pgettext_lazy("catalogue column", "Procedure code")),
    ("name", pgettext_lazy("catalogue column", "Name")),
    ("sector_code", pgettext_lazy("catalogue column", "Sector code")),
    ("sector_name", pgettext_lazy("catalogue column", "Sector")),
    ("level", pgettext_lazy("catalogue column", "Level")),
    ("competent_authority", pgettext_lazy("catalogue column", "Competent authority")),
    ("legal_basis", pgettext_lazy("catalogue column", "Legal basis")),
    ("result_name", pgettext_lazy("catalogue column", "Result")),
    ("fee_amount", pgettext_lazy("catalogue column", "Fee (đồng)")),
    ("fee_note", pgettext_lazy("catalogue column", "Fee note")),
    ("time_limit", pgettext_lazy("catalogue column", "Time limit")),
    ("time_unit", pgettext_lazy("catalogue column", "Time unit")),
    ("cutoff_time", pgettext_lazy("catalogue column", "Cut-off")),
    ("online_level", pgettext_lazy("catalogue column", "Online level")),
    ("version", pgettext_lazy("catalogue column", "Version")),
    ("state", pgettext_lazy("catalogue column", "State")),
)
COMPONENT_COLUMNS = (
    ("procedure", pgettext_lazy("catalogue column", "Procedure code")),
    ("name", pgettext_lazy("catalogue column", "Paper")),
    ("paper_form", pgettext_lazy("catalogue column", "Form")),
    ("count", pgettext_lazy("catalogue column", "Copies")),
    ("template_name", pgettext_lazy("catalogue column", "Template")),
    ("required", pgettext_lazy("catalogue column", "Mandatory")),
    ("applies_to", pgettext_lazy("catalogue column", "Applies to")),
)
STEP_COLUMNS = (
    ("procedure", pgettext_lazy("catalogue column", "Procedure code")),
    ("name", pgettext_lazy("catalogue column", "Step")),
    ("responsible_unit", pgettext_lazy("catalogue column", "Unit code")),
    ("responsible_role", pgettext_lazy("catalogue column", "Role")),
    ("time_budget", pgettext_lazy("catalogue column", "Time budget")),
)
YES = {"có", "co", "x", "yes", "true", "1", "bắt buộc"}
NO = {"không", "khong", "no", "false", "0", ""}


# --- export -----------------------------------------------------------------------------------


def export_workbook(agency, procedures) -> bytes:
    """The workbook of ``procedures`` (prefetch components and steps__responsible_unit)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = catalogue_io.export_catalogue(agency, procedures)
    book = Workbook()
    bold = Font(bold=True)
    sheets = []
    for title, columns in (
        (SHEET_PROCEDURES, PROCEDURE_COLUMNS),
        (SHEET_COMPONENTS, COMPONENT_COLUMNS),
        (SHEET_STEPS, STEP_COLUMNS),
    ):
        sheet = book.active if not sheets else book.create_sheet()
        sheet.title = str(title)
        sheet.append([str(label) for _key, label in columns])
        for cell in sheet[1]:
            cell.font = bold
        sheets.append(sheet)
    procedure_sheet, component_sheet, step_sheet = sheets
    for number, entry in enumerate(data["procedures"], start=1):
        row = dict(entry, number=number)
        row["sector_code"] = entry["sector"]["code"]
        row["sector_name"] = entry["sector"]["name"]
        row["time_limit"] = _number(entry["time_limit"])
        procedure_sheet.append([row.get(key) for key, _label in PROCEDURE_COLUMNS])
        for paper in entry["components"]:
            values = dict(paper, procedure=entry["code"])
            values["required"] = pgettext("yes/no", "yes") if paper["required"] else ""
            component_sheet.append([values.get(key) for key, _label in COMPONENT_COLUMNS])
        for step in entry["steps"]:
            values = dict(step, procedure=entry["code"], time_budget=_number(step["time_budget"]))
            step_sheet.append([values.get(key) for key, _label in STEP_COLUMNS])
    widths = {"A": 8, "B": 18, "C": 60}
    for sheet in sheets:
        for letter, width in widths.items():
            sheet.column_dimensions[letter].width = width
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _number(text: str):
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


# --- import -----------------------------------------------------------------------------------


class _Rows:
    """The data rows of one sheet as dicts, with their row numbers."""

    def __init__(self, book, title, columns, errors):
        self.title = str(title)
        self.rows: list[tuple[int, dict]] = []
        if self.title not in book.sheetnames:
            errors.append(_("The workbook has no sheet “%(sheet)s”.") % {"sheet": self.title})
            return
        sheet = book[self.title]
        keys = [key for key, _label in columns]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number == 1:
                continue
            if number > MAX_ROWS:
                errors.append(
                    _("Sheet “%(sheet)s” has more than %(max)d rows.")
                    % {"sheet": self.title, "max": MAX_ROWS}
                )
                break
            values = list(values[: len(keys)]) + [None] * (len(keys) - len(values))
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            self.rows.append((number, dict(zip(keys, values, strict=True))))

    def where(self, number: int) -> str:
        return _("Sheet “%(sheet)s”, row %(row)d") % {"sheet": self.title, "row": number}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _whole(value, where: str, label, errors: list[str]):
    """A whole number from a cell (Excel stores numbers as floats)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = None
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < 0:
        errors.append(
            _("%(where)s: %(column)s must be a whole number.") % {"where": where, "column": label}
        )
        return None
    return value


def _flag(value, where: str, label, errors: list[str]) -> bool:
    text = _text(value).lower()
    if value is True or text in YES:
        return True
    if value is False or text in NO:
        return False
    errors.append(
        _("%(where)s: %(column)s must be “có” or “không”.") % {"where": where, "column": label}
    )
    return True


def _cutoff(value) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M")
    return _text(value)


def _label(columns, key):
    return dict(columns)[key]


def read_workbook(content: bytes) -> tuple[dict, list[tuple[int, str]], list[str]]:
    """The catalogue in the JSON structure of ``catalogue_io``, the (row, code) of each
    procedure, and the problems found in the workbook itself."""
    from openpyxl import load_workbook

    if len(content) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB.")})
    if not content.startswith(b"PK"):
        raise ValidationError({"file": _("The file is not an Excel workbook (.xlsx).")})
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ValidationError({"file": _("The file is not an Excel workbook (.xlsx).")}) from None
    errors: list[str] = []
    try:
        procedures = _Rows(book, SHEET_PROCEDURES, PROCEDURE_COLUMNS, errors)
        components = _Rows(book, SHEET_COMPONENTS, COMPONENT_COLUMNS, errors)
        steps = _Rows(book, SHEET_STEPS, STEP_COLUMNS, errors)
    finally:
        book.close()
    if errors:
        raise ValidationError({"file": errors})
    entries, places, by_code = [], [], {}
    for number, row in procedures.rows:
        where = procedures.where(number)
        code = _text(row["code"])
        if code in by_code:
            errors.append(
                _("%(where)s: procedure %(code)s appears twice.") % {"where": where, "code": code}
            )
            continue
        entry = {
            key: _text(row[key])
            for key in catalogue_io.TEXT_FIELDS
            if key in row  # time_unit, online_level… as written
        }
        entry["sector"] = {"code": _text(row["sector_code"]), "name": _text(row["sector_name"])}
        entry["fee_amount"] = _whole(
            row["fee_amount"], where, _label(PROCEDURE_COLUMNS, "fee_amount"), errors
        )
        entry["time_limit"] = _text(row["time_limit"])
        entry["cutoff_time"] = _cutoff(row["cutoff_time"])
        entry["components"], entry["steps"] = [], []
        by_code[code] = entry
        entries.append(entry)
        places.append((number, code))
    for number, row in components.rows:
        where = components.where(number)
        entry = by_code.get(_text(row["procedure"]))
        if entry is None:
            errors.append(
                _("%(where)s: no procedure with code “%(code)s” on sheet “%(sheet)s”.")
                % {"where": where, "code": _text(row["procedure"]), "sheet": procedures.title}
            )
            continue
        count = _whole(row["count"], where, _label(COMPONENT_COLUMNS, "count"), errors)
        entry["components"].append(
            {
                "name": _text(row["name"]),
                "paper_form": _text(row["paper_form"]) or "original",
                "count": 1 if count is None else count,
                "template_name": _text(row["template_name"]),
                "required": _flag(
                    row["required"], where, _label(COMPONENT_COLUMNS, "required"), errors
                ),
                "applies_to": _text(row["applies_to"]) or "all",
            }
        )
    for number, row in steps.rows:
        where = steps.where(number)
        entry = by_code.get(_text(row["procedure"]))
        if entry is None:
            errors.append(
                _("%(where)s: no procedure with code “%(code)s” on sheet “%(sheet)s”.")
                % {"where": where, "code": _text(row["procedure"]), "sheet": procedures.title}
            )
            continue
        entry["steps"].append(
            {
                "name": _text(row["name"]),
                "responsible_unit": _text(row["responsible_unit"]) or None,
                "responsible_role": _text(row["responsible_role"]),
                "time_budget": _text(row["time_budget"]),
            }
        )
    catalogue = {
        "format": catalogue_io.FORMAT,
        "format_version": catalogue_io.FORMAT_VERSION,
        "procedures": entries,
    }
    return catalogue, places, errors


def _relabel(messages, places, sheet: str) -> list[str]:
    """Name the sheet and row in the messages of ``catalogue_io`` and of the import action,
    which number procedures from 1 in file order."""
    prefixes = []
    for index, (row, code) in enumerate(places, start=1):
        where = _("Sheet “%(sheet)s”, row %(row)d (%(code)s)") % {
            "sheet": sheet,
            "row": row,
            "code": code or "?",
        }
        prefixes.append((_("procedure %(number)d") % {"number": index}, where))
        prefixes.append(
            (
                _("Procedure %(number)d (%(code)s): %(message)s")
                % {"number": index, "code": code or "?", "message": ""},
                where + ": ",
            )
        )
    result = []
    for message in messages:
        message = str(message)
        for prefix, where in sorted(prefixes, key=lambda p: -len(p[0])):
            rest = message[len(prefix) :]
            if message.startswith(prefix) and not rest[:1].isdigit():
                message = where + rest
                break
        result.append(message)
    return result


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for errors in exc.message_dict.values() for m in errors]
    return list(exc.messages)


def import_workbook(actor, *, agency, content: bytes, publish: bool = False):
    """Read, validate and import a workbook: all or nothing (``actions.import_catalogue``
    runs in one transaction); ``ValidationError`` on ``file`` lists every problem, each
    with its sheet and row."""
    from coquan.onestop import actions

    catalogue, places, errors = read_workbook(content)
    sheet = str(SHEET_PROCEDURES)
    if not places and not errors:
        raise ValidationError({"file": _("The catalogue lists no procedure.")})
    entries = None
    try:
        entries = catalogue_io.parse(catalogue, agency)
    except ValidationError as exc:
        errors += _relabel(_messages(exc), places, sheet)
    if errors:
        raise ValidationError({"file": errors}, code="invalid_catalogue")
    try:
        return actions.import_catalogue(actor, agency=agency, entries=entries, publish=publish)
    except ValidationError as exc:
        raise ValidationError(
            {"file": _relabel(_messages(exc), places, sheet)}, code="invalid_catalogue"
        ) from None
