"""One unit, clear errors (issue 11 item 4)."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.stats import (
    adjusted_funnel_limits,
    bernoulli_cusum,
    classify_srb,
    clopper_pearson_interval,
    critical_boys,
    cusum_path,
    cusum_weights,
    dersimonian_laird_tau2,
    detectable_srbs,
    exact_power,
    funnel_limits,
    jeffreys_interval,
    minimum_detectable_srb,
    moment_rho,
    shrink_groups,
    srb_estimate,
    srb_estimates,
    srb_verdicts,
    wilson_interval,
)
from srbgov.stats._dist import binom_sf


@pytest.mark.parametrize("bad", [2.5, math.nan, -1, math.inf, True])
def test_counts_must_be_non_negative_integers(bad: object) -> None:
    with pytest.raises(ValueError, match="boys"):
        classify_srb(bad, 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="boys"):
        srb_estimate(bad, 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        srb_estimates(np.array([bad, 3], dtype=object), [1, 2])
    with pytest.raises(ValueError):
        srb_verdicts(np.array([1.0, bad], dtype=object), [1, 2])


@pytest.mark.parametrize("bad", [2.5, math.nan, -1, True, 1e30, 10**30, "5"])
def test_funnel_limits_refuse_what_is_not_a_number_of_births(bad: object) -> None:
    # 1e30 ran for minutes, 2.5 failed with "cannot convert float NaN to integer".
    with pytest.raises(ValueError, match="births"):
        funnel_limits(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="births"):
        adjusted_funnel_limits(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("phi", [math.nan, math.inf, 0.0, -1.0])
def test_overdispersion_must_be_a_positive_finite_number(phi: float) -> None:
    with pytest.raises(ValueError, match="phi"):
        adjusted_funnel_limits(50, phi=phi)
    with pytest.raises(ValueError, match="phi"):
        dersimonian_laird_tau2(phi, [30, 40], 0.515)


@pytest.mark.parametrize(
    "bad", [[True, 1], ["5"], [10**30], np.array([2**64 - 1], dtype=np.uint64), [-1]]
)
def test_count_arrays_refuse_booleans_strings_and_impossible_sizes(bad: object) -> None:
    with pytest.raises(ValueError, match="must be"):
        srb_estimates(bad, [1])  # type: ignore[arg-type]


def test_a_count_above_any_countys_births_is_refused_not_overflowed() -> None:
    with pytest.raises(ValueError, match="at most"):
        classify_srb(10**30, 5)
    with pytest.raises(ValueError, match="births"):
        dersimonian_laird_tau2(1.5, [30, 2.5], 0.515)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="boys"):
        moment_rho({"a": (-1, 3), "b": (2, 2)})


@pytest.mark.parametrize("bad", [[0.5, 1], [2, 0], [-1], [math.nan], ["5"]])
def test_the_cusum_takes_one_sex_per_birth(bad: list[object]) -> None:
    with pytest.raises(ValueError, match="0/1"):
        bernoulli_cusum(bad)  # type: ignore[arg-type]
    # Booleans and 0/1, mixed, are sexes.
    assert bernoulli_cusum([True, 1, 0, False]).p0 > 0.5


def test_array_functions_refuse_fractions_instead_of_truncating() -> None:
    with pytest.raises(ValueError, match=r"2\.5"):
        srb_estimates(np.array([2.5, 3.0]), [1, 2])
    with pytest.raises(ValueError, match="nan"):
        shrink_groups(np.array([np.nan]), [1], ["t"])
    # Integral floats are counts.
    assert srb_estimates(np.array([2.0]), [1]).srb[0] == 200.0


def test_intervals_refuse_more_successes_than_trials() -> None:
    for interval in (jeffreys_interval, wilson_interval, clopper_pearson_interval):
        with pytest.raises(ValueError, match="x <= n"):
            interval(5, 3)


def test_standard_error_of_log_srb() -> None:
    est = srb_estimate(60, 40)
    assert est.se_log_srb == pytest.approx(math.sqrt(1 / 60 + 1 / 40))
    assert srb_estimate(3, 0).se_log_srb == math.inf
    assert srb_estimate(0, 0).se_log_srb is None
    arr = srb_estimates([60, 3], [40, 0])
    assert arr.se_log_srb[0] == pytest.approx(math.sqrt(1 / 60 + 1 / 40))
    assert arr.se_log_srb[1] == math.inf


def test_posterior_sd_of_the_srb_matches_sampling() -> None:
    shrunk = shrink_groups([30, 20], [25, 22], ["t", "t"])
    prior = shrunk.priors["t"]
    rng = np.random.default_rng(7)
    draws = rng.beta(prior.alpha + 30, prior.beta + 25, size=400_000)
    assert shrunk.sd[0] == pytest.approx(np.std(100 * draws / (1 - draws)), rel=0.01)


def test_power_and_detectable_srb_are_vectorised() -> None:
    start = time.perf_counter()
    power = exact_power(1_000_000, true_srb=107.0)
    detect = minimum_detectable_srb(1_000_000)
    many = detectable_srbs(np.arange(1, 20_001))
    assert time.perf_counter() - start < 1.0
    assert 0.9 < power < 1.0
    assert detect.srb is not None and 106.3 < detect.srb < 107.0
    assert np.isnan(many[0]) and many[-1] < 112
    arr = exact_power(np.array([50, 3000]), true_srb=115.0)
    assert arr[0] == pytest.approx(exact_power(50, true_srb=115.0))


@settings(deadline=None, max_examples=40)
@given(n=st.integers(1, 300))
def test_exact_power_is_the_tail_beyond_the_critical_count(n: int) -> None:
    p0, p1 = 106.3 / 206.3, 150.0 / 250.0
    k = next((k for k in range(n + 1) if binom_sf(k - 1, n, p0) <= 0.05), None)
    expected = 0.0 if k is None else binom_sf(k - 1, n, p1)
    assert exact_power(n, true_srb=150.0) == pytest.approx(expected, abs=1e-12)
    assert int(critical_boys([n], srb=106.3, alpha=0.05)[0]) == (
        n + 1 if k is None else k
    )


@settings(deadline=None)
@given(st.lists(st.booleans(), max_size=300), st.floats(0.05, 3.0), st.booleans())
def test_vectorised_cusum_equals_the_recursion(
    births: list[bool], h: float, reset: bool
) -> None:
    boy_w, girl_w = cusum_weights(106.3, 115.0)
    s, path, signals = 0.0, [], []
    for t, y in enumerate(births):
        s = max(0.0, s + (boy_w if y else girl_w))
        path.append(s)
        if s >= h:
            signals.append(t)
            if reset:
                s = 0.0
    got, hits = cusum_path(
        np.array(births, dtype=np.bool_),
        boy_weight=boy_w,
        girl_weight=girl_w,
        h=h,
        reset=reset,
    )
    assert got.tolist() == pytest.approx(path, abs=1e-9)
    assert hits.tolist() == signals
    assert bernoulli_cusum(births, h=h, reset=reset).signals == tuple(signals)
