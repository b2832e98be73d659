"""Funnel plots for comparing units' SRB (Spiegelhalter 2005).

Source: D. J. Spiegelhalter, "Funnel plots for comparing institutional
performance", Stat Med 24:1185-1202, 2005 (appendix A.1.1 for exact binomial
limits, §6 for over-dispersion). Rule: docs/design.md §6 "units are compared on a funnel
plot (exact binomial limits at 95 % and 99.8 % by number of births), with the
over-dispersion adjustment shown beside the unadjusted flags".

Everything is computed on the proportion of boys p against the reference p0 =
srb_to_p(reference SRB) and reported on the SRB scale.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Generic, TypeVar

import numpy as np

from srbgov.stats._dist import binom_cdf, binom_ppf, binom_sf, chi2_sf, norm_ppf
from srbgov.stats.reference import (
    DEFAULT_REFERENCE_SRB,
    as_count,
    as_count_array,
    check_counts,
    p_to_srb,
    srb_to_p,
)

K = TypeVar("K", bound=Hashable)

# Two-sided 95 % and 99.8 % limits: lower/upper tail quantiles.
_Q95 = (0.025, 0.975)
_Q998 = (0.001, 0.999)


class FunnelZone(StrEnum):
    ABOVE_998 = "above_998"
    ABOVE_95 = "above_95"
    WITHIN = "within"
    BELOW_95 = "below_95"
    BELOW_998 = "below_998"
    NO_BIRTHS = "no_births"


# Signed distance of a zone from "within": the side and how far out.
_EXTREMITY = {
    FunnelZone.ABOVE_998: 2,
    FunnelZone.ABOVE_95: 1,
    FunnelZone.WITHIN: 0,
    FunnelZone.NO_BIRTHS: 0,
    FunnelZone.BELOW_95: -1,
    FunnelZone.BELOW_998: -2,
}


def no_more_extreme(adjusted: FunnelZone, exact: FunnelZone) -> FunnelZone:
    """The over-dispersion-adjusted zone, but never beyond the exact one.

    Adjusting for over-dispersion only widens the limits; its normal approximation
    does not, at small births (phi = 1.1 put a village of 5 births "above 95 %",
    which no count of 5 births can reach exactly: a chance rate of 3.6 % against
    2.5 %). Capped by the exact zone, the adjusted zone flags at most as often as
    the exact one, whose chance rate never exceeds the nominal one."""
    a, e = _EXTREMITY[adjusted], _EXTREMITY[exact]
    if a == 0 or ((a > 0) == (e > 0) and abs(a) <= abs(e)):
        return adjusted
    if e != 0 and (a > 0) == (e > 0):
        return exact
    return FunnelZone.WITHIN


@dataclass(frozen=True)
class FunnelLimits:
    """Control limits for a unit with ``births`` births, on the SRB scale.

    ``exact`` is True for the interpolated exact binomial limits and False for the
    normal-approximation limits adjusted for over-dispersion.
    """

    births: int
    reference_srb: float
    lower_998: float
    lower_95: float
    upper_95: float
    upper_998: float
    exact: bool


@dataclass(frozen=True)
class FunnelUnit(Generic[K]):
    """One unit on the funnel, with unadjusted and over-dispersion-adjusted zones."""

    key: K
    boys: int
    girls: int
    births: int
    srb: float | None
    z: float | None
    zone: FunnelZone
    zone_multiplicative: FunnelZone
    zone_additive: FunnelZone


@dataclass(frozen=True)
class FunnelAnalysis(Generic[K]):
    """All units against one reference, with the over-dispersion estimates.

    ``phi`` is the winsorized mean squared z-score, ``phi_statistic`` = I * phi is
    compared with chi-square on ``phi_df`` = I - 1 degrees of freedom; ``tau2`` is
    the DerSimonian-Laird between-unit variance on the proportion scale. The
    adjusted zones use phi / tau2 only when ``overdispersed`` is True.
    """

    reference_srb: float
    p0: float
    units: tuple[FunnelUnit[K], ...]
    n_units: int
    phi: float
    phi_statistic: float
    phi_df: int
    phi_p_value: float
    overdispersed: bool
    tau2: float


def _exact_limit(n: int, p0: float, q: float) -> float:
    """Spiegelhalter (2005) A.1.1 interpolated binomial quantile, on p, in [0, 1].

    r_q = smallest r with P(R <= r) >= q; alpha = (P(R <= r_q) - q) /
    (P(R <= r_q) - P(R <= r_q - 1)); limit = (r_q - alpha) / n. The interpolation
    turns the step function of plain ``binom.ppf`` into a smooth funnel.
    """
    r = binom_ppf(q, n, p0)
    at_r = binom_cdf(r, n, p0)
    below = binom_cdf(r - 1, n, p0)
    alpha = (at_r - q) / (at_r - below) if at_r > below else 0.0
    return min(1.0, max(0.0, (r - alpha) / n))


# Pure in (n, p0): every funnel page asks for the same few hundred curves' points, and
# each costs four binomial quantiles (docs/operations.md, "Load and faults").
@lru_cache(maxsize=8192)
def _p_limits_exact(n: int, p0: float) -> tuple[float, float, float, float]:
    return (
        _exact_limit(n, p0, _Q998[0]),
        _exact_limit(n, p0, _Q95[0]),
        _exact_limit(n, p0, _Q95[1]),
        _exact_limit(n, p0, _Q998[1]),
    )


def _p_limits_normal(
    n: int, p0: float, phi: float, tau2: float
) -> tuple[float, float, float, float]:
    sd = math.sqrt(phi * p0 * (1.0 - p0) / n + tau2)

    def clip(x: float) -> float:
        return min(1.0, max(0.0, x))

    z95, z998 = norm_ppf(_Q95[1]), norm_ppf(_Q998[1])
    return (
        clip(p0 - z998 * sd),
        clip(p0 - z95 * sd),
        clip(p0 + z95 * sd),
        clip(p0 + z998 * sd),
    )


def _to_limits(
    n: int, reference_srb: float, p: tuple[float, float, float, float], exact: bool
) -> FunnelLimits:
    return FunnelLimits(
        births=n,
        reference_srb=reference_srb,
        lower_998=p_to_srb(p[0]),
        lower_95=p_to_srb(p[1]),
        upper_95=p_to_srb(p[2]),
        upper_998=p_to_srb(p[3]),
        exact=exact,
    )


def _check_births(n: int) -> int:
    births = as_count(n, "births")
    if births < 1:
        raise ValueError(f"funnel limits need at least one birth, got {n}")
    return births


def funnel_limits(
    births: int, *, reference_srb: float = DEFAULT_REFERENCE_SRB
) -> FunnelLimits:
    """Exact binomial 95 % and 99.8 % limits for ``births`` births (Spiegelhalter
    2005 A.1.1 interpolation), mapped to the SRB scale."""
    births = _check_births(births)
    p0 = srb_to_p(reference_srb)
    return _to_limits(births, reference_srb, _p_limits_exact(births, p0), True)


def adjusted_funnel_limits(
    births: int,
    *,
    reference_srb: float = DEFAULT_REFERENCE_SRB,
    phi: float = 1.0,
    tau2: float = 0.0,
) -> FunnelLimits:
    """Normal-approximation limits p0 +/- z sqrt(phi p0 (1 - p0) / n + tau2).

    Spiegelhalter 2005 §6: multiplicative (phi, tau2 = 0) or additive random
    effects (phi = 1, tau2 from DerSimonian-Laird) over-dispersion.
    """
    births = _check_births(births)
    if not (math.isfinite(phi) and math.isfinite(tau2)) or phi <= 0 or tau2 < 0:
        raise ValueError("need finite phi > 0 and tau2 >= 0")
    p0 = srb_to_p(reference_srb)
    return _to_limits(
        births, reference_srb, _p_limits_normal(births, p0, phi, tau2), False
    )


def funnel_curve(
    births_values: Iterable[int], *, reference_srb: float = DEFAULT_REFERENCE_SRB
) -> tuple[FunnelLimits, ...]:
    """Exact limit curves over a range of births, for plotting the funnel."""
    return tuple(funnel_limits(n, reference_srb=reference_srb) for n in births_values)


def _zone(y: float, limits: tuple[float, float, float, float]) -> FunnelZone:
    lo998, lo95, hi95, hi998 = limits
    if y > hi998:
        return FunnelZone.ABOVE_998
    if y > hi95:
        return FunnelZone.ABOVE_95
    if y < lo998:
        return FunnelZone.BELOW_998
    if y < lo95:
        return FunnelZone.BELOW_95
    return FunnelZone.WITHIN


def _exact_zone(boys: int, n: int, p0: float) -> FunnelZone:
    """Zone from the exact one-sided tails of the count (``srbgov.stats.exact``):
    beyond the 99.8 % (95 %) limit when the tail is at most 0.001 (0.025). The
    interpolated limits of ``funnel_limits`` are for drawing; a zone from them
    would flag more often than its name says at small n (all boys of 1 birth
    would be "above 99.8 %")."""
    up = binom_sf(boys - 1, n, p0)
    low = binom_cdf(boys, n, p0)
    if up <= _Q998[0]:
        return FunnelZone.ABOVE_998
    if up <= _Q95[0]:
        return FunnelZone.ABOVE_95
    if low <= _Q998[0]:
        return FunnelZone.BELOW_998
    if low <= _Q95[0]:
        return FunnelZone.BELOW_95
    return FunnelZone.WITHIN


def classify_funnel(
    boys: int, girls: int, *, reference_srb: float = DEFAULT_REFERENCE_SRB
) -> FunnelZone:
    """Zone of one unit from its exact binomial tails (``_exact_zone``)."""
    boys, girls = check_counts(boys, girls)
    n = boys + girls
    if n == 0:
        return FunnelZone.NO_BIRTHS
    return _exact_zone(boys, n, srb_to_p(reference_srb))


def winsorized_phi(z: Iterable[float], *, winsor: float = 0.1) -> float:
    """Spiegelhalter 2005 §6: phi = mean of squared z-scores after winsorizing.

    The lowest and highest ``winsor`` fraction of z-scores are set to the
    ``winsor`` and 1 - ``winsor`` quantiles (numpy linear interpolation).
    """
    arr = np.asarray(list(z), dtype=float)
    if arr.size == 0:
        raise ValueError("need at least one z-score")
    lo, hi = np.quantile(arr, [winsor, 1.0 - winsor])
    clipped = np.clip(arr, lo, hi)
    return float(np.mean(clipped**2))


def dersimonian_laird_tau2(phi: float, births: Iterable[int], p0: float) -> float:
    """Between-unit variance on the proportion scale (Spiegelhalter 2005 §6,
    after DerSimonian & Laird, Control Clin Trials 7:177, 1986).

    tau2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w), w_i = 1 / s_i^2,
    s_i^2 = p0 (1 - p0) / n_i; 0 when I phi <= I - 1.
    """
    n = as_count_array(list(births), "births").astype(np.float64)
    if not (math.isfinite(phi) and phi > 0):
        raise ValueError(f"phi must be finite and > 0, got {phi!r}")
    units = int(n.size)
    if units < 2:
        return 0.0
    w = n / (p0 * (1.0 - p0))
    excess = units * phi - (units - 1)
    if excess <= 0:
        return 0.0
    return float(excess / (w.sum() - (w**2).sum() / w.sum()))


def funnel_analysis(
    units: Mapping[K, tuple[int, int]],
    *,
    reference_srb: float = DEFAULT_REFERENCE_SRB,
    winsor: float = 0.1,
    alpha: float = 0.05,
) -> FunnelAnalysis[K]:
    """Place every unit (key -> (boys, girls)) on the funnel, with over-dispersion.

    z_i = (y_i - p0) / sqrt(p0 (1 - p0) / n_i); phi from the 10 % winsorized z;
    the units are over-dispersed when I phi exceeds the chi-square(I - 1) upper
    ``alpha`` point (Spiegelhalter 2005 §6). Then the multiplicative zones use
    limits inflated by sqrt(phi) and the additive zones the DerSimonian-Laird
    tau2; otherwise both equal the unadjusted exact zone. Units with no births
    get the zone NO_BIRTHS and take no part in the estimates.
    """
    p0 = srb_to_p(reference_srb)
    var1 = p0 * (1.0 - p0)
    counted = [(k, b, g) for k, (b, g) in units.items() if b + g > 0]
    counted = [(k, *check_counts(b, g)) for k, b, g in counted]
    zs = [(b / (b + g) - p0) / math.sqrt(var1 / (b + g)) for _, b, g in counted]
    n_units = len(counted)
    if n_units >= 2:
        phi = winsorized_phi(zs, winsor=winsor)
        statistic = n_units * phi
        p_value = chi2_sf(statistic, n_units - 1)
    else:
        phi, statistic, p_value = 1.0, float(n_units), 1.0
    overdispersed = n_units >= 2 and p_value < alpha and phi > 1.0
    tau2 = dersimonian_laird_tau2(phi, (b + g for _, b, g in counted), p0)
    z_by_key = {k: z for (k, _, _), z in zip(counted, zs, strict=True)}

    results: list[FunnelUnit[K]] = []
    for key, (boys, girls) in units.items():
        check_counts(boys, girls)
        n = boys + girls
        if n == 0:
            zone = mult = add = FunnelZone.NO_BIRTHS
        else:
            y = boys / n
            zone = _exact_zone(boys, n, p0)
            # Never beyond the exact zone (`no_more_extreme`).
            mult = (
                no_more_extreme(_zone(y, _p_limits_normal(n, p0, phi, 0.0)), zone)
                if overdispersed
                else zone
            )
            add = (
                no_more_extreme(_zone(y, _p_limits_normal(n, p0, 1.0, tau2)), zone)
                if overdispersed and tau2 > 0
                else zone
            )
        results.append(
            FunnelUnit(
                key=key,
                boys=boys,
                girls=girls,
                births=n,
                srb=(100.0 * boys / girls if girls else (math.inf if boys else None)),
                z=z_by_key.get(key),
                zone=zone,
                zone_multiplicative=mult,
                zone_additive=add,
            )
        )
    return FunnelAnalysis(
        reference_srb=reference_srb,
        p0=p0,
        units=tuple(results),
        n_units=n_units,
        phi=phi,
        phi_statistic=statistic,
        phi_df=max(n_units - 1, 0),
        phi_p_value=p_value,
        overdispersed=overdispersed,
        tau2=tau2,
    )
