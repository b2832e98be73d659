from __future__ import annotations

import math

import pytest

from srbgov.stats import (
    births_for_power,
    exact_power,
    minimum_detectable_srb,
    upper_p_value,
)


def test_fifty_births_fire_only_near_178() -> None:
    # Issue / docs/design.md §6: "with 50 births an exact one-sided test only fires at an
    # SRB of about 178" against 105. Smallest k with P(X >= k | 50, 105/205) <=
    # 0.05 is k = 32 (p = 0.047; k = 31 gives p > 0.05): SRB 100*32/18 = 177.8.
    d = minimum_detectable_srb(50, reference_srb=105.0)
    assert d.boys == 32
    assert d.srb == pytest.approx(177.8, abs=0.1)
    assert d.p_value is not None and d.p_value <= 0.05
    assert upper_p_value(31, 50, 105.0) > 0.05


def test_too_few_births_can_never_fire() -> None:
    # P(4 boys of 4) = 0.512^4 = 0.069 > 0.05.
    d = minimum_detectable_srb(4, reference_srb=105.0)
    assert d.boys is None and d.srb is None
    five = minimum_detectable_srb(5, reference_srb=105.0)
    assert five.boys == 5 and five.srb == math.inf


def test_detectable_srb_falls_with_births() -> None:
    values = [minimum_detectable_srb(n).srb or math.nan for n in (50, 200, 1000)]
    assert values == sorted(values, reverse=True)
    assert 100 < values[-1] < 120


def test_about_3000_births_to_tell_115_from_105() -> None:
    # docs/design.md §6: 80 % power to tell 115 from 105 "takes about 3,000 births".
    n = births_for_power(true_srb=115.0, reference_srb=105.0)
    assert 2_900 <= n <= 3_100
    assert exact_power(n, true_srb=115.0, reference_srb=105.0) == pytest.approx(
        0.8, abs=0.02
    )
    assert exact_power(500, true_srb=115.0, reference_srb=105.0) < 0.3
