"""Visit schedules for pregnancy follow-up: policies as data, one pure function.

Pure package (docs/conventions.md §2): standard library only, no Django, no other srbgov app; a
test parses every module to keep it so. The Django side stores policies as JSON with
``policy_to_dict``/``policy_from_dict``, feeds ``compute_schedule`` plain dates and
adds the labels. Rules and their sources: docs/design.md §5, 湫坡头镇 plan §四(二)3, and the
national basic public health service's maternal health management standard.
"""

from __future__ import annotations

from .compute import Schedule, Window, WindowKind, WindowState, compute_schedule
from .gestation import due_date, gestational_day, gestational_month, gestational_week
from .policy import (
    BUILTIN_POLICIES,
    NATIONAL,
    SEED,
    PolicyError,
    PostpartumRule,
    PregnancyRule,
    PrePregnancyRule,
    SchedulePolicy,
)
from .serialize import PolicyDict, policy_from_dict, policy_to_dict

__all__ = [
    "BUILTIN_POLICIES",
    "NATIONAL",
    "SEED",
    "PolicyDict",
    "PolicyError",
    "PostpartumRule",
    "PrePregnancyRule",
    "PregnancyRule",
    "Schedule",
    "SchedulePolicy",
    "Window",
    "WindowKind",
    "WindowState",
    "compute_schedule",
    "due_date",
    "gestational_day",
    "gestational_month",
    "gestational_week",
    "policy_from_dict",
    "policy_to_dict",
]
