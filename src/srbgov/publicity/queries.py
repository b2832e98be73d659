"""Counts of publicity and training, as typed functions for pages and for the
assessment indicators (docs/care.md §4: the indicator registry registers these)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Sum

from srbgov.areas.models import Area, AreaLevel
from srbgov.publicity.models import Activity, ActivityKind, PublicityPlan


@dataclass(frozen=True)
class ActivityCount:
    kind: str
    activities: int
    items: int
    participants: int


def activity_counts(
    *, area: Area, start: date, end: date, kinds: Iterable[str] | None = None
) -> dict[str, ActivityCount]:
    """Activities held in `area`'s subtree from `start` to `end` (both included), by
    kind: how many, items (banners, leaflets …) and participants. Every kind is in
    the answer, with zeros where nothing was held. One query."""
    wanted = list(kinds) if kinds is not None else list(ActivityKind.values)
    rows = (
        Activity.objects.in_area(area)
        .filter(held_on__gte=start, held_on__lte=end, kind__in=wanted)
        .values("kind")
        .annotate(n=Count("id"), items=Sum("items"), people=Sum("participants"))
    )
    found = {
        r["kind"]: ActivityCount(r["kind"], r["n"], r["items"] or 0, r["people"] or 0)
        for r in rows
    }
    return {k: found.get(k, ActivityCount(k, 0, 0, 0)) for k in wanted}


def activity_total(
    *, area: Area, start: date, end: date, kind: str | None = None
) -> int:
    """The number of activities (of one kind, or all) in the area and period: the
    figure an assessment indicator counts."""
    counts = activity_counts(
        area=area, start=start, end=end, kinds=[kind] if kind else None
    )
    return sum(c.activities for c in counts.values())


@dataclass(frozen=True)
class PlanProgress:
    township: str
    plan: str
    kind: str
    target: int
    done: int

    @property
    def met(self) -> bool:
        return self.done >= self.target


def plan_progress(*, area: Area, year: int) -> list[PlanProgress]:
    """Each plan of the area's townships (and the area itself) for the year against
    the activities held in its township that year: activities attached to the plan
    or not, since a village's banner counts for its township's plan either way."""
    plans = PublicityPlan.objects.in_area(area).filter(year=year).select_related("area")
    rows: list[PlanProgress] = []
    for plan in plans:
        counts = activity_counts(
            area=plan.area, start=date(year, 1, 1), end=date(year, 12, 31)
        )
        for kind, target in sorted(plan.targets.items()):
            rows.append(
                PlanProgress(
                    plan.area.name,
                    plan.name,
                    kind,
                    int(target),
                    counts[kind].activities if kind in counts else 0,
                )
            )
    return rows


def townships(area: Area) -> list[Area]:
    return list(Area.objects.in_area(area).filter(level=AreaLevel.TOWNSHIP))
