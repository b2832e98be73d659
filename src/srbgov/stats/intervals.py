"""SRB point estimates with binomial confidence intervals.

The interval is computed for the proportion of boys p = boys / births and mapped
to the ratio scale with SRB = 100 p / (1 - p), which is monotone, so coverage is
preserved exactly. Methods (Newcombe, "Two-sided confidence intervals for the
single proportion: comparison of seven methods", Stat Med 17:857-872, 1998;
Brown, Cai & DasGupta, "Interval estimation for a binomial proportion", Stat Sci
16:101-133, 2001):

- ``wilson`` (default): Wilson (1927) score interval without continuity correction
  (Newcombe's method 3);
- ``jeffreys``: equal-tailed Beta(x + 1/2, n - x + 1/2) quantiles, with the lower
  limit set to 0 when x = 0 and the upper to 1 when x = n (Brown et al. 2001 §4.1.2);
- ``clopper_pearson``: the "exact" interval from Beta quantiles (Newcombe's method 5).

Edge cases: zero births -> ``srb`` None and interval (0, inf); zero girls with
some boys -> ``srb`` = math.inf (the estimate 100 p / (1 - p) at p = 1) and upper
limit inf; zero boys -> ``srb`` 0.0 and lower limit 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from srbgov.stats._dist import beta_ppf, norm_ppf
from srbgov.stats.reference import as_count, check_counts, p_to_srb


class IntervalMethod(StrEnum):
    WILSON = "wilson"
    JEFFREYS = "jeffreys"
    CLOPPER_PEARSON = "clopper_pearson"


@dataclass(frozen=True)
class ProportionInterval:
    """A binomial proportion with its interval: successes / n in [lower, upper]."""

    successes: int
    n: int
    estimate: float | None
    lower: float
    upper: float
    method: IntervalMethod
    level: float


@dataclass(frozen=True)
class SrbEstimate:
    """SRB = 100 x boys / girls with a confidence interval on the same scale.

    ``p``/``p_lower``/``p_upper`` are the proportion of boys and its interval;
    ``srb``/``lower``/``upper`` the same on the ratio scale (see module docstring
    for zero counts). Reports show e.g. "112 (95 % CI 98-129, n = 61)".
    """

    boys: int
    girls: int
    births: int
    srb: float | None
    lower: float
    upper: float
    p: float | None
    p_lower: float
    p_upper: float
    method: IntervalMethod
    level: float

    def __post_init__(self) -> None:
        if self.births != self.boys + self.girls:
            raise ValueError("births must equal boys + girls")

    @property
    def se_log_srb(self) -> float | None:
        """Standard error of log(SRB) by the delta method, sqrt(1/boys + 1/girls)
        (e.g. Agresti, Categorical Data Analysis, 3rd ed., §3.1.3); inf when either
        count is 0, None with no births."""
        if self.births == 0:
            return None
        if self.boys == 0 or self.girls == 0:
            return math.inf
        return math.sqrt(1.0 / self.boys + 1.0 / self.girls)


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level}")


def _check_trials(x: object, n: object, level: float) -> tuple[int, int]:
    """(x, n) as ints with 0 <= x <= n, or ValueError (k > n has no interval)."""
    _check_level(level)
    xi, ni = as_count(x, "x"), as_count(n, "n")
    if xi > ni:
        raise ValueError(f"need 0 <= x <= n, got x={x} n={n}")
    return xi, ni


def wilson_interval(x: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for x successes in n trials (no continuity correction).

    Wilson, JASA 22:209, 1927; Newcombe 1998 method 3. n = 0 gives (0, 1).
    """
    x, n = _check_trials(x, n, level)
    if n == 0:
        return 0.0, 1.0
    z = norm_ppf(0.5 + level / 2.0)
    z2 = z * z
    centre = (x + z2 / 2.0) / (n + z2)
    half = z / (n + z2) * math.sqrt(x * (n - x) / n + z2 / 4.0)
    lower = 0.0 if x == 0 else max(0.0, centre - half)
    upper = 1.0 if x == n else min(1.0, centre + half)
    return lower, upper


def jeffreys_interval(x: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Equal-tailed Jeffreys interval, Beta(x + 1/2, n - x + 1/2) quantiles.

    Brown, Cai & DasGupta 2001 §4.1.2, including their boundary modification
    (lower = 0 at x = 0, upper = 1 at x = n). n = 0 gives (0, 1).
    """
    x, n = _check_trials(x, n, level)
    if n == 0:
        return 0.0, 1.0
    tail = (1.0 - level) / 2.0
    lower = 0.0 if x == 0 else beta_ppf(tail, x + 0.5, n - x + 0.5)
    upper = 1.0 if x == n else beta_ppf(1.0 - tail, x + 0.5, n - x + 0.5)
    return lower, upper


def clopper_pearson_interval(
    x: int, n: int, level: float = 0.95
) -> tuple[float, float]:
    """Clopper-Pearson "exact" interval (Biometrika 26:404, 1934) via Beta quantiles.

    lower = Beta(x, n - x + 1) quantile at alpha/2 (0 at x = 0), upper =
    Beta(x + 1, n - x) quantile at 1 - alpha/2 (1 at x = n). n = 0 gives (0, 1).
    """
    x, n = _check_trials(x, n, level)
    if n == 0:
        return 0.0, 1.0
    tail = (1.0 - level) / 2.0
    lower = 0.0 if x == 0 else beta_ppf(tail, x, n - x + 1)
    upper = 1.0 if x == n else beta_ppf(1.0 - tail, x + 1, n - x)
    return lower, upper


def proportion_interval(
    x: int,
    n: int,
    *,
    method: IntervalMethod = IntervalMethod.WILSON,
    level: float = 0.95,
) -> ProportionInterval:
    """Binomial proportion x / n with the interval of ``method`` (Wilson default)."""
    x, n = _check_trials(x, n, level)
    method = IntervalMethod(method)
    if method is IntervalMethod.WILSON:
        lower, upper = wilson_interval(x, n, level)
    elif method is IntervalMethod.JEFFREYS:
        lower, upper = jeffreys_interval(x, n, level)
    else:
        lower, upper = clopper_pearson_interval(x, n, level)
    estimate = x / n if n else None
    return ProportionInterval(x, n, estimate, lower, upper, method, level)


def srb_estimate(
    boys: int,
    girls: int,
    *,
    method: IntervalMethod = IntervalMethod.WILSON,
    level: float = 0.95,
) -> SrbEstimate:
    """SRB with a ``level`` interval from a binomial interval on the share of boys.

    Rule: docs/design.md §6 "every SRB carries its 95 % interval (Wilson on the proportion
    of boys, mapped to the ratio; Jeffreys and Clopper-Pearson selectable) and its
    number of births". Zero counts: see the module docstring.
    """
    boys, girls = check_counts(boys, girls)
    births = boys + girls
    prop = proportion_interval(boys, births, method=method, level=level)
    if births == 0:
        srb: float | None = None
    elif girls == 0:
        srb = math.inf
    else:
        srb = 100.0 * boys / girls
    return SrbEstimate(
        boys=boys,
        girls=girls,
        births=births,
        srb=srb,
        lower=p_to_srb(prop.lower),
        upper=p_to_srb(prop.upper),
        p=prop.estimate,
        p_lower=prop.lower,
        p_upper=prop.upper,
        method=prop.method,
        level=level,
    )
