"""Reading and checking an org-tree file (CSV or XLSX) before ``import_org_tree`` writes it.

The file is a table with a header row; each further row is a unit or a person (column
``kind``). Columns are documented in docs/org.md and in the downloadable template; Vietnamese
header names are accepted too. The reader never evaluates anything: cells that look like
spreadsheet formulas (``=...``, ``+...``) are kept as plain text.

Reading (``read_table``) fails on the file as a whole (type, size, encoding, header);
checking (``build_plan``) collects every row-level problem (row number, column, message), so
the person fixes the whole file in one go. Only a file without any problem is imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.org import rules
from coquan.org.models import Membership, Position, Role, Unit

MAX_ROWS = 5000
MAX_COLUMNS = 30

# Canonical column name -> accepted header names (compared case-insensitively, NFC).
COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "loại"),
    "code": ("code", "mã đơn vị"),
    "name": ("name", "tên đơn vị"),
    "parent_code": ("parent_code", "mã đơn vị cấp trên"),
    "valid_from": ("valid_from", "hiệu lực từ"),
    "username": ("username", "tên đăng nhập"),
    "full_name": ("full_name", "họ và tên"),
    "email": ("email", "thư điện tử"),
    "unit_code": ("unit_code", "mã đơn vị công tác"),
    "position": ("position", "chức vụ"),
    "roles": ("roles", "vai trò"),
    "start_date": ("start_date", "ngày bắt đầu"),
}
KIND_UNIT = "unit"
KIND_PERSON = "person"
KINDS = {"unit": KIND_UNIT, "đơn vị": KIND_UNIT, "person": KIND_PERSON, "cán bộ": KIND_PERSON}

TEMPLATE_ROWS = [
    list(COLUMNS),
    ["unit", "VP", "Văn phòng", "", "01/07/2025", "", "", "", "", "", "", ""],
    ["unit", "VP-TH", "Tổ Tổng hợp", "VP", "01/07/2025", "", "", "", "", "", "", ""],
    [
        "person",
        "",
        "",
        "",
        "",
        "nguyenvana",
        "Nguyễn Văn A",
        "nguyenvana@example.gov.vn",
        "VP-TH",
        "Chuyên viên",
        "clerk;officer",
        "01/07/2025",
    ],
]


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class SourceRow:
    number: int
    cells: dict


@dataclass
class Table:
    """The rows of an uploaded file, with the header names as they were written."""

    rows: list[SourceRow]
    headers: dict = field(default_factory=dict)

    def label(self, column: str) -> str:
        return self.headers.get(column, column)


class ImportFileError(ValidationError):
    """The file as a whole cannot be read (type, size, encoding, structure)."""


class ImportRowErrors(ValidationError):
    """Some rows are wrong; ``row_errors`` lists each (row, column, message)."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = sorted(row_errors, key=lambda e: (e.row, e.column))
        super().__init__(
            _("The file has %(count)d error(s); nothing was imported.")
            % {"count": len(self.row_errors)},
            code="import_rows",
        )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip().lower()


ALIASES = {_fold(alias): canonical for canonical, names in COLUMNS.items() for alias in names}


def _cell(value):
    """A cell as text (or a date, kept for date columns); formulas stay literal text."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


def _read_header(raw: list) -> tuple[dict[int, str], dict[str, str]]:
    positions: dict[int, str] = {}
    headers: dict[str, str] = {}
    errors: list[RowError] = []
    for index, value in enumerate(raw):
        label = _cell(value)
        if not isinstance(label, str):
            label = str(label)
        if not label:
            continue
        canonical = ALIASES.get(_fold(label))
        if canonical is None:
            errors.append(RowError(1, label, _("Unknown column.")))
        elif canonical in headers:
            errors.append(RowError(1, label, _("This column appears twice.")))
        else:
            positions[index] = canonical
            headers[canonical] = label
    if "kind" not in headers:
        errors.append(RowError(1, "kind", _("The column kind is missing.")))
    if errors:
        raise ImportRowErrors(errors)
    return positions, headers


def _table_from_rows(raw_rows) -> Table:
    iterator = iter(raw_rows)
    header = None
    for raw in iterator:
        if any(_cell(v) for v in raw):
            header = list(raw)
            break
    if header is None:
        raise ImportFileError(_("The file is empty."), code="empty")
    positions, headers = _read_header(header)
    rows: list[SourceRow] = []
    number = 1
    for raw in iterator:
        number += 1
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)d rows; split it into several files.")
                % {"max": MAX_ROWS},
                code="too_many_rows",
            )
        cells = {positions[i]: _cell(v) for i, v in enumerate(raw) if i in positions}
        if not any(cells.values()):
            continue
        rows.append(SourceRow(number=number, cells=cells))
    if not rows:
        raise ImportFileError(_("The file has no data rows."), code="empty")
    return Table(rows=rows, headers=headers)


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data:
        raise ImportFileError(_("This is not a CSV text file."), code="not_text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The CSV file is not in UTF-8 encoding. Save it again choosing "
                "“CSV UTF-8” as the file type."
            ),
            code="encoding",
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if first_line.count(";") > first_line.count(","):
        delimiter = ";"
    elif first_line.count("\t") > first_line.count(","):
        delimiter = "\t"
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        raw_rows = [row[:MAX_COLUMNS] for row in reader]
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed: %(error)s") % {"error": exc}, code="malformed"
        ) from None
    return _table_from_rows(raw_rows)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise ImportFileError(_("This is not an Excel (.xlsx) file."), code="not_xlsx")
    try:
        # data_only=False: a formula is read as its text and stored as text, never evaluated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ImportFileError(
            _("The Excel file cannot be read; save it again as .xlsx."), code="not_xlsx"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        raw_rows = sheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 50, values_only=True)
        return _table_from_rows(raw_rows)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError):
        raise ImportFileError(
            _("The Excel file cannot be read; save it again as .xlsx."), code="not_xlsx"
        ) from None
    finally:
        workbook.close()


def read_table(upload) -> Table:
    """Read an uploaded ``.csv`` or ``.xlsx`` file into a ``Table``; raise ImportFileError."""
    name = getattr(upload, "name", "") or ""
    limit = settings.COQUAN_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ImportFileError(_too_big_message(limit), code="too_big")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ("csv", "xlsx"):
        raise ImportFileError(
            _("Unsupported file type: upload a .csv or .xlsx file."), code="file_type"
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ImportFileError(_too_big_message(limit), code="too_big")
    return _read_csv(data) if extension == "csv" else _read_xlsx(data)


def _too_big_message(limit: int) -> str:
    return _("The file is too large: the limit is %(size)s MB.") % {
        "size": f"{limit / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
    }


# --- Checking ------------------------------------------------------------------------------------


@dataclass
class UnitRow:
    number: int
    code: str
    name: str
    parent_code: str
    valid_from: dt.date


@dataclass
class PersonRow:
    number: int
    username: str
    full_name: str
    email: str
    unit_code: str
    position: str
    roles: list[str]
    start_date: dt.date


@dataclass
class Plan:
    units: list[UnitRow]  # parents before children
    people: list[PersonRow]
    existing_units: dict  # lower-case code -> Unit (in force)
    new_positions: list[str]
    existing_positions: dict  # lower-case name -> Position


REQUIRED_BY_KIND = {
    KIND_UNIT: ("code", "name"),
    KIND_PERSON: ("username", "full_name"),
}


def _date(errors, row: SourceRow, table: Table, column: str, today: dt.date) -> dt.date:
    value = row.cells.get(column, "")
    if value in ("", None):
        return today
    parsed = rules.parse_date(value)
    if parsed is None:
        errors.append(RowError(row.number, table.label(column), rules.date_error(value)))
        return today
    return parsed


def _text(row: SourceRow, column: str) -> str:
    value = row.cells.get(column, "")
    return value if isinstance(value, str) else value.strftime("%d/%m/%Y")


def build_plan(agency, table: Table) -> Plan:
    """Check every row of ``table`` for ``agency``; return the plan or raise ImportRowErrors."""
    errors: list[RowError] = []
    today = timezone.localdate()
    units: dict[str, UnitRow] = {}
    people: list[PersonRow] = []
    seen_usernames: dict[str, int] = {}
    label = table.label
    for row in table.rows:
        kind = KINDS.get(_fold(_text(row, "kind")))
        if kind is None:
            errors.append(
                RowError(
                    row.number,
                    label("kind"),
                    _("Unknown kind %(value)s: use unit or person.")
                    % {"value": _text(row, "kind") or "-"},
                )
            )
            continue
        missing = [c for c in REQUIRED_BY_KIND[kind] if not _text(row, c)]
        for column in missing:
            if column not in table.headers:
                message = _("The column %(column)s is required for this kind of row.")
            else:
                message = _("This field is required.")
            errors.append(RowError(row.number, label(column), message % {"column": column}))
        if kind == KIND_UNIT:
            code = _text(row, "code")
            if code and (message := rules.unit_code_error(code)):
                errors.append(RowError(row.number, label("code"), message))
            name = _text(row, "name")
            if name and (message := rules.required_text_error(name, 200)):
                errors.append(RowError(row.number, label("name"), message))
            unit_row = UnitRow(
                number=row.number,
                code=code,
                name=name,
                parent_code=_text(row, "parent_code"),
                valid_from=_date(errors, row, table, "valid_from", today),
            )
            if code:
                first = units.get(code.lower())
                if first is not None:
                    errors.append(
                        RowError(
                            row.number,
                            label("code"),
                            _("The unit code %(code)s is repeated (first on row %(row)d).")
                            % {"code": code, "row": first.number},
                        )
                    )
                else:
                    units[code.lower()] = unit_row
        else:
            username = _text(row, "username")
            full_name = _text(row, "full_name")
            if full_name and (message := rules.required_text_error(full_name, 150)):
                errors.append(RowError(row.number, label("full_name"), message))
            email = _text(row, "email")
            if message := rules.email_error(email):
                errors.append(RowError(row.number, label("email"), message))
            position = _text(row, "position")
            if len(position) > 100:
                errors.append(
                    RowError(
                        row.number,
                        label("position"),
                        _("At most %(max)d characters are allowed.") % {"max": 100},
                    )
                )
            known, unknown = rules.parse_roles(_text(row, "roles").split(";"))
            if unknown:
                errors.append(
                    RowError(row.number, label("roles"), rules.unknown_roles_message(unknown))
                )
            if username:
                first_row = seen_usernames.get(username.lower())
                if first_row is not None:
                    errors.append(
                        RowError(
                            row.number,
                            label("username"),
                            _("The username %(username)s is repeated (first on row %(row)d).")
                            % {"username": username, "row": first_row},
                        )
                    )
                else:
                    seen_usernames[username.lower()] = row.number
            people.append(
                PersonRow(
                    number=row.number,
                    username=username,
                    full_name=full_name,
                    email=email,
                    unit_code=_text(row, "unit_code"),
                    position=position,
                    roles=known,
                    start_date=_date(errors, row, table, "start_date", today),
                )
            )

    # Against the database: one query per table, whatever the file size.
    all_units = {u.code.lower(): u for u in Unit.objects.for_agency(agency)}
    existing_units = {
        code: unit
        for code, unit in all_units.items()
        if unit.valid_to is None or unit.valid_to >= today
    }
    for key, unit_row in units.items():
        if key in all_units:
            errors.append(
                RowError(
                    unit_row.number,
                    label("code"),
                    _("The unit code %(code)s is already used in this agency.")
                    % {"code": unit_row.code},
                )
            )
    _check_parents(errors, units, existing_units, label)
    for person in people:
        key = person.unit_code.lower()
        if key and key not in units and key not in existing_units:
            message = _("Unknown unit code %(code)s.") % {"code": person.unit_code}
            errors.append(RowError(person.number, label("unit_code"), message))
    _check_usernames(errors, people, label)
    positions = {p.name.lower(): p for p in Position.objects.for_agency(agency)}
    new_positions: dict[str, str] = {}  # lower-case name -> name as first written
    for person in people:
        key = person.position.lower()
        if person.position and key not in positions:
            new_positions.setdefault(key, person.position)
    if errors:
        raise ImportRowErrors(errors)
    return Plan(
        units=_parents_first(units),
        people=people,
        existing_units=existing_units,
        new_positions=list(new_positions.values()),
        existing_positions=positions,
    )


def _check_parents(errors, units: dict, existing_units: dict, label) -> None:
    for unit_row in units.values():
        parent = unit_row.parent_code.lower()
        if not parent:
            continue
        if parent == unit_row.code.lower():
            message = _("A unit cannot be its own parent.")
            errors.append(RowError(unit_row.number, label("parent_code"), message))
        elif parent not in units and parent not in existing_units:
            errors.append(
                RowError(
                    unit_row.number,
                    label("parent_code"),
                    _("Unknown parent unit code %(code)s.") % {"code": unit_row.parent_code},
                )
            )
    # Cycles among the units of the file (A under B, B under A).
    for unit_row in units.values():
        seen = {unit_row.code.lower()}
        node = units.get(unit_row.parent_code.lower())
        while node is not None:
            key = node.code.lower()
            if key in seen:
                if key == unit_row.code.lower() and unit_row.parent_code.lower() != key:
                    errors.append(
                        RowError(
                            unit_row.number,
                            label("parent_code"),
                            _("The parent units form a loop."),
                        )
                    )
                break
            seen.add(key)
            node = units.get(node.parent_code.lower())


def _check_usernames(errors, people: list[PersonRow], label) -> None:
    wanted = {p.username.lower() for p in people if p.username}
    taken = set(
        get_user_model()
        .objects.annotate(lower_username=Lower("username"))
        .filter(lower_username__in=wanted)
        .values_list("lower_username", flat=True)
    )
    for person in people:
        if not person.username:
            continue
        key = person.username.lower()
        if key in taken:
            errors.append(
                RowError(
                    person.number,
                    label("username"),
                    _("The username %(username)s is already taken.")
                    % {"username": person.username},
                )
            )
        elif message := rules.username_format_error(person.username):
            errors.append(RowError(person.number, label("username"), message))


def _parents_first(units: dict) -> list[UnitRow]:
    ordered: list[UnitRow] = []
    placed: set[str] = set()

    def place(unit_row: UnitRow) -> None:
        key = unit_row.code.lower()
        if key in placed:
            return
        placed.add(key)
        parent = units.get(unit_row.parent_code.lower())
        if parent is not None:
            place(parent)
        ordered.append(unit_row)

    for unit_row in sorted(units.values(), key=lambda u: u.number):
        place(unit_row)
    return ordered


def apply_plan(agency, plan: Plan) -> dict:
    """Write a checked plan (inside the import action's transaction); return the counts."""
    created: dict[str, Unit] = {}
    for unit_row in plan.units:
        key = unit_row.parent_code.lower()
        parent = (created.get(key) or plan.existing_units.get(key)) if key else None
        created[unit_row.code.lower()] = Unit.objects.create(
            agency=agency,
            code=unit_row.code,
            name=unit_row.name,
            parent=parent,
            valid_from=unit_row.valid_from,
        )
    positions = dict(plan.existing_positions)
    for name in plan.new_positions:
        positions[name.lower()] = Position.objects.create(agency=agency, name=name)
    roles = {role.code: role for role in Role.objects.all()}
    user_model = get_user_model()
    for person in plan.people:
        user = user_model(username=person.username, full_name=person.full_name, email=person.email)
        user.set_unusable_password()
        user.save()
        key = person.unit_code.lower()
        membership = Membership.objects.create(
            user=user,
            agency=agency,
            unit=(created.get(key) or plan.existing_units.get(key)) if key else None,
            position=positions.get(person.position.lower()) if person.position else None,
            start_date=person.start_date,
        )
        membership.roles.set([roles[code] for code in person.roles if code in roles])
    return {
        "units": len(plan.units),
        "people": len(plan.people),
        "positions": len(plan.new_positions),
    }


def template_csv() -> str:
    """The downloadable template: the header row and example rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(TEMPLATE_ROWS)
    return buffer.getvalue()
