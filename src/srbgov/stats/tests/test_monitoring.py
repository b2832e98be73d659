from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from srbgov.stats import DEFAULT_CUSUM_H, bernoulli_cusum, cusum_arl, cusum_weights


def test_cusum_hand_worked() -> None:
    # p0 = 0.5 (SRB 100), p1 = 0.6 (SRB 150): boy w = ln 1.2 = 0.18232,
    # girl w = ln 0.8 = -0.22314. Births B B G B B B, h = 0.5:
    # S = 0.18232, 0.36464, 0.14150, 0.32382, 0.50614 (>= h: signal at t = 4,
    # reset), then 0.18232.
    result = bernoulli_cusum(
        [1, 1, 0, 1, 1, 1], reference_srb=100.0, alternative_srb=150.0, h=0.5
    )
    assert result.boy_weight == pytest.approx(math.log(1.2))
    assert result.girl_weight == pytest.approx(math.log(0.8))
    expected = [0.18232, 0.36464, 0.14150, 0.32382, 0.50614, 0.18232]
    assert result.path == pytest.approx(expected, abs=1e-5)
    assert result.signals == (4,)


def test_without_reset_the_statistic_keeps_accumulating() -> None:
    result = bernoulli_cusum(
        [1, 1, 0, 1, 1, 1], reference_srb=100.0, alternative_srb=150.0, h=0.5,
        reset=False,
    )  # fmt: skip
    assert result.path[-1] == pytest.approx(0.68846, abs=1e-5)
    assert result.signals == (4, 5)


def test_girls_pull_the_statistic_to_zero_not_below() -> None:
    result = bernoulli_cusum([0] * 10)
    assert result.path == (0.0,) * 10 and result.signals == ()


def test_weights_reject_bad_proportions() -> None:
    with pytest.raises(ValueError):
        cusum_weights(0.0, 100.0)


@given(st.lists(st.booleans(), max_size=400), st.floats(0.05, 5.0), st.booleans())
def test_cusum_statistic_is_never_negative(
    births: list[bool], h: float, reset: bool
) -> None:
    result = bernoulli_cusum(births, h=h, reset=reset)
    assert all(s >= 0.0 for s in result.path)
    assert len(result.path) == len(births)
    assert all(result.path[t] >= h for t in result.signals)


def test_arl_is_geometric_when_one_boy_signals() -> None:
    # h below the boy weight: the first boy signals, so ARL = 1 / p exactly.
    boy_w, _ = cusum_weights(100.0, 150.0)
    arl = cusum_arl(true_srb=120.0, reference_srb=100.0, alternative_srb=150.0,
                    h=boy_w * 0.9)  # fmt: skip
    assert arl == pytest.approx(220 / 120)


def test_arl_matches_simulation() -> None:
    # Monte Carlo check of the Markov-chain ARL (2,000 runs, se about 2 %).
    rng = np.random.default_rng(3)
    p, h = 0.6, 2.0
    boy_w, girl_w = cusum_weights(100.0, 150.0)
    lengths = []
    for _ in range(2000):
        s, t = 0.0, 0
        while s < h:
            t += 1
            s = max(0.0, s + (boy_w if rng.random() < p else girl_w))
        lengths.append(t)
    arl = cusum_arl(true_srb=150.0, reference_srb=100.0, alternative_srb=150.0, h=h)
    assert arl == pytest.approx(float(np.mean(lengths)), rel=0.06)


def test_default_h_gives_the_documented_run_lengths() -> None:
    assert DEFAULT_CUSUM_H == 3.0
    assert cusum_arl(true_srb=106.3) == pytest.approx(22_000, rel=0.05)
    assert cusum_arl(true_srb=115.0) == pytest.approx(2_700, rel=0.05)
