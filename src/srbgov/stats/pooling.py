"""Pooling births over a rolling window of years.

Rule: docs/design.md §6 "alerts pool 3-5 years or use a CUSUM on a township's births; a
village is never flagged on one year's raw ratio". Pooling adds the counts (boys
and girls separately) of the years in the window, then estimates the SRB from the
pooled counts; it never averages yearly ratios.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from srbgov.stats.intervals import IntervalMethod, SrbEstimate, srb_estimate
from srbgov.stats.reference import check_counts


@dataclass(frozen=True)
class PooledEstimate:
    """Counts pooled over ``start_year``..``end_year`` (inclusive).

    ``years`` lists the years of the window that had data; ``complete`` is True
    when every year of the window did.
    """

    start_year: int
    end_year: int
    years: tuple[int, ...]
    complete: bool
    estimate: SrbEstimate


def rolling_pool(
    counts: Mapping[int, tuple[int, int]],
    *,
    window: int = 3,
    method: IntervalMethod = IntervalMethod.WILSON,
    level: float = 0.95,
) -> tuple[PooledEstimate, ...]:
    """Per end year, the SRB of the counts pooled over the last ``window`` years.

    ``counts`` maps year -> (boys, girls). End years run from the first year +
    window - 1 to the last year (a series shorter than the window gives nothing);
    a year missing inside a window counts as no births and makes the window
    incomplete. docs/design.md §6 uses windows of 3 to 5 years; any window >= 1 works.
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    for b, g in counts.values():
        check_counts(b, g)
    if not counts:
        return ()
    first, last = min(counts), max(counts)
    results: list[PooledEstimate] = []
    for end in range(first + window - 1, last + 1):
        start = end - window + 1
        years = tuple(y for y in range(start, end + 1) if y in counts)
        boys = sum(counts[y][0] for y in years)
        girls = sum(counts[y][1] for y in years)
        results.append(
            PooledEstimate(
                start_year=start,
                end_year=end,
                years=years,
                complete=len(years) == window,
                estimate=srb_estimate(boys, girls, method=method, level=level),
            )
        )
    return tuple(results)
