"""What the assessment tells the organisation without the organisation importing it
(docs/conventions.md §2 "Hooks"; the assessment app sits above this one in the layers).

`TARGET_SOURCES`: functions `(party, year) -> [{"key", "name", "target"}]` giving the
year's assessment indicators for a township or village. A responsibility book drafted for
that party copies them as its targets (docs/assessment.md §4).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from srbgov.areas.models import Area


class IndicatorTarget(TypedDict):
    key: str
    name: str
    target: str


TargetSource = Callable[[Area, int], list[IndicatorTarget]]
TARGET_SOURCES: list[TargetSource] = []


def register_target_source(source: TargetSource) -> None:
    """Add a source once (an AppConfig.ready() may run twice)."""
    if source not in TARGET_SOURCES:
        TARGET_SOURCES.append(source)


def indicator_targets(*, party: Area, year: int) -> list[IndicatorTarget]:
    return [target for source in TARGET_SOURCES for target in source(party, year)]
