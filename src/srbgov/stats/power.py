"""What a unit of n births can detect with an exact binomial test.

Rule (docs/statistics.md): with 50 births an exact one-sided test only fires at an
SRB of about 178, and telling 115 from 105 with 80 % power takes about 3,000
births. All SRBs in and out are per 100 girls. The critical count comes from
``srbgov.stats.exact.critical_boys`` (one inverse-survival call, corrected against
the exact tail), so a million births cost no more than fifty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from srbgov.stats._dist import FloatArray, binom_cdf, binom_sf, binom_sf_array, norm_ppf
from srbgov.stats.exact import critical_boys
from srbgov.stats.reference import DEFAULT_REFERENCE_SRB, as_count, srb_to_p


@dataclass(frozen=True)
class DetectableSrb:
    """Smallest count of boys (and its SRB) that the one-sided test flags.

    ``boys`` is None when even n boys out of n is not significant (then ``srb`` is
    None); ``p_value`` = P(X >= boys | births, reference).
    """

    births: int
    reference_srb: float
    alpha: float
    boys: int | None
    srb: float | None
    p_value: float | None


def _counts(boys: object, births: object) -> tuple[int, int]:
    b, n = as_count(boys, "boys"), as_count(births, "births")
    if b > n:
        raise ValueError(f"boys ({b}) cannot exceed births ({n})")
    return b, n


def upper_p_value(boys: int, births: int, srb: float) -> float:
    """One-sided exact binomial p-value P(X >= boys | births, p(srb))."""
    b, n = _counts(boys, births)
    return min(1.0, binom_sf(b - 1, n, srb_to_p(srb)))


def lower_p_value(boys: int, births: int, srb: float) -> float:
    """One-sided exact binomial p-value P(X <= boys | births, p(srb))."""
    b, n = _counts(boys, births)
    return min(1.0, binom_cdf(b, n, srb_to_p(srb)))


def minimum_detectable_srb(
    births: int, *, reference_srb: float = DEFAULT_REFERENCE_SRB, alpha: float = 0.05
) -> DetectableSrb:
    """Smallest k with P(X >= k | n, reference) <= alpha, reported as SRB
    100 k / (n - k) (k = n gives math.inf).

    One-sided exact binomial test of H0: SRB = reference against SRB > reference.
    """
    n = as_count(births, "births")
    if n < 1:
        raise ValueError("need at least one birth")
    k = int(critical_boys([n], srb=reference_srb, alpha=alpha)[0])
    if k > n:
        return DetectableSrb(n, reference_srb, alpha, None, None, None)
    srb = math.inf if k == n else 100.0 * k / (n - k)
    pv = upper_p_value(k, n, reference_srb)
    return DetectableSrb(n, reference_srb, alpha, k, srb, pv)


@overload
def exact_power(
    births: int,
    *,
    true_srb: float,
    reference_srb: float = ...,
    alpha: float = ...,
) -> float: ...
@overload
def exact_power(
    births: Sequence[Any] | npt.NDArray[Any],
    *,
    true_srb: float,
    reference_srb: float = ...,
    alpha: float = ...,
) -> FloatArray: ...
def exact_power(
    births: int | Sequence[Any] | npt.NDArray[Any],
    *,
    true_srb: float,
    reference_srb: float = DEFAULT_REFERENCE_SRB,
    alpha: float = 0.05,
) -> float | FloatArray:
    """Power of the one-sided exact test at ``alpha`` when the true SRB is
    ``true_srb``: P(X >= k_crit | n, true). An int gives a float, an array of
    births an array (0 where the test can never fire)."""
    scalar = not isinstance(births, Sequence | np.ndarray)
    n = np.atleast_1d(np.asarray(births))
    k = critical_boys(n, srb=reference_srb, alpha=alpha).astype(np.float64)
    nf = n.astype(np.float64)
    power = np.where(
        k <= nf,
        binom_sf_array(k - 1.0, np.where(nf > 0, nf, 1.0), srb_to_p(true_srb)),
        0.0,
    )
    return float(power[0]) if scalar else np.asarray(power, dtype=np.float64)


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
