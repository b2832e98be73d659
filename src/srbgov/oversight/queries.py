"""Reads shared by the campaign pages and exports: coverage, open rectifications and
the at-least-four-a-year rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from srbgov.accounts.models import User
from srbgov.accounts.roles import is_police
from srbgov.areas.models import Area
from srbgov.oversight.access import cases_for_user
from srbgov.oversight.models import (
    CAMPAIGNS_PER_YEAR,
    Campaign,
    Case,
    CaseTask,
    Department,
    Inspection,
    RectificationStatus,
)
from srbgov.providers.models import Facility, FacilityStatus


def campaign_scope(user: User, campaign: Campaign) -> Area:
    """The narrower of the campaign's area and the user's: a township officer looks at
    the township's share of a county campaign."""
    return user.scope if campaign.area.contains(user.scope) else campaign.area


@dataclass(frozen=True)
class Coverage:
    inspected: int
    facilities: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.inspected / self.facilities if self.facilities else None


def coverage(campaign: Campaign, area: Area) -> Coverage:
    """Facilities inspected at least once in the campaign / facilities open or
    suspended in the area (closed ones are not inspected). Two queries."""
    facilities = Facility.objects.in_area(area).exclude(status=FacilityStatus.CLOSED)
    inspected = (
        Inspection.objects.filter(campaign=campaign, facility__in=facilities)
        .values("facility")
        .distinct()
        .count()
    )
    return Coverage(inspected, facilities.count())


def open_rectifications(inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
    return (
        inspections.filter(rectification=RectificationStatus.OPEN)
        .select_related("facility", "campaign")
        .order_by("rectify_by", "id")
    )


@dataclass(frozen=True)
class YearCount:
    year: int
    campaigns: int

    @property
    def is_short(self) -> bool:
        return self.campaigns < CAMPAIGNS_PER_YEAR


def campaigns_per_year(
    campaigns: QuerySet[Campaign], *, today: date
) -> list[YearCount]:
    """docs/design.md §5: at least four campaigns a year. This year and the two before, from
    the campaigns the user sees (their county's and their own township's)."""
    counts: dict[int, Any] = dict(
        campaigns.filter(deploy_starts_on__year__gte=today.year - 2)
        .values_list("deploy_starts_on__year")
        .annotate(n=Count("id"))
    )
    return [
        YearCount(year, counts.get(year, 0))
        for year in range(today.year, today.year - 3, -1)
    ]


def inspections_by_year(facility: Facility) -> list[dict[str, Any]]:
    """Inspections of the facility and those with findings, per year (shown on the
    facility page through providers/hooks.py)."""
    return list(
        Inspection.objects.filter(facility=facility)
        .annotate(year=ExtractYear("inspected_on"))
        .values("year")
        .annotate(
            n=Count("id"),
            with_findings=Count(
                "id", filter=~Q(rectification=RectificationStatus.NONE)
            ),
        )
        .order_by("year")
    )


def open_task_cases(user: User) -> QuerySet[Case]:
    """Cases with a department task not yet done; for the police, a police task: what
    the 派出所 has been asked to do (docs/homes.md). A subquery of the user's cases."""
    tasks = CaseTask.objects.in_area(user.scope).filter(done_on__isnull=True)
    if is_police(user):
        tasks = tasks.filter(department=Department.POLICE)
    return cases_for_user(user).filter(pk__in=tasks.values("case_id"))
