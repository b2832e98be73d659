"""Verdicts on many units at once, under the error model of ``multiple``.

This is the one function every flag of the application goes through: the village
ranking and funnel pages, the township and breakdown tables, ``raise_srb_alerts``
and the simulation of ``bench/bench_srb_sim.py`` (docs/statistics.md).

- **High**: one-sided exact P(X >= boys | n, p(107)), "evidence that the true SRB
  is above 107", with Benjamini-Hochberg at ``q`` per family after Tarone's screen.
- **Low** (data quality: boys missing from the register): P(X <= boys | n,
  p(103)), the same procedure; a unit flagged high is never also low.
- ``needed_srb``: the SRB this unit's births would have to show to be flagged
  high on its own (at q / tests of its family); ``too_few``: births, but not even
  all boys could be flagged (pages: "出生数过少，无法判断"), with ``births_needed``.
- ``p_two_sided``: exact two-sided p-value against the reference, for pages that
  show a p-value.

Default q = 0.025 per family, so that the alert rule, which uses two families per
county (all births; births after only girls), keeps P(any false village alert in a
county) at most 0.05 when no village's true SRB exceeds 107.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from srbgov.stats._dist import FloatArray
from srbgov.stats.exact import (
    critical_boys,
    lower_tail,
    srb_of,
    two_sided_p,
    upper_tail,
)
from srbgov.stats.multiple import FamilyTest, family_test
from srbgov.stats.reference import (
    DEFAULT_REFERENCE_SRB,
    HIGH_SRB_THRESHOLD,
    LOW_SRB_THRESHOLD,
    as_count_array,
    srb_to_p,
)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Level of every family of flags (see module docstring).
FLAG_Q = 0.025


@dataclass(frozen=True)
class SrbVerdicts:
    births: IntArray
    p_high: FloatArray
    p_low: FloatArray
    p_two_sided: FloatArray
    high: FamilyTest
    low: FamilyTest
    needed_srb: FloatArray
    too_few: BoolArray
    births_needed: IntArray
    q: float
    high_threshold_srb: float
    low_threshold_srb: float

    @property
    def flagged_high(self) -> BoolArray:
        return self.high.flagged

    @property
    def flagged_low(self) -> BoolArray:
        return np.asarray(self.low.flagged & ~self.high.flagged, dtype=np.bool_)


def srb_verdicts(
    boys: Sequence[Any] | npt.NDArray[Any],
    girls: Sequence[Any] | npt.NDArray[Any],
    *,
    families: Sequence[object] | None = None,
    q: float = FLAG_Q,
    high_threshold_srb: float = HIGH_SRB_THRESHOLD,
    low_threshold_srb: float = LOW_SRB_THRESHOLD,
    reference_srb: float = DEFAULT_REFERENCE_SRB,
) -> SrbVerdicts:
    """High / low verdicts for every unit, controlled per family (module docstring)."""
    b, g = as_count_array(boys, "boys"), as_count_array(girls, "girls")
    if b.shape != g.shape:
        raise ValueError("boys and girls must have the same length")
    if low_threshold_srb > high_threshold_srb:
        raise ValueError("low threshold must not exceed the high threshold")
    n = b + g
    nf = n.astype(np.float64)
    has = n > 0
    p_hi, p_lo = srb_to_p(high_threshold_srb), srb_to_p(low_threshold_srb)
    min_high = np.where(has, p_hi**nf, np.nan)
    min_low = np.where(has, (1.0 - p_lo) ** nf, np.nan)
    p_high = upper_tail(b, g, srb=high_threshold_srb)
    p_low = lower_tail(b, g, srb=low_threshold_srb)
    high = family_test(p_high, min_high, q=q, families=families)
    low = family_test(p_low, min_low, q=q, families=families)
    needed = np.full(n.size, np.nan)
    for alpha in np.unique(high.single_alpha[high.tested]):
        idx = np.flatnonzero(high.tested & (high.single_alpha == alpha))
        k = critical_boys(n[idx], srb=high_threshold_srb, alpha=float(alpha))
        needed[idx] = srb_of(k, n[idx])
    too_few = np.asarray(has & ~high.tested, dtype=np.bool_)
    # Births at which all boys would pass the family's screen (q / K of its family;
    # q where no unit of it can reach q): a unit with fewer is not even tested.
    levels = np.where(np.isnan(high.screen_alpha), q, high.screen_alpha)
    births_needed = np.ceil(np.log(levels) / math.log(p_hi)).astype(np.int64)
    return SrbVerdicts(
        births=n,
        p_high=p_high,
        p_low=p_low,
        p_two_sided=two_sided_p(b, g, srb=reference_srb),
        high=high,
        low=low,
        needed_srb=needed,
        too_few=too_few,
        births_needed=births_needed,
        q=q,
        high_threshold_srb=high_threshold_srb,
        low_threshold_srb=low_threshold_srb,
    )
