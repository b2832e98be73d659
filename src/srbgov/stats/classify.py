"""High / normal / low classification of one unit's SRB by exact binomial tests.

Rule: docs/design.md §6 "'abnormally high' meaning above 107" and "a significantly low SRB
is a data-quality signal (boys missing from the register)". The official normal
range is 103-107, so the two one-sided exact binomial tests are symmetric around
it:

- ``high``: P(X >= boys | n, p(107)) <= alpha, i.e. evidence that the true SRB
  is above 107, not merely an observed ratio above 107;
- ``low_data_quality``: P(X <= boys | n, p(103)) <= alpha, evidence that the true
  SRB is below the bottom of the normal range; this is reported as a register
  problem, never as "good performance";
- ``normal`` otherwise, and ``no_births`` for n = 0.

Both thresholds are parameters (e.g. ``low_threshold_srb=100`` or the reference
106.3 for a stricter data-quality check). alpha defaults to 0.05, one-sided.
The callers should apply this to pooled counts (3-5 years), not to one year.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from srbgov.stats.power import lower_p_value, upper_p_value
from srbgov.stats.reference import (
    HIGH_SRB_THRESHOLD,
    LOW_SRB_THRESHOLD,
    check_counts,
)


class SrbClass(StrEnum):
    HIGH = "high"
    NORMAL = "normal"
    LOW_DATA_QUALITY = "low_data_quality"
    NO_BIRTHS = "no_births"


@dataclass(frozen=True)
class SrbClassification:
    """Category with both one-sided p-values (None when there are no births)."""

    boys: int
    girls: int
    births: int
    category: SrbClass
    p_high: float | None
    p_low: float | None
    high_threshold_srb: float
    low_threshold_srb: float
    alpha: float


def classify_srb(
    boys: int,
    girls: int,
    *,
    high_threshold_srb: float = HIGH_SRB_THRESHOLD,
    low_threshold_srb: float = LOW_SRB_THRESHOLD,
    alpha: float = 0.05,
) -> SrbClassification:
    """Classify counts as high, normal or low_data_quality (module docstring)."""
    boys, girls = check_counts(boys, girls)
    if low_threshold_srb > high_threshold_srb:
        raise ValueError("low threshold must not exceed the high threshold")
    n = boys + girls
    p_high: float | None = None
    p_low: float | None = None
    if n == 0:
        category = SrbClass.NO_BIRTHS
    else:
        p_high = upper_p_value(boys, n, high_threshold_srb)
        p_low = lower_p_value(boys, n, low_threshold_srb)
        if p_high <= alpha:
            category = SrbClass.HIGH
        elif p_low <= alpha:
            category = SrbClass.LOW_DATA_QUALITY
        else:
            category = SrbClass.NORMAL
    return SrbClassification(
        boys=boys,
        girls=girls,
        births=n,
        category=category,
        p_high=p_high,
        p_low=p_low,
        high_threshold_srb=high_threshold_srb,
        low_threshold_srb=low_threshold_srb,
        alpha=alpha,
    )
