"""The pure rules of care households and programmes (docs/care.md §1–2)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from srbgov.care import eligibility as el

children = st.lists(
    st.builds(
        el.ChildFact,
        sex=st.sampled_from(["F", "M"]),
        is_alive=st.booleans(),
        birth_on=st.dates(date(1980, 1, 1), date(2026, 1, 1)),
    ),
    max_size=5,
)

REWARD = el.Rule(
    kinds=frozenset({el.ONE_DAUGHTER, el.TWO_DAUGHTERS, el.BEREAVED}),
    min_age=60,
    age_of=el.EITHER,
    residence="rural",
    must_live_in_village=False,
    starts_on=date(2004, 1, 1),
    ends_on=None,
)


def household(mother: date, father: date | None = None) -> el.Household:
    return el.Household(el.TWO_DAUGHTERS, mother, father, "rural", True)


def girl(alive: bool = True) -> el.ChildFact:
    return el.ChildFact("F", alive, date(1990, 1, 1))


def test_it_names_the_household_kinds_from_the_children() -> None:
    assert el.categorise([girl()], only_child_disabled=False).kind == el.ONE_DAUGHTER
    two = el.categorise([girl(), girl()], only_child_disabled=False)
    assert (two.kind, two.living_daughters) == (el.TWO_DAUGHTERS, 2)
    assert el.categorise([girl(False)], only_child_disabled=False).kind == el.BEREAVED
    assert el.categorise([girl()], only_child_disabled=True).kind == el.DISABLED
    three = el.categorise([girl(), girl(), girl()], only_child_disabled=False)
    assert three.kind == ""
    assert el.categorise([], only_child_disabled=False).kind == ""


@given(children)
def test_a_living_son_always_ends_a_daughters_household(
    kids: list[el.ChildFact],
) -> None:
    son = el.ChildFact("M", True, date(2026, 1, 1))
    after = el.categorise([*kids, son], only_child_disabled=False)
    assert after.kind == ""
    assert "儿子" in after.reason


@given(children, st.booleans())
def test_counts_add_up_to_the_children(
    kids: list[el.ChildFact], disabled: bool
) -> None:
    c = el.categorise(kids, only_child_disabled=disabled)
    assert c.living_daughters + c.living_sons + c.children_died == len(kids)
    assert c.reason


def test_it_qualifies_on_the_day_a_parent_turns_the_age() -> None:
    h = household(date(1966, 6, 15), date(1968, 2, 1))
    before = el.evaluate(REWARD, h, on=date(2026, 6, 14))
    on_day = el.evaluate(REWARD, h, on=date(2026, 6, 15))
    assert not before.qualifies and "未满60周岁" in before.missing
    assert before.turns_age_on == date(2026, 6, 15)
    assert on_day.qualifies and on_day.persons == 1
    both = el.evaluate(REWARD, h, on=date(2028, 2, 1))
    assert both.persons == 2


def test_it_lists_who_reaches_the_age_next_year() -> None:
    h = household(date(1966, 6, 15))
    assert el.about_to_qualify(REWARD, h, on=date(2025, 3, 1)) == date(2026, 6, 15)
    assert el.about_to_qualify(REWARD, h, on=date(2024, 3, 1)) is None
    urban = el.Household(el.TWO_DAUGHTERS, date(1966, 6, 15), None, "urban", True)
    assert el.about_to_qualify(REWARD, urban, on=date(2025, 3, 1)) is None


def test_a_leap_day_birthday_turns_on_the_first_of_march() -> None:
    assert el.birthday(date(1964, 2, 29), 60) == date(2024, 2, 29)
    assert el.birthday(date(1964, 2, 29), 61) == date(2025, 3, 1)


@given(
    st.dates(date(1940, 1, 1), date(1990, 12, 31)),
    st.dates(date(2004, 1, 1), date(2060, 12, 31)),  # the programme runs from 2004
)
def test_qualifying_never_stops_as_the_parent_gets_older(born: date, on: date) -> None:
    h = household(born)
    today = el.evaluate(REWARD, h, on=on)
    later = el.evaluate(REWARD, h, on=on + timedelta(days=400))
    assert not today.qualifies or later.qualifies
    assert today.qualifies == (not today.missing)
    assert today.qualifies == (el.age_on(born, on) >= 60)
