"""Adapters: count tables → plain rows → `srbgov.stats` → rows for pages, exports, alerts.

Every function takes the area the user may see (their scope or a sub-area of it) and a
`Period`; none of them widens what is shown. Counts for whole years come from
`VillageYearCount` (one row per village and year), everything finer (quarters, birth
order, earlier children, facility) from `BirthCount` (one row per village, year and
cell, a column per month: a period's births are the sum of its months' columns).

Verdicts (docs/statistics.md): only a pooled window of complete years is judged; a
single year or quarter shows its figures and intervals but no verdict, label or zone
colour (`Period.judged`). Every flag goes through `srbgov.stats.srb_verdicts`; a unit's
family is fixed by what the unit is, not by the table or the user (docs/statistics.md,
"Families"): a village (its total, or one birth-order / earlier-children cell of it) is
judged with every village of the county, a township with the county's townships, so
that the page, the export and the alert say the same about a village or township.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from django.db.models import Case, F, IntegerField, QuerySet, Sum, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils.translation import gettext as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.monitoring.models import (
    BirthCount,
    EarlierPattern,
    OrderBucket,
    SrbPolicy,
    VillageYearCount,
    month_field,
)
from srbgov.stats import (
    DEFAULT_REFERENCE_SRB,
    FLAG_Q,
    HIGH_SRB_THRESHOLD,
    REFERENCE_LEVELS,
    TAIL_95,
    FunnelZone,
    IntervalMethod,
    SrbClass,
    funnel_arrays,
    shrink_groups,
    srb_estimates,
    srb_verdicts,
    zone_chance,
    zone_reachable,
)

Counts = tuple[int, int]  # (boys, girls)


@dataclass(frozen=True)
class Policy:
    """The county's statistics policy (SrbPolicy, or the defaults)."""

    reference_key: str
    reference_srb: float
    method: IntervalMethod
    window_years: int


DEFAULT_POLICY = Policy(
    "chao2019_eastern_asia", DEFAULT_REFERENCE_SRB, IntervalMethod.WILSON, 5
)


def county_code(area: Area) -> str:
    return area.code[:6] + "000000"


def policy_for(area: Area) -> Policy:
    """The policy of the county `area` belongs to (docs/design.md §6: policy data)."""
    row = SrbPolicy.objects.filter(county__code=county_code(area)).first()
    if row is None:
        return DEFAULT_POLICY
    return Policy(
        row.reference_level,
        REFERENCE_LEVELS[row.reference_level],
        IntervalMethod(row.interval_method),
        row.window_years,
    )


@dataclass(frozen=True)
class Period:
    """A calendar span of whole months: [first_month, last_month]."""

    kind: str  # "year", "quarter" or "window"
    first_month: date
    last_month: date
    label: str

    @property
    def years(self) -> range:
        return range(self.first_month.year, self.last_month.year + 1)

    @property
    def whole_years(self) -> bool:
        return self.first_month.month == 1 and self.last_month.month == 12

    @property
    def judged(self) -> bool:
        """Whether verdicts are given: only on a pooled window of years, never on one
        year's or one quarter's counts (docs/statistics.md, "One year never flags")."""
        return self.kind == "window"


def year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 1), f"{year}年")


def quarter_period(year: int, quarter: int) -> Period:
    first = date(year, 3 * quarter - 2, 1)
    return Period(
        "quarter", first, date(year, 3 * quarter, 1), f"{year}年第{quarter}季度"
    )


def last_complete_year(today: date) -> int:
    """The current calendar year is not complete until it has ended."""
    return today.year - 1


def window_period(end_year: int, years: int, *, today: date | None = None) -> Period:
    """`years` whole years ending with `end_year`; with `today`, never later than the
    last complete year (a partial year in a window would count as a year)."""
    if today is not None:
        end_year = min(end_year, last_complete_year(today))
    start = end_year - years + 1
    return Period(
        "window", date(start, 1, 1), date(end_year, 12, 1), f"{start}–{end_year}年"
    )


# ---- counts ---------------------------------------------------------------------


def villages_of(area: Area) -> list[Area]:
    """Villages in the area (every one, with or without births), township loaded."""
    return list(
        Area.objects.in_area(area)
        .filter(level=AreaLevel.VILLAGE)
        .select_related("parent")
        .order_by("code")
    )


def _months(first: int, last: int) -> CombinedExpression | F:
    """The births of months first…last of a count row's year (the whole year: `n`)."""
    if (first, last) == (1, 12):
        return F("n")
    total: CombinedExpression | F = F(month_field(first))
    for month in range(first + 1, last + 1):
        total = total + F(month_field(month))
    return total


def _births_in(period: Period) -> Case | CombinedExpression | F:
    """A count row's births inside `period` (whole months, possibly across years):
    the months of its first and last year that fall inside, every month between."""
    first, last = period.first_month, period.last_month
    if first.year == last.year:
        return _months(first.month, last.month)
    return Case(
        When(year=first.year, then=_months(first.month, 12)),
        When(year=last.year, then=_months(1, last.month)),
        default=F("n"),
        output_field=IntegerField(),
    )


def _month_counts(
    area: Area, period: Period, order: int | None, pattern: str | None
) -> QuerySet[BirthCount]:
    """The area's count rows with births in `period`, each with them as `in_period`
    (rows whose births all fall outside the period's months are left out, as the
    monthly rows of those months were)."""
    rows = (
        BirthCount.objects.in_area(area)
        .filter(year__gte=period.first_month.year, year__lte=period.last_month.year)
        .alias(in_period=_births_in(period))
        .filter(in_period__gt=0)
    )
    if order is not None:
        rows = rows.filter(order_bucket=order)
    if pattern is not None:
        rows = rows.filter(pattern=pattern)
    return rows


def _by_sex(field: str, period: Period) -> Sum:
    return Sum(
        Case(
            When(sex=field, then=_births_in(period)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def village_counts(
    area: Area,
    period: Period,
    *,
    order: int | None = None,
    pattern: str | None = None,
) -> dict[int, Counts]:
    """{village id: (boys, girls)} for the villages of `area` with births in `period`."""
    rows: Iterable[tuple[int, int | None, int | None]]
    if period.whole_years and order is None and pattern is None:
        rows = (
            VillageYearCount.objects.in_area(area)
            .filter(year__gte=period.first_month.year, year__lte=period.last_month.year)
            .values("village_id")
            .annotate(b=Sum("boys"), g=Sum("girls"))
            .values_list("village_id", "b", "g")
        )
    else:
        rows = (
            _month_counts(area, period, order, pattern)
            .values("village_id")
            .annotate(b=_by_sex("M", period), g=_by_sex("F", period))
            .values_list("village_id", "b", "g")
        )
    return {v: (int(b or 0), int(g or 0)) for v, b, g in rows}


def yearly_totals(area: Area, years: Iterable[int]) -> dict[int, Counts]:
    """{year: (boys, girls)} of the whole area (the trend)."""
    wanted = list(years)
    rows = (
        VillageYearCount.objects.in_area(area)
        .filter(year__gte=min(wanted), year__lte=max(wanted))
        .values("year")
        .annotate(b=Sum("boys"), g=Sum("girls"))
        .values_list("year", "b", "g")
    )
    found = {y: (int(b or 0), int(g or 0)) for y, b, g in rows}
    return {y: found.get(y, (0, 0)) for y in wanted}


def cell_counts(area: Area, period: Period) -> dict[tuple[int, str], Counts]:
    """{(order bucket, earlier pattern): (boys, girls)} over the area and period."""
    rows = (
        _month_counts(area, period, None, None)
        .values("order_bucket", "pattern")
        .annotate(b=_by_sex("M", period), g=_by_sex("F", period))
        .values_list("order_bucket", "pattern", "b", "g")
    )
    return {(o, p): (int(b or 0), int(g or 0)) for o, p, b, g in rows}


def facility_counts(area: Area, period: Period) -> list[tuple[str, Counts]]:
    """[(delivering facility name, (boys, girls))], births of the area's mothers."""
    rows = (
        _month_counts(area, period, None, None)
        .values("facility__name")
        .annotate(b=_by_sex("M", period), g=_by_sex("F", period))
        .values_list("facility__name", "b", "g")
        .order_by("facility__name")
    )
    return [(name or "", (int(b or 0), int(g or 0))) for name, b, g in rows]


# ---- statistics rows ------------------------------------------------------------


@dataclass(frozen=True)
class SrbRow:
    """One unit's SRB with its interval and verdict, for tables and exports.

    `judged` is False for single years and quarters: then no verdict at all. Otherwise
    `category` comes from `srb_verdicts` over the row's table (its family)."""

    label: str
    boys: int
    girls: int
    births: int
    srb: float | None
    lower: float
    upper: float
    category: SrbClass
    judged: bool = True
    too_few: bool = False
    q_value: float | None = None
    # Why a row of a judged period carries no verdict (no family is defined for it).
    unjudged_reason: str = ""

    @property
    def is_high(self) -> bool:
        return (
            self.judged and not self.unjudged_reason and self.category is SrbClass.HIGH
        )

    @property
    def is_low(self) -> bool:
        return (
            self.judged
            and not self.unjudged_reason
            and self.category is SrbClass.LOW_DATA_QUALITY
        )

    @property
    def verdict_label(self) -> str:
        if self.births == 0:
            return _("无出生")
        if self.unjudged_reason:
            return self.unjudged_reason
        if not self.judged:
            return _("单年（季度）数据不作判断")
        if self.is_high:
            return _("显著高于107")
        if self.is_low:
            return _("显著偏低：疑似漏报男婴（数据质量）")
        if self.too_few:
            return _("出生数过少，无法判断")
        return _("未见显著异常")


def srb_rows(
    items: Iterable[tuple[str, Counts]], policy: Policy, *, judged: bool
) -> list[SrbRow]:
    """Rows of one table, judged together as one family (`srb_verdicts`)."""
    pairs = list(items)
    boys = np.array([c[0] for _label, c in pairs], dtype=np.int64)
    girls = np.array([c[1] for _label, c in pairs], dtype=np.int64)
    raw = srb_estimates(boys, girls, method=policy.method)
    verdicts = srb_verdicts(boys, girls, reference_srb=policy.reference_srb)
    rows = []
    for i, (label, _counts) in enumerate(pairs):
        n = int(raw.births[i])
        if n == 0:
            category = SrbClass.NO_BIRTHS
        elif verdicts.flagged_high[i]:
            category = SrbClass.HIGH
        elif verdicts.flagged_low[i]:
            category = SrbClass.LOW_DATA_QUALITY
        else:
            category = SrbClass.NORMAL
        rows.append(
            SrbRow(
                label=label,
                boys=int(boys[i]),
                girls=int(girls[i]),
                births=n,
                srb=_num(float(raw.srb[i])),
                lower=float(raw.lower[i]),
                upper=float(raw.upper[i]),
                category=category,
                judged=judged,
                too_few=bool(verdicts.too_few[i]),
                q_value=_num(float(verdicts.high.q_value[i])),
            )
        )
    return rows


def srb_row(label: str, counts: Counts, policy: Policy, *, judged: bool) -> SrbRow:
    """A table of one row: a unit that is its own family (a county's total)."""
    return srb_rows([(label, counts)], policy, judged=judged)[0]


def township_rows(county: Area, period: Period, policy: Policy) -> dict[int, SrbRow]:
    """{township id: row} for every township of the county with villages, judged as
    one family (the townships of the county), in code order."""
    counts = village_counts(county, period)
    names: dict[int, str] = {}
    totals: dict[int, list[int]] = {}
    for v in villages_of(county):
        if v.parent is None:
            continue
        b, g = counts.get(v.pk, (0, 0))
        names[v.parent.pk] = v.parent.name
        acc = totals.setdefault(v.parent.pk, [0, 0])
        acc[0] += b
        acc[1] += g
    ids = list(totals)
    rows = srb_rows(
        ((names[t], (totals[t][0], totals[t][1])) for t in ids),
        policy,
        judged=period.judged,
    )
    return dict(zip(ids, rows, strict=True))


def area_total(area: Area, period: Period, policy: Policy) -> SrbRow:
    """The area's total with the verdict of its own family (docs/statistics.md): a
    village's is its row of `village_statistics` (the county's villages), a
    township's its row among the county's townships; a county is judged alone (no
    other county is judged with it)."""
    if area.level == AreaLevel.VILLAGE:
        row = village_statistics(area, period, policy).rows[0].as_srb_row()
    elif area.level == AreaLevel.TOWNSHIP:
        found = township_rows(county_of(area), period, policy).get(area.pk)
        if found is None:  # a township without villages has no births
            return srb_row(period.label, (0, 0), policy, judged=period.judged)
        row = found
    else:
        counts = village_counts(area, period)
        total = (sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values()))
        return srb_row(period.label, total, policy, judged=period.judged)
    return replace(row, label=period.label)


def sub_area_rows(area: Area, period: Period, policy: Policy) -> list[SrbRow]:
    """The area's townships (for a county, judged as one family) or villages (for a
    township or village: the verdicts of `village_statistics`, judged with the whole
    county)."""
    if area.level == AreaLevel.COUNTY:
        return list(township_rows(area, period, policy).values())
    stats = village_statistics(area, period, policy)
    return [r.as_srb_row() for r in stats.rows]


TREND_YEARS = 10


def trend_rows(area: Area, end_year: int, policy: Policy) -> list[SrbRow]:
    """The area's last ten single years: figures and intervals, never a verdict."""
    years = range(end_year - TREND_YEARS + 1, end_year + 1)
    return srb_rows(
        ((str(y), c) for y, c in yearly_totals(area, years).items()),
        policy,
        judged=False,
    )


def facility_rows(area: Area, period: Period, policy: Policy) -> list[SrbRow]:
    """Births of the area's mothers by delivering facility, judged as one family (a
    county's or township's table). A village's rows are cells of a village, and no
    county family is defined for village × facility (docs/statistics.md): figures
    and intervals only, with the reason in place of a verdict."""
    rows = srb_rows(
        (
            (name or _("未填写接生机构"), counts)
            for name, counts in facility_counts(area, period)
        ),
        policy,
        judged=period.judged,
    )
    if area.level != AreaLevel.VILLAGE or not period.judged:
        return rows
    reason = _("村内按接生机构不作判断")
    return [replace(r, unjudged_reason=reason) for r in rows]


def breakdown_rows(area: Area, period: Period, policy: Policy) -> list[SrbRow]:
    """Birth order × sexes of earlier children, the cells where selection shows
    (docs/design.md §6), then each order bucket in total.

    A county's or township's cells are judged as one family (the rows of the table).
    A village's cell is a village unit: its verdict is its row of `village_statistics`
    for that cell (every village of the county, one family per cell), the same as the
    ranking page says with that cell selected."""
    if area.level == AreaLevel.VILLAGE:
        return _village_breakdown_rows(area, period, policy)
    items = [(label, counts) for label, _cell, counts in _breakdown_cells(area, period)]
    return srb_rows(items, policy, judged=period.judged)


def _village_breakdown_rows(area: Area, period: Period, policy: Policy) -> list[SrbRow]:
    everyone = villages_of(county_of(area))
    rows = []
    for label, (order, pattern), _counts in _breakdown_cells(area, period):
        stats = village_statistics(
            area, period, policy, order=order, pattern=pattern, villages=everyone
        )
        rows.append(replace(stats.rows[0].as_srb_row(), label=label))
    return rows


def _breakdown_cells(
    area: Area, period: Period
) -> list[tuple[str, tuple[int, str | None], Counts]]:
    """[(label, (order bucket, pattern or None for the bucket's total), counts)]."""
    cells = cell_counts(area, period)
    items: list[tuple[str, tuple[int, str | None], Counts]] = []
    for bucket in OrderBucket:
        total = [0, 0]
        for pattern in EarlierPattern:
            if bucket == OrderBucket.FIRST and pattern != EarlierPattern.NONE:
                continue
            # A second birth has exactly one earlier child: never both sexes.
            if bucket == OrderBucket.SECOND and pattern == EarlierPattern.MIXED:
                continue
            # A later birth with no earlier children: only when they were not
            # registered; shown when it happens.
            if (
                bucket != OrderBucket.FIRST
                and pattern == EarlierPattern.NONE
                and (bucket, pattern) not in cells
            ):
                continue
            b, g = cells.get((bucket, pattern), (0, 0))
            total[0] += b
            total[1] += g
            if bucket != OrderBucket.FIRST:
                items.append(
                    (
                        f"{bucket.label}·{pattern.label}",
                        (int(bucket), str(pattern)),
                        (b, g),
                    )
                )
        # The bucket's total is the ranking page's cell of that order (any pattern).
        items.append(
            (f"{bucket.label}（合计）", (int(bucket), None), (total[0], total[1]))
        )
    return items


@dataclass(frozen=True)
class VillageRow:
    """A village's SRB: raw with interval, shrunk towards its township (with P(SRB >
    107) and its posterior SD), its exact funnel zones, and the verdict of the error
    model (`srbgov.stats.srb_verdicts` over the county's villages): `flagged_high`,
    `q_value`, `detectable` (the SRB its births would need to be flagged on their own,
    against 107 at the same level as the flags), `too_few` (births, but no SRB could
    be flagged) with `births_needed`. `judged` is False for one year or quarter."""

    village_id: int
    code: str
    name: str
    township: str
    boys: int
    girls: int
    births: int
    srb: float | None
    lower: float
    upper: float
    shrunk_srb: float
    shrunk_lower: float
    shrunk_upper: float
    shrunk_sd: float
    prob_above: float
    detectable: float | None
    zone: FunnelZone
    zone_multiplicative: FunnelZone
    zone_additive: FunnelZone
    zone_reachable: bool
    is_low_test: bool
    flagged_high: bool
    q_value: float | None
    p_high: float | None
    too_few: bool
    births_needed: int
    judged: bool

    @property
    def is_low(self) -> bool:
        return self.judged and self.is_low_test

    @property
    def is_flagged(self) -> bool:
        """Beyond the exact 95 % (alert) or 99.8 % (alarm) upper funnel limit, in a
        judged period: a per-village screen, not the multiple-tested flag."""
        return self.judged and self.zone in (FunnelZone.ABOVE_95, FunnelZone.ABOVE_998)

    @property
    def is_probably_high(self) -> bool:
        """The flag: significantly above 107 after multiple-testing control."""
        return self.judged and self.flagged_high

    def as_srb_row(self) -> SrbRow:
        if self.births == 0:
            category = SrbClass.NO_BIRTHS
        elif self.flagged_high:
            category = SrbClass.HIGH
        elif self.is_low_test:
            category = SrbClass.LOW_DATA_QUALITY
        else:
            category = SrbClass.NORMAL
        return SrbRow(
            label=self.name,
            boys=self.boys,
            girls=self.girls,
            births=self.births,
            srb=self.srb,
            lower=self.lower,
            upper=self.upper,
            category=category,
            judged=self.judged,
            too_few=self.too_few,
            q_value=self.q_value,
        )


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


@dataclass(frozen=True)
class VillageStatistics:
    rows: list[VillageRow]
    phi: float
    overdispersed: bool
    tau2: float
    reference_srb: float
    judged: bool
    q: float
    tested: int  # villages in the family (or families) after Tarone's screen
    chance_outside_95: float  # expected villages beyond the 95 % limits by chance

    @property
    def flagged(self) -> list[VillageRow]:
        return [r for r in self.rows if r.is_probably_high]


def county_of(area: Area) -> Area:
    """The county an area belongs to (itself for a county)."""
    if area.level == AreaLevel.COUNTY:
        return area
    return Area.objects.get(code=county_code(area))


def village_statistics(
    area: Area,
    period: Period,
    policy: Policy,
    *,
    order: int | None = None,
    pattern: str | None = None,
    villages: list[Area] | None = None,
) -> VillageStatistics:
    """Every village of `area` in `period` (optionally one birth-order / earlier-
    children cell), vectorised: raw SRB and interval (policy method), empirical-Bayes
    SRB shrunk towards the village's township with P(SRB > 107), exact funnel zones,
    and the verdicts of the error model. The verdicts and the shrinkage are computed
    over every village of the county (one family per county) and then the rows of
    `area` are kept, so a township's page says what the county's says."""
    family_area = area if area.level == AreaLevel.COUNTY else county_of(area)
    everyone = villages if villages is not None else villages_of(family_area)
    counts = village_counts(family_area, period, order=order, pattern=pattern)
    boys = np.array([counts.get(v.pk, (0, 0))[0] for v in everyone], dtype=np.int64)
    girls = np.array([counts.get(v.pk, (0, 0))[1] for v in everyone], dtype=np.int64)
    raw = srb_estimates(boys, girls, method=policy.method)
    shrunk = shrink_groups(
        boys,
        girls,
        [v.parent_id for v in everyone],
        fallback_srb=policy.reference_srb,
        threshold_srb=HIGH_SRB_THRESHOLD,
    )
    verdicts = srb_verdicts(
        boys,
        girls,
        families=[county_code(v) for v in everyone],
        reference_srb=policy.reference_srb,
    )
    funnel = funnel_arrays(boys, girls, reference_srb=policy.reference_srb)
    reachable = zone_reachable(raw.births, reference_srb=policy.reference_srb)
    above, below = zone_chance(
        raw.births, tail=TAIL_95, reference_srb=policy.reference_srb
    )
    rows = []
    keep = np.array([area.contains(v) for v in everyone], dtype=np.bool_)
    for i, v in enumerate(everyone):
        if not keep[i]:
            continue
        b, g = int(boys[i]), int(girls[i])
        rows.append(
            VillageRow(
                village_id=v.pk,
                code=v.code,
                name=v.name,
                township=v.parent.name if v.parent else "",
                boys=b,
                girls=g,
                births=b + g,
                srb=_num(float(raw.srb[i])),
                lower=float(raw.lower[i]),
                upper=float(raw.upper[i]),
                shrunk_srb=float(shrunk.srb[i]),
                shrunk_lower=float(shrunk.lower[i]),
                shrunk_upper=float(shrunk.upper[i]),
                shrunk_sd=float(shrunk.sd[i]),
                prob_above=float(shrunk.prob_above[i]),
                detectable=_num(float(verdicts.needed_srb[i])),
                zone=funnel.zone[i],
                zone_multiplicative=funnel.zone_multiplicative[i],
                zone_additive=funnel.zone_additive[i],
                zone_reachable=bool(reachable[i]),
                is_low_test=bool(verdicts.flagged_low[i]),
                flagged_high=bool(verdicts.flagged_high[i]),
                q_value=_num(float(verdicts.high.q_value[i])),
                p_high=_num(float(verdicts.p_high[i])),
                too_few=bool(verdicts.too_few[i]),
                births_needed=int(verdicts.births_needed[i]),
                judged=period.judged,
            )
        )
    return VillageStatistics(
        rows,
        funnel.phi,
        funnel.overdispersed,
        funnel.tau2,
        policy.reference_srb,
        period.judged,
        FLAG_Q,
        int(verdicts.high.tested[keep].sum()),
        float((above + below)[keep].sum()),
    )


def ranked(rows: list[VillageRow]) -> list[VillageRow]:
    """Flagged villages first (by q-value), then by P(SRB > 107), never by raw SRB
    (docs/statistics.md); ties by births, then code."""
    return sorted(
        rows,
        key=lambda r: (
            not r.is_probably_high,
            r.q_value if r.is_probably_high and r.q_value is not None else 0.0,
            -r.prob_above,
            -r.births,
            r.code,
        ),
    )
