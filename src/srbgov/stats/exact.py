"""Exact binomial tails on the discrete count: p-values, critical counts, zones.

Every verdict on a unit (a funnel zone, "significantly high", "too few births to
judge") is a statement about a one-sided exact binomial tail of the number of boys
among n births, never about an interpolated or normal limit. For a discrete count
the rejection region {boys >= k*} with k* the smallest k whose tail
P(X >= k | n, p0) is at most alpha has probability P(X >= k* | n, p0) <= alpha
under the reference, so the chance rate of every zone is at most its nominal rate
for every n (docs/statistics.md, "Exact zones"; the tests compute it exactly for
n = 1..200). Mid-p tails would be closer to nominal on average but exceed it for
some n, so they are not used.

Funnel zones (two-sided 95 % and 99.8 % limits, each tail 2.5 % and 0.1 %):
ABOVE_998 when P(X >= boys) <= 0.001, ABOVE_95 when P(X >= boys) <= 0.025, and
likewise below with P(X <= boys). A unit so small that even all boys (all girls)
has a tail above 0.025 can never leave the funnel: ``zone_reachable`` is False and
pages show "出生数过少，无法判断".

All SRBs in and out are boys per 100 girls (``srbgov.stats.reference``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from srbgov.stats._dist import (
    FloatArray,
    binom_cdf_array,
    binom_sf_array,
    norm_isf,
)
from srbgov.stats.funnel import FunnelZone
from srbgov.stats.reference import DEFAULT_REFERENCE_SRB, as_count_array, srb_to_p

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Counts = Sequence[Any] | npt.NDArray[Any]

#: One-sided tails of the two-sided 95 % and 99.8 % funnel limits.
TAIL_95 = 0.025
TAIL_998 = 0.001


def _pair(boys: Counts, girls: Counts) -> tuple[IntArray, IntArray]:
    b, g = as_count_array(boys, "boys"), as_count_array(girls, "girls")
    if b.shape != g.shape:
        raise ValueError("boys and girls must have the same length")
    return b, g


def upper_tail(boys: Counts, girls: Counts, *, srb: float) -> FloatArray:
    """P(X >= boys | n = boys + girls, p(srb)) per unit; nan with no births."""
    b, g = _pair(boys, girls)
    n = (b + g).astype(np.float64)
    tail = binom_sf_array(b.astype(np.float64) - 1.0, n, srb_to_p(srb))
    return np.where(n > 0, np.minimum(tail, 1.0), np.nan)


def lower_tail(boys: Counts, girls: Counts, *, srb: float) -> FloatArray:
    """P(X <= boys | n, p(srb)) per unit; nan with no births."""
    b, g = _pair(boys, girls)
    n = (b + g).astype(np.float64)
    tail = binom_cdf_array(b.astype(np.float64), n, srb_to_p(srb))
    return np.where(n > 0, np.minimum(tail, 1.0), np.nan)


def two_sided_p(boys: Counts, girls: Counts, *, srb: float) -> FloatArray:
    """Two-sided exact p-value by doubling the smaller one-sided tail, capped at
    1 (the "central" method; e.g. Agresti, Categorical Data Analysis, 3rd ed.,
    §1.4.4); nan with no births."""
    up = upper_tail(boys, girls, srb=srb)
    low = lower_tail(boys, girls, srb=srb)
    return np.minimum(1.0, 2.0 * np.minimum(up, low))


def _step_to(
    k: FloatArray, n: FloatArray, ok: Any, max_steps: int = 10_000
) -> FloatArray:
    """Move each k to the boundary of ``ok(k, n)`` (True at and above it): up while
    ok(k) is False, down while ok(k - 1) is True. Starts from a normal
    approximation, so a few vectorised steps suffice."""
    for _ in range(max_steps):
        up = ~ok(k, n) & (k <= n)
        down = (k >= 1.0) & ok(k - 1.0, n)
        if not (up.any() or down.any()):
            break
        k = np.where(up, k + 1.0, np.where(down, k - 1.0, k))
    return k


def critical_boys(births: Counts, *, srb: float, alpha: float) -> IntArray:
    """Smallest k with P(X >= k | n, p(srb)) <= alpha per n; n + 1 when even
    k = n is not enough (and for n = 0).

    Computed once per distinct n from a normal-approximation start, then stepped
    against the exact tail until it is the smallest such k (scipy's binomial
    quantile is ten times slower on arrays and can be off by rounding).
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    n_all = as_count_array(births, "births")
    values, back = np.unique(n_all, return_inverse=True)
    n = values.astype(np.float64)
    p = srb_to_p(srb)
    safe = np.where(n > 0, n, 1.0)
    z = float(norm_isf(alpha))
    start = np.clip(np.ceil(safe * p + z * np.sqrt(safe * p * (1 - p))), 0.0, safe + 1)

    def ok(k: FloatArray, nn: FloatArray) -> Any:
        return (k <= nn) & (binom_sf_array(k - 1.0, nn, p) <= alpha)

    k = _step_to(start, safe, ok)
    k = np.where((n > 0) & (k <= n), k, n + 1.0)
    return np.asarray(k.astype(np.int64)[back].reshape(n_all.shape))


def critical_boys_below(births: Counts, *, srb: float, alpha: float) -> IntArray:
    """Largest k with P(X <= k | n, p(srb)) <= alpha per n; -1 when even k = 0
    is not enough (and for n = 0). By symmetry: n minus the smallest count of
    girls whose upper tail at 100 * 100 / srb is at most alpha."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    n = as_count_array(births, "births")
    if srb <= 0:
        raise ValueError("srb must be > 0")
    girls = critical_boys(n, srb=10_000.0 / srb, alpha=alpha)
    return np.asarray(np.where((n > 0) & (girls <= n), n - girls, -1), dtype=np.int64)


def srb_of(boys: IntArray, births: IntArray) -> FloatArray:
    """100 boys / girls for integer arrays: inf with no girls, nan with no births
    or an impossible count (boys > births)."""
    b, n = boys.astype(np.float64), births.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(b >= n, np.inf, 100.0 * b / (n - b))
    return np.asarray(np.where((n > 0) & (b >= 0) & (b <= n), out, np.nan))


def zones(
    boys: Counts, girls: Counts, *, reference_srb: float = DEFAULT_REFERENCE_SRB
) -> tuple[FunnelZone, ...]:
    """Exact funnel zone per unit from its one-sided tails (module docstring)."""
    up = upper_tail(boys, girls, srb=reference_srb)
    low = lower_tail(boys, girls, srb=reference_srb)
    return zones_from(
        none=np.isnan(up),
        above_998=up <= TAIL_998,
        above_95=up <= TAIL_95,
        below_998=low <= TAIL_998,
        below_95=low <= TAIL_95,
    )


def zones_from(
    *,
    none: BoolArray,
    above_998: BoolArray,
    above_95: BoolArray,
    below_998: BoolArray,
    below_95: BoolArray,
) -> tuple[FunnelZone, ...]:
    """The zone of each unit from its tests, the first that holds winning: no births,
    beyond the upper 99.8 % then 95 % limit, beyond the lower 99.8 % then 95 % limit,
    else within. The exact funnel and the approximate ones (`arrays`) share it, so
    they name zones in one order."""
    codes = np.select(
        [none, above_998, above_95, below_998, below_95],
        [5, 0, 1, 4, 3],
        default=2,
    )
    order = (
        FunnelZone.ABOVE_998,
        FunnelZone.ABOVE_95,
        FunnelZone.WITHIN,
        FunnelZone.BELOW_95,
        FunnelZone.BELOW_998,
        FunnelZone.NO_BIRTHS,
    )
    return tuple(order[int(c)] for c in codes)


def zone_reachable(
    births: Counts, *, reference_srb: float = DEFAULT_REFERENCE_SRB
) -> BoolArray:
    """Whether a unit of n births can leave the 95 % funnel at all (all boys or all
    girls would be beyond a limit)."""
    n = as_count_array(births, "births")
    up = critical_boys(n, srb=reference_srb, alpha=TAIL_95) <= n
    low = critical_boys_below(n, srb=reference_srb, alpha=TAIL_95) >= 0
    return np.asarray((n > 0) & (up | low), dtype=np.bool_)


def zone_chance(
    births: Counts,
    *,
    tail: float = TAIL_95,
    true_srb: float = DEFAULT_REFERENCE_SRB,
    reference_srb: float = DEFAULT_REFERENCE_SRB,
) -> tuple[FloatArray, FloatArray]:
    """Exact probability (above, below) that a unit of n births lands beyond the
    ``tail`` limits when its true SRB is ``true_srb``: P(X >= k_up) and
    P(X <= k_low). At the reference both are <= tail for every n."""
    n = as_count_array(births, "births")
    nf = np.where(n > 0, n, 1).astype(np.float64)
    p = srb_to_p(true_srb)
    k_up = critical_boys(n, srb=reference_srb, alpha=tail).astype(np.float64)
    k_low = critical_boys_below(n, srb=reference_srb, alpha=tail).astype(np.float64)
    above = np.where(k_up <= n, binom_sf_array(k_up - 1.0, nf, p), 0.0)
    below = np.where(k_low >= 0, binom_cdf_array(k_low, nf, p), 0.0)
    return np.asarray(above), np.asarray(below)
