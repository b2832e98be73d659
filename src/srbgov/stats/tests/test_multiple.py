"""Benjamini-Hochberg with Tarone's screen (srbgov.stats.multiple)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from srbgov.stats import bh_adjust, family_test, srb_verdicts, tarone_count


def test_bh_adjusted_values_hand_worked() -> None:
    # Benjamini & Hochberg 1995: sorted p 0.01, 0.02, 0.03, 0.5 with m = 4 give
    # 4p/i = 0.04, 0.04, 0.04, 0.5 (monotone from the top).
    p = np.array([0.03, 0.5, 0.01, 0.02])
    assert bh_adjust(p).tolist() == pytest.approx([0.04, 0.5, 0.04, 0.04])
    assert np.isnan(bh_adjust(np.array([np.nan, 0.2]))[0])


@settings(deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=30), st.floats(0.01, 0.2))
def test_bh_rejects_exactly_the_step_up_set(p: list[float], q: float) -> None:
    arr = np.array(p)
    m = arr.size
    ranked = np.sort(arr)
    # A p exactly on the line q i / m is decided by rounding (p m / i can come out one
    # ulp above q); hypothesis found p = q at i = m = 3. Away from the line the rule is exact.
    assume(all(abs(ranked[i] - q * (i + 1) / m) > 1e-12 for i in range(m)))
    ok = [i for i in range(m) if ranked[i] <= q * (i + 1) / m]
    cut = ranked[max(ok)] if ok else -1.0
    expected = arr <= cut
    flags = family_test(arr, np.zeros(m), q=q).flagged
    assert flags.tolist() == expected.tolist()


def test_tarone_leaves_out_units_that_can_never_be_flagged() -> None:
    # Smallest attainable p: 0.5, 0.3 (never <= 0.025) and 1e-6, 1e-6.
    assert tarone_count(np.array([0.5, 0.3, 1e-6, 1e-6]), 0.025) == 2
    assert tarone_count(np.array([0.5]), 0.025) == 0
    test = family_test(
        np.array([0.5, 0.3, 0.01, 0.2]), np.array([0.5, 0.3, 1e-6, 1e-6]), q=0.025
    )
    assert test.tested.tolist() == [False, False, True, True]
    assert test.single_alpha[2] == pytest.approx(0.0125)
    assert test.flagged.tolist() == [False, False, True, False]


def test_families_are_tested_separately() -> None:
    p = np.array([0.02, 0.02, 0.02])
    together = family_test(p, np.zeros(3), q=0.025)
    apart = family_test(p, np.zeros(3), q=0.025, families=["a", "b", "c"])
    assert together.flagged.all() and apart.flagged.all()
    alone = family_test(np.array([0.02, 0.9]), np.zeros(2), q=0.025)
    assert not alone.flagged.any()  # 0.02 > 0.025 * 1 / 2


def test_verdicts_say_too_few_with_the_births_needed() -> None:
    v = srb_verdicts([3, 40, 0], [0, 10, 0], families=["x", "x", "x"])
    # 3 births: even all boys has P = 0.517^3 = 0.138 > 0.025.
    assert v.too_few.tolist() == [True, False, False]
    assert int(v.births_needed[0]) >= 6
    assert not np.isnan(v.needed_srb[1]) and np.isnan(v.needed_srb[0])
    assert v.flagged_high.tolist() == [False, True, False]
