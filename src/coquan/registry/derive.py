"""Derived (formula) indicators: checking definitions, computing and storing values.

A formula indicator is computed from the entered indicators of the same year and area and,
for the whole province (``area`` empty), from the register facts of ``counts.py``. The
formulas are parsed by ``registry.formula`` (never ``eval``); they are computed in
dependency order, so a formula may use another formula indicator.

Stored derived values are refreshed

- in the same transaction when an entered value changes (the indicator actions call
  ``refresh``), and
- after a register change, by the ``refresh_derived_indicators`` task enqueued on commit
  (register counts of that year and the later stored years may have changed).

Each change of a stored derived value leaves an ``IndicatorValueRevision`` with source
``formula``: the derived values are a function of audited inputs, so they have no audit entry
of their own. The annual report does not rely on the stored values: it computes them afresh
from the same inputs (``report.py``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coquan.registry import formula as formula_lang
from coquan.registry.choices import IndicatorKind, ValueSource
from coquan.registry.counts import COUNT_SOURCES, register_facts

STORED = Decimal("0.000001")


def quantize_stored(value: Decimal) -> Decimal:
    return value.quantize(STORED, rounding=ROUND_HALF_UP)


def check_definition(code: str, kind: str, text: str, others: dict[str, str]) -> None:
    """Check a definition against the other definitions ``{code: formula or ""}``.

    A formula must parse, use only known indicator codes or register counts, and not depend
    on itself through other formulas. Raises ``ValidationError({"formula": ...})``.
    """
    if kind != IndicatorKind.FORMULA:
        if text:
            raise ValidationError({"formula": _("An entered indicator has no formula.")})
        return
    try:
        tree = formula_lang.parse(text)
    except formula_lang.FormulaError as exc:
        raise ValidationError({"formula": exc.message}) from None
    names = formula_lang.identifiers(tree)
    unknown = sorted(n for n in names if n not in others and n not in COUNT_SOURCES and n != code)
    if unknown:
        raise ValidationError(
            {"formula": _("Unknown indicator or count: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    graph = {c: _dependencies(f) for c, f in others.items() if c != code}
    graph[code] = names
    if _reaches(graph, code):
        raise ValidationError({"formula": _("The formula depends on itself.")})


def _dependencies(text: str) -> set[str]:
    if not text:
        return set()
    try:
        return formula_lang.identifiers(formula_lang.parse(text))
    except formula_lang.FormulaError:
        return set()


def _reaches(graph: dict[str, set[str]], start: str) -> bool:
    """True when ``start`` can reach itself in ``graph``."""
    stack, seen = list(graph.get(start, ())), set()
    while stack:
        node = stack.pop()
        if node == start:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(graph.get(node, ()))
    return False


class FormulaPlan:
    """The active formula indicators, parsed once, in dependency order."""

    def __init__(self, indicators):
        parsed = {}
        for indicator in indicators:
            if indicator.kind != IndicatorKind.FORMULA:
                continue
            try:
                parsed[indicator.code] = (indicator, formula_lang.parse(indicator.formula))
            except formula_lang.FormulaError:
                continue  # refused by check_definition; skip rather than fail a report
        self.steps: list[tuple[object, tuple]] = []
        done: set[str] = set()
        visiting: set[str] = set()

        def visit(code: str) -> None:
            if code in done or code not in parsed or code in visiting:
                return
            visiting.add(code)
            for name in formula_lang.identifiers(parsed[code][1]):
                visit(name)
            visiting.discard(code)
            done.add(code)
            self.steps.append(parsed[code])

        for code in sorted(parsed):
            visit(code)

    @classmethod
    def load(cls):
        from coquan.registry.models import Indicator

        return cls(Indicator.objects.active())

    def uses_counts(self) -> bool:
        return any(
            name in COUNT_SOURCES
            for _indicator, tree in self.steps
            for name in formula_lang.identifiers(tree)
        )

    def compute(self, entered: dict[str, Decimal], facts: dict | None) -> dict[str, Decimal]:
        """Derived values from ``entered`` values and register ``facts`` (None for a commune:
        formulas over register counts are then not computed)."""
        env: dict[str, Decimal] = dict(entered)
        if facts is not None:
            env.update({k: v for k, v in facts.items() if k in COUNT_SOURCES})
        results: dict[str, Decimal] = {}
        for indicator, tree in self.steps:
            try:
                value = formula_lang.evaluate(tree, env)
            except formula_lang.EvaluationError:
                env.pop(indicator.code, None)
                continue
            env[indicator.code] = value
            results[indicator.code] = value
        return results


def refresh(agency, year: int, area=None, *, actor=None, plan: FormulaPlan | None = None):
    """Recompute and store the derived values of ``agency``/``year``/``area``.

    Returns the list of codes whose stored value changed. Derived values that can no longer
    be computed (an input is missing, a division by zero) are removed.
    """
    from coquan.registry.models import IndicatorValue, IndicatorValueRevision

    plan = plan or FormulaPlan.load()
    if not plan.steps:
        return []
    rows = list(
        IndicatorValue.objects.filter(agency=agency, year=year, area=area).select_related(
            "indicator"
        )
    )
    entered = {r.indicator.code: r.value for r in rows if r.indicator.kind != "formula"}
    stored = {r.indicator.code: r for r in rows if r.indicator.kind == "formula"}
    facts = register_facts(agency, year) if area is None and plan.uses_counts() else None
    computed = {code: quantize_stored(v) for code, v in plan.compute(entered, facts).items()}
    changed = []
    for indicator, _tree in plan.steps:
        code = indicator.code
        new = computed.get(code)
        row = stored.get(code)
        if new is None:
            if row is not None:
                row.delete()
                changed.append(code)
            continue
        if row is not None and row.value == new:
            continue
        old = row.value if row is not None else None
        if row is None:
            row = IndicatorValue.objects.create(
                agency=agency,
                indicator=indicator,
                year=year,
                area=area,
                value=new,
                source=ValueSource.FORMULA,
                updated_by=actor,
            )
        else:
            row.value, row.source, row.updated_by = new, ValueSource.FORMULA, actor
            row.save(update_fields=["value", "source", "updated_by", "updated_at"])
        IndicatorValueRevision.objects.create(
            agency=agency,
            value=row,
            old_value=old,
            new_value=new,
            source=ValueSource.FORMULA,
            actor=actor,
        )
        changed.append(code)
    return changed


def refresh_from_year(agency, year: int) -> list[int]:
    """Refresh the province-wide derived values of ``year`` and every later stored year
    (register counts "at the end of the year" change for all of them). Returns the years."""
    from coquan.registry.models import IndicatorValue

    plan = FormulaPlan.load()
    if not plan.uses_counts():
        return []
    years = set(
        IndicatorValue.objects.filter(agency=agency, area__isnull=True, year__gte=year)
        .values_list("year", flat=True)
        .distinct()
    )
    years.add(year)
    for each in sorted(years):
        refresh(agency, each, None, plan=plan)
    return sorted(years)
