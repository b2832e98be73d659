"""Empirical-Bayes SRB for villages, shrunk towards their township.

Model (beta-binomial): village i has boys_i ~ Binomial(n_i, p_i) with
p_i ~ Beta(alpha, beta), prior mean mu = alpha / (alpha + beta) and prior strength
m = alpha + beta. The posterior is Beta(alpha + boys_i, beta + girls_i)
(conjugacy; e.g. Gelman et al., Bayesian Data Analysis, 3rd ed., §5.3).

Rule: docs/design.md §6 "villages get empirical-Bayes estimates shrunk towards their
township (beta-binomial, prior strength estimated from the data) and the
probability that their true SRB exceeds 107; they are ranked by that probability,
never by raw SRB".

Prior strength by the method of moments (weights n_i; the first, unweighted step
of Kleinman, "Proportions with extraneous variance: single and independent
samples", JASA 68:46-54, 1973, equivalently the ANOVA estimator of the
intra-class correlation rho = 1 / (m + 1)). With Var(y_i / n_i) =
mu (1 - mu) (1 + (n_i - 1) rho) / n_i and S = sum n_i (y_i / n_i - mu_hat)^2:

- mu estimated as the pooled proportion (N = sum n_i, I villages):
  E[S] = mu (1 - mu) [(I - 1) + rho (N - sum n_i^2 / N - (I - 1))];
- mu given: E[S] = mu (1 - mu) [I + rho (N - I)].

Solving for rho gives rho_hat; m = 1 / rho_hat - 1. Fallback: when rho_hat <= 0
(between-village variance not larger than binomial noise), cannot be estimated
(one village) or the estimate exceeds N, m is capped at N, the township's total births, so the prior is never more
certain than the pooled data it is centred on: near-full shrinkage, each village
keeping weight n_i / (n_i + N). At the other end, rho_hat near 1 would give a
strength near 0 (an improper prior), so the strength is floored at
MIN_PRIOR_STRENGTH = 1, the weight of one birth. Maximum marginal likelihood is not
used.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from srbgov.stats._dist import beta_ppf, beta_sf
from srbgov.stats.reference import HIGH_SRB_THRESHOLD, check_counts, p_to_srb, srb_to_p

K = TypeVar("K", bound=Hashable)
MIN_PRIOR_STRENGTH = 1.0


class StrengthSource(StrEnum):
    MOMENTS = "moments"  # method-of-moments estimate
    CAPPED = "capped"  # no excess variance or estimate above N: capped at N
    FLOORED = "floored"  # estimate below MIN_PRIOR_STRENGTH
    GIVEN = "given"  # supplied by the caller


@dataclass(frozen=True)
class BetaBinomialPrior:
    """Beta(alpha, beta) prior: ``mean`` = alpha / strength is a proportion of
    boys (``mean_srb`` the same per 100 girls), strength = alpha + beta."""

    mean: float
    strength: float
    rho: float | None
    source: StrengthSource
    mean_given: bool

    @property
    def mean_srb(self) -> float:
        return p_to_srb(self.mean)

    @property
    def alpha(self) -> float:
        return self.mean * self.strength

    @property
    def beta(self) -> float:
        return (1.0 - self.mean) * self.strength


@dataclass(frozen=True)
class VillageEstimate(Generic[K]):
    """Posterior Beta(post_alpha, post_beta) for one village.

    ``p``/``srb`` are the posterior mean proportion of boys and its SRB;
    ``lower``/``upper`` the equal-tailed credible interval on the SRB scale;
    ``prob_above`` = P(true SRB > threshold_srb | data).
    """

    key: K
    boys: int
    girls: int
    births: int
    raw_srb: float | None
    p: float
    srb: float
    lower: float
    upper: float
    prob_above: float
    threshold_srb: float
    level: float
    post_alpha: float
    post_beta: float


@dataclass(frozen=True)
class ShrinkageResult(Generic[K]):
    prior: BetaBinomialPrior
    villages: tuple[VillageEstimate[K], ...]

    def ranked(self) -> tuple[VillageEstimate[K], ...]:
        """Villages by decreasing P(SRB > threshold), then by key text."""
        return tuple(sorted(self.villages, key=lambda v: (-v.prob_above, str(v.key))))


def moment_rho(
    counts: Mapping[K, tuple[int, int]], *, prior_srb: float | None = None
) -> float | None:
    """Method-of-moments intra-class correlation rho (module docstring).

    Returns None when it cannot be estimated (fewer than two villages with births
    when mu is estimated, none when it is given, or all births in one village).
    May be <= 0 (no excess variance).
    """
    prior_mean = None if prior_srb is None else srb_to_p(prior_srb)
    checked = [check_counts(b, g) for b, g in counts.values()]
    rows = [(b, b + g) for b, g in checked if b + g > 0]
    units = len(rows)
    total = sum(n for _, n in rows)
    if units == 0 or total == 0:
        return None
    mu = prior_mean if prior_mean is not None else sum(b for b, _ in rows) / total
    if mu <= 0.0 or mu >= 1.0:
        return None
    s = sum(n * (b / n - mu) ** 2 for b, n in rows)
    if prior_mean is None:
        df = units - 1
        denom = total - sum(n * n for _, n in rows) / total - df
    else:
        df = units
        denom = total - units
    if df < 1 or denom <= 0:
        return None
    return (s / (mu * (1.0 - mu)) - df) / denom


def estimate_prior(
    counts: Mapping[K, tuple[int, int]],
    *,
    prior_srb: float | None = None,
    prior_strength: float | None = None,
) -> BetaBinomialPrior:
    """Beta prior for a township's villages: pooled (or given, ``prior_srb`` per
    100 girls) mean, strength by the method of moments with the cap at total
    births (module docstring). The prior's ``mean`` is a proportion of boys."""
    prior_mean = None if prior_srb is None else srb_to_p(prior_srb)
    for b, g in counts.values():
        check_counts(b, g)
    births = sum(b + g for b, g in counts.values())
    boys = sum(b for b, _ in counts.values())
    if prior_mean is None:
        if births == 0:
            raise ValueError("no births: give prior_srb")
        mean = boys / births
    else:
        mean = prior_mean
    if not 0.0 < mean < 1.0:
        raise ValueError(f"prior mean must be in (0, 1), got {mean}")
    rho = moment_rho(counts, prior_srb=prior_srb)
    if prior_strength is not None:
        if prior_strength <= 0:
            raise ValueError("prior_strength must be > 0")
        return BetaBinomialPrior(
            mean, prior_strength, rho, StrengthSource.GIVEN, prior_mean is not None
        )
    cap = float(max(births, 1))
    if rho is None or rho <= 0.0 or 1.0 / rho - 1.0 >= cap:
        return BetaBinomialPrior(
            mean, cap, rho, StrengthSource.CAPPED, prior_mean is not None
        )
    strength = 1.0 / rho - 1.0
    if strength < MIN_PRIOR_STRENGTH:
        return BetaBinomialPrior(
            mean,
            MIN_PRIOR_STRENGTH,
            rho,
            StrengthSource.FLOORED,
            prior_mean is not None,
        )
    return BetaBinomialPrior(
        mean, strength, rho, StrengthSource.MOMENTS, prior_mean is not None
    )


def posterior_village(
    key: K,
    boys: int,
    girls: int,
    prior: BetaBinomialPrior,
    *,
    threshold_srb: float = HIGH_SRB_THRESHOLD,
    level: float = 0.95,
) -> VillageEstimate[K]:
    """Posterior Beta(alpha + boys, beta + girls) summarised on the SRB scale."""
    boys, girls = check_counts(boys, girls)
    a = prior.alpha + boys
    b = prior.beta + girls
    tail = (1.0 - level) / 2.0
    p = a / (a + b)
    return VillageEstimate(
        key=key,
        boys=boys,
        girls=girls,
        births=boys + girls,
        raw_srb=(100.0 * boys / girls if girls else (math.inf if boys else None)),
        p=p,
        srb=p_to_srb(p),
        lower=p_to_srb(beta_ppf(tail, a, b)),
        upper=p_to_srb(beta_ppf(1.0 - tail, a, b)),
        prob_above=beta_sf(srb_to_p(threshold_srb), a, b),
        threshold_srb=threshold_srb,
        level=level,
        post_alpha=a,
        post_beta=b,
    )


def shrink_villages(
    counts: Mapping[K, tuple[int, int]],
    *,
    prior_srb: float | None = None,
    prior_strength: float | None = None,
    threshold_srb: float = HIGH_SRB_THRESHOLD,
    level: float = 0.95,
) -> ShrinkageResult[K]:
    """Empirical-Bayes SRB for the villages of one township (key -> (boys, girls)).

    The prior mean is the township's pooled proportion of boys unless
    ``prior_srb`` (per 100 girls, e.g. 106.3) is given; the strength is
    estimated (module docstring) unless ``prior_strength`` is given. Reports the
    shrunken SRB, its ``level`` credible interval and P(SRB > ``threshold_srb``),
    i.e. P(p > 107 / 207) by default.
    """
    prior = estimate_prior(counts, prior_srb=prior_srb, prior_strength=prior_strength)
    villages = tuple(
        posterior_village(k, b, g, prior, threshold_srb=threshold_srb, level=level)
        for k, (b, g) in counts.items()
    )
    return ShrinkageResult(prior=prior, villages=villages)
