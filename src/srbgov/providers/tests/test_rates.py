"""Properties of the pure rate verdicts (providers.rates, docs/registers.md §3)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.providers.rates import (
    RATE_Q,
    UnitCount,
    county_rate,
    rate_verdicts,
)


@st.composite
def families(draw: st.DrawFn) -> list[UnitCount]:
    units = []
    for key in range(draw(st.integers(min_value=1, max_value=12))):
        exams = draw(st.integers(min_value=0, max_value=300))
        followed = draw(st.integers(min_value=0, max_value=exams))
        units.append(UnitCount(key=key, exams=exams, followed=followed))
    return units


# No per-example deadline: scipy's first call and a shared machine make timings noise.
@settings(deadline=None)
@given(families())
def test_a_flag_is_a_tested_unit_above_chance_whose_q_value_is_within_q(
    units: list[UnitCount],
) -> None:
    chance = county_rate(units)
    for v in rate_verdicts(units, chance_rate=chance):
        assert v.lower <= (v.rate if v.rate is not None else v.lower) <= v.upper
        if v.flagged:
            assert v.tested
            assert v.q_value is not None and v.q_value <= RATE_Q
            assert v.p_value is not None and v.p_value <= v.q_value
            assert v.rate is not None and v.rate > chance
            # Clopper–Pearson is the inverted exact tail: a unit whose tail is at
            # most 2.5 % has the chance rate at or below its 95 % lower bound.
            assert v.lower >= chance - 1e-9


@settings(deadline=None)
@given(families(), st.integers(min_value=0, max_value=11))
def test_one_more_followed_exam_never_lowers_a_units_p_value(
    units: list[UnitCount], index: int
) -> None:
    i = index % len(units)
    unit = units[i]
    if unit.followed == unit.exams:
        return
    chance = county_rate(units)
    if not 0 < chance < 1:
        return
    more = [*units[:i], UnitCount(i, unit.exams, unit.followed + 1), *units[i + 1 :]]
    before = rate_verdicts(units, chance_rate=chance)[i].p_value
    after = rate_verdicts(more, chance_rate=chance)[i].p_value
    assert before is not None and after is not None
    assert after <= before


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=300))
def test_units_at_the_county_rate_are_never_flagged(k: int, exams: int) -> None:
    followed = exams // 5
    units = [UnitCount(key, exams, followed) for key in range(k)]
    verdicts = rate_verdicts(units, chance_rate=county_rate(units))
    assert not any(v.flagged for v in verdicts)


def test_no_termination_in_the_county_tests_nothing() -> None:
    units = [UnitCount(0, 50, 0), UnitCount(1, 10, 0)]
    verdicts = rate_verdicts(units, chance_rate=0.0)
    assert not any(v.tested or v.flagged for v in verdicts)
    assert all(v.p_value is None for v in verdicts)


def test_counts_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError):
        rate_verdicts([UnitCount(0, 3, 4)], chance_rate=0.1)
    with pytest.raises(ValueError):
        rate_verdicts([UnitCount(0, 3, 1)], chance_rate=1.5)
