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


def test_a_family_whose_screen_leaves_no_unit_is_not_tested() -> None:
    # Two units of 6 births: each could reach 0.517^6 = 0.019 <= 0.025 alone, but
    # not q / 2, so Tarone's K = 2 keeps none (this divided by zero: a 500 on the
    # trend table of a village with a few births a year).
    v = srb_verdicts([3, 3], [3, 3])
    assert not v.high.tested.any() and not v.flagged_high.any()
    assert v.too_few.tolist() == [True, True]
    trend = srb_verdicts([7, 7, 7, 3, 3, 0, 1, 4, 4, 5], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    assert trend.births.tolist() == [7, 7, 7, 3, 3, 0, 1, 4, 4, 5]


def test_the_births_needed_are_those_of_the_familys_screen() -> None:
    # 299 villages of 30 births and one of 10: K = 300, so a unit is tested only
    # when all boys would give p <= 0.025 / 300, i.e. at 15 births (0.517^15 =
    # 5.0e-5 <= 8.3e-5 < 0.517^14), not at the 6 births of q alone.
    boys = [15] * 299 + [5]
    girls = [15] * 299 + [5]
    v = srb_verdicts(boys, girls)
    assert bool(v.too_few[-1])
    assert int(v.births_needed[-1]) == 15


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 12), st.sampled_from("ab")),
        min_size=1,
        max_size=12,
    )
)
def test_verdicts_on_small_families_never_fail_and_name_the_screens_births(
    units: list[tuple[int, int, str]],
) -> None:
    boys = [u[0] for u in units]
    girls = [u[1] for u in units]
    v = srb_verdicts(boys, girls, families=[u[2] for u in units])
    p_hi = 107 / 207
    for i, (b, g, _family) in enumerate(units):
        if not v.too_few[i]:
            continue
        need = int(v.births_needed[i])
        level = float(v.high.screen_alpha[i])
        # The fewest births at which all boys passes the family's screen, and more
        # than this unit has.
        assert p_hi**need <= level * (1 + 1e-12) and p_hi ** (need - 1) > level
        assert need > b + g
