"""Reads shared by the organisation pages, the home figures and the year-end summary
(docs/assessment.md §4). Each takes the scope area and costs a fixed few queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from srbgov.areas.models import Area, AreaLevel
from srbgov.workplans.models import (
    Body,
    BookStatus,
    ItemStatus,
    JointMeeting,
    Member,
    PlanTask,
    ResponsibilityBook,
    SupervisionItem,
    SupervisionVisit,
)


@dataclass(frozen=True)
class MissingBook:
    """A party that has no signed responsibility book for the year."""

    issuer: str
    party: str
    kind: str  # "township", "village" or "unit"
    draft: ResponsibilityBook | None


def missing_books(*, scope: Area, year: int) -> list[MissingBook]:
    """Every party in `scope` that should have signed a book this year and has not:
    each township with its county, each village with its township, each member unit
    (成员单位) with its township or county (湫坡头镇 plan §三: 层层签订责任书)."""
    areas = {
        a.pk: a for a in Area.objects.in_area(scope).exclude(level=AreaLevel.VILLAGE)
    }
    children = [
        a
        for a in Area.objects.in_area(scope)
        .filter(parent__in=list(areas))
        .order_by("code")
    ]
    units = list(
        Member.objects.in_area(scope)
        .filter(body=Body.DEPARTMENT, area__in=list(areas))
        .order_by("area__code", "position_order", "id")
    )
    books = ResponsibilityBook.objects.in_area(scope).filter(year=year)
    signed_areas, signed_units = set(), set()
    drafts_by_area, drafts_by_unit = {}, {}
    for book in books:
        if book.status == BookStatus.SIGNED:
            signed_areas.add(book.party_area_id)
            signed_units.add(book.party_unit_id)
        elif book.party_area_id is not None:
            drafts_by_area[book.party_area_id] = book
        else:
            drafts_by_unit[book.party_unit_id] = book
    missing = [
        MissingBook(areas[a.parent_id].name, a.name, a.level, drafts_by_area.get(a.pk))
        for a in children
        if a.pk not in signed_areas and a.parent_id is not None
    ]
    missing += [
        MissingBook(areas[u.area_id].name, u.name, "unit", drafts_by_unit.get(u.pk))
        for u in units
        if u.pk not in signed_units
    ]
    return missing


@dataclass(frozen=True)
class OrganisationFigures:
    """The year's figures of the organisation for the year-end summary."""

    books_signed: int
    books_missing: int
    meetings: int
    meeting_tasks: int
    meeting_tasks_done: int
    supervision_visits: int
    supervision_items: int
    supervision_items_closed: int
    supervision_items_overdue: int


def organisation_figures(*, scope: Area, year: int, today: date) -> OrganisationFigures:
    signed = (
        ResponsibilityBook.objects.in_area(scope)
        .filter(year=year, status=BookStatus.SIGNED)
        .count()
    )
    meetings = JointMeeting.objects.in_area(scope).filter(held_on__year=year)
    tasks = PlanTask.objects.in_area(scope).filter(meeting__held_on__year=year)
    task_counts = tasks.aggregate(
        n=Count("id"), done=Count("id", filter=Q(done_on__isnull=False))
    )
    items = SupervisionItem.objects.in_area(scope).filter(visit__visited_on__year=year)
    item_counts = items.aggregate(
        n=Count("id"),
        closed=Count("id", filter=Q(status=ItemStatus.CLOSED)),
        overdue=Count(
            "id", filter=~Q(status=ItemStatus.CLOSED) & Q(deadline__lt=today)
        ),
    )
    return OrganisationFigures(
        books_signed=signed,
        books_missing=len(missing_books(scope=scope, year=year)),
        meetings=meetings.count(),
        meeting_tasks=task_counts["n"],
        meeting_tasks_done=task_counts["done"],
        supervision_visits=SupervisionVisit.objects.in_area(scope)
        .filter(visited_on__year=year)
        .count(),
        supervision_items=item_counts["n"],
        supervision_items_closed=item_counts["closed"],
        supervision_items_overdue=item_counts["overdue"],
    )
