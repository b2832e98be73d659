from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from srbgov.stats import (
    StrengthSource,
    estimate_prior,
    moment_rho,
    p_to_srb,
    shrink_villages,
    srb_to_p,
)


def test_moment_estimate_hand_worked() -> None:
    # Villages (boys/births) 3/10, 8/10, 5/10. Pooled mu = 16/30.
    # S = 10 [(.3 - mu)^2 + (.8 - mu)^2 + (.5 - mu)^2] = 19/15;
    # mu (1 - mu) = 224/900, S / (mu (1 - mu)) = 1140/224 = 5.089286;
    # denominator N - sum n^2 / N - (I - 1) = 30 - 10 - 2 = 18;
    # rho = (5.089286 - 2) / 18 = 0.171627, strength = 1 / rho - 1 = 4.8266.
    counts: dict[str, tuple[int, int]] = {"A": (3, 7), "B": (8, 2), "C": (5, 5)}
    assert moment_rho(counts) == pytest.approx(0.171627, abs=1e-6)
    prior = estimate_prior(counts)
    assert prior.mean == pytest.approx(16 / 30)
    assert prior.strength == pytest.approx(4.8266, abs=1e-4)
    assert prior.source is StrengthSource.MOMENTS
    assert prior.alpha + prior.beta == pytest.approx(prior.strength)


def test_moment_estimate_with_given_mean_hand_worked() -> None:
    # mu = 1/2 given: S = 10 (.04 + .09 + 0) = 1.3, S / .25 = 5.2,
    # rho = (5.2 - I) / (N - I) = 2.2 / 27 = 0.081481.
    counts: dict[str, tuple[int, int]] = {"A": (3, 7), "B": (8, 2), "C": (5, 5)}
    assert moment_rho(counts, prior_srb=100.0) == pytest.approx(2.2 / 27)


def _simulate(seed: int, villages: int) -> dict[int, tuple[int, int]]:
    rng = np.random.default_rng(seed)
    out: dict[int, tuple[int, int]] = {}
    for i in range(villages):
        n = int(rng.integers(20, 200))
        boys = int(rng.binomial(n, rng.beta(40.0, 38.0)))
        out[i] = (boys, n - boys)
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_moment_estimate_recovers_a_known_prior(seed: int) -> None:
    # Simulated beta-binomial with alpha = 40, beta = 38 (strength 78, mean .5128).
    prior = estimate_prior(_simulate(seed, 3000))
    assert prior.source is StrengthSource.MOMENTS
    assert prior.mean == pytest.approx(40 / 78, abs=0.003)
    assert prior.strength == pytest.approx(78, rel=0.15)


def test_moment_estimate_converges() -> None:
    prior = estimate_prior(_simulate(7, 30_000))
    assert prior.strength == pytest.approx(78, rel=0.05)


def test_no_excess_variance_caps_the_strength_at_total_births() -> None:
    # Identical villages: S = 0, rho < 0, so strength = N = 300 (near-full
    # shrinkage), never infinite.
    counts = {i: (52, 48) for i in range(3)}
    result = shrink_villages(counts)
    assert result.prior.source is StrengthSource.CAPPED
    assert result.prior.strength == 300
    village = result.villages[0]
    assert village.p == pytest.approx(0.52)
    assert village.lower < village.srb < village.upper


def test_extreme_variance_floors_the_strength() -> None:
    # All boys in one village, all girls in the other: rho_hat = 99/49 > 1, so
    # the moment strength 1 / rho - 1 < 0 would be improper; floored at 1.
    counts: dict[str, tuple[int, int]] = {"a": (50, 0), "b": (0, 50)}
    prior = estimate_prior(counts)
    assert prior.source is StrengthSource.FLOORED
    assert prior.strength == 1.0
    village = shrink_villages(counts).villages[0]
    assert village.p == pytest.approx(50.5 / 51)


def test_posterior_summaries() -> None:
    counts: dict[str, tuple[int, int]] = {"A": (3, 7), "B": (8, 2), "C": (5, 5)}
    result = shrink_villages(counts, prior_srb=106.3, prior_strength=200)
    b = next(v for v in result.villages if v.key == "B")
    a0, b0 = 200 * srb_to_p(106.3), 200 * (1 - srb_to_p(106.3))
    assert (b.post_alpha, b.post_beta) == pytest.approx((a0 + 8, b0 + 2))
    assert b.p == pytest.approx((a0 + 8) / 210)
    assert b.srb == pytest.approx(p_to_srb(b.p))
    assert b.raw_srb == 400.0
    # Posterior Beta(111.05, 98.95), mean .5288, sd .0344: P(p > 107/207 = .5169)
    # is about 0.63 by the normal approximation.
    assert b.prob_above == pytest.approx(0.63, abs=0.02)
    assert result.prior.source is StrengthSource.GIVEN
    assert result.ranked()[0].key == "B"


def test_ranking_is_by_probability_not_raw_srb() -> None:
    # Tiny village with 4 boys of 4 has the highest raw SRB (inf) but the large
    # village with 330/600 is more certainly above 107.
    counts: dict[str, tuple[int, int]] = {"tiny": (4, 0), "big": (330, 270)}
    counts |= {f"v{i}": (103, 100) for i in range(5)}
    ranked = shrink_villages(counts).ranked()
    assert ranked[0].key == "big"


village_counts = st.dictionaries(
    st.integers(0, 50),
    st.tuples(st.integers(0, 400), st.integers(0, 400)),
    min_size=1,
    max_size=12,
)


@given(counts=village_counts, mean=st.none() | st.floats(0.3, 0.7))
def test_shrunken_proportion_lies_between_raw_and_prior_mean(
    counts: dict[int, tuple[int, int]], mean: float | None
) -> None:
    boys = sum(b for b, _ in counts.values())
    if mean is None and boys in (0, sum(b + g for b, g in counts.values())):
        mean = 0.5  # a pooled mean of 0 or 1 (or no births) is no usable prior
    result = shrink_villages(counts, prior_srb=None if mean is None else p_to_srb(mean))
    mu = result.prior.mean
    for v in result.villages:
        assert 0.0 <= v.prob_above <= 1.0
        assert v.lower <= v.srb <= v.upper
        if v.births == 0:
            assert v.p == pytest.approx(mu)
            continue
        raw = v.boys / v.births
        assert min(raw, mu) - 1e-12 <= v.p <= max(raw, mu) + 1e-12
