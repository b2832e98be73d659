"""How one computed figure meets its target and what it scores (no Django; docs/assessment.md).

A figure is a numerator over a denominator: on-time registrations over registrations, leads
over villages, boys over girls. Three promises hold for every figure a page shows:

- the numerator and denominator are shown, never a bare percentage;
- a rate is never rounded up: 199 of 200 is 99.5 %, 999 of 1000 is 99.9 %, and only all of
  them is 100 % (`floor_percent`), so "100 %" means nobody was missed;
- a rate over fewer than `MIN_CASES` cases says so (`Figure.few`): five of five is "5/5，
  例数少", not a claim of 100 %.

The assessment is of the offices' and villages' own work (docs/design.md §2): these are rates
of registrations, visits and reports, never scores of women or couples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

MIN_CASES = 10


class Unit(StrEnum):
    RATE = "rate"  # numerator / denominator, target in percent
    COUNT = (
        "count"  # numerator per denominator unit (leads per village), target a number
    )
    SRB = "srb"  # boys per 100 girls, pooled, with its interval; target the plan figure


class Rule(StrEnum):
    THRESHOLD = (
        "threshold"  # the whole weight when the target is met, nothing otherwise
    )
    PROPORTIONAL = "proportional"  # weight × achieved / target, at most the weight


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int
    unit: Unit
    target: Decimal
    value: Decimal | None  # percent for rates, per-unit count, SRB; None without cases
    met: bool | None  # None: no cases, the indicator does not apply this period
    score: Decimal
    weight: int
    few: bool
    lower: Decimal | None = None  # SRB interval
    upper: Decimal | None = None

    @property
    def applies(self) -> bool:
        return self.met is not None


def floor_percent(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator in percent, one decimal, rounded down (never up to 100)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    tenths = numerator * 1000 // denominator
    return Decimal(tenths).scaleb(-1)  # one decimal shown: 100.0, 99.5


def floor_tenth(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_FLOOR
    )


@lru_cache(maxsize=1024)
def _ratio(target: Decimal) -> tuple[int, int]:
    return target.as_integer_ratio()


def evaluate(
    *,
    numerator: int,
    denominator: int,
    unit: Unit,
    target: Decimal,
    weight: int,
    rule: Rule,
) -> Figure:
    """A rate or a count against its target (SRB figures: `evaluate_srb`). Whether the
    target is met is decided in integers (numerator·100·q ≥ p·denominator for a target
    p/q), never on a rounded figure; a county scorecard calls this for every cell."""
    if unit is Unit.SRB:
        raise ValueError("use evaluate_srb for SRB figures")
    if denominator <= 0:
        return Figure(
            numerator, 0, unit, target, None, None, Decimal(0), weight, few=True
        )
    p, q = _ratio(target)
    scale = 100 if unit is Unit.RATE else 1
    met = numerator * scale * q >= p * denominator
    if unit is Unit.RATE:
        value = floor_percent(numerator, denominator)
    else:
        value = Decimal(numerator * 10 // denominator).scaleb(-1)
    if met:
        score = Decimal(weight)
    elif rule is Rule.THRESHOLD or p <= 0:
        score = Decimal(0)
    else:
        score = floor_tenth(Fraction(numerator * scale * q, denominator * p) * weight)
    return Figure(
        numerator=numerator,
        denominator=denominator,
        unit=unit,
        target=target,
        value=value,
        met=met,
        score=score,
        weight=weight,
        few=unit is Unit.RATE and denominator < MIN_CASES,
    )


def evaluate_srb(
    *,
    boys: int,
    girls: int,
    srb: float,
    lower: float,
    upper: float,
    above_target: bool,
    target: Decimal,
    weight: int,
) -> Figure:
    """The pooled SRB against the plan figure: not met only when `above_target`, the
    verdict of the error model over the county's units (`scorecard._srb_figures`:
    `srbgov.stats.srb_verdicts`, exact test against the plan figure, Benjamini-Hochberg
    at q = 0.025 after Tarone's screen, docs/statistics.md). The interval is shown but
    decides nothing: each of 300 villages failing when its own 95 % interval lies above
    the plan figure failed about 4 of a county with no sex selection every year. The
    score is all or nothing."""
    births = boys + girls
    if births == 0:
        return Figure(
            boys, girls, Unit.SRB, target, None, None, Decimal(0), weight, True
        )
    met = not above_target
    return Figure(
        numerator=boys,
        denominator=girls,
        unit=Unit.SRB,
        target=target,
        value=_decimal(srb),
        met=met,
        score=Decimal(weight) if met else Decimal(0),
        weight=weight,
        few=births < MIN_CASES,
        lower=_decimal(lower),
        upper=_decimal(upper),
    )


def _decimal(x: float) -> Decimal | None:
    if math.isnan(x) or math.isinf(x):
        return None
    return Decimal(str(round(x, 1)))


@dataclass(frozen=True)
class Total:
    score: Decimal
    possible: int
    vetoed: bool

    @property
    def percent(self) -> Decimal | None:
        """Score over the weights of the indicators that applied, rounded down to a
        tenth. In integers (the exact ratio of the Decimal score): ranking a county's
        300 villages reads it for every row (bench: scorecard_county_year)."""
        if self.vetoed or self.possible == 0:
            return None
        n, d = self.score.as_integer_ratio()
        return Decimal(n * 1000 // (d * self.possible)).scaleb(-1)


def total(figures: list[Figure], *, vetoed: bool) -> Total:
    """A vetoed unit loses its assessment (湫坡头镇 plan §四(四): 取消该村考核资格)."""
    applying = [f for f in figures if f.applies]
    return Total(
        score=Decimal(0) if vetoed else sum((f.score for f in applying), Decimal(0)),
        possible=sum(f.weight for f in applying),
        vetoed=vetoed,
    )


def ranks(percents: list[Decimal | None]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) by percent, highest first; None (vetoed or nothing
    applied) is not ranked."""
    ordered = sorted((p for p in percents if p is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for i, p in enumerate(ordered, start=1):
        first.setdefault(p, i)
    return [None if p is None else first[p] for p in percents]
