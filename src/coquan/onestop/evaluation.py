"""Internal scoring of the nine indicators of TT 01/2018 Art. 13 (standards §3.8).

Each indicator is scored 2 / 1 / 0. Per dossier (``dossier_scores``):

1. total time against the appointment: early 2, on time 1, late 0 (``Dossier.timeliness``);
2. the time of each participating body (the legs of the control slip): every leg early 2,
   none late 1, one late 0;
3. times the applicant had to contact the receiving point (rating, criterion c): none 2,
   once 1, more 0;
4. bodies contacted (rating, criterion b): none 2, only the one-stop unit 1, more 0;
6. publication of the procedure: posted in the catalogue **and** online 2, posted only 1;
7. staff attitude (rating): a complaint 0, else early 2, on time 1, late 0.

An indicator without data (a dossier not rated) is left out of that indicator's average.
Aggregation (Art. 15.2): an indicator's score is the sum of the per-dossier scores divided
by the number of dossiers, **rounded to one decimal** (half up).

Per unit (the receiving agency's one-stop unit, ``unit_scores``): the averages of 1–4, 6, 7
plus

5. the full cycle at the one-stop unit, and 8. handling of feedback: not measured by the
   system; taken from ``COQUAN_ONESTOP_UNIT_INDICATORS = {organ_id: {"5": 2, "8": 1}}``,
   else not scored;
9. online services: ≥ 20 % of the published procedures offered online and ≥ 30 % of the
   dossiers submitted online, none of them late → 2; online offered and 15–< 30 % online,
   none late → 1; otherwise 0.

Ratings: unit ≥ 15 excellent, 12–< 15 good, 9–< 12 fair, 6–< 9 average, < 6 weak; staff
(the sum of the averages of ``COQUAN_ONESTOP_STAFF_INDICATORS``, default 1, 2, 3, 4, 7 ❓)
≥ 5 → 100 % of tasks, 3.5–< 5 → 70–< 100 %, < 3.5 → below 70 %.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import pgettext_lazy

from coquan.onestop.choices import Channel, OnlineLevel, Timeliness

DOSSIER_INDICATORS = (1, 2, 3, 4, 6, 7)
UNIT_INDICATORS = (1, 2, 3, 4, 5, 6, 7, 8, 9)
TIMELINESS_SCORE = {Timeliness.EARLY: 2, Timeliness.ON_TIME: 1, Timeliness.LATE: 0}
BODIES_SCORE = {"none": 2, "one_stop": 1, "several": 0}
ONE_DECIMAL = Decimal("0.1")

INDICATOR_LABELS = {
    1: pgettext_lazy("indicator", "Total processing time against the legal limit"),
    2: pgettext_lazy("indicator", "Time taken by each participating body"),
    3: pgettext_lazy("indicator", "Times the applicant had to contact the receiving point"),
    4: pgettext_lazy("indicator", "Bodies contacted to complete the dossier"),
    5: pgettext_lazy("indicator", "Full cycle handled at the one-stop unit"),
    6: pgettext_lazy("indicator", "Publication of the procedure"),
    7: pgettext_lazy("indicator", "Staff attitude"),
    8: pgettext_lazy("indicator", "Handling of feedback"),
    9: pgettext_lazy("indicator", "Online services"),
}


def staff_indicators() -> tuple[int, ...]:
    return tuple(getattr(settings, "COQUAN_ONESTOP_STAFF_INDICATORS", (1, 2, 3, 4, 7)))


def round1(value) -> Decimal:
    """Round to one decimal, half up (TT 01/2018 Art. 15.2)."""
    return Decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def average(scores) -> Decimal | None:
    scores = [s for s in scores if s is not None]
    if not scores:
        return None
    return round1(Decimal(sum(scores)) / Decimal(len(scores)))


def legs_score(leg_results) -> int | None:
    """Indicator 2 from the results of the classified legs."""
    results = [r for r in leg_results if r]
    if not results:
        return None
    if Timeliness.LATE in results:
        return 0
    return 2 if all(r == Timeliness.EARLY for r in results) else 1


def dossier_scores(dossier, rating=None, leg_results=()) -> dict[int, int | None]:
    """The per-dossier indicators {1, 2, 3, 4, 6, 7: score or None}."""
    timeliness = TIMELINESS_SCORE.get(dossier.timeliness)
    scores: dict[int, int | None] = {
        1: timeliness,
        2: legs_score(leg_results),
        3: None,
        4: None,
        6: 2 if dossier.procedure.online_level != OnlineLevel.NONE else 1,
        7: None,
    }
    if rating is not None:
        count = rating.contact_count
        scores[3] = 2 if count == 0 else 1 if count == 1 else 0
        scores[4] = BODIES_SCORE.get(rating.bodies_contacted)
        scores[7] = 0 if rating.staff_complaint else timeliness
    return scores


def staff_band(total: Decimal | None) -> str:
    if total is None:
        return ""
    if total >= 5:
        return "full"
    return "most" if total >= Decimal("3.5") else "below"


def unit_band(total: Decimal | None) -> str:
    if total is None:
        return ""
    for floor, band in ((15, "excellent"), (12, "good"), (9, "fair"), (6, "average")):
        if total >= floor:
            return band
    return "weak"


STAFF_BANDS = {
    # xgettext:no-python-format
    "full": pgettext_lazy("staff rating", "100 % of tasks done"),
    # xgettext:no-python-format
    "most": pgettext_lazy("staff rating", "70 % to under 100 % of tasks done"),
    # xgettext:no-python-format
    "below": pgettext_lazy("staff rating", "under 70 % of tasks done"),
}
UNIT_BANDS = {
    "excellent": pgettext_lazy("unit rating", "Excellent"),
    "good": pgettext_lazy("unit rating", "Good"),
    "fair": pgettext_lazy("unit rating", "Fair"),
    "average": pgettext_lazy("unit rating", "Average"),
    "weak": pgettext_lazy("unit rating", "Weak"),
}


@dataclass
class Group:
    """The averaged indicators of a set of dossiers (a person, an internal unit)."""

    key: object
    label: str = ""
    scores: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    dossiers: int = 0

    def add(self, per_dossier: dict[int, int | None]) -> None:
        self.dossiers += 1
        for indicator, score in per_dossier.items():
            self.scores[indicator].append(score)

    def averages(self, indicators=DOSSIER_INDICATORS) -> dict[int, Decimal | None]:
        return {i: average(self.scores.get(i, [])) for i in indicators}

    def total(self, indicators) -> Decimal | None:
        values = [v for v in self.averages(indicators).values() if v is not None]
        return round1(sum(values)) if values else None


def _online_indicator(procedures_total, procedures_online, dossiers, online_dossiers, late):
    if not procedures_total or not dossiers:
        return 0
    procedure_share = Decimal(procedures_online) / Decimal(procedures_total)
    dossier_share = Decimal(online_dossiers) / Decimal(dossiers)
    if procedure_share >= Decimal("0.2") and dossier_share >= Decimal("0.3") and not late:
        return 2
    if procedures_online and Decimal("0.15") <= dossier_share and not late:
        return 1
    return 0


def evaluate(agency, start: dt.date, end: dt.date) -> dict:
    """Scores of the agency for the dossiers whose result was ready between ``start`` and
    ``end`` (inclusive): per indicator, per person and per internal unit, with the ratings.
    Four queries whatever the number of dossiers."""
    from coquan.onestop.models import Dossier, DossierTransfer, Procedure

    dossiers = list(
        Dossier.objects.filter(
            agency=agency,
            result_ready_at__date__gte=start,
            result_ready_at__date__lte=end,
        )
        .select_related("procedure", "rating")
        .order_by("pk")
    )
    ids = [d.pk for d in dossiers]
    legs = defaultdict(list)
    people: dict[int, Group] = {}
    units: dict[int, Group] = {}
    handlers = defaultdict(set)
    unit_handlers = defaultdict(set)
    if ids:
        rows = DossierTransfer.objects.filter(dossier_id__in=ids).values_list(
            "dossier_id",
            "timeliness",
            "from_user_id",
            "from_user__full_name",
            "from_user__username",
            "to_user_id",
            "to_user__full_name",
            "to_user__username",
            "to_unit_id",
            "to_unit__name",
        )
        for row in rows:
            dossier_id, result = row[0], row[1]
            legs[dossier_id].append(result)
            # The people who handled it: who took a step on it and who it was handed to.
            for user_id, full_name, username in (row[2:5], row[5:8]):
                if user_id:
                    handlers[dossier_id].add(user_id)
                    people.setdefault(user_id, Group(user_id, full_name or username))
            unit_id, unit_name = row[8], row[9]
            if unit_id:
                unit_handlers[dossier_id].add(unit_id)
                units.setdefault(unit_id, Group(unit_id, unit_name))
    agency_group = Group(agency.pk, agency.name)
    online = late_online = 0
    for dossier in dossiers:
        rating = getattr(dossier, "rating", None) if _has_rating(dossier) else None
        per = dossier_scores(dossier, rating, legs[dossier.pk])
        agency_group.add(per)
        for user_id in handlers[dossier.pk]:
            people[user_id].add(per)
        for unit_id in unit_handlers[dossier.pk]:
            units[unit_id].add(per)
        if dossier.channel == Channel.ONLINE:
            online += 1
            late_online += dossier.timeliness == Timeliness.LATE
    procedures = Procedure.objects.filter(agency=agency).published()
    counts = {"total": 0, "online": 0}
    for level in procedures.values_list("online_level", flat=True):
        counts["total"] += 1
        counts["online"] += level != OnlineLevel.NONE
    indicators = agency_group.averages(DOSSIER_INDICATORS)
    configured = getattr(settings, "COQUAN_ONESTOP_UNIT_INDICATORS", {}).get(agency.organ_id, {})
    for number in (5, 8):
        value = configured.get(str(number), configured.get(number))
        indicators[number] = round1(value) if value is not None else None
    indicators[9] = round1(
        _online_indicator(counts["total"], counts["online"], len(dossiers), online, late_online)
    )
    scored = [v for v in indicators.values() if v is not None]
    total = round1(sum(scored)) if scored else None
    wanted = staff_indicators()

    def rows_of(groups):
        out = []
        for group in sorted(groups.values(), key=lambda g: str(g.label)):
            group_total = group.total(wanted)
            out.append(
                {
                    "id": group.key,
                    "name": group.label,
                    "dossiers": group.dossiers,
                    "indicators": group.averages(DOSSIER_INDICATORS),
                    "total": group_total,
                    "band": staff_band(group_total),
                    "band_label": STAFF_BANDS.get(staff_band(group_total), ""),
                }
            )
        return out

    return {
        "agency": agency,
        "start": start,
        "end": end,
        "dossiers": len(dossiers),
        "rated": sum(1 for d in dossiers if _has_rating(d)),
        "indicators": {n: indicators.get(n) for n in UNIT_INDICATORS},
        "total": total,
        "band": unit_band(total),
        "band_label": UNIT_BANDS.get(unit_band(total), ""),
        "staff_indicators": wanted,
        "people": rows_of(people),
        "units": rows_of(units),
    }


def _has_rating(dossier) -> bool:
    from coquan.onestop.models import DossierRating

    try:
        return dossier.rating is not None
    except DossierRating.DoesNotExist:
        return False


def scores_of(dossier) -> dict:
    """The per-dossier indicators of one dossier, for its page and the API."""
    from coquan.onestop.models import DossierRating

    rating = DossierRating.objects.filter(dossier_id=dossier.pk).first()
    results = list(dossier.transfers.values_list("timeliness", flat=True))
    per = dossier_scores(dossier, rating, results)
    return {"indicators": per, "rating": rating}
