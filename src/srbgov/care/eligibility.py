"""Who is a care household and who qualifies for a programme: pure rules, no Django.

The household categories come from the registry's children (docs/care.md §1): living
children all daughters (one or two), or a special family (an only child who died, or
an only child with a severe disability confirmed by the village worker). A programme's
rule (docs/care.md §2) is data: the household categories it serves, the age a parent
must have reached (either parent, or the mother), the residence it requires, whether
the family must live in the village, and the dates it runs. Every answer carries its
reasons in words, because the village worker explains them to the family.

Labels are Chinese here on purpose: they are stored as the household's reason and
printed on the notice; the view layer translates nothing of what the registry says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

ONE_DAUGHTER = "one_daughter"
TWO_DAUGHTERS = "two_daughters"
BEREAVED = "bereaved"
DISABLED = "disabled"
KINDS = (ONE_DAUGHTER, TWO_DAUGHTERS, BEREAVED, DISABLED)

MOTHER = "mother"  # the mother's age decides; both parents are paid
EITHER = "either"  # each parent who reached the age is paid


@dataclass(frozen=True)
class ChildFact:
    sex: str  # "F" or "M", as people.Sex stores it
    is_alive: bool
    birth_on: date


@dataclass(frozen=True)
class Category:
    kind: str  # one of KINDS, or "" when the household is not a care household
    reason: str
    living_daughters: int
    living_sons: int
    children_died: int


def categorise(children: Sequence[ChildFact], *, only_child_disabled: bool) -> Category:
    """The household's category from its children.

    - no child at all: not a care household;
    - exactly one child ever, who died: 独生子女死亡 (special family);
    - exactly one child ever, alive, disability confirmed: 独生子女伤残 (special family);
    - living children one or two, all daughters, no living son: 独女户 / 双女户;
    - anything else (a living son, three daughters or more, no living child after
      several births): not a care household.
    """
    daughters = sum(1 for c in children if c.is_alive and c.sex == "F")
    sons = sum(1 for c in children if c.is_alive and c.sex != "F")
    died = sum(1 for c in children if not c.is_alive)

    def category(kind: str, reason: str) -> Category:
        return Category(kind, reason, daughters, sons, died)

    if not children:
        return category("", "登记中没有子女")
    if len(children) == 1 and died == 1:
        return category(BEREAVED, "只生育一个子女，该子女已死亡，现无存活子女")
    if len(children) == 1 and only_child_disabled:
        return category(DISABLED, "只生育一个子女，该子女经确认为重度残疾（三级以上）")
    if sons:
        return category("", f"现有存活儿子{sons}人")
    if daughters == 1:
        return category(ONE_DAUGHTER, "现有存活子女1人，为女孩（独女户）")
    if daughters == 2:
        return category(TWO_DAUGHTERS, "现有存活子女2人，均为女孩（双女户）")
    if daughters == 0:
        return category("", "现无存活子女，且曾生育不止一个子女")
    return category("", f"现有存活女儿{daughters}人，超出独女、双女户范围")


@dataclass(frozen=True)
class Household:
    kind: str
    mother_birth_on: date | None
    father_birth_on: date | None
    residence: str  # "rural", "urban" or "" (not yet confirmed)
    lives_in_village: bool | None  # None: not yet confirmed by the village worker


@dataclass(frozen=True)
class Rule:
    kinds: frozenset[str]
    min_age: int | None  # None: no age condition
    age_of: str  # MOTHER or EITHER
    residence: str  # "" = any
    must_live_in_village: bool
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class Decision:
    qualifies: bool
    reasons: tuple[str, ...]  # why, or why not: one sentence per condition
    missing: tuple[str, ...]  # the conditions not met (a subset of reasons)
    persons: int  # how many parents the amount is paid for
    turns_age_on: date | None  # the next date a parent reaches the age, if not yet


def birthday(born_on: date, age: int) -> date:
    """The day a person born on `born_on` turns `age` (29 February → 1 March)."""
    try:
        return born_on.replace(year=born_on.year + age)
    except ValueError:
        return date(born_on.year + age, 3, 1)


def age_on(born_on: date, on: date) -> int:
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))


def _parents(household: Household, rule: Rule) -> list[date | None]:
    if rule.age_of == MOTHER:
        return [household.mother_birth_on]
    return [household.mother_birth_on, household.father_birth_on]


def evaluate(rule: Rule, household: Household, *, on: date) -> Decision:
    """Whether the household qualifies on `on`, the reasons, how many parents count,
    and when the next parent reaches the age. Conditions are all checked (not
    stopping at the first failure), so the worker sees everything still missing."""
    reasons: list[str] = []
    missing: list[str] = []

    def fail(why: str) -> None:
        reasons.append(why)
        missing.append(why)

    if household.kind in rule.kinds:
        reasons.append("家庭类别符合")
    else:
        fail("家庭类别不符合")
    if on < rule.starts_on or (rule.ends_on is not None and on > rule.ends_on):
        fail("不在项目执行期内")
    if rule.residence:
        if not household.residence:
            fail("户籍性质待村专干确认")
        elif household.residence != rule.residence:
            fail("户籍性质不符合")
        else:
            reasons.append("户籍性质符合")
    if rule.must_live_in_village:
        if household.lives_in_village is None:
            fail("是否在村居住待确认")
        elif not household.lives_in_village:
            fail("已不在本村居住")
    persons = 1
    turns: date | None = None
    if rule.min_age is not None:
        births = [b for b in _parents(household, rule) if b is not None]
        reached = [b for b in births if age_on(b, on) >= rule.min_age]
        persons = len(reached)
        if rule.age_of == MOTHER and reached and household.father_birth_on:
            # 特别扶助: once the woman is 49 both spouses receive it (docs/care.md §2).
            persons = 2
        upcoming = [birthday(b, rule.min_age) for b in births if b not in reached]
        turns = min(upcoming) if upcoming else None
        if not births:
            fail("父母出生日期待确认")
        elif reached:
            who = "母亲" if rule.age_of == MOTHER else f"{len(reached)}人"
            reasons.append(f"已年满{rule.min_age}周岁（{who}）")
        else:
            fail(f"未满{rule.min_age}周岁")
    ok = not missing
    return Decision(ok, tuple(reasons), tuple(missing), persons if ok else 0, turns)


def about_to_qualify(rule: Rule, household: Household, *, on: date) -> date | None:
    """The day in the next calendar year a parent reaches the age, if that is the
    only thing missing today (the list of those about to qualify)."""
    decision = evaluate(rule, household, on=on)
    if decision.turns_age_on is None or decision.turns_age_on.year != on.year + 1:
        return None
    later = evaluate(rule, household, on=decision.turns_age_on)
    return decision.turns_age_on if later.qualifies and not decision.qualifies else None
