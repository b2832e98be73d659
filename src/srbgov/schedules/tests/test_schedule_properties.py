"""Properties of ``compute_schedule`` and of the policy dict form (hypothesis).

Schedules are drawn for both built-in policies and for random valid policies, with
random key dates (sometimes missing) and random visits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.schedules import (
    NATIONAL,
    SEED,
    PolicyError,
    PostpartumRule,
    PregnancyRule,
    PrePregnancyRule,
    Schedule,
    SchedulePolicy,
    compute_schedule,
    due_date,
    policy_from_dict,
    policy_to_dict,
)


@st.composite
def pregnancy_rules(draw: st.DrawFn) -> tuple[PregnancyRule, ...]:
    rules: list[PregnancyRule] = []
    day = draw(st.integers(0, 30))
    for index in range(draw(st.integers(0, 4))):
        day += draw(st.integers(0, 20))
        required = draw(st.integers(0, 5))
        period = draw(st.sampled_from([None, 7, 14, 28]))
        if period is None:
            last = day + draw(st.integers(0, 60))
            if last > 366:
                break
            rules.append(PregnancyRule(f"r{index}", day, last, required))
        else:
            day = -(-day // period) * period  # align to the period
            open_end = draw(st.booleans())
            last = day + period * draw(st.integers(1, 4)) - 1
            if last > 366:
                break
            rules.append(
                PregnancyRule(
                    f"p{index}", day, None if open_end else last, required, period
                )
            )
            if open_end:
                break
        day = last + 1
    return tuple(rules)


@st.composite
def postpartum_rules(draw: st.DrawFn) -> tuple[PostpartumRule, ...]:
    rules = []
    for index in range(draw(st.integers(0, 3))):
        first = draw(st.integers(1, 60))
        rules.append(
            PostpartumRule(
                key=f"pp{index}",
                anchor=draw(st.sampled_from(["outcome", "discharge"])),
                first_day=first,
                last_day=first + draw(st.integers(0, 30)),
                required=draw(st.integers(0, 3)),
            )
        )
    return tuple(rules)


random_policies = st.builds(
    SchedulePolicy,
    key=st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
    name=st.text(min_size=1, max_size=40).filter(str.strip),
    source=st.text(max_size=40),
    pre_pregnancy=st.none() | st.builds(PrePregnancyRule, st.integers(1, 5)),
    pregnancy=pregnancy_rules(),
    postpartum=postpartum_rules(),
)
policies = st.sampled_from([SEED, NATIONAL]) | random_policies


@dataclass(frozen=True)
class Case:
    lmp_on: date | None
    certificate_on: date | None
    outcome_on: date | None
    discharge_on: date | None
    on: date
    visits: list[date]

    def compute(self, policy: SchedulePolicy, visits: list[date]) -> Schedule:
        return compute_schedule(
            policy,
            lmp_on=self.lmp_on,
            certificate_on=self.certificate_on,
            outcome_on=self.outcome_on,
            discharge_on=self.discharge_on,
            visits=visits,
            on=self.on,
        )


def _days(low: int, high: int) -> st.SearchStrategy[timedelta]:
    return st.integers(low, high).map(lambda n: timedelta(days=n))


@st.composite
def cases(draw: st.DrawFn) -> Case:
    base = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    pregnant = draw(st.booleans())
    lmp = base if pregnant else None
    certificate = draw(st.none() | _days(-400, 30).map(lambda d: base + d))
    outcome = discharge = None
    if pregnant and draw(st.booleans()):
        outcome = base + draw(_days(0, 330))
        if draw(st.booleans()):
            discharge = outcome + draw(_days(0, 60))
    on = base + draw(_days(-100, 500))
    visits = draw(st.lists(_days(-450, 600).map(lambda d: base + d), max_size=40))
    return Case(lmp, certificate, outcome, discharge, on, visits)


@given(policies, cases())
def test_windows_tile_their_span_and_have_unique_keys(
    policy: SchedulePolicy, case: Case
) -> None:
    windows = case.compute(policy, case.visits).windows
    for window in windows:
        assert window.start_on <= window.end_on
    for previous, following in pairwise(windows):
        assert following.start_on == previous.end_on + timedelta(days=1)
    assert len({w.key for w in windows}) == len(windows)


@given(st.sampled_from([SEED, NATIONAL]), cases())
def test_builtin_windows_start_at_certificate_or_lmp(
    policy: SchedulePolicy, case: Case
) -> None:
    windows = case.compute(policy, case.visits).windows
    if case.lmp_on is None or not windows:
        return
    first = windows[0].start_on
    if (
        policy.pre_pregnancy
        and case.certificate_on
        and case.certificate_on < case.lmp_on
    ):
        assert first == case.certificate_on
    else:
        assert first == case.lmp_on
    if policy is SEED:
        # The open-ended last rule runs to the outcome, or through `on` and the
        # due date.
        end = case.outcome_on or max(case.on, due_date(case.lmp_on) - timedelta(1))
        assert windows[-1].start_on <= end <= windows[-1].end_on
        if case.outcome_on:
            assert windows[-1].end_on == case.outcome_on


@given(policies, cases(), st.data())
def test_counts_are_consistent(
    policy: SchedulePolicy, case: Case, data: st.DataObject
) -> None:
    schedule = case.compute(policy, case.visits)
    for window in schedule.windows:
        assert window.done >= 0
        assert 0 <= window.due <= window.required
        assert window.due == max(window.required - window.done, 0)
        state = (
            "past"
            if window.end_on < case.on
            else "future"
            if window.start_on > case.on
            else "current"
        )
        assert window.state == state
        assert window.is_overdue == (state == "past" and window.due > 0)
    windows = schedule.windows
    inside = [
        v
        for v in case.visits
        if windows and windows[0].start_on <= v <= windows[-1].end_on
    ]
    assert schedule.total_done == len(inside)
    assert schedule.total_due == sum(w.due for w in windows)
    pending = [w for w in windows if w.due > 0 and w.state != "future"]
    assert schedule.next_due_on == (pending[0].end_on if pending else None)
    shuffled = data.draw(st.permutations(case.visits))
    assert case.compute(policy, shuffled) == schedule


@given(policies, cases(), st.data())
def test_one_more_visit_never_increases_what_is_due(
    policy: SchedulePolicy, case: Case, data: st.DataObject
) -> None:
    before = case.compute(policy, case.visits)
    extra = data.draw(st.dates(date(2018, 1, 1), date(2033, 12, 31)))
    after = case.compute(policy, [*case.visits, extra])
    assert [(w.key, w.start_on, w.end_on, w.required) for w in after.windows] == [
        (w.key, w.start_on, w.end_on, w.required) for w in before.windows
    ]
    assert after.total_due <= before.total_due
    for old, new in zip(before.windows, after.windows, strict=True):
        assert new.due <= old.due
        assert old.done <= new.done <= old.done + 1


@given(policies)
def test_policy_dict_round_trips_through_json(policy: SchedulePolicy) -> None:
    data = json.loads(json.dumps(policy_to_dict(policy)))
    assert policy_from_dict(data) == policy
    assert policy_to_dict(policy_from_dict(data)) == data


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 400)
    | st.floats()
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def mutated_dicts(draw: st.DrawFn) -> object:
    """A valid dict with one field removed, added, or replaced by junk."""
    data = json.loads(json.dumps(policy_to_dict(draw(policies))))
    holders: list[dict[str, object]] = [data]
    holders += [r for r in data["pregnancy"] + data["postpartum"]]
    if data["pre_pregnancy"] is not None:
        holders.append(data["pre_pregnancy"])
    holder = draw(st.sampled_from(holders))
    field = draw(st.sampled_from(sorted(holder)))
    action = draw(st.sampled_from(["drop", "add", "junk"]))
    if action == "drop":
        del holder[field]
    elif action == "add":
        holder[field + "_x"] = draw(json_values)
    else:
        junk: list[object] = [-1, 10_000, 1.5, True, None, {}]
        if field not in ("name", "source"):  # any text is a valid name or source
            junk += ["", "x y"]
        if field not in ("pregnancy", "postpartum"):  # no rules at all is valid
            junk.append([])
        if field in ("last_day", "period_days", "pre_pregnancy"):
            junk.remove(None)  # an open end, a single window, no such rule
        holder[field] = draw(st.sampled_from(junk))
    return data


@settings(max_examples=300)
@given(mutated_dicts())
def test_malformed_policy_dicts_are_rejected(data: object) -> None:
    try:
        policy_from_dict(data)
    except PolicyError as error:
        assert error.code
    else:
        raise AssertionError(f"accepted {data!r}")


@given(json_values)
def test_arbitrary_json_raises_only_policy_error(data: object) -> None:
    try:
        policy = policy_from_dict(data)
    except PolicyError:
        return
    assert policy_to_dict(policy) == data
