"""Visit-schedule policies: rules as data, validated on construction.

A policy says how many follow-up visits a woman is owed in each window of time: the
calendar months between the service certificate (生育服务证) and pregnancy, spans of
gestational days counted from the last menstrual period (LMP, day 0), and spans of days
after the pregnancy outcome. The Django side stores a policy as JSON per county or
township (see ``serialize``) and lets the county officer edit it; this module only
knows the rules, never where they are stored.

Every constructor validates and raises ``PolicyError`` (a ``ValueError``) with a machine
``code`` and an English message; the caller translates by ``code``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

#: Days of a gestational "month" (a lunar month of four weeks) used by the seed plan.
GESTATIONAL_MONTH_DAYS = 28
#: Upper bounds that keep an edited policy sane (and a schedule finite and small).
MAX_GESTATIONAL_DAY = 366
MAX_POSTPARTUM_DAY = 366
MAX_REQUIRED = 100
MIN_PERIOD_DAYS = 7

#: Window keys the computation generates itself; rule keys may not start with them.
RESERVED_KEY_PREFIXES = ("gap_", "pre_pregnancy_")

Anchor = Literal["outcome", "discharge"]
ANCHORS: tuple[Anchor, ...] = ("outcome", "discharge")

_KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")


class PolicyError(ValueError):
    """A policy (or its dict form) is malformed.

    ``code`` is a stable machine code (e.g. ``"overlap"``), ``path`` locates the field
    in the dict form (e.g. ``"pregnancy[2].last_day"``); the message is English and
    meant for logs, the caller shows its own translation of ``code``.
    """

    def __init__(self, code: str, message: str, *, path: str = "") -> None:
        self.code = code
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


def check_key(key: object, *, what: str = "key") -> None:
    """Keys are short snake_case ASCII identifiers, stable across releases."""
    if not isinstance(key, str) or _KEY_RE.fullmatch(key) is None:
        raise PolicyError(
            "bad_key", f"{what} must match [a-z][a-z0-9_]{{0,63}}, got {key!r}"
        )


def _check_int(value: object, what: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PolicyError("wrong_type", f"{what} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise PolicyError(
            "out_of_range", f"{what} must be between {low} and {high}, got {value}"
        )


@dataclass(frozen=True)
class PrePregnancyRule:
    """At least ``per_month`` visits in every calendar month from the certificate.

    Source: 湫坡头镇 plan §四(二)3, "从申请二胎夫妇领证之日起到怀孕后，
    服务责任人每月至少走访生育对象一次". The windows run from the certificate
    date to the day before the LMP (or, while no pregnancy is known, through the
    evaluation month). A calendar month only partly covered prorates:
    ceil(per_month x days covered / days in month), which is 1 for the seed's 1 visit
    a month.
    """

    per_month: int

    def __post_init__(self) -> None:
        _check_int(self.per_month, "per_month", 1, MAX_REQUIRED)


@dataclass(frozen=True)
class PregnancyRule:
    """Visits required over gestational days ``first_day``..``last_day`` (inclusive).

    Day 0 is the LMP, the due date is day 280. With ``period_days`` unset the span is
    one window named ``key`` requiring ``required`` visits in total. With
    ``period_days`` set the span is cut into windows of that many days, each requiring
    ``required`` and named ``f"{key}_{n}"`` with n = start day // period_days + 1 (so
    28-day periods give gestational months: ``month_5`` is days 112..139).
    ``last_day=None`` (periodic rules only) runs until the outcome, or while there is
    none, through the evaluation date and the due date.
    """

    key: str
    first_day: int
    last_day: int | None
    required: int
    period_days: int | None = None

    def __post_init__(self) -> None:
        check_key(self.key)
        if self.key.startswith(RESERVED_KEY_PREFIXES):
            raise PolicyError("reserved_key", f"key {self.key!r} is reserved")
        _check_int(self.first_day, "first_day", 0, MAX_GESTATIONAL_DAY)
        _check_int(self.required, "required", 0, MAX_REQUIRED)
        if self.last_day is not None:
            _check_int(self.last_day, "last_day", 0, MAX_GESTATIONAL_DAY)
            if self.last_day < self.first_day:
                raise PolicyError("bad_range", "last_day is before first_day")
        if self.period_days is None:
            if self.last_day is None:
                raise PolicyError(
                    "open_end_needs_period", "an open-ended rule needs period_days"
                )
            return
        _check_int(self.period_days, "period_days", MIN_PERIOD_DAYS, 366)
        if self.first_day % self.period_days:
            raise PolicyError(
                "bad_period", "first_day must be a multiple of period_days"
            )
        if self.last_day is not None and (self.last_day + 1) % self.period_days:
            raise PolicyError(
                "bad_period", "last_day + 1 must be a multiple of period_days"
            )


@dataclass(frozen=True)
class PostpartumRule:
    """Visits required on days ``first_day``..``last_day`` after an anchor date.

    ``anchor`` is ``"outcome"`` (the outcome date) or ``"discharge"`` (the discharge
    date, falling back to the outcome date when none is recorded). Day 1 is the day
    after the anchor; the outcome day itself belongs to the pregnancy windows.
    """

    key: str
    anchor: Anchor
    first_day: int
    last_day: int
    required: int

    def __post_init__(self) -> None:
        check_key(self.key)
        if self.key.startswith(RESERVED_KEY_PREFIXES):
            raise PolicyError("reserved_key", f"key {self.key!r} is reserved")
        if self.anchor not in ANCHORS:
            raise PolicyError(
                "bad_anchor", f"anchor must be one of {ANCHORS}, got {self.anchor!r}"
            )
        _check_int(self.first_day, "first_day", 1, MAX_POSTPARTUM_DAY)
        _check_int(self.last_day, "last_day", 1, MAX_POSTPARTUM_DAY)
        _check_int(self.required, "required", 0, MAX_REQUIRED)
        if self.last_day < self.first_day:
            raise PolicyError("bad_range", "last_day is before first_day")


@dataclass(frozen=True)
class SchedulePolicy:
    """A named set of rules; ``key`` is stable, ``name`` is English (caller labels it).

    Pregnancy rules are ordered by ``first_day`` and do not overlap; only the last may
    be open-ended. Gaps between rules become windows requiring nothing, so a schedule
    always tiles its span. Window keys are unique within any schedule.
    """

    key: str
    name: str
    source: str
    pre_pregnancy: PrePregnancyRule | None
    pregnancy: tuple[PregnancyRule, ...]
    postpartum: tuple[PostpartumRule, ...] = ()

    def __post_init__(self) -> None:
        check_key(self.key)
        for field, text in (("name", self.name), ("source", self.source)):
            if not isinstance(text, str) or len(text) > 500:
                raise PolicyError("wrong_type", f"{field} must be text of <= 500 chars")
        if not self.name.strip():
            raise PolicyError("missing_field", "name must not be blank")
        previous: PregnancyRule | None = None
        for index, rule in enumerate(self.pregnancy):
            path = f"pregnancy[{index}]"
            if previous is not None:
                if previous.last_day is None:
                    raise PolicyError(
                        "open_end_not_last",
                        "only the last rule may be open-ended",
                        path=path,
                    )
                if rule.first_day <= previous.last_day:
                    raise PolicyError(
                        "overlap",
                        "rules must be ordered and must not overlap",
                        path=path,
                    )
            previous = rule
        self._check_keys()

    def _check_keys(self) -> None:
        singles = [r.key for r in self.pregnancy if r.period_days is None]
        singles += [r.key for r in self.postpartum]
        if len(set(singles)) != len(singles):
            raise PolicyError("duplicate_key", "window keys must be unique")
        periods: dict[str, int] = {}
        for rule in self.pregnancy:
            if rule.period_days is None:
                continue
            if periods.setdefault(rule.key, rule.period_days) != rule.period_days:
                raise PolicyError(
                    "duplicate_key",
                    f"periodic rules sharing key {rule.key!r} need one period_days",
                )
        for key in singles:
            if any(key == p or key.startswith(p + "_") for p in periods):
                raise PolicyError(
                    "duplicate_key", f"key {key!r} clashes with a periodic rule's keys"
                )


SEED = SchedulePolicy(
    key="seed_qiupotou",
    name="Qiupotou township plan: monthly follow-up from certificate to delivery",
    source="湫坡头镇 plan §四(二)3",
    pre_pregnancy=PrePregnancyRule(per_month=1),
    pregnancy=(
        # "怀孕后前4个月至少走访两次": months 1-4 (days 0..111, 16 weeks), 2 in total.
        PregnancyRule(key="months_1_4", first_day=0, last_day=111, required=2),
        # "4-8个月每月至少走访3次": after month 4, so months 5..8, 3 each month.
        PregnancyRule(
            key="month", first_day=112, last_day=223, required=3, period_days=28
        ),
        # "临产前每月至少走访4次": month 9 until the outcome, 4 each month; past the
        # due date the months keep running so missing visits stay visible.
        PregnancyRule(
            key="month", first_day=224, last_day=None, required=4, period_days=28
        ),
    ),
)

NATIONAL = SchedulePolicy(
    key="national_basic_public_health",
    name="National basic public health service: maternal health management",
    source="国家基本公共卫生服务规范（第三版）孕产妇健康管理服务规范",
    pre_pregnancy=None,
    pregnancy=(
        # Weeks a-b run from day 7a to day 7(b+1)-1 (a+0 to b+6 weeks).
        PregnancyRule(key="anc_before_13w", first_day=0, last_day=90, required=1),
        PregnancyRule(key="anc_16_20w", first_day=112, last_day=146, required=1),
        PregnancyRule(key="anc_21_24w", first_day=147, last_day=174, required=1),
        PregnancyRule(key="anc_28_36w", first_day=196, last_day=258, required=1),
        PregnancyRule(key="anc_37_40w", first_day=259, last_day=286, required=1),
    ),
    postpartum=(
        # 产后访视: a home visit within 7 days after discharge.
        PostpartumRule(
            key="postpartum_7d", anchor="discharge", first_day=1, last_day=7, required=1
        ),
        # 产后42天健康检查: days 42..56 after the outcome (two weeks of leeway).
        PostpartumRule(
            key="postpartum_42d",
            anchor="outcome",
            first_day=42,
            last_day=56,
            required=1,
        ),
    ),
)

BUILTIN_POLICIES: Mapping[str, SchedulePolicy] = MappingProxyType(
    {p.key: p for p in (SEED, NATIONAL)}
)
