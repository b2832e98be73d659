"""The JSON form of policies: the built-ins' exact shape and the validation codes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from srbgov.schedules import (
    BUILTIN_POLICIES,
    NATIONAL,
    SEED,
    PolicyError,
    PregnancyRule,
    SchedulePolicy,
    policy_from_dict,
    policy_to_dict,
)


def seed_dict() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(policy_to_dict(SEED)))
    return data


def test_builtins_are_registered_by_key() -> None:
    assert BUILTIN_POLICIES == {
        "seed_qiupotou": SEED,
        "national_basic_public_health": NATIONAL,
    }


def test_seed_dict_shape() -> None:
    data = seed_dict()
    assert data["format"] == 1
    assert data["pre_pregnancy"] == {"per_month": 1}
    assert data["pregnancy"] == [
        {
            "key": "months_1_4",
            "first_day": 0,
            "last_day": 111,
            "required": 2,
            "period_days": None,
        },
        {
            "key": "month",
            "first_day": 112,
            "last_day": 223,
            "required": 3,
            "period_days": 28,
        },
        {
            "key": "month",
            "first_day": 224,
            "last_day": None,
            "required": 4,
            "period_days": 28,
        },
    ]
    assert data["postpartum"] == []


def test_national_dict_shape() -> None:
    data = policy_to_dict(NATIONAL)
    assert data["pre_pregnancy"] is None
    assert [(r["key"], r["first_day"], r["last_day"]) for r in data["pregnancy"]] == [
        ("anc_before_13w", 0, 90),
        ("anc_16_20w", 112, 146),
        ("anc_21_24w", 147, 174),
        ("anc_28_36w", 196, 258),
        ("anc_37_40w", 259, 286),
    ]
    assert data["postpartum"][0] == {
        "key": "postpartum_7d",
        "anchor": "discharge",
        "first_day": 1,
        "last_day": 7,
        "required": 1,
    }


@pytest.mark.parametrize("policy", [SEED, NATIONAL])
def test_builtins_round_trip_through_json(policy: SchedulePolicy) -> None:
    text = json.dumps(policy_to_dict(policy), ensure_ascii=False)
    assert policy_from_dict(json.loads(text)) == policy


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: object) -> None:
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


@pytest.mark.parametrize(
    ("path", "value", "code", "where"),
    [
        (("format",), 2, "unknown_format", "format"),
        (("key",), "Seed Policy", "bad_key", ""),
        (("name",), " ", "missing_field", ""),
        (("name",), 3, "wrong_type", "name"),
        (("pre_pregnancy",), {"per_month": 0}, "out_of_range", "pre_pregnancy"),
        (("pre_pregnancy",), [], "wrong_type", "pre_pregnancy"),
        (("pregnancy",), {}, "wrong_type", "pregnancy"),
        (("pregnancy", 0, "required"), -1, "out_of_range", "pregnancy[0]"),
        (("pregnancy", 0, "required"), True, "wrong_type", "pregnancy[0].required"),
        (("pregnancy", 0, "required"), 2.0, "wrong_type", "pregnancy[0].required"),
        (("pregnancy", 0, "last_day"), None, "open_end_needs_period", "pregnancy[0]"),
        (("pregnancy", 0, "first_day"), 200, "bad_range", "pregnancy[0]"),
        (("pregnancy", 0, "key"), "gap_x", "reserved_key", "pregnancy[0]"),
        (("pregnancy", 0, "key"), "month_2", "duplicate_key", ""),
        (("pregnancy", 1, "first_day"), 84, "overlap", "pregnancy[1]"),
        (("pregnancy", 1, "last_day"), 224, "bad_period", "pregnancy[1]"),
        (("pregnancy", 1, "last_day"), None, "open_end_not_last", "pregnancy[2]"),
        (("pregnancy", 1, "period_days"), 3, "out_of_range", "pregnancy[1]"),
        (("pregnancy", 2, "period_days"), 14, "duplicate_key", ""),
        (("pregnancy", 2, "first_day"), 1000, "out_of_range", "pregnancy[2]"),
        (("postpartum",), [{"key": "pp"}], "missing_field", "postpartum[0].anchor"),
    ],
)
def test_malformed_dicts_are_rejected_with_a_code(
    path: tuple[str | int, ...], value: object, code: str, where: str
) -> None:
    data = seed_dict()
    _set(data, path, value)
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    assert (caught.value.code, caught.value.path) == (code, where)
    assert isinstance(caught.value, ValueError)


def test_missing_and_unknown_fields_are_rejected() -> None:
    data = seed_dict()
    del data["source"]
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    assert (caught.value.code, caught.value.path) == ("missing_field", "source")
    data = seed_dict()
    data["pregnancy"][1]["periodDays"] = 28
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    assert caught.value.code == "unexpected_field"
    assert caught.value.path == "pregnancy[1].periodDays"


def test_bad_anchor_and_non_mapping_are_rejected() -> None:
    data: dict[str, Any] = json.loads(json.dumps(policy_to_dict(NATIONAL)))
    data["postpartum"][0]["anchor"] = "birth"
    with pytest.raises(PolicyError, match="anchor") as caught:
        policy_from_dict(data)
    assert caught.value.code == "bad_anchor"
    values: tuple[object, ...] = (None, [], "{}", 1)
    for value in values:
        with pytest.raises(PolicyError) as caught:
            policy_from_dict(value)
        assert caught.value.code == "wrong_type"


def test_rules_validate_when_built_in_python_too() -> None:
    with pytest.raises(PolicyError) as caught:
        PregnancyRule(key="m", first_day=10, last_day=40, required=1, period_days=28)
    assert caught.value.code == "bad_period"


def test_a_rule_starting_on_the_last_day_of_the_previous_overlaps() -> None:
    data: dict[str, Any] = json.loads(json.dumps(policy_to_dict(NATIONAL)))
    data["pregnancy"][2]["first_day"] = 146  # anc_16_20w ends on day 146
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    assert (caught.value.code, caught.value.path) == ("overlap", "pregnancy[2]")
    data["pregnancy"][2]["first_day"] = 147
    assert policy_from_dict(data) == NATIONAL
