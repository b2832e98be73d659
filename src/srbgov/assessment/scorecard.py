"""Scorecards: every unit of an area against the year's indicators (docs/assessment.md).

Set-based: each indicator kind counts once for the whole area (a county of 300 villages
costs the same few GROUP BY queries as a township; `make bench` line scorecard_county_year),
then the figures are scored in Python. Ranks are within the township for villages and within
the county for townships: the units are offices and villages, never women or couples.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.assessment.indicators import (
    DEFAULT_WEIGHTS,
    REGISTRY,
    Grain,
    IndicatorKind,
    Period,
    Tally,
    county_policy,
    shared_counts,
)
from srbgov.assessment.models import Indicator, Level, RuleChoice, VetoEvent
from srbgov.assessment.scoring import (
    Figure,
    Rule,
    Total,
    Unit,
    evaluate,
    evaluate_srb,
    ranks,
    total,
)
from srbgov.monitoring.queries import county_code
from srbgov.stats import FLAG_Q, LOW_SRB_THRESHOLD, srb_estimates, srb_verdicts


@dataclass(frozen=True)
class Cell:
    indicator: Indicator
    kind: IndicatorKind
    figure: Figure

    @property
    def text(self) -> str:
        return figure_text(self.figure)

    @property
    def drillable(self) -> bool:
        # A template would call kind.records itself: ask here instead.
        return self.kind.records is not None


@dataclass
class Row:
    unit: Area
    township: str
    cells: list[Cell]
    total: Total
    vetoes: list[VetoEvent] = field(default_factory=list)
    rank: int | None = None

    @property
    def weak(self) -> bool:
        return self.total.vetoed or any(c.figure.met is False for c in self.cells)

    def shortfalls(self) -> list[str]:
        """What makes the unit weak, in words (the rectification task's reason)."""
        reasons = [
            _("一票否决：%(kind)s（%(on)s）")
            % {"kind": v.get_kind_display(), "on": f"{v.confirmed_on:%Y-%m-%d}"}
            for v in self.vetoes
        ]
        for c in self.cells:
            if c.figure.met is not False:
                continue
            values = {"name": c.indicator.name, "figure": c.text}
            if c.figure.unit is Unit.SRB:
                # The SRB fails on the county-wide test, not on "above the target".
                reasons.append(
                    _("%(name)s：%(figure)s，全县校正后仍显著高于规划指标%(target)s")
                    % (values | {"target": f"{c.figure.target.normalize():f}"})
                )
            else:
                reasons.append(
                    _("%(name)s：%(figure)s，目标 %(target)s")
                    % (values | {"target": target_text(c.figure)})
                )
        return reasons


@dataclass(frozen=True)
class Scorecard:
    area: Area
    level: str
    period: Period
    indicators: list[Indicator]
    rows: list[Row]

    @property
    def weak_rows(self) -> list[Row]:
        return [r for r in self.rows if r.weak]

    @property
    def srb_note(self) -> str:
        """What "未达标" means on the SRB indicator, when the card has one."""
        if not any(REGISTRY[i.kind].unit is Unit.SRB for i in self.indicators):
            return ""
        return srb_note(self.level)


def srb_note(level: str) -> str:
    """One sentence for the page, the sheet and the document: "未达标" on the SRB is
    the error model's verdict over the county (`_srb_figures`), not the unit's own
    interval, and how often it comes by chance (q = 0.025 for the whole family)."""
    if level == Level.TOWNSHIP:
        return _(
            "性别比为多年合并值及其95%%区间；“未达标”指把全县各乡镇一起做精确检验并校正多重比较后，"
            "该乡镇的性别比仍显著高于规划指标（各乡镇实际都不高于规划指标时，全县偶然有任何一个乡镇"
            "被判未达标的机会不超过%(q)s%%），只是区间下限高于规划指标不算未达标。"
        ) % {"q": _percent(FLAG_Q)}
    return _(
        "性别比为多年合并值及其95%%区间；“未达标”指把全县各村一起做精确检验并校正多重比较后，"
        "该村的性别比仍显著高于规划指标（各村实际都不高于规划指标时，全县偶然有任何一个村"
        "被判未达标的机会不超过%(q)s%%），只是区间下限高于规划指标不算未达标。"
    ) % {"q": _percent(FLAG_Q)}


def _percent(q: float) -> str:
    return f"{q * 100:g}"


def figure_text(figure: Figure) -> str:
    """The figure as pages and documents show it: always with its cases, never a bare
    100 % over a handful (docs/assessment.md)."""
    n, d = figure.numerator, figure.denominator
    if figure.unit is Unit.SRB:
        if figure.met is None:
            return _("无出生")
        srb = figure.value if figure.value is not None else "—"
        text = _("%(srb)s（%(lower)s–%(upper)s），男%(boys)s/女%(girls)s") % {
            "srb": srb,
            "lower": figure.lower if figure.lower is not None else "—",
            "upper": figure.upper if figure.upper is not None else "—",
            "boys": n,
            "girls": d,
        }
        return text + (_("，例数少") if figure.few else "")
    if figure.met is None:
        return _("无记录")
    if figure.unit is Unit.COUNT:
        return f"{n}/{d}"
    if figure.few:
        return _("%(n)s/%(d)s，例数少") % {"n": n, "d": d}
    return f"{figure.value}%（{n}/{d}）"


def target_text(figure: Figure) -> str:
    if figure.unit is Unit.RATE:
        return f"≥{figure.target.normalize():f}%"
    if figure.unit is Unit.SRB:
        return f"≤{figure.target.normalize():f}"
    return f"≥{figure.target.normalize():f}"


def county_of(area: Area) -> Area:
    return Area.objects.get(code=county_code(area))


def indicators_for(*, county: Area, year: int, level: str) -> list[Indicator]:
    """The county's indicators of the year, or the seed's defaults (unsaved) if it has
    defined none for that level."""
    found = list(Indicator.objects.filter(county=county, year=year, level=level))
    if found:
        return [i for i in found if i.kind in REGISTRY]
    return default_indicators(county=county, year=year, level=level)


def default_indicators(*, county: Area, year: int, level: str) -> list[Indicator]:
    return [
        Indicator(
            county=county,
            year=year,
            level=level,
            kind=key,
            name=str(REGISTRY[key].label),
            target=REGISTRY[key].default_target,
            weight=weight,
            rule=RuleChoice.THRESHOLD,
            position=i,
        )
        for i, (key, weight) in enumerate(DEFAULT_WEIGHTS[level].items())
        if key in REGISTRY
    ]


def _units(
    area: Area, level: str
) -> tuple[list[Area], dict[int, int], list[Area], Area]:
    """The units scored, {village id: township id} of the area's villages, every
    township and village of the area, and the county (in the same query)."""
    found = list(
        (
            Area.objects.in_area(area).filter(
                level__in=[AreaLevel.TOWNSHIP, AreaLevel.VILLAGE]
            )
            | Area.objects.filter(code=county_code(area))
        ).order_by("code")
    )
    county = next(a for a in found if a.level == AreaLevel.COUNTY)
    areas = [a for a in found if a.level != AreaLevel.COUNTY]
    town_by_code = {a.code[:9]: a.pk for a in areas if a.level == AreaLevel.TOWNSHIP}
    if area.level == AreaLevel.TOWNSHIP:
        town_by_code[area.code[:9]] = area.pk
    village_town = {
        a.pk: town_by_code[a.code[:9]]
        for a in areas
        if a.level == AreaLevel.VILLAGE and a.code[:9] in town_by_code
    }
    if level == Level.VILLAGE:
        units = [a for a in areas if a.level == AreaLevel.VILLAGE]
        if area.level == AreaLevel.VILLAGE:
            units = [area]
    else:
        units = [a for a in areas if a.level == AreaLevel.TOWNSHIP]
        if area.level == AreaLevel.TOWNSHIP:
            units = [area]
    return units, village_town, areas, county


def _count_period(kind: IndicatorKind, period: Period) -> tuple[Period, Decimal]:
    """Counts (leads, campaigns) have yearly targets: a month's scorecard counts the year
    to that month against the target pro rata."""
    if kind.unit is Unit.COUNT and period.month:
        return Period(
            period.year, period.month, Period.of(period.year).start, period.end
        ), (Decimal(period.month) / 12)
    return period, Decimal(1)


def _tallies(
    kind: IndicatorKind,
    area: Area,
    period: Period,
    units: list[Area],
    village_town: dict[int, int],
    level: str,
) -> dict[int, Tally]:
    counted_area = area
    if area.level == AreaLevel.VILLAGE and kind.grain is Grain.TOWNSHIP:
        return {}
    raw = kind.count(counted_area, period)
    if level == Level.VILLAGE or kind.grain is Grain.TOWNSHIP:
        return {u.pk: raw.get(u.pk, kind.empty()) for u in units}
    pooled: dict[int, Tally] = defaultdict(lambda: Tally(0, 0))
    for village, town in village_town.items():
        pooled[town] = pooled[town] + raw.get(village, kind.empty())
    return {u.pk: pooled.get(u.pk, Tally(0, 0)) for u in units}


def _figures(
    indicator: Indicator, kind: IndicatorKind, tallies: dict[int, Tally], scale: Decimal
) -> dict[int, Figure]:
    target = indicator.target * scale
    return {
        unit: evaluate(
            numerator=t.numerator,
            denominator=t.denominator,
            unit=kind.unit,
            target=target,
            weight=indicator.weight,
            rule=Rule(indicator.rule),
        )
        for unit, t in tallies.items()
    }


def _srb_figures(
    indicator: Indicator,
    kind: IndicatorKind,
    period: Period,
    units: list[Area],
    level: str,
    county: Area,
) -> dict[int, Figure]:
    """The SRB of every unit, "not met" decided by the error model over the **county**:
    one family of every village of the county (township level: every township of it)
    with births in the pooled window, whatever area the scorecard shows, so that a
    village scores the same on its township's, its county's and its own card and on the
    statistics pages' terms (docs/statistics.md, families). One count query for the
    county, whatever the area; the township level reads the county's village codes too.
    """
    counts = kind.count(county, period)
    tallies: dict[object, Tally]
    if level == Level.VILLAGE:
        tallies = {village: tally for village, tally in counts.items()}
        key_of: dict[int, object] = {u.pk: u.pk for u in units}
    else:
        # A village's township is the first 9 digits of its code (as in `_units`).
        code_of = dict(
            Area.objects.in_area(county)
            .filter(level=AreaLevel.VILLAGE)
            .values_list("pk", "code")
        )
        tallies = defaultdict(lambda: Tally(0, 0))
        for village, tally in counts.items():
            if village in code_of:
                tallies[code_of[village][:9]] += tally
        key_of = {u.pk: u.code[:9] for u in units}
    keys = list(tallies)
    boys = np.array([tallies[k].numerator for k in keys], dtype=np.int64)
    girls = np.array([tallies[k].denominator for k in keys], dtype=np.int64)
    target = indicator.target
    policy = county_policy(county)
    est = srb_estimates(boys, girls, method=policy.method)
    verdicts = srb_verdicts(
        boys,
        girls,
        families=[county.code] * len(keys),
        high_threshold_srb=float(target),
        # The low verdict is not scored; it must only not sit above a low plan figure.
        low_threshold_srb=min(LOW_SRB_THRESHOLD, float(target)),
        reference_srb=policy.reference_srb,
    )
    position = {k: i for i, k in enumerate(keys)}
    figures: dict[int, Figure] = {}
    for unit in units:
        i = position.get(key_of[unit.pk])
        figures[unit.pk] = evaluate_srb(
            boys=0 if i is None else int(boys[i]),
            girls=0 if i is None else int(girls[i]),
            srb=math.nan if i is None else float(est.srb[i]),
            lower=math.nan if i is None else float(est.lower[i]),
            upper=math.nan if i is None else float(est.upper[i]),
            above_target=i is not None and bool(verdicts.flagged_high[i]),
            target=target,
            weight=indicator.weight,
        )
    return figures


def build_scorecard(*, area: Area, level: str, period: Period) -> Scorecard:
    """The scorecard of every `level` unit in `area` (the caller checked the user may
    see `area`). Kinds that read the same rows share one query (`shared_counts`)."""
    with shared_counts():
        return _build(area=area, level=level, period=period)


def _build(*, area: Area, level: str, period: Period) -> Scorecard:
    units, village_town, areas, county = _units(area, level)
    indicators = [
        i
        for i in indicators_for(county=county, year=period.year, level=level)
        if level in REGISTRY[i.kind].levels
    ]
    columns: list[tuple[Indicator, IndicatorKind, dict[int, Figure]]] = []
    for indicator in indicators:
        kind = REGISTRY[indicator.kind]
        counted, scale = _count_period(kind, period)
        if kind.unit is Unit.SRB:
            figures = _srb_figures(indicator, kind, counted, units, level, county)
        else:
            tallies = _tallies(kind, area, counted, units, village_town, level)
            figures = _figures(indicator, kind, tallies, scale)
        columns.append((indicator, kind, figures))
    vetoes: dict[int, list[VetoEvent]] = defaultdict(list)
    for veto in VetoEvent.objects.in_area(area).filter(
        confirmed_on__gte=Period.of(period.year).start, confirmed_on__lte=period.end
    ):
        vetoed = (
            veto.village_id
            if level == Level.VILLAGE
            else village_town.get(veto.village_id)
        )
        if vetoed is not None:
            vetoes[vetoed].append(veto)
    # A county's townships are already loaded; a township's name needs its own row.
    town_names = {a.pk: a.name for a in areas if a.level == AreaLevel.TOWNSHIP}
    if area.level == AreaLevel.TOWNSHIP:
        town_names[area.pk] = area.name
    rows = []
    for unit in units:
        pk = unit.pk  # Model.pk is a property: read it once per row, not per cell
        cells = [Cell(i, k, figures[pk]) for i, k, figures in columns if pk in figures]
        vetoed_by = vetoes.get(pk, [])
        rows.append(
            Row(
                unit=unit,
                township=town_names.get(village_town.get(pk, pk), ""),
                cells=cells,
                total=total([c.figure for c in cells], vetoed=bool(vetoed_by)),
                vetoes=vetoed_by,
            )
        )
    _rank(rows, level)
    return Scorecard(
        area=area, level=level, period=period, indicators=indicators, rows=rows
    )


def _rank(rows: list[Row], level: str) -> None:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row.township if level == Level.VILLAGE else ""].append(row)
    for group in groups.values():
        for row, rank in zip(
            group, ranks([r.total.percent for r in group]), strict=True
        ):
            row.rank = rank
