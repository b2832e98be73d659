from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from srbgov.stats import SrbClass, classify_srb


def test_a_high_ratio_in_a_small_unit_is_not_enough() -> None:
    # SRB 150 on 50 births: P(X >= 30 | 50, 107/207) = 0.11 > 0.05.
    assert classify_srb(30, 20).category is SrbClass.NORMAL


def test_significantly_above_107_is_high() -> None:
    result = classify_srb(600, 400)  # SRB 150 on 1,000 births
    assert result.category is SrbClass.HIGH
    assert result.p_high is not None and result.p_high < 1e-6


def test_significantly_low_is_a_data_quality_signal() -> None:
    result = classify_srb(400, 500)  # SRB 80: boys missing from the register
    assert result.category is SrbClass.LOW_DATA_QUALITY
    assert result.p_low is not None and result.p_low < 0.05


def test_thresholds_are_parameters() -> None:
    # SRB 92 on 2,000 births (p = .479): z = -2.5 against 103 (p0 = .5074),
    # z = -0.7 against 95 (p0 = .4872).
    assert classify_srb(958, 1042).category is SrbClass.LOW_DATA_QUALITY
    relaxed = classify_srb(958, 1042, low_threshold_srb=95.0)
    assert relaxed.category is SrbClass.NORMAL


def test_no_births() -> None:
    result = classify_srb(0, 0)
    assert result.category is SrbClass.NO_BIRTHS and result.p_high is None


@given(st.integers(0, 3000), st.integers(0, 3000))
def test_more_boys_never_moves_a_unit_down(boys: int, girls: int) -> None:
    order = [SrbClass.LOW_DATA_QUALITY, SrbClass.NORMAL, SrbClass.HIGH]
    before, after = classify_srb(boys, girls), classify_srb(boys + 1, girls)
    if before.category is SrbClass.NO_BIRTHS:
        return
    assert order.index(after.category) >= order.index(before.category)
