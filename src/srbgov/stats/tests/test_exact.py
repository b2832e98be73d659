"""Exact zones: the chance rate never exceeds the nominal one (computed, not
simulated), and the small-number cases the interpolated limits got wrong."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.stats import (
    FunnelZone,
    classify_funnel,
    critical_boys,
    critical_boys_below,
    funnel_analysis,
    funnel_arrays,
    srb_to_p,
    two_sided_p,
    upper_tail,
    zone_chance,
    zone_reachable,
    zones,
)
from srbgov.stats._dist import binom_cdf, binom_sf

P0 = srb_to_p(106.3)


def _chance_by_enumeration(n: int, tail: float) -> tuple[float, float]:
    """P(zone above) and P(zone below) by summing the binomial pmf over every count
    whose zone (from classify_funnel, the scalar path) is beyond the limit."""
    above = below = 0.0
    for boys in range(n + 1):
        pmf = binom_cdf(boys, n, P0) - binom_cdf(boys - 1, n, P0)
        zone = classify_funnel(boys, n - boys)
        if tail == 0.025 and zone in (FunnelZone.ABOVE_95, FunnelZone.ABOVE_998):
            above += pmf
        if tail == 0.001 and zone is FunnelZone.ABOVE_998:
            above += pmf
        if tail == 0.025 and zone in (FunnelZone.BELOW_95, FunnelZone.BELOW_998):
            below += pmf
        if tail == 0.001 and zone is FunnelZone.BELOW_998:
            below += pmf
    return above, below


@pytest.mark.parametrize("tail", [0.025, 0.001])
def test_chance_rate_never_exceeds_nominal_for_1_to_200_births(tail: float) -> None:
    ns = np.arange(1, 201)
    above, below = zone_chance(ns, tail=tail)
    assert above.max() <= tail
    assert below.max() <= tail
    # The closed form agrees with summing the pmf over the scalar zones.
    for n in (1, 5, 6, 11, 37, 200):
        enum_above, enum_below = _chance_by_enumeration(n, tail)
        assert enum_above == pytest.approx(float(above[n - 1]), abs=1e-12)
        assert enum_below == pytest.approx(float(below[n - 1]), abs=1e-12)
        assert enum_above <= tail and enum_below <= tail


def test_array_zones_have_the_same_chance_as_the_scalar_ones() -> None:
    for n in range(1, 201):
        boys = np.arange(n + 1)
        got = zones(boys, n - boys)
        arr = funnel_arrays(boys, n - boys).zone
        assert got == arr
        assert got == tuple(classify_funnel(int(b), n - int(b)) for b in boys)


def test_one_boy_of_one_birth_is_within_the_funnel() -> None:
    # The interpolated limits put it "above 99.8 %" (chance 0.515 under no
    # difference).
    assert classify_funnel(1, 0) is FunnelZone.WITHIN
    assert funnel_analysis({"a": (1, 0)}).units[0].zone is FunnelZone.WITHIN
    assert not zone_reachable([1, 5])[0:2].any()
    # 6 boys of 6: P = 0.5153^6 = 0.0187 <= 0.025, so six births can leave it.
    assert zone_reachable([6])[0]
    assert classify_funnel(6, 0) is FunnelZone.ABOVE_95


@settings(deadline=None, max_examples=60)
@given(n=st.integers(1, 400), alpha=st.sampled_from([0.05, 0.025, 0.001, 1e-5]))
def test_critical_counts_equal_the_brute_force_definition(n: int, alpha: float) -> None:
    up = next((k for k in range(n + 1) if binom_sf(k - 1, n, P0) <= alpha), n + 1)
    low = max((k for k in range(n + 1) if binom_cdf(k, n, P0) <= alpha), default=-1)
    assert int(critical_boys([n], srb=106.3, alpha=alpha)[0]) == up
    assert int(critical_boys_below([n], srb=106.3, alpha=alpha)[0]) == low


def test_two_sided_p_doubles_the_smaller_tail() -> None:
    up = float(upper_tail([35], [15], srb=106.3)[0])
    assert float(two_sided_p([35], [15], srb=106.3)[0]) == pytest.approx(2 * up)
    assert float(two_sided_p([26], [24], srb=106.3)[0]) == 1.0
    assert math.isnan(float(two_sided_p([0], [0], srb=106.3)[0]))
