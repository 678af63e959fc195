"""BTS stations and internet agents: create, update, import from a file.

The imports take a ``Table`` already read by ``registry.importing.read_table`` (fatal file
errors never reach an action). Each row is checked — cells, coordinates, codes unique in the
file and in the register — inside the action's transaction; the valid rows are created in
bulk and each invalid row is reported with its reason. One audit entry per import.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.registry import importing as cells
from coquan.registry.actions.common import (
    UNSET,
    apply_changes,
    full_clean,
    refresh_derived_on_commit,
    snapshot,
    today,
)
from coquan.registry.choices import AgentStatus, BtsStatus, BtsType, HolderKind
from coquan.registry.models import BtsStation, InternetAgent
from coquan.registry.models.registers import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN
from coquan.registry.permissions import require_editor

BTS_FIELDS = (
    "operator",
    "code",
    "address",
    "commune",
    "commune_name",
    "latitude",
    "longitude",
    "station_type",
    "height_m",
    "permit_number",
    "permit_date",
    "status",
)
AGENT_FIELDS = (
    "name",
    "registration_number",
    "owner_kind",
    "owner_name",
    "owner_id_number",
    "address",
    "commune",
    "commune_name",
    "provider",
    "computers",
    "registered_on",
    "status",
    "notes",
)

# Import columns: canonical name -> accepted header names (Vietnamese template headers).
BTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "operator": ("doanh nghiệp",),
    "code": ("mã trạm",),
    "address": ("địa chỉ",),
    "commune": ("xã, phường", "xã"),
    "latitude": ("vĩ độ",),
    "longitude": ("kinh độ",),
    "station_type": ("loại trạm",),
    "height_m": ("chiều cao (m)", "chiều cao"),
    "permit_number": ("số giấy phép",),
    "permit_date": ("ngày cấp phép",),
    "status": ("trạng thái",),
}
BTS_REQUIRED = ("operator", "code", "address", "latitude", "longitude", "station_type")
AGENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("tên đại lý",),
    "registration_number": ("số đăng ký",),
    "owner_kind": ("loại chủ",),
    "owner_name": ("chủ đại lý",),
    "owner_id_number": ("số định danh",),
    "address": ("địa chỉ",),
    "commune": ("xã, phường", "xã"),
    "provider": ("doanh nghiệp cung cấp",),
    "computers": ("số máy tính",),
    "registered_on": ("ngày đăng ký",),
    "status": ("trạng thái",),
}
AGENT_REQUIRED = ("name", "registration_number", "owner_name", "address", "registered_on")


def _split_commune(value) -> tuple[object, str]:
    """(commune agency or None, free text) from a form/API value (Agency or text)."""
    if value is None or value == "":
        return None, ""
    if hasattr(value, "pk"):
        return value, ""
    return None, str(value).strip()


# --- BTS stations ------------------------------------------------------------------------------


def _bts_taken(agency, operator: str, code: str, exclude_pk=None) -> bool:
    qs = BtsStation.objects.filter(
        agency=agency, operator__iexact=operator.strip(), code__iexact=code.strip()
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _check_commune(agency_field, value) -> None:
    if value is not None and value.level not in ("commune", "district"):
        raise ValidationError({agency_field: _("Choose a commune or district agency.")})


@action("registry.bts.create", permission=require_editor)
def create_bts_station(actor, *, agency, commune=None, **fields) -> BtsStation:
    """Add a BTS station to the register. Who: the agency's editors. Rules: operator and code
    unique in the register; coordinates inside Vietnam; ``commune`` is a commune agency or a
    name typed freely."""
    commune_agency, commune_name = _split_commune(commune)
    _check_commune("commune", commune_agency)
    station = BtsStation(
        agency=agency,
        commune=commune_agency,
        commune_name=fields.pop("commune_name", "") or commune_name,
        **fields,
    )
    if _bts_taken(agency, station.operator, station.code):
        raise ValidationError({"code": _("This operator already has a station with this code.")})
    full_clean(station)
    station.save()
    describe(
        obj=station,
        agency=agency,
        summary=_("BTS station %(code)s added") % {"code": station.code},
        after=snapshot(station, BTS_FIELDS),
    )
    refresh_derived_on_commit(agency, (station.permit_date or today()).year)
    return station


@action("registry.bts.update", permission=require_editor)
def update_bts_station(actor, *, station: BtsStation, commune=UNSET, **changes) -> BtsStation:
    """Change a BTS station's data (status, permit, position ...). Who: the agency's
    editors. Same rules as ``create_bts_station``."""
    before = snapshot(station, BTS_FIELDS)
    if commune is not UNSET:
        commune_agency, commune_name = _split_commune(commune)
        _check_commune("commune", commune_agency)
        changes["commune"] = commune_agency
        changes.setdefault("commune_name", commune_name)
    changed = apply_changes(station, BTS_FIELDS, changes)
    if not changed:
        return station
    if _bts_taken(station.agency, station.operator, station.code, exclude_pk=station.pk):
        raise ValidationError({"code": _("This operator already has a station with this code.")})
    full_clean(station)
    station.save()
    describe(
        obj=station,
        summary=_("BTS station %(code)s changed") % {"code": station.code},
        before=before,
        after=snapshot(station, BTS_FIELDS),
    )
    years = [d.year for d in (before["permit_date"], station.permit_date, today()) if d]
    refresh_derived_on_commit(station.agency, min(years))
    return station


class _RowChecker:
    """Collects the problems of one row, keyed by the column label the person wrote."""

    def __init__(self, table, row):
        self.table, self.row, self.errors = table, row, []

    def get(self, column, parser, **options):
        try:
            return parser(self.row.cells.get(column, ""), **options)
        except cells.RowProblem as exc:
            self.errors.append(cells.RowError(self.row.number, self.table.label(column), str(exc)))
            return None

    def fail(self, column, message):
        self.errors.append(cells.RowError(self.row.number, self.table.label(column), message))


def _commune_value(checker, communes):
    """(commune agency, "") when the name matches a commune agency, else (None, name)."""
    name = checker.get("commune", cells.text, max_length=100) or ""
    agency = communes.get(cells.fold(name))
    return agency, ("" if agency else name)


def _bts_from_row(agency, table, row, communes, types, statuses):
    check = _RowChecker(table, row)
    operator = check.get("operator", cells.text, required=True, max_length=100)
    code = check.get("code", cells.text, required=True, max_length=50)
    address = check.get("address", cells.text, required=True, max_length=250)
    commune, commune_name = _commune_value(check, communes)
    latitude = check.get("latitude", cells.decimal, required=True, minimum=LAT_MIN, maximum=LAT_MAX)
    longitude = check.get(
        "longitude", cells.decimal, required=True, minimum=LON_MIN, maximum=LON_MAX
    )
    station_type = check.get("station_type", cells.choice, options=types, required=True)
    height = check.get("height_m", cells.decimal, minimum=0, maximum=9999)
    permit_number = check.get("permit_number", cells.text, max_length=50)
    permit_date = check.get("permit_date", cells.date)
    status = check.get("status", cells.choice, options=statuses, default=BtsStatus.PERMITTED)
    for column, value, places in (("latitude", latitude, 6), ("longitude", longitude, 6)):
        if value is not None and value.as_tuple().exponent < -places:
            check.fail(column, _("Use at most %(n)d decimal places.") % {"n": places})
    if height is not None and height.as_tuple().exponent < -2:
        check.fail("height_m", _("Use at most %(n)d decimal places.") % {"n": 2})
    if check.errors:
        return None, check.errors
    return (
        BtsStation(
            agency=agency,
            operator=operator,
            code=code,
            address=address,
            commune=commune,
            commune_name=commune_name,
            latitude=latitude,
            longitude=longitude,
            station_type=station_type,
            height_m=height,
            permit_number=permit_number,
            permit_date=permit_date,
            status=status,
        ),
        [],
    )


@action("registry.bts.import", permission=require_editor)
def import_bts_stations(actor, *, agency, table: cells.Table) -> cells.ImportResult:
    """Import BTS stations from a read file: every valid row is created, every invalid row
    is reported (row, column, reason). Who: the agency's editors. A station whose operator
    and code are already in the register, or repeated in the file, is refused."""
    communes = cells.commune_lookup()
    types = cells.choice_options(BtsType)
    for number_, code in (("1", BtsType.TYPE_1), ("2", BtsType.TYPE_2)):
        for alias in (number_, f"loại {number_}", f"type {number_}"):
            types[alias] = code
    statuses = cells.choice_options(BtsStatus)
    existing = {
        (cells.fold(op), cells.fold(code))
        for op, code in BtsStation.objects.filter(agency=agency).values_list("operator", "code")
    }
    seen: dict[tuple[str, str], int] = {}
    valid: list[BtsStation] = []
    errors: list[cells.RowError] = []
    for row in table.rows:
        station, row_errors = _bts_from_row(agency, table, row, communes, types, statuses)
        if row_errors:
            errors.extend(row_errors)
            continue
        key = (cells.fold(station.operator), cells.fold(station.code))
        if key in existing:
            errors.append(
                cells.RowError(
                    row.number,
                    table.label("code"),
                    _("The station %(code)s of %(operator)s is already in the register.")
                    % {"code": station.code, "operator": station.operator},
                )
            )
            continue
        if key in seen:
            errors.append(
                cells.RowError(
                    row.number,
                    table.label("code"),
                    _("The same station is on row %(row)d of the file.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row.number
        valid.append(station)
    BtsStation.objects.bulk_create(valid, batch_size=500)
    result = cells.ImportResult(created=len(valid), errors=errors, total=len(table.rows))
    describe(
        agency=agency,
        summary=_("BTS import: %(created)d station(s) added, %(refused)d row(s) refused")
        % {"created": result.created, "refused": result.refused_rows},
        after={"created": result.created, "refused_rows": result.refused_rows},
    )
    if valid:
        years = [s.permit_date.year for s in valid if s.permit_date] or [today().year]
        refresh_derived_on_commit(agency, min(years))
    return result


# --- Internet agents ---------------------------------------------------------------------------


def _agent_taken(agency, number: str, exclude_pk=None) -> bool:
    qs = InternetAgent.objects.filter(agency=agency, registration_number__iexact=number.strip())
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@action("registry.agent.create", permission=require_editor)
def create_internet_agent(actor, *, agency, commune=None, **fields) -> InternetAgent:
    """Register an internet agent. Who: the agency's editors. Rule: the registration number
    is unique in the register."""
    commune_agency, commune_name = _split_commune(commune)
    _check_commune("commune", commune_agency)
    agent = InternetAgent(
        agency=agency,
        commune=commune_agency,
        commune_name=fields.pop("commune_name", "") or commune_name,
        **fields,
    )
    if _agent_taken(agency, agent.registration_number):
        raise ValidationError(
            {"registration_number": _("This registration number is already in the register.")}
        )
    full_clean(agent)
    agent.save()
    describe(
        obj=agent,
        agency=agency,
        summary=_("Internet agent %(name)s registered") % {"name": agent.name},
        after=snapshot(agent, AGENT_FIELDS),
    )
    refresh_derived_on_commit(agency, agent.registered_on.year)
    return agent


@action("registry.agent.update", permission=require_editor)
def update_internet_agent(actor, *, agent: InternetAgent, commune=UNSET, **changes):
    """Change an internet agent's data or status. Who: the agency's editors."""
    before = snapshot(agent, AGENT_FIELDS)
    if commune is not UNSET:
        commune_agency, commune_name = _split_commune(commune)
        _check_commune("commune", commune_agency)
        changes["commune"] = commune_agency
        changes.setdefault("commune_name", commune_name)
    changed = apply_changes(agent, AGENT_FIELDS, changes)
    if not changed:
        return agent
    if _agent_taken(agent.agency, agent.registration_number, exclude_pk=agent.pk):
        raise ValidationError(
            {"registration_number": _("This registration number is already in the register.")}
        )
    full_clean(agent)
    agent.save()
    describe(
        obj=agent,
        summary=_("Internet agent %(name)s changed") % {"name": agent.name},
        before=before,
        after=snapshot(agent, AGENT_FIELDS),
    )
    first = min(d for d in (before["registered_on"], agent.registered_on) if d)
    refresh_derived_on_commit(agent.agency, first.year)
    return agent


def _agent_from_row(agency, table, row, communes, kinds, statuses):
    check = _RowChecker(table, row)
    values = {
        "name": check.get("name", cells.text, required=True, max_length=200),
        "registration_number": check.get(
            "registration_number", cells.text, required=True, max_length=50
        ),
        "owner_kind": check.get(
            "owner_kind", cells.choice, options=kinds, default=HolderKind.PERSON
        ),
        "owner_name": check.get("owner_name", cells.text, required=True, max_length=200),
        "owner_id_number": check.get("owner_id_number", cells.text, max_length=30),
        "address": check.get("address", cells.text, required=True, max_length=250),
        "provider": check.get("provider", cells.text, max_length=100),
        "computers": check.get("computers", cells.integer, minimum=0),
        "registered_on": check.get("registered_on", cells.date, required=True),
        "status": check.get("status", cells.choice, options=statuses, default=AgentStatus.ACTIVE),
    }
    commune, commune_name = _commune_value(check, communes)
    if values["registered_on"] and values["registered_on"] > today():
        check.fail("registered_on", _("The date is in the future."))
    if check.errors:
        return None, check.errors
    return (
        InternetAgent(agency=agency, commune=commune, commune_name=commune_name, **values),
        [],
    )


@action("registry.agent.import", permission=require_editor)
def import_internet_agents(actor, *, agency, table: cells.Table) -> cells.ImportResult:
    """Import internet agents from a read file: valid rows created, each invalid row
    reported. Who: the agency's editors. A registration number already in the register or
    repeated in the file is refused."""
    communes = cells.commune_lookup()
    kinds = cells.choice_options(HolderKind)
    statuses = cells.choice_options(AgentStatus)
    existing = {
        cells.fold(n)
        for n in InternetAgent.objects.filter(agency=agency).values_list(
            "registration_number", flat=True
        )
    }
    seen: dict[str, int] = {}
    valid: list[InternetAgent] = []
    errors: list[cells.RowError] = []
    for row in table.rows:
        agent, row_errors = _agent_from_row(agency, table, row, communes, kinds, statuses)
        if row_errors:
            errors.extend(row_errors)
            continue
        key = cells.fold(agent.registration_number)
        if key in existing or key in seen:
            message = (
                _("This registration number is already in the register.")
                if key in existing
                else _("The same registration number is on row %(row)d of the file.")
                % {"row": seen[key]}
            )
            errors.append(cells.RowError(row.number, table.label("registration_number"), message))
            continue
        seen[key] = row.number
        valid.append(agent)
    InternetAgent.objects.bulk_create(valid, batch_size=500)
    result = cells.ImportResult(created=len(valid), errors=errors, total=len(table.rows))
    describe(
        agency=agency,
        summary=_("Internet agent import: %(created)d added, %(refused)d row(s) refused")
        % {"created": result.created, "refused": result.refused_rows},
        after={"created": result.created, "refused_rows": result.refused_rows},
    )
    if valid:
        refresh_derived_on_commit(agency, min(a.registered_on for a in valid).year)
    return result
