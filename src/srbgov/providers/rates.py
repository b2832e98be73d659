"""Which exam units (facilities, operators) see their ≥14-week exams followed by a
termination more often than the county does (issue 17 item 5, docs/registers.md §3).

Pure: counts in, verdicts out, no Django. The error model is the one of
docs/statistics.md (“Error model”): the one-sided exact binomial tail
P(X ≥ x | n, county rate) per unit, Benjamini–Hochberg with Tarone's screen within the
family (every facility of the county is one family, every operator another) at
q = 0.025, and the Clopper–Pearson interval of the unit's own rate shown beside the
county's (the chance rate). All of it comes from `srbgov.stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from srbgov.stats import (
    FLAG_Q,
    beta_interval_arrays,
    family_test,
    upper_tail_arrays,
)

# The vectorised exact tail and Clopper–Pearson interval of srbgov.stats (a county
# has hundreds of units; the scalar forms cost a millisecond each).

#: The family's false discovery rate: the one of the SRB flags (docs/statistics.md).
RATE_Q = FLAG_Q


@dataclass(frozen=True)
class UnitCount:
    """One unit's ≥14-week exams and how many of them a termination followed."""

    key: int
    exams: int
    followed: int


@dataclass(frozen=True)
class RateVerdict:
    key: int
    exams: int
    followed: int
    rate: float | None
    lower: float
    upper: float
    chance_rate: float
    p_value: float | None
    q_value: float | None
    tested: bool
    flagged: bool


def county_rate(units: Sequence[UnitCount]) -> float:
    exams = sum(u.exams for u in units)
    return sum(u.followed for u in units) / exams if exams else 0.0


def rate_verdicts(
    units: Sequence[UnitCount], *, chance_rate: float, q: float = RATE_Q
) -> list[RateVerdict]:
    """One verdict per unit, in the order given (one family).

    A unit is flagged when its exact upper tail against `chance_rate` stays below q
    after BH among the units that could reach it at all (Tarone). With a chance rate
    of 0 nothing is tested: no termination followed any exam in the county, so no
    unit can be above it by chance, and a rate above 0 would be every unit's."""
    for u in units:
        if not 0 <= u.followed <= u.exams:
            raise ValueError(f"followed must be within 0..exams, got {u}")
    if not 0.0 <= chance_rate <= 1.0:
        raise ValueError(f"chance_rate must be in [0, 1], got {chance_rate}")
    testable = 0.0 < chance_rate < 1.0
    n = np.array([u.exams for u in units], dtype=np.float64)
    x = np.array([u.followed for u in units], dtype=np.float64)
    has = (n > 0) & testable
    # P(X >= x | n, chance) and the smallest p a unit could reach (all followed).
    p = np.where(has, upper_tail_arrays(x, n, chance_rate), np.nan)
    min_p = np.where(has, chance_rate ** np.where(has, n, 0.0), np.nan)
    lower, upper = beta_interval_arrays(x, n, 0.95, jeffreys=False)
    lower = np.where(n > 0, lower, 0.0)
    upper = np.where(n > 0, upper, 1.0)
    family = family_test(p, min_p, q=q) if units else None
    verdicts = []
    for i, u in enumerate(units):
        tested = bool(family.tested[i]) if family is not None else False
        verdicts.append(
            RateVerdict(
                key=u.key,
                exams=u.exams,
                followed=u.followed,
                rate=u.followed / u.exams if u.exams else None,
                lower=float(lower[i]),
                upper=float(upper[i]),
                chance_rate=chance_rate,
                p_value=None if np.isnan(p[i]) else float(p[i]),
                q_value=float(family.q_value[i]) if tested and family else None,
                tested=tested,
                flagged=bool(family.flagged[i]) if family is not None else False,
            )
        )
    return verdicts
