"""The pure scoring rules: never round up to 100 %, few cases say so, ranks (docs/assessment.md)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from srbgov.assessment.scoring import (
    MIN_CASES,
    Rule,
    Total,
    Unit,
    evaluate,
    evaluate_srb,
    floor_percent,
    floor_tenth,
    ranks,
    total,
)

cases = st.integers(min_value=1, max_value=100_000).flatmap(
    lambda d: st.tuples(st.integers(min_value=0, max_value=d), st.just(d))
)


@given(cases)
def test_a_rate_is_never_rounded_up(pair: tuple[int, int]) -> None:
    n, d = pair
    shown = floor_percent(n, d)
    assert Fraction(shown) <= Fraction(n * 100, d) < Fraction(shown) + Fraction(1, 10)
    assert (shown == 100) == (n == d)


@given(cases, st.integers(min_value=0, max_value=100), st.sampled_from(list(Rule)))
def test_met_means_the_exact_fraction_reaches_the_target(
    pair: tuple[int, int], target: int, rule: Rule
) -> None:
    n, d = pair
    figure = evaluate(
        numerator=n,
        denominator=d,
        unit=Unit.RATE,
        target=Decimal(target),
        weight=20,
        rule=rule,
    )
    assert figure.met == (n * 100 >= target * d)
    assert figure.few == (d < MIN_CASES)
    assert Decimal(0) <= figure.score <= 20
    if figure.met:
        assert figure.score == 20
    elif rule is Rule.THRESHOLD:
        assert figure.score == 0


def test_199_of_200_is_not_100_percent_and_misses_a_100_percent_target() -> None:
    figure = evaluate(
        numerator=199,
        denominator=200,
        unit=Unit.RATE,
        target=Decimal(100),
        weight=10,
        rule=Rule.PROPORTIONAL,
    )
    assert figure.value == Decimal("99.5")
    assert figure.met is False
    assert figure.score == Decimal("9.9")


def test_no_cases_does_not_apply_and_leaves_the_weight_out() -> None:
    empty = evaluate(
        numerator=0,
        denominator=0,
        unit=Unit.RATE,
        target=Decimal(85),
        weight=25,
        rule=Rule.THRESHOLD,
    )
    met = evaluate(
        numerator=9,
        denominator=10,
        unit=Unit.RATE,
        target=Decimal(85),
        weight=25,
        rule=Rule.THRESHOLD,
    )
    assert empty.met is None
    result = total([empty, met], vetoed=False)
    assert result.score == 25 and result.possible == 25 and result.percent == 100


def test_a_veto_cancels_the_assessment() -> None:
    met = evaluate(
        numerator=10,
        denominator=10,
        unit=Unit.RATE,
        target=Decimal(85),
        weight=25,
        rule=Rule.THRESHOLD,
    )
    result = total([met], vetoed=True)
    assert result.score == 0 and result.percent is None


def test_the_srb_fails_on_the_county_verdict_not_on_its_own_interval() -> None:
    # 122 boys, 78 girls: the Wilson interval (117.8-207.7) lies above 110, but among
    # a county's villages that is chance; the scorecard passes the county's verdict.
    noisy = evaluate_srb(
        boys=122,
        girls=78,
        srb=156.4,
        lower=117.8,
        upper=207.7,
        above_target=False,
        target=Decimal(110),
        weight=10,
    )
    high = evaluate_srb(
        boys=267,
        girls=133,
        srb=200.8,
        lower=163.1,
        upper=247.5,
        above_target=True,
        target=Decimal(110),
        weight=10,
    )
    assert noisy.met is True and noisy.score == 10
    assert high.met is False and high.score == 0
    assert (noisy.lower, noisy.upper) == (Decimal("117.8"), Decimal("207.7"))


@given(st.lists(st.one_of(st.none(), st.decimals(0, 100, places=1)), max_size=12))
def test_ranks_are_competition_ranks(percents: list[Decimal | None]) -> None:
    result = ranks(percents)
    for p, r in zip(percents, result, strict=True):
        if p is None:
            assert r is None
        else:
            assert r == 1 + sum(1 for q in percents if q is not None and q > p)


@given(
    st.integers(min_value=0, max_value=100_000),
    st.integers(min_value=1, max_value=1000),
    st.sampled_from([0, 1, 2]),
)
def test_the_total_percent_in_integers_is_the_exact_fraction_rounded_down(
    units: int, possible: int, decimals: int
) -> None:
    score = Decimal(units).scaleb(-decimals)
    percent = Total(score=score, possible=possible, vetoed=False).percent
    assert percent == floor_tenth(Fraction(score) * 100 / possible)
    assert percent is not None and percent.as_tuple().exponent == -1
