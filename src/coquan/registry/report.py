"""The annual report of the Department: its data (from registers and indicators) and text.

``build_report_data(agency, year)`` gathers everything the report states, in a fixed number
of queries (indicator definitions, ten years of province-wide values, the register facts of
``counts.py``, next year's plan): derived indicators are computed afresh from the entered
values and the register counts, so the report never depends on a stale stored value. The
result is plain JSON-friendly data (the API serves it as is).

``report_sections(data)`` turns the data into the seed's structure — information technology;
post and telecommunications; press and publishing; project appraisal; inspection; the work
programme of the next year — as translated sentences and tables. The PDF, the DOCX and the
dashboard all show these same sections (``render.py``, ``templates/registry/home.html``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from coquan.registry.choices import IndicatorKind, ReportSection
from coquan.registry.counts import register_facts
from coquan.registry.derive import FormulaPlan, quantize_stored

SERIES_YEARS = 10
SERIES_CODES = ("subscribers", "phone_density", "revenue", "revenue_plan", "internet_subscribers")
BILLION = Decimal(1_000_000_000)


def build_report_data(agency, year: int) -> dict:
    """Everything the annual report of ``year`` states, as JSON-friendly data."""
    from coquan.registry.models import AnnualPlan, Indicator, IndicatorValue

    indicators = list(Indicator.objects.active())
    by_id = {indicator.pk: indicator for indicator in indicators}
    entered: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = IndicatorValue.objects.filter(
        agency=agency, area__isnull=True, year__range=(year - SERIES_YEARS + 1, year)
    ).values_list("indicator_id", "year", "value")
    for indicator_id, value_year, value in rows:
        indicator = by_id.get(indicator_id)
        if indicator is not None and indicator.kind == IndicatorKind.ENTERED:
            entered[value_year][indicator.code] = value
    facts = register_facts(agency, year)
    plan = FormulaPlan(indicators)

    def values_of(value_year: int, with_facts) -> dict[str, Decimal]:
        base = entered.get(value_year, {})
        return {**base, **plan.compute(base, with_facts)}

    current = values_of(year, facts)
    previous = values_of(year - 1, None)
    years = [y for y in range(year - SERIES_YEARS + 1, year + 1) if entered.get(y) or y == year]
    series_values = {y: (current if y == year else values_of(y, None)) for y in years}
    next_plan = AnnualPlan.objects.filter(agency=agency, year=year + 1).first()

    def text(value):
        return None if value is None else format(quantize_stored(Decimal(value)).normalize(), "f")

    return {
        "agency": {"organ_id": agency.organ_id, "name": agency.name},
        "year": year,
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "unit": i.unit,
                "decimals": i.decimals,
                "section": i.section,
                "kind": i.kind,
                "value": text(current.get(i.code)),
                "previous": text(previous.get(i.code)),
            }
            for i in indicators
        ],
        "registers": {key: text(value) for key, value in sorted(facts.items())},
        "series": {
            "years": years,
            **{code: [text(series_values[y].get(code)) for y in years] for code in SERIES_CODES},
        },
        "plan": {
            "year": year + 1,
            "items": next_plan.item_list() if next_plan else [],
        },
    }


# --- Text ------------------------------------------------------------------------------------


def number(value, decimals: int = 0) -> str:
    """``value`` rounded half-up to ``decimals`` places, grouped in the active language's
    style (Vietnamese: 950.000 and 58,8)."""
    if value is None:
        return "—"
    exponent = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def billions(vnd, decimals: int = 1) -> str:
    """An amount in VND written in billions (tỷ đồng)."""
    return number(None if vnd is None else Decimal(vnd) / BILLION, decimals)


@dataclass
class Section:
    code: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[tuple[str, str, str, str]] = field(default_factory=list)  # name, unit, N, N-1
    items: list[str] = field(default_factory=list)


class _Figures:
    """Formatted access to the report data."""

    def __init__(self, data: dict):
        self.rows = {row["code"]: row for row in data["indicators"]}
        self.registers = data["registers"]

    def raw(self, code: str):
        row = self.rows.get(code)
        return Decimal(row["value"]) if row and row["value"] is not None else None

    def __call__(self, code: str) -> str:
        row = self.rows.get(code)
        if row is None:
            return "—"
        return number(self.raw(code), row["decimals"])

    def count(self, key: str) -> str:
        value = self.registers.get(key)
        return number(Decimal(value) if value is not None else None, 0)

    def table(self, section: str) -> list[tuple[str, str, str, str]]:
        result = []
        for row in self.rows.values():
            if row["section"] != section:
                continue
            previous = Decimal(row["previous"]) if row["previous"] is not None else None
            result.append(
                (row["name"], row["unit"], self(row["code"]), number(previous, row["decimals"]))
            )
        return result


def _revenue_sentence(f: _Figures) -> str:
    versus = f.raw("revenue_vs_plan")
    values = {
        "revenue": f("revenue"),
        "plan": f("revenue_plan"),
        "percent": number(abs(versus), 1) if versus is not None else "—",
        "postal": f("postal_revenue"),
        "telecom": f("telecom_revenue"),
    }
    if versus is None:
        return (
            _(
                "Total post and telecommunications revenue: %(revenue)s billion VND; of which "
                "postal and courier services %(postal)s billion, telecommunications services "
                "%(telecom)s billion."
            )
            % values
        )
    if versus >= 0:
        return (
            _(
                "Total post and telecommunications revenue: %(revenue)s billion VND, "
                "%(percent)s%% above the plan (%(plan)s billion VND); of which postal and "
                "courier services %(postal)s billion, telecommunications services "
                "%(telecom)s billion."
            )
            % values
        )
    return (
        _(
            "Total post and telecommunications revenue: %(revenue)s billion VND, "
            "%(percent)s%% below the plan (%(plan)s billion VND); of which postal and courier "
            "services %(postal)s billion, telecommunications services %(telecom)s billion."
        )
        % values
    )


def report_sections(data: dict) -> list[Section]:
    """The report's sections in the seed's order, in the active language."""
    f = _Figures(data)
    regs = data["registers"]
    it = Section(ReportSection.IT, _("Information technology"))
    it.paragraphs.append(
        _(
            "The province has %(lan)s local area networks (LAN) and %(wan)s wide area networks "
            "(WAN); about %(computers)s computers in all. IT investment in the year: about "
            "%(investment)s billion VND."
        )
        % {
            "lan": f("lan_networks"),
            "wan": f("wan_networks"),
            "computers": f("computers"),
            "investment": f("it_investment"),
        }
    )
    it.paragraphs.append(
        _(
            "%(edoc)s/%(total)s districts and cities exchange electronic documents with their "
            "communes; %(onestop)s/%(total)s use IT at their one-stop desks."
        )
        % {
            "edoc": f("districts_edoc"),
            "onestop": f("districts_onestop"),
            "total": f("districts_total"),
        }
    )
    it.table = f.table(ReportSection.IT)

    telecom = Section(ReportSection.TELECOM, _("Post and telecommunications"))
    telecom.paragraphs.append(
        _(
            "The province has %(points)s postal service points (%(offices)s post offices and "
            "%(cultural)s commune cultural post points); average service radius %(radius)s km."
        )
        % {
            "points": f("postal_points"),
            "offices": f("post_offices"),
            "cultural": f("cultural_post_points"),
            "radius": f("service_radius"),
        }
    )
    telecom.paragraphs.append(
        _(
            "New telephone subscribers in the year: %(new)s, bringing the total to "
            "%(subscribers)s subscribers for a population of %(population)s; telephone "
            "density %(density)s per 100 inhabitants. Internet subscribers: %(internet)s."
        )
        % {
            "new": f("new_subscribers"),
            "subscribers": f("subscribers"),
            "population": f("population"),
            "density": f("phone_density"),
            "internet": f("internet_subscribers"),
        }
    )
    telecom.paragraphs.append(_revenue_sentence(f))
    telecom.paragraphs.append(
        _("BTS stations in the register at the end of the year: %(bts)s.")
        % {"bts": f.count("bts.stations")}
    )
    telecom.table = f.table(ReportSection.TELECOM)

    press = Section(ReportSection.PRESS, _("Press and publishing"))
    press.paragraphs.append(
        _(
            "%(conferences)s press conferences were organised. The Department appraised the "
            "dossiers and issued %(publishing)s licences to publish bulletins and non-business "
            "publications, and %(printing)s printing licences."
        )
        % {
            "conferences": f("press_conferences"),
            "publishing": f.count("licences.publishing"),
            "printing": f.count("licences.printing"),
        }
    )
    press.paragraphs.append(
        _(
            "Licences issued in the year, all types: %(issued)s (telecommunications and "
            "frequencies: %(telecom)s; internet agents: %(internet)s)."
        )
        % {
            "issued": f.count("licences.issued"),
            "telecom": f.count("licences.telecom"),
            "internet": f.count("licences.internet"),
        }
    )
    press.table = f.table(ReportSection.PRESS)

    appraisal = Section(ReportSection.APPRAISAL, _("Project appraisal"))
    appraisal.paragraphs.append(
        _(
            "The Department appraised %(total)s projects, of which %(it)s information "
            "technology projects and %(telecom)s telecommunications projects; total investment "
            "before appraisal about %(before)s billion VND, after appraisal %(after)s billion "
            "VND."
        )
        % {
            "total": f.count("appraisals.total"),
            "it": f.count("appraisals.it"),
            "telecom": f.count("appraisals.telecom"),
            "before": billions(regs.get("appraisals.investment_before")),
            "after": billions(regs.get("appraisals.investment_after")),
        }
    )

    inspection = Section(ReportSection.INSPECTION, _("Inspection"))
    inspection.paragraphs.append(
        _(
            "The Department's inspectorate held %(held)s inspections covering %(entities)s "
            "entities; %(violations)s violations were sanctioned, with fines of %(fines)s VND."
        )
        % {
            "held": f.count("inspections.held"),
            "entities": f.count("inspections.entities"),
            "violations": f.count("inspections.violations"),
            "fines": number(Decimal(regs.get("inspections.fines") or 0), 0),
        }
    )
    inspection.paragraphs.append(
        _("Active internet agents in the register: %(agents)s.")
        % {"agents": f.count("agents.active")}
    )

    plan = Section("plan", _("Work programme for %(year)d") % {"year": data["plan"]["year"]})
    plan.items = list(data["plan"]["items"])
    if not plan.items:
        plan.paragraphs.append(_("The work programme has not been written yet."))
    return [it, telecom, press, appraisal, inspection, plan]


def report_title(data: dict) -> str:
    return _("Review of %(year)d and work programme for %(next)d") % {
        "year": data["year"],
        "next": data["year"] + 1,
    }
