"""Adapters: count tables → plain rows → `srbgov.stats` → rows for pages, exports, alerts.

Every function takes the area the user may see (their scope or a sub-area of it) and a
`Period`; none of them widens it. Counts for whole years come from `VillageYearCount`
(one row per village and year), everything finer (quarters, birth order, earlier
children, facility) from the monthly `BirthCount`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When

from srbgov.areas.models import Area, AreaLevel
from srbgov.monitoring.models import (
    BirthCount,
    EarlierPattern,
    OrderBucket,
    SrbPolicy,
    VillageYearCount,
)
from srbgov.stats import (
    DEFAULT_REFERENCE_SRB,
    HIGH_SRB_THRESHOLD,
    REFERENCE_LEVELS,
    FunnelZone,
    IntervalMethod,
    SrbClass,
    classify_srb,
    detectable_srbs,
    funnel_arrays,
    low_srb_flags,
    shrink_groups,
    srb_estimate,
    srb_estimates,
    srb_to_p,
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
    """The policy of the county `area` belongs to (DESIGN §6: policy data)."""
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


def year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 1), f"{year}年")


def quarter_period(year: int, quarter: int) -> Period:
    first = date(year, 3 * quarter - 2, 1)
    return Period(
        "quarter", first, date(year, 3 * quarter, 1), f"{year}年第{quarter}季度"
    )


def window_period(end_year: int, years: int) -> Period:
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


def _month_counts(
    area: Area, period: Period, order: int | None, pattern: str | None
) -> QuerySet[BirthCount]:
    rows = BirthCount.objects.in_area(area).filter(
        month__gte=period.first_month, month__lte=period.last_month
    )
    if order is not None:
        rows = rows.filter(order_bucket=order)
    if pattern is not None:
        rows = rows.filter(pattern=pattern)
    return rows


def _by_sex(field: str) -> Sum:
    return Sum(
        Case(When(sex=field, then="n"), default=Value(0), output_field=IntegerField())
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
            .annotate(b=_by_sex("M"), g=_by_sex("F"))
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
        .annotate(b=_by_sex("M"), g=_by_sex("F"))
        .values_list("order_bucket", "pattern", "b", "g")
    )
    return {(o, p): (int(b or 0), int(g or 0)) for o, p, b, g in rows}


def facility_counts(area: Area, period: Period) -> list[tuple[str, Counts]]:
    """[(delivering facility name, (boys, girls))], births of the area's mothers."""
    rows = (
        _month_counts(area, period, None, None)
        .values("facility__name")
        .annotate(b=_by_sex("M"), g=_by_sex("F"))
        .values_list("facility__name", "b", "g")
        .order_by("facility__name")
    )
    return [(name or "", (int(b or 0), int(g or 0))) for name, b, g in rows]


# ---- statistics rows ------------------------------------------------------------


@dataclass(frozen=True)
class SrbRow:
    """One unit's SRB with its interval and classification, for tables and exports."""

    label: str
    boys: int
    girls: int
    births: int
    srb: float | None
    lower: float
    upper: float
    category: SrbClass

    @property
    def is_high(self) -> bool:
        return self.category is SrbClass.HIGH

    @property
    def is_low(self) -> bool:
        return self.category is SrbClass.LOW_DATA_QUALITY


def srb_row(label: str, counts: Counts, policy: Policy) -> SrbRow:
    boys, girls = counts
    est = srb_estimate(boys, girls, method=policy.method)
    category = classify_srb(boys, girls).category
    return SrbRow(
        label, boys, girls, est.births, est.srb, est.lower, est.upper, category
    )


def sub_area_rows(area: Area, period: Period, policy: Policy) -> list[SrbRow]:
    """The area's townships (for a county) or villages (for a township)."""
    counts = village_counts(area, period)
    villages = villages_of(area)
    if area.level == AreaLevel.COUNTY:
        totals: dict[str, list[int]] = {}
        for v in villages:
            b, g = counts.get(v.pk, (0, 0))
            name = v.parent.name if v.parent else ""
            acc = totals.setdefault(name, [0, 0])
            acc[0] += b
            acc[1] += g
        return [srb_row(name, (b, g), policy) for name, (b, g) in totals.items()]
    return [srb_row(v.name, counts.get(v.pk, (0, 0)), policy) for v in villages]


def breakdown_rows(area: Area, period: Period, policy: Policy) -> list[SrbRow]:
    """Birth order × sexes of earlier children, the cells where selection shows
    (DESIGN §6), then each order bucket in total."""
    cells = cell_counts(area, period)
    rows: list[SrbRow] = []
    for bucket in OrderBucket:
        total = [0, 0]
        for pattern in EarlierPattern:
            if bucket == OrderBucket.FIRST and pattern != EarlierPattern.NONE:
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
                rows.append(srb_row(f"{bucket.label}·{pattern.label}", (b, g), policy))
        rows.append(srb_row(f"{bucket.label}（合计）", (total[0], total[1]), policy))
    return rows


@dataclass(frozen=True)
class VillageRow:
    """A village's SRB: raw with interval, shrunken towards its township, the
    probability that the true SRB exceeds 107, what its births can detect, and its
    funnel zones (unadjusted and adjusted for over-dispersion)."""

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
    prob_above: float
    detectable: float | None
    zone: FunnelZone
    zone_multiplicative: FunnelZone
    zone_additive: FunnelZone
    is_low: bool

    @property
    def is_flagged(self) -> bool:
        """Above the exact 95 % (alert) or 99.8 % (alarm) upper funnel limit."""
        return self.zone in (FunnelZone.ABOVE_95, FunnelZone.ABOVE_998)

    @property
    def is_probably_high(self) -> bool:
        return self.prob_above > ALERT_PROBABILITY


ALERT_PROBABILITY = 0.95


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


@dataclass(frozen=True)
class VillageStatistics:
    rows: list[VillageRow]
    phi: float
    overdispersed: bool
    tau2: float
    reference_srb: float


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
    SRB shrunk towards the village's township with P(SRB > 107), the detectable SRB
    for its births against the policy reference, and its funnel zones."""
    villages = villages if villages is not None else villages_of(area)
    counts = village_counts(area, period, order=order, pattern=pattern)
    boys = np.array([counts.get(v.pk, (0, 0))[0] for v in villages], dtype=np.int64)
    girls = np.array([counts.get(v.pk, (0, 0))[1] for v in villages], dtype=np.int64)
    raw = srb_estimates(boys, girls, method=policy.method)
    shrunk = shrink_groups(
        boys,
        girls,
        [v.parent_id for v in villages],
        fallback_mean=srb_to_p(policy.reference_srb),
        threshold_srb=HIGH_SRB_THRESHOLD,
    )
    detect = detectable_srbs(raw.births, reference_srb=policy.reference_srb)
    funnel = funnel_arrays(boys, girls, reference_srb=policy.reference_srb)
    low = low_srb_flags(boys, girls)
    rows = []
    for i, v in enumerate(villages):
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
                prob_above=float(shrunk.prob_above[i]),
                detectable=_num(float(detect[i])),
                zone=funnel.zone[i],
                zone_multiplicative=funnel.zone_multiplicative[i],
                zone_additive=funnel.zone_additive[i],
                is_low=bool(low[i]),
            )
        )
    return VillageStatistics(
        rows, funnel.phi, funnel.overdispersed, funnel.tau2, policy.reference_srb
    )


def ranked(rows: list[VillageRow]) -> list[VillageRow]:
    """By P(SRB > 107), never by raw SRB (DESIGN §6); ties by births, then code."""
    return sorted(rows, key=lambda r: (-r.prob_above, -r.births, r.code))
