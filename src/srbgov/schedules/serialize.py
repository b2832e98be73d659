"""The JSON form of a ``SchedulePolicy`` (what the Django side stores per area).

``policy_to_dict`` and ``policy_from_dict`` round-trip exactly. ``policy_from_dict``
accepts whatever ``json.loads`` produced and raises ``PolicyError`` with a machine
``code`` and the ``path`` of the offending field; unknown and missing fields are errors
so that a typo in an edited policy never silently drops a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypedDict, TypeVar

from .policy import (
    ANCHORS,
    Anchor,
    PolicyError,
    PostpartumRule,
    PregnancyRule,
    PrePregnancyRule,
    SchedulePolicy,
)

FORMAT = 1
_T = TypeVar("_T")


class PrePregnancyDict(TypedDict):
    per_month: int


class PregnancyRuleDict(TypedDict):
    key: str
    first_day: int
    last_day: int | None
    required: int
    period_days: int | None


class PostpartumRuleDict(TypedDict):
    key: str
    anchor: Anchor
    first_day: int
    last_day: int
    required: int


class PolicyDict(TypedDict):
    format: int
    key: str
    name: str
    source: str
    pre_pregnancy: PrePregnancyDict | None
    pregnancy: list[PregnancyRuleDict]
    postpartum: list[PostpartumRuleDict]


def policy_to_dict(policy: SchedulePolicy) -> PolicyDict:
    """The JSON-ready dict of ``policy`` (plain ints, strings, lists, None)."""
    pre = policy.pre_pregnancy
    return {
        "format": FORMAT,
        "key": policy.key,
        "name": policy.name,
        "source": policy.source,
        "pre_pregnancy": None if pre is None else {"per_month": pre.per_month},
        "pregnancy": [
            {
                "key": r.key,
                "first_day": r.first_day,
                "last_day": r.last_day,
                "required": r.required,
                "period_days": r.period_days,
            }
            for r in policy.pregnancy
        ],
        "postpartum": [
            {
                "key": r.key,
                "anchor": r.anchor,
                "first_day": r.first_day,
                "last_day": r.last_day,
                "required": r.required,
            }
            for r in policy.postpartum
        ],
    }


def policy_from_dict(data: object) -> SchedulePolicy:
    """Parse and validate the dict form; raise ``PolicyError`` if it is malformed."""
    d = _mapping(data, "", PolicyDict.__required_keys__)
    if _int(d["format"], "format") != FORMAT:
        raise PolicyError("unknown_format", f"format must be {FORMAT}", path="format")
    raw_pre = d["pre_pregnancy"]
    pre: PrePregnancyRule | None = None
    if raw_pre is not None:
        p = _mapping(raw_pre, "pre_pregnancy", PrePregnancyDict.__required_keys__)
        pre = _build(
            "pre_pregnancy",
            lambda: PrePregnancyRule(per_month=_int(p["per_month"], "per_month")),
        )
    pregnancy = tuple(
        _pregnancy_rule(item, f"pregnancy[{i}]")
        for i, item in enumerate(_list(d["pregnancy"], "pregnancy"))
    )
    postpartum = tuple(
        _postpartum_rule(item, f"postpartum[{i}]")
        for i, item in enumerate(_list(d["postpartum"], "postpartum"))
    )
    return _build(
        "",
        lambda: SchedulePolicy(
            key=_str(d["key"], "key"),
            name=_str(d["name"], "name"),
            source=_str(d["source"], "source"),
            pre_pregnancy=pre,
            pregnancy=pregnancy,
            postpartum=postpartum,
        ),
    )


def _pregnancy_rule(item: object, path: str) -> PregnancyRule:
    r = _mapping(item, path, PregnancyRuleDict.__required_keys__)
    return _build(
        path,
        lambda: PregnancyRule(
            key=_str(r["key"], "key"),
            first_day=_int(r["first_day"], "first_day"),
            last_day=_opt_int(r["last_day"], "last_day"),
            required=_int(r["required"], "required"),
            period_days=_opt_int(r["period_days"], "period_days"),
        ),
    )


def _postpartum_rule(item: object, path: str) -> PostpartumRule:
    r = _mapping(item, path, PostpartumRuleDict.__required_keys__)
    anchor = r["anchor"]
    if anchor not in ANCHORS:
        raise PolicyError(
            "bad_anchor", f"anchor must be one of {ANCHORS}", path=f"{path}.anchor"
        )
    checked: Anchor = "outcome" if anchor == "outcome" else "discharge"
    return _build(
        path,
        lambda: PostpartumRule(
            key=_str(r["key"], "key"),
            anchor=checked,
            first_day=_int(r["first_day"], "first_day"),
            last_day=_int(r["last_day"], "last_day"),
            required=_int(r["required"], "required"),
        ),
    )


def _build(path: str, make: Callable[[], _T]) -> _T:
    """Call ``make`` and prefix the path of any ``PolicyError`` it raises."""
    try:
        return make()
    except PolicyError as error:
        inner = error.path
        full = f"{path}.{inner}" if path and inner else path or inner
        message = str(error).removeprefix(f"{inner}: ") if inner else str(error)
        raise PolicyError(error.code, message, path=full) from None


def _mapping(value: object, path: str, fields: frozenset[str]) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise PolicyError("wrong_type", "must be an object", path=path)
    keys = set(value)
    missing = sorted(fields - keys)
    if missing:
        raise PolicyError("missing_field", "is missing", path=_join(path, missing[0]))
    unknown = sorted(str(k) for k in keys - fields)
    if unknown:
        raise PolicyError(
            "unexpected_field", "is not a known field", path=_join(path, unknown[0])
        )
    return {str(k): v for k, v in value.items()}


def _list(value: object, path: str) -> list[object]:
    if not isinstance(value, list | tuple):
        raise PolicyError("wrong_type", "must be a list", path=path)
    return list(value)


def _int(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PolicyError("wrong_type", "must be an integer", path=path)
    return value


def _opt_int(value: object, path: str) -> int | None:
    return None if value is None else _int(value, path)


def _str(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise PolicyError("wrong_type", "must be text", path=path)
    return value


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
