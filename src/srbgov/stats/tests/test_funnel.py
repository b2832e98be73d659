from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from srbgov.stats import (
    FunnelZone,
    adjusted_funnel_limits,
    classify_funnel,
    dersimonian_laird_tau2,
    funnel_analysis,
    funnel_curve,
    funnel_limits,
    p_to_srb,
    srb_to_p,
    winsorized_phi,
)


def test_exact_limits_hand_worked_with_spiegelhalter_interpolation() -> None:
    # Spiegelhalter, Stat Med 2005;24:1185, appendix A.1.1, for n = 10, p0 = 0.5
    # (reference SRB 100). Binomial(10, 1/2): P(X<=1) = 11/1024, P(X<=2) = 56/1024,
    # P(X<=7) = 968/1024, P(X<=8) = 1013/1024.
    # Upper 97.5 %: r = 8, a = (1013/1024 - .975) / (45/1024) = 0.324444,
    # limit (8 - a) / 10 = 0.767556 -> SRB 330.21.
    # Lower 2.5 %: r = 2, a = (56/1024 - .025) / (45/1024) = 0.675556,
    # limit (2 - a) / 10 = 0.132444 -> SRB 15.27.
    lim = funnel_limits(10, reference_srb=100.0)
    assert srb_to_p(lim.upper_95) == pytest.approx(0.767556, abs=1e-6)
    assert lim.upper_95 == pytest.approx(330.21, abs=0.01)
    assert srb_to_p(lim.lower_95) == pytest.approx(0.132444, abs=1e-6)
    assert lim.exact


def test_exact_limits_approach_the_normal_limits_for_large_n() -> None:
    # For large n the binomial limits tend to p0 +/- z sqrt(p0 q0 / n).
    n, p0 = 200_000, srb_to_p(106.3)
    lim = funnel_limits(n)
    sd = math.sqrt(p0 * (1 - p0) / n)
    assert srb_to_p(lim.upper_95) == pytest.approx(p0 + 1.959964 * sd, abs=2e-5)
    assert srb_to_p(lim.lower_998) == pytest.approx(p0 - 3.090232 * sd, abs=2e-5)


def test_limits_are_ordered_around_the_reference() -> None:
    for lim in funnel_curve(range(1, 400)):
        assert 0.0 <= lim.lower_998 <= lim.lower_95 <= lim.upper_95 <= lim.upper_998
        assert lim.lower_95 <= 106.3 <= lim.upper_95


@given(n=st.integers(2, 20_000))
def test_funnel_limits_widen_as_births_shrink(n: int) -> None:
    # The interpolated limits wiggle by < 0.002 on p between neighbours (the
    # binomial is discrete), but halving the births always widens them (from
    # n = 2; at n = 1 the upper limit is below that of n = 2 by 0.002 on p).
    small, large = funnel_limits(n), funnel_limits(2 * n)
    assert small.upper_95 >= large.upper_95
    assert small.upper_998 >= large.upper_998
    assert small.lower_95 <= large.lower_95
    assert small.lower_998 <= large.lower_998
    nxt = funnel_limits(n + 1)
    assert srb_to_p(nxt.upper_95) <= srb_to_p(small.upper_95) + 0.002
    assert srb_to_p(nxt.lower_95) >= srb_to_p(small.lower_95) - 1e-12


def test_classify_funnel_zones() -> None:
    # 400 births: exact 99.8 % upper limit near SRB 145.
    lim = funnel_limits(400)
    assert 135 < lim.upper_998 < 155
    assert classify_funnel(206, 194) is FunnelZone.WITHIN
    assert classify_funnel(235, 165) is FunnelZone.ABOVE_95
    assert classify_funnel(250, 150) is FunnelZone.ABOVE_998
    assert classify_funnel(175, 225) is FunnelZone.BELOW_95
    assert classify_funnel(150, 250) is FunnelZone.BELOW_998
    assert classify_funnel(0, 0) is FunnelZone.NO_BIRTHS


def test_winsorized_phi_hand_worked() -> None:
    # numpy linear quantiles: 10 % -> -1.9, 90 % -> 8.4; squares sum to 166.17.
    z = [-10.0, -1, 0, 1, 2, 3, 4, 5, 6, 30]
    assert winsorized_phi(z) == pytest.approx(16.617)


def test_dersimonian_laird_hand_worked() -> None:
    # p0 = 1/2, n = 100, 200, 400 -> w = 400, 800, 1600; sum w = 2800,
    # sum w^2 / sum w = 1200; I phi - (I - 1) = 3 * 2 - 2 = 4; tau2 = 4 / 1600.
    assert dersimonian_laird_tau2(2.0, [100, 200, 400], 0.5) == pytest.approx(0.0025)
    assert dersimonian_laird_tau2(0.5, [100, 200, 400], 0.5) == 0.0


def test_adjusted_limits_formula() -> None:
    p0, n, tau2 = srb_to_p(106.3), 500, 0.0004
    lim = adjusted_funnel_limits(n, tau2=tau2)
    expected = p0 + 1.959964 * math.sqrt(p0 * (1 - p0) / n + tau2)
    assert srb_to_p(lim.upper_95) == pytest.approx(expected, abs=1e-6)
    wider = adjusted_funnel_limits(n, phi=2.0)
    assert wider.upper_998 > funnel_limits(n).upper_998
    assert not wider.exact


def _simulate(
    rng: np.random.Generator, units: int, spread: float
) -> dict[str, tuple[int, int]]:
    p0 = srb_to_p(106.3)
    out: dict[str, tuple[int, int]] = {}
    for i in range(units):
        n = int(rng.integers(50, 800))
        p = float(np.clip(rng.normal(p0, spread), 0.01, 0.99))
        boys = int(rng.binomial(n, p))
        out[f"u{i}"] = (boys, n - boys)
    return out


def test_homogeneous_units_are_not_overdispersed() -> None:
    analysis = funnel_analysis(_simulate(np.random.default_rng(1), 60, 0.0))
    assert not analysis.overdispersed
    assert analysis.phi_df == 59
    for unit in analysis.units:
        assert unit.zone_multiplicative is unit.zone
        assert unit.zone_additive is unit.zone


def test_overdispersed_units_get_wider_adjusted_limits() -> None:
    # True between-unit sd 0.04 on p, tau2 = 0.0016. Without winsorizing the
    # DerSimonian-Laird estimate lands near it; the 10 % winsorized phi that
    # Spiegelhalter recommends is deliberately conservative and gives less.
    units = _simulate(np.random.default_rng(2), 200, 0.04)
    raw = funnel_analysis(units, winsor=0.0)
    assert 0.001 < raw.tau2 < 0.0025
    analysis = funnel_analysis(units)
    assert analysis.overdispersed and analysis.phi > 1.5
    assert analysis.phi_p_value < 0.001
    assert 0.0004 < analysis.tau2 < raw.tau2
    order = list(FunnelZone)
    for unit in analysis.units:
        # adjustment only ever moves a unit towards "within"
        for adjusted in (unit.zone_multiplicative, unit.zone_additive):
            dist = abs(order.index(adjusted) - order.index(FunnelZone.WITHIN))
            assert dist <= abs(order.index(unit.zone) - order.index(FunnelZone.WITHIN))
    flagged = sum(u.zone is not FunnelZone.WITHIN for u in analysis.units)
    flagged_adj = sum(u.zone_additive is not FunnelZone.WITHIN for u in analysis.units)
    assert flagged_adj < flagged


def test_analysis_keeps_counts_and_handles_empty_units() -> None:
    analysis = funnel_analysis({"a": (60, 40), "b": (0, 0), "c": (3, 0)})
    by_key = {u.key: u for u in analysis.units}
    assert by_key["a"].srb == 150.0 and by_key["a"].births == 100
    assert by_key["b"].zone is FunnelZone.NO_BIRTHS and by_key["b"].z is None
    assert by_key["c"].srb == math.inf
    assert analysis.n_units == 2
    assert by_key["a"].z == pytest.approx(
        (0.6 - srb_to_p(106.3)) / math.sqrt(0.5153 * 0.4847 / 100), abs=1e-3
    )
    assert p_to_srb(analysis.p0) == pytest.approx(106.3)


def test_a_small_village_is_never_beyond_its_exact_zone_after_adjustment() -> None:
    """phi slightly above 1 put a village of 5 boys "above 95 %" by the normal
    limits, a zone 5 births cannot reach exactly (the review's 3.6 % chance rate
    against 2.5 %): the adjusted zone is capped by the exact one."""
    from srbgov.stats import funnel_arrays

    # 600 villages, a little over-dispersed (winsorized phi = 1.10, significant).
    rng = np.random.default_rng(11)
    n = rng.integers(30, 300, 600)
    p = np.clip(rng.normal(0.515, 0.034, 600), 0.3, 0.7)
    boys = rng.binomial(n, p)
    boys = np.append(boys, 5)
    girls = np.append(n - boys[:-1], 0)
    arrays = funnel_arrays(boys, girls)
    assert arrays.overdispersed and 1.0 < arrays.phi < 1.2
    assert arrays.zone[-1] is FunnelZone.WITHIN  # 5 of 5: P = 0.037 > 0.025
    assert arrays.zone_multiplicative[-1] is FunnelZone.WITHIN
    assert arrays.zone_additive[-1] is FunnelZone.WITHIN
    units = {
        i: (int(b), int(g)) for i, (b, g) in enumerate(zip(boys, girls, strict=True))
    }
    scalar = funnel_analysis(units)
    assert scalar.units[-1].zone_multiplicative is FunnelZone.WITHIN


_SIGNED = {
    FunnelZone.ABOVE_998: 2,
    FunnelZone.ABOVE_95: 1,
    FunnelZone.WITHIN: 0,
    FunnelZone.NO_BIRTHS: 0,
    FunnelZone.BELOW_95: -1,
    FunnelZone.BELOW_998: -2,
}


@given(
    st.lists(
        st.tuples(st.integers(0, 80), st.integers(0, 80)), min_size=3, max_size=40
    ),
    st.floats(0.0, 0.08),
    st.integers(0, 2**32 - 1),
)
def test_adjusted_zones_never_go_beyond_the_exact_zone(
    sizes: list[tuple[int, int]], spread: float, seed: int
) -> None:
    from srbgov.stats import funnel_arrays

    rng = np.random.default_rng(seed)
    n = np.array([a + b for a, b in sizes])
    p = np.clip(rng.normal(0.515, spread, n.size), 0.01, 0.99)
    boys = rng.binomial(n, p)
    arrays = funnel_arrays(boys, n - boys)
    for adjusted_zones in (arrays.zone_multiplicative, arrays.zone_additive):
        for exact, adjusted in zip(arrays.zone, adjusted_zones, strict=True):
            e, a = _SIGNED[exact], _SIGNED[adjusted]
            assert a == 0 or (a * e > 0 and abs(a) <= abs(e))
