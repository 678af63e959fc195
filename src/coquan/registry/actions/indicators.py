"""ICT indicators: entering and importing values, defining indicators, the year's plan.

Entered values are stored per agency, year and area (empty = the whole province) with a
revision row for every change; the derived (formula) values of the same year and area are
recomputed in the same transaction (``registry.derive``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.registry import derive
from coquan.registry import importing as cells
from coquan.registry.actions.common import full_clean, snapshot
from coquan.registry.choices import IndicatorKind, ValueSource
from coquan.registry.models import (
    AnnualPlan,
    Indicator,
    IndicatorValue,
    IndicatorValueRevision,
)
from coquan.registry.models.indicators import MAX_YEAR, MIN_YEAR
from coquan.registry.permissions import require_editor, require_superuser

MAX_ABS_VALUE = Decimal("1e18")
INDICATOR_FIELDS = (
    "code",
    "name",
    "unit",
    "period",
    "kind",
    "formula",
    "decimals",
    "section",
    "sort_order",
    "description",
    "is_active",
)
IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator": ("mã chỉ tiêu", "chỉ tiêu"),
    "year": ("năm",),
    "area": ("địa bàn",),
    "value": ("giá trị",),
}
IMPORT_REQUIRED = ("indicator", "year", "value")


def check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Enter a year.")}) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {
                "year": _("The year must be between %(min)d and %(max)d.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            }
        )
    return year


def check_value(value) -> Decimal:
    """A finite number within the column's range, kept to 6 decimal places."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(_("Enter a number.")) from None
    if not number.is_finite() or abs(number) >= MAX_ABS_VALUE:
        raise ValueError(_("Enter a number."))
    return derive.quantize_stored(number)


def check_area(area) -> None:
    if area is not None and area.level not in ("commune", "district", "province"):
        raise ValidationError({"area": _("Choose the province, a district or a commune.")})


def _store(agency, indicator, year, area, value, source, actor) -> Decimal | None:
    """Upsert one entered value and its revision; the old value, or None if unchanged/new."""
    row = IndicatorValue.objects.filter(
        agency=agency, indicator=indicator, year=year, area=area
    ).first()
    if row is not None and row.value == value:
        return None
    old = row.value if row is not None else None
    if row is None:
        row = IndicatorValue.objects.create(
            agency=agency,
            indicator=indicator,
            year=year,
            area=area,
            value=value,
            source=source,
            updated_by=actor,
        )
    else:
        row.value, row.source, row.updated_by = value, source, actor
        row.save(update_fields=["value", "source", "updated_by", "updated_at"])
    IndicatorValueRevision.objects.create(
        agency=agency, value=row, old_value=old, new_value=value, source=source, actor=actor
    )
    return old if old is not None else Decimal(0)


@action("registry.indicator.set_values", permission=require_editor)
def set_indicator_values(
    actor, *, agency, year, values: dict, area=None, source: str = ValueSource.FORM
) -> list[str]:
    """Enter the values of entered indicators for one year and area (``{code: value}``;
    None leaves a value as it is), then recompute the derived indicators of that year and
    area. Who: the agency's editors. Rules: formula indicators cannot be typed in; values
    are finite numbers. Returns the codes whose stored value changed."""
    year = check_year(year)
    check_area(area)
    wanted = {code: value for code, value in values.items() if value not in (None, "")}
    indicators = {i.code: i for i in Indicator.objects.active().filter(code__in=list(wanted))}
    errors: dict[str, list[str]] = {}
    for code, value in wanted.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors.setdefault(code, []).append(_("Unknown indicator."))
        elif indicator.kind == IndicatorKind.FORMULA:
            errors.setdefault(code, []).append(_("This indicator is computed by its formula."))
        else:
            try:
                wanted[code] = check_value(value)
            except ValueError as exc:
                errors.setdefault(code, []).append(str(exc))
    if errors:
        raise ValidationError(errors)
    before, after, changed = {}, {}, []
    for code, value in wanted.items():
        old = _store(agency, indicators[code], year, area, value, source, actor)
        if old is not None:
            before[code], after[code] = format(old, "f"), format(value, "f")
            changed.append(code)
    changed += derive.refresh(agency, year, area, actor=actor)
    describe(
        agency=agency,
        summary=_("Indicators %(year)d: %(count)d value(s) changed")
        % {"year": year, "count": len(changed)},
        before={"year": year, "area": getattr(area, "organ_id", None), "values": before},
        after={"year": year, "area": getattr(area, "organ_id", None), "values": after},
    )
    return changed


PROVINCE_WORDS = {"", "toàn tỉnh", "tỉnh", "province", "whole province"}


@action("registry.indicator.import", permission=require_editor)
def import_indicator_values(actor, *, agency, table: cells.Table) -> cells.ImportResult:
    """Import indicator values from a read file (indicator code, year, area, value): valid
    rows are stored, each invalid row is reported; the derived indicators of every year and
    area touched are recomputed. Who: the agency's editors."""
    indicators = {i.code: i for i in Indicator.objects.active()}
    areas = cells.commune_lookup()
    seen: dict[tuple, int] = {}
    errors: list[cells.RowError] = []
    accepted: list[tuple] = []
    for row in table.rows:
        check_errors = []
        code = cells.fold(row.cells.get("indicator", ""))
        indicator = indicators.get(code)
        if indicator is None:
            check_errors.append(("indicator", _("Unknown indicator “%(code)s”.") % {"code": code}))
        elif indicator.kind == IndicatorKind.FORMULA:
            check_errors.append(("indicator", _("This indicator is computed by its formula.")))
        try:
            year = cells.integer(row.cells.get("year", ""), required=True)
            year = check_year(year)
        except (cells.RowProblem, ValidationError) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            check_errors.append(("year", message))
            year = None
        area_text = cells.fold(row.cells.get("area", ""))
        area = None
        if area_text not in PROVINCE_WORDS:
            area = areas.get(area_text)
            if area is None:
                check_errors.append(("area", _("Unknown area “%(name)s”.") % {"name": area_text}))
        try:
            value = cells.decimal(row.cells.get("value", ""), required=True)
            value = check_value(value)
        except (cells.RowProblem, ValueError) as exc:
            check_errors.append(("value", str(exc)))
        if check_errors:
            errors += [cells.RowError(row.number, table.label(c), m) for c, m in check_errors]
            continue
        key = (indicator.code, year, getattr(area, "pk", None))
        if key in seen:
            errors.append(
                cells.RowError(
                    row.number,
                    table.label("indicator"),
                    _("The same value is on row %(row)d of the file.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row.number
        accepted.append((indicator, year, area, value))
    touched: dict[tuple, object] = {}
    for indicator, year, area, value in accepted:
        if _store(agency, indicator, year, area, value, ValueSource.IMPORT, actor) is not None:
            touched[(year, getattr(area, "pk", 0))] = area
    plan = derive.FormulaPlan.load()
    for (year, _area_id), area in sorted(touched.items(), key=lambda item: item[0]):
        derive.refresh(agency, year, area, actor=actor, plan=plan)
    result = cells.ImportResult(created=len(accepted), errors=errors, total=len(table.rows))
    describe(
        agency=agency,
        summary=_("Indicator import: %(created)d value(s) stored, %(refused)d row(s) refused")
        % {"created": result.created, "refused": result.refused_rows},
        after={"stored": result.created, "refused_rows": result.refused_rows},
    )
    return result


@action("registry.indicator.define", permission=require_superuser)
def define_indicator(actor, *, indicator: Indicator | None = None, **fields) -> Indicator:
    """Create or change an indicator definition (shared by every agency). Who: deployment
    administrators. Rules: the formula parses, uses only known indicators and register
    counts, and does not depend on itself; the code and kind of an indicator that already
    has values do not change. Stored derived values are recomputed after commit."""
    creating = indicator is None
    before = None if creating else snapshot(indicator, INDICATOR_FIELDS)
    target = indicator or Indicator()
    if not creating and indicator.values.exists():
        for name in ("code", "kind"):
            if name in fields and fields[name] != getattr(indicator, name):
                raise ValidationError(
                    {name: _("This indicator already has values; this cannot change.")}
                )
    for name, value in fields.items():
        if name not in INDICATOR_FIELDS:
            raise TypeError(f"unexpected field {name}")
        setattr(target, name, value)
    target.formula = (target.formula or "").strip()
    if target.kind == IndicatorKind.ENTERED:
        target.formula = ""
    others = {
        i.code: i.formula
        for i in Indicator.objects.active().exclude(pk=target.pk).only("code", "formula")
    }
    derive.check_definition(target.code, target.kind, target.formula, others)
    full_clean(target)
    target.save()
    describe(
        obj=target,
        summary=_("Indicator %(code)s defined") % {"code": target.code},
        before=before,
        after=snapshot(target, INDICATOR_FIELDS),
    )

    def enqueue():
        from coquan.registry.tasks import refresh_all_derived_indicators

        refresh_all_derived_indicators.enqueue()

    transaction.on_commit(enqueue)
    return target


@action("registry.plan.save", permission=require_editor)
def save_annual_plan(actor, *, agency, year, items: str) -> AnnualPlan:
    """Write the work programme of ``year`` (one task per line), shown at the end of the
    annual report of the year before. Who: the agency's editors."""
    year = check_year(year)
    items = "\n".join(line.rstrip() for line in (items or "").strip().splitlines())
    if not items:
        raise ValidationError({"items": _("Write at least one task.")})
    plan = AnnualPlan.objects.filter(agency=agency, year=year).first()
    before = {"items": plan.items} if plan else None
    if plan is None:
        plan = AnnualPlan.objects.create(agency=agency, year=year, items=items)
    else:
        plan.items = items
        plan.save(update_fields=["items", "updated_at"])
    describe(
        obj=plan,
        agency=agency,
        summary=_("Work programme %(year)d saved") % {"year": year},
        before=before,
        after={"items": items},
    )
    return plan
