"""What a unit of n births can detect with an exact binomial test.

Rule: DESIGN §6 "with 50 births an exact one-sided test only fires at an SRB of
about 178, and telling 115 from 105 with 80 % power takes about 3,000 births".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from srbgov.stats._dist import binom_cdf, binom_sf, norm_ppf
from srbgov.stats.reference import DEFAULT_REFERENCE_SRB, srb_to_p


@dataclass(frozen=True)
class DetectableSrb:
    """Smallest count of boys (and its SRB) that the one-sided test flags.

    ``boys`` is None when even n boys out of n is not significant (then ``srb`` is
    None); ``p_value`` = P(X >= boys | births, p0).
    """

    births: int
    reference_srb: float
    alpha: float
    boys: int | None
    srb: float | None
    p_value: float | None


def upper_p_value(boys: int, births: int, p0: float) -> float:
    """One-sided exact binomial p-value P(X >= boys | births, p0)."""
    return binom_sf(boys - 1, births, p0)


def lower_p_value(boys: int, births: int, p0: float) -> float:
    """One-sided exact binomial p-value P(X <= boys | births, p0)."""
    return binom_cdf(boys, births, p0)


def minimum_detectable_srb(
    births: int, *, reference_srb: float = DEFAULT_REFERENCE_SRB, alpha: float = 0.05
) -> DetectableSrb:
    """Smallest k with P(X >= k | n, p0) <= alpha, reported as SRB 100 k / (n - k).

    One-sided exact binomial test of H0: SRB = reference against SRB > reference;
    k = n gives math.inf.
    """
    if births < 1:
        raise ValueError("need at least one birth")
    p0 = srb_to_p(reference_srb)
    for k in range(births + 1):
        pv = upper_p_value(k, births, p0)
        if pv <= alpha:
            srb = math.inf if k == births else 100.0 * k / (births - k)
            return DetectableSrb(births, reference_srb, alpha, k, srb, pv)
    return DetectableSrb(births, reference_srb, alpha, None, None, None)


def exact_power(
    births: int,
    *,
    true_srb: float,
    reference_srb: float = DEFAULT_REFERENCE_SRB,
    alpha: float = 0.05,
) -> float:
    """Power of the one-sided exact test at ``alpha`` when the true SRB is
    ``true_srb``: P(X >= k_crit | n, p1)."""
    detect = minimum_detectable_srb(births, reference_srb=reference_srb, alpha=alpha)
    if detect.boys is None:
        return 0.0
    return upper_p_value(detect.boys, births, srb_to_p(true_srb))


def births_for_power(
    *,
    true_srb: float,
    reference_srb: float = DEFAULT_REFERENCE_SRB,
    alpha: float = 0.05,
    power: float = 0.8,
) -> int:
    """Births needed for a one-sided test at ``alpha`` to detect ``true_srb`` with
    ``power``, normal approximation to the binomial:
    n = ((z_a sqrt(p0 q0) + z_b sqrt(p1 q1)) / (p1 - p0))^2, rounded up
    (e.g. Fleiss, Levin & Paik, Statistical Methods for Rates and Proportions,
    3rd ed., 2003, ch. 2). Exact power oscillates with n around this value.
    """
    p0, p1 = srb_to_p(reference_srb), srb_to_p(true_srb)
    if p1 <= p0:
        raise ValueError("true SRB must exceed the reference")
    za, zb = norm_ppf(1.0 - alpha), norm_ppf(power)
    num = za * math.sqrt(p0 * (1 - p0)) + zb * math.sqrt(p1 * (1 - p1))
    return math.ceil((num / (p1 - p0)) ** 2)
