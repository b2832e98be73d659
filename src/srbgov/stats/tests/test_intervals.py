from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from srbgov.stats import (
    IntervalMethod,
    clopper_pearson_interval,
    jeffreys_interval,
    p_to_srb,
    proportion_interval,
    srb_estimate,
    srb_to_p,
    wilson_interval,
)

# Newcombe RG, "Two-sided confidence intervals for the single proportion:
# comparison of seven methods", Stat Med 1998;17:857-872, Table I, methods 3
# (Wilson score, no continuity correction) and 5 (Clopper-Pearson "exact"),
# published to 4 decimals.
NEWCOMBE_1998 = [
    # (x, n, wilson, clopper_pearson)
    (81, 263, (0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148, (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0000, 0.1611), (0.0000, 0.1684)),
    (1, 29, (0.0061, 0.1718), (0.0009, 0.1776)),
]


@pytest.mark.parametrize(("x", "n", "wilson", "exact"), NEWCOMBE_1998)
def test_wilson_matches_newcombe_1998(
    x: int, n: int, wilson: tuple[float, float], exact: tuple[float, float]
) -> None:
    lower, upper = wilson_interval(x, n)
    assert (round(lower, 4), round(upper, 4)) == wilson


@pytest.mark.parametrize(("x", "n", "wilson", "exact"), NEWCOMBE_1998)
def test_clopper_pearson_matches_newcombe_1998(
    x: int, n: int, wilson: tuple[float, float], exact: tuple[float, float]
) -> None:
    lower, upper = clopper_pearson_interval(x, n)
    assert (round(lower, 4), round(upper, 4)) == exact


def _beta_quantile_by_integration(a: float, b: float, q: float) -> float:
    """Beta quantile from a numerical CDF (numpy only, independent of scipy)."""
    t = np.linspace(0.0, 1.0, 400_001)[1:-1]
    log_pdf = (a - 1) * np.log(t) + (b - 1) * np.log1p(-t)
    pdf = np.exp(log_pdf - log_pdf.max())
    cdf = np.cumsum(pdf)
    cdf /= cdf[-1]
    return float(np.interp(q, cdf, t))


@pytest.mark.parametrize(("x", "n"), [(81, 263), (15, 148), (7, 30), (50, 97)])
def test_jeffreys_is_the_beta_half_posterior_quantiles(x: int, n: int) -> None:
    # Brown, Cai & DasGupta, Stat Sci 2001;16:101-133, §4.1.2: the Jeffreys
    # interval is the equal-tailed interval of Beta(x + 1/2, n - x + 1/2).
    lower, upper = jeffreys_interval(x, n)
    a, b = x + 0.5, n - x + 0.5
    assert lower == pytest.approx(_beta_quantile_by_integration(a, b, 0.025), abs=2e-4)
    assert upper == pytest.approx(_beta_quantile_by_integration(a, b, 0.975), abs=2e-4)


def test_jeffreys_boundary_modification() -> None:
    # Brown et al. 2001: lower limit 0 at x = 0, upper limit 1 at x = n.
    assert jeffreys_interval(0, 20)[0] == 0.0
    assert jeffreys_interval(20, 20)[1] == 1.0


def test_srb_interval_is_the_mapped_proportion_interval() -> None:
    est = srb_estimate(81, 182)
    assert est.births == 263
    assert est.srb == pytest.approx(100 * 81 / 182)
    assert est.p_lower == pytest.approx(0.2553, abs=5e-5)
    assert est.lower == pytest.approx(100 * est.p_lower / (1 - est.p_lower))
    assert est.upper == pytest.approx(100 * est.p_upper / (1 - est.p_upper))
    assert est.method is IntervalMethod.WILSON
    assert est.level == 0.95


def test_method_is_selectable() -> None:
    cp = srb_estimate(15, 133, method=IntervalMethod.CLOPPER_PEARSON)
    assert round(cp.p_lower, 4) == 0.0578
    jf = srb_estimate(15, 133, method=IntervalMethod("jeffreys"))
    assert jf.method is IntervalMethod.JEFFREYS


def test_zero_births() -> None:
    est = srb_estimate(0, 0)
    assert est.srb is None and est.p is None
    assert (est.lower, est.upper) == (0.0, math.inf)


def test_zero_girls_gives_infinite_estimate_and_upper_limit() -> None:
    est = srb_estimate(3, 0)
    assert est.srb == math.inf
    assert est.upper == math.inf
    assert 0 < est.lower < math.inf


def test_zero_boys() -> None:
    est = srb_estimate(0, 20)
    assert est.srb == 0.0 and est.lower == 0.0
    assert est.p_upper == pytest.approx(0.1611, abs=5e-5)


def test_negative_counts_are_rejected() -> None:
    with pytest.raises(ValueError):
        srb_estimate(-1, 3)


def test_srb_proportion_mapping() -> None:
    assert srb_to_p(106.3) == pytest.approx(106.3 / 206.3)
    assert p_to_srb(0.5) == 100.0
    assert p_to_srb(1.0) == math.inf
    assert srb_to_p(math.inf) == 1.0


counts = st.integers(min_value=0, max_value=5000)
methods = st.sampled_from(list(IntervalMethod))
levels = st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998])


@given(boys=counts, girls=counts, method=methods, level=levels)
def test_interval_contains_its_estimate(
    boys: int, girls: int, method: IntervalMethod, level: float
) -> None:
    est = srb_estimate(boys, girls, method=method, level=level)
    if est.srb is None:
        assert est.births == 0
        return
    assert est.lower <= est.srb <= est.upper
    assert est.p is not None and est.p_lower <= est.p <= est.p_upper


@given(boys=counts, girls=counts, method=methods)
def test_more_boys_never_lowers_the_srb(
    boys: int, girls: int, method: IntervalMethod
) -> None:
    before = srb_estimate(boys, girls, method=method)
    after = srb_estimate(boys + 1, girls, method=method)
    assert after.srb is not None
    assert before.srb is None or after.srb >= before.srb
    assert after.lower >= before.lower
    assert after.upper >= before.upper


@given(x=st.integers(0, 2000), extra=st.integers(0, 2000), method=methods)
def test_intervals_stay_in_the_unit_interval(
    x: int, extra: int, method: IntervalMethod
) -> None:
    pi = proportion_interval(x, x + extra, method=method)
    assert 0.0 <= pi.lower <= pi.upper <= 1.0


@given(p=st.floats(0.0, 0.999999))
def test_srb_mapping_round_trips(p: float) -> None:
    assert srb_to_p(p_to_srb(p)) == pytest.approx(p, abs=1e-12)
