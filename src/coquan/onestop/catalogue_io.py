"""The procedure catalogue as a JSON file (export and import).

The format, version 1::

    {"format": "coquan.onestop.procedures", "format_version": 1,
     "agency": "000.00.14.H06",
     "procedures": [{
        "code": "1.005129", "version": 2, "state": "published", "name": "…",
        "sector": {"code": "BC", "name": "Báo chí"}, "level": "province",
        "competent_authority": "…", "legal_basis": "…", "result_name": "…",
        "fee_amount": 150000, "fee_note": "…",
        "time_limit": "15", "time_unit": "working_days", "cutoff_time": null,
        "online_level": "partial",
        "components": [{"name": "…", "paper_form": "original", "count": 1,
                        "template_name": "", "required": true, "applies_to": "all"}],
        "steps": [{"name": "…", "responsible_unit": "BCXB", "responsible_role": "officer",
                   "time_budget": "10"}]}]}

Units are named by their code in the importing agency. ``version`` and ``state`` are
information only: an import always makes new draft versions (or publishes them).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMAT = "coquan.onestop.procedures"
FORMAT_VERSION = 1
MAX_BYTES = 5 * 1024 * 1024
TEXT_FIELDS = (
    "code",
    "name",
    "level",
    "competent_authority",
    "legal_basis",
    "result_name",
    "fee_note",
    "time_unit",
    "online_level",
)


def export_procedure(procedure) -> dict:
    return {
        "code": procedure.code,
        "version": procedure.version,
        "state": procedure.state,
        "name": procedure.name,
        "sector": {"code": procedure.sector_code, "name": procedure.sector_name},
        "level": procedure.level,
        "competent_authority": procedure.competent_authority,
        "legal_basis": procedure.legal_basis,
        "result_name": procedure.result_name,
        "fee_amount": procedure.fee_amount,
        "fee_note": procedure.fee_note,
        "time_limit": str(procedure.time_limit.normalize()),
        "time_unit": procedure.time_unit,
        "cutoff_time": procedure.cutoff_time.strftime("%H:%M") if procedure.cutoff_time else None,
        "online_level": procedure.online_level,
        "components": [
            {
                "name": c.name,
                "paper_form": c.paper_form,
                "count": c.count,
                "template_name": c.template_name,
                "required": c.required,
                "applies_to": c.applies_to,
            }
            for c in procedure.components.all()
        ],
        "steps": [
            {
                "name": s.name,
                "responsible_unit": s.responsible_unit.code if s.responsible_unit_id else None,
                "responsible_role": s.responsible_role,
                "time_budget": str(s.time_budget.normalize()),
            }
            for s in procedure.steps.select_related("responsible_unit")
        ],
    }


def export_catalogue(agency, procedures) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "agency": agency.organ_id,
        "procedures": [export_procedure(p) for p in procedures],
    }


def _decimal(value, where: str, errors: list[str]):
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.append(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        )
        return None
    if not result.is_finite():
        errors.append(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        )
        return None
    return result


def _entry(raw, index: int, units: dict, errors: list[str]) -> dict:
    where = _("procedure %(number)d") % {"number": index}
    if not isinstance(raw, dict):
        errors.append(_("%(where)s is not an object.") % {"where": where})
        return {}
    entry = {name: str(raw.get(name) or "").strip() for name in TEXT_FIELDS}
    sector = raw.get("sector") or {}
    if not isinstance(sector, dict):
        sector = {}
    entry["sector_code"] = str(sector.get("code") or "").strip()
    entry["sector_name"] = str(sector.get("name") or "").strip()
    fee = raw.get("fee_amount")
    if fee in (None, ""):
        entry["fee_amount"] = None
    elif isinstance(fee, int) and not isinstance(fee, bool) and fee >= 0:
        entry["fee_amount"] = fee
    else:
        errors.append(_("%(where)s: the fee must be a whole number of đồng.") % {"where": where})
    limit = _decimal(raw.get("time_limit"), where, errors)
    if limit is not None:
        entry["time_limit"] = limit
    cutoff = raw.get("cutoff_time")
    if cutoff in (None, ""):
        entry["cutoff_time"] = None
    else:
        try:
            entry["cutoff_time"] = dt.time.fromisoformat(str(cutoff))
        except ValueError:
            errors.append(
                _("%(where)s: the cut-off must be a time such as 15:00.") % {"where": where}
            )
    components = raw.get("components") or []
    steps = raw.get("steps") or []
    if not isinstance(components, list) or not isinstance(steps, list):
        errors.append(_("%(where)s: components and steps must be lists.") % {"where": where})
        return entry
    entry["components"] = []
    for number, item in enumerate(components, start=1):
        if not isinstance(item, dict):
            errors.append(
                _("%(where)s: component %(number)d is not an object.")
                % {"where": where, "number": number}
            )
            continue
        count = item.get("count", 1)
        entry["components"].append(
            {
                "name": str(item.get("name") or "").strip(),
                "paper_form": str(item.get("paper_form") or "original"),
                "count": count if isinstance(count, int) and not isinstance(count, bool) else 0,
                "template_name": str(item.get("template_name") or "").strip(),
                "required": bool(item.get("required", True)),
                "applies_to": str(item.get("applies_to") or "all"),
            }
        )
    entry["steps"] = []
    for number, item in enumerate(steps, start=1):
        if not isinstance(item, dict):
            errors.append(
                _("%(where)s: step %(number)d is not an object.")
                % {"where": where, "number": number}
            )
            continue
        unit_code = item.get("responsible_unit")
        unit = None
        if unit_code:
            unit = units.get(str(unit_code))
            if unit is None:
                errors.append(
                    _("%(where)s, step %(number)d: the agency has no unit with code %(code)s.")
                    % {"where": where, "number": number, "code": unit_code}
                )
        budget = _decimal(item.get("time_budget"), f"{where}, {number}", errors)
        entry["steps"].append(
            {
                "name": str(item.get("name") or "").strip(),
                "responsible_unit": unit,
                "responsible_role": str(item.get("responsible_role") or ""),
                "time_budget": budget if budget is not None else Decimal(0),
            }
        )
    return entry


def parse(content, agency) -> list[dict]:
    """Entries for ``actions.import_catalogue`` from the bytes (or text, or object) of a
    catalogue file; ``ValidationError`` on field ``file`` listing every problem found."""
    if isinstance(content, bytes | bytearray):
        if len(content) > MAX_BYTES:
            raise ValidationError({"file": _("The file is larger than 5 MB.")})
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": _("The file is not UTF-8 text.")}) from None
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                {"file": _("The file is not valid JSON (line %(line)d).") % {"line": exc.lineno}}
            ) from None
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise ValidationError(
            {
                "file": _("This is not a CoQuan procedure catalogue (format %(format)s).")
                % {"format": FORMAT}
            }
        )
    if content.get("format_version") != FORMAT_VERSION:
        raise ValidationError(
            {
                "file": _("Unsupported catalogue format version %(version)s.")
                % {"version": content.get("format_version")}
            }
        )
    raw_procedures = content.get("procedures")
    if not isinstance(raw_procedures, list) or not raw_procedures:
        raise ValidationError({"file": _("The catalogue lists no procedure.")})
    units = {unit.code: unit for unit in agency.units.all()}
    errors: list[str] = []
    entries = [_entry(raw, index, units, errors) for index, raw in enumerate(raw_procedures, 1)]
    if errors:
        raise ValidationError({"file": errors})
    return entries
