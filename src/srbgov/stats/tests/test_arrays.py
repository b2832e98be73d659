"""The vectorised forms agree with the scalar functions (which carry the published
reference values) and keep their properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.stats import (
    FunnelZone,
    IntervalMethod,
    SrbClass,
    classify_srb,
    common_moment_rho,
    detectable_srbs,
    funnel_analysis,
    funnel_arrays,
    low_srb_flags,
    minimum_detectable_srb,
    moment_rho,
    shrink_groups,
    shrink_villages,
    srb_estimate,
    srb_estimates,
)

counts = st.lists(
    st.tuples(st.integers(0, 3000), st.integers(0, 3000)), min_size=1, max_size=30
)
methods = st.sampled_from(list(IntervalMethod))


def _same(a: float, b: float | None) -> bool:
    if b is None:
        return math.isnan(a)
    if math.isinf(b):
        return math.isinf(a)
    return a == pytest.approx(b, rel=1e-9, abs=1e-9)


@settings(deadline=None)
@given(rows=counts, method=methods, level=st.sampled_from([0.9, 0.95, 0.998]))
def test_srb_estimates_equal_the_scalar_estimate(
    rows: list[tuple[int, int]], method: IntervalMethod, level: float
) -> None:
    boys = [b for b, _ in rows]
    girls = [g for _, g in rows]
    arr = srb_estimates(boys, girls, method=method, level=level)
    for i, (b, g) in enumerate(rows):
        one = srb_estimate(b, g, method=method, level=level)
        assert arr.births[i] == one.births
        assert _same(float(arr.srb[i]), one.srb)
        assert _same(float(arr.lower[i]), one.lower)
        assert _same(float(arr.upper[i]), one.upper)


def test_newcombe_1998_wilson_values_vectorised() -> None:
    # Newcombe, Stat Med 1998;17:857-872, Table I method 3: 81/263 -> 0.2553-0.3662,
    # 15/148 -> 0.0624-0.1605, on the proportion; mapped to the ratio here.
    arr = srb_estimates([81, 15], [182, 133])
    p_lower = arr.lower / (100 + arr.lower)
    p_upper = arr.upper / (100 + arr.upper)
    assert [round(float(v), 4) for v in p_lower] == [0.2553, 0.0624]
    assert [round(float(v), 4) for v in p_upper] == [0.3662, 0.1605]


def test_fifty_births_vectorised_still_fire_near_178() -> None:
    # docs/design.md §6 / test_power: against 105, 50 births need k = 32 boys (SRB 177.8).
    assert detectable_srbs([50], reference_srb=105.0)[0] == pytest.approx(
        177.78, abs=0.01
    )


@settings(max_examples=60, deadline=None)
@given(
    births=st.lists(st.integers(0, 2500), min_size=1, max_size=20),
    reference=st.sampled_from([105.0, 106.3, 107.0]),
    alpha=st.sampled_from([0.05, 0.01, 0.002]),
)
def test_detectable_srbs_equal_the_scalar_search(
    births: list[int], reference: float, alpha: float
) -> None:
    arr = detectable_srbs(births, reference_srb=reference, alpha=alpha)
    for i, n in enumerate(births):
        if n == 0:
            assert math.isnan(arr[i])
            continue
        one = minimum_detectable_srb(n, reference_srb=reference, alpha=alpha)
        assert _same(float(arr[i]), one.srb)


def test_detectable_srbs_at_every_small_size() -> None:
    sizes = list(range(1, 301))
    arr = detectable_srbs(sizes)
    for n, value in zip(sizes, arr, strict=True):
        assert _same(float(value), minimum_detectable_srb(n).srb)


@settings(max_examples=60, deadline=None)
@given(rows=counts, n_groups=st.integers(1, 4))
def test_shrink_groups_equals_shrink_villages_per_group(
    rows: list[tuple[int, int]], n_groups: int
) -> None:
    groups = [i % n_groups for i in range(len(rows))]
    boys = [b for b, _ in rows]
    girls = [g for _, g in rows]
    result = shrink_groups(boys, girls, groups, common_strength=False)
    for group in set(groups):
        idx = [i for i, gr in enumerate(groups) if gr == group]
        sub = {i: rows[i] for i in idx}
        b_total = sum(b for b, _ in sub.values())
        n_total = b_total + sum(g for _, g in sub.values())
        mean = None if 0 < b_total < n_total else 106.3
        scalar = shrink_villages(sub, prior_srb=mean)
        for v in scalar.villages:
            i = v.key
            assert result.srb[i] == pytest.approx(v.srb, rel=1e-9)
            assert result.lower[i] == pytest.approx(v.lower, rel=1e-7)
            assert result.upper[i] == pytest.approx(v.upper, rel=1e-7)
            assert result.prob_above[i] == pytest.approx(v.prob_above, abs=1e-9)
        # The shrunken proportion lies between the raw one and the prior mean.
        mu = result.priors[group].mean
        for i in idx:
            n = boys[i] + girls[i]
            if n:
                raw = boys[i] / n
                assert min(raw, mu) - 1e-12 <= result.p[i] <= max(raw, mu) + 1e-12


def test_shrink_groups_ranks_a_big_high_village_above_a_tiny_extreme_one() -> None:
    boys = [4, 330, *[103] * 5]
    girls = [0, 270, *[100] * 5]
    result = shrink_groups(boys, girls, ["t"] * 7)
    assert int(np.argmax(result.prob_above)) == 1


def test_length_mismatch_is_rejected() -> None:
    with pytest.raises(ValueError):
        srb_estimates([1, 2], [3])
    with pytest.raises(ValueError):
        shrink_groups([1], [2], ["a", "b"])
    with pytest.raises(ValueError):
        srb_estimates([-1], [2])


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 800), st.integers(0, 800)), min_size=1, max_size=40
    ),
    reference=st.sampled_from([105.0, 106.3, 107.0]),
)
def test_funnel_arrays_equal_funnel_analysis(
    rows: list[tuple[int, int]], reference: float
) -> None:
    boys = [b for b, _ in rows]
    girls = [g for _, g in rows]
    arr = funnel_arrays(boys, girls, reference_srb=reference)
    scalar = funnel_analysis(dict(enumerate(rows)), reference_srb=reference)
    assert arr.phi == pytest.approx(scalar.phi)
    assert arr.tau2 == pytest.approx(scalar.tau2)
    assert arr.overdispersed == scalar.overdispersed
    for i, unit in enumerate(scalar.units):
        assert arr.zone[i] == unit.zone
        assert arr.zone_multiplicative[i] == unit.zone_multiplicative
        assert arr.zone_additive[i] == unit.zone_additive


def test_funnel_arrays_flag_a_clear_outlier_only() -> None:
    # 40 villages at SRB ~106 and one with 180 boys / 120 girls (SRB 150, n = 300):
    # p = .6 against p0 = .5153 is z = 2.9, beyond the 99.8 % limit (z = 3.09 is
    # the normal equivalent; the exact limit at n = 300 lies at p ~ .604, so it
    # sits above 95 % but not 99.8 %).
    boys = [52] * 40 + [180]
    girls = [49] * 40 + [120]
    arr = funnel_arrays(boys, girls)
    assert arr.zone[-1] is FunnelZone.ABOVE_95
    assert set(arr.zone[:-1]) == {FunnelZone.WITHIN}


@settings(deadline=None)
@given(rows=counts)
def test_low_srb_flags_equal_classify_srb(rows: list[tuple[int, int]]) -> None:
    flags = low_srb_flags([b for b, _ in rows], [g for _, g in rows])
    for i, (b, g) in enumerate(rows):
        low = classify_srb(b, g).category is SrbClass.LOW_DATA_QUALITY
        assert bool(flags[i]) == low


def test_common_rho_hand_worked() -> None:
    # Two townships. A: 3/10, 8/10, 5/10 (the hand-worked case of test_shrinkage:
    # S / (mu (1 - mu)) = 5.089286, df 2, denominator 18). B: 5/10, 5/10, so S = 0,
    # df 1, denominator 20 - 10 - 1 = 9. rho = (5.089286 - 3) / (18 + 9) = 0.077381.
    boys = [3, 8, 5, 5, 5]
    girls = [7, 2, 5, 5, 5]
    groups = ["A", "A", "A", "B", "B"]
    assert common_moment_rho(boys, girls, groups) == pytest.approx(0.077381, abs=1e-6)
    # With one group it is the per-group moment estimate.
    one = common_moment_rho(boys[:3], girls[:3], ["A"] * 3)
    assert one == pytest.approx(moment_rho({0: (3, 7), 1: (8, 2), 2: (5, 5)}))
    result = shrink_groups(boys, girls, groups)
    # m = 1 / rho - 1 = 11.92 exceeds the median village (10 births): capped.
    assert result.priors["A"].strength == 10.0
    wide = shrink_groups([30, 80, 50], [70, 20, 50], ["A"] * 3)
    # Ten times the births: S / (mu (1 - mu)) = 50.8929, rho = (50.8929 - 2) /
    # (300 - 100 - 2) = 0.246934, m = 1 / rho - 1 = 3.0497 < 100 (no cap).
    assert wide.priors["A"].strength == pytest.approx(3.0497, abs=1e-3)
    assert result.priors["B"].mean == pytest.approx(0.5)


@settings(max_examples=60, deadline=None)
@given(rows=counts, n_groups=st.integers(1, 4))
def test_common_strength_keeps_estimates_between_raw_and_township(
    rows: list[tuple[int, int]], n_groups: int
) -> None:
    groups = [i % n_groups for i in range(len(rows))]
    boys = [b for b, _ in rows]
    girls = [g for _, g in rows]
    result = shrink_groups(boys, girls, groups)
    for i, group in enumerate(groups):
        mu = result.priors[group].mean
        n = boys[i] + girls[i]
        assert 0.0 <= result.prob_above[i] <= 1.0
        assert result.lower[i] <= result.srb[i] <= result.upper[i]
        if n:
            raw = boys[i] / n
            assert min(raw, mu) - 1e-12 <= result.p[i] <= max(raw, mu) + 1e-12
