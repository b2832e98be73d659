"""The organisation's part of the assessment (docs/assessment.md §4): the indicator
"督查发现问题整改完成率" and the targets a responsibility book copies from the year's
indicators (the `workplans.hooks` source, registered in AssessmentConfig.ready()).

Seed: XX镇 plan §四3 (督查, 限期整改) and 湫坡头镇 plan §三 (层层签订责任书).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.assessment.indicators import (
    REGISTRY,
    Grain,
    IndicatorKind,
    Period,
    RecordRow,
    Tally,
    _link,
    register,
)
from srbgov.assessment.models import Level
from srbgov.assessment.scoring import Unit
from srbgov.workplans.access import can_see_plans
from srbgov.workplans.hooks import IndicatorTarget
from srbgov.workplans.models import ItemStatus, SupervisionItem

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def _items(scope: Area, period: Period):  # type: ignore[no-untyped-def]
    # Items of visits to villages: a visit to a member unit has no village to count for.
    return SupervisionItem.objects.in_area(scope).filter(
        visit__visited_area__level=AreaLevel.VILLAGE,
        visit__visited_on__gte=period.start,
        visit__visited_on__lte=period.end,
    )


def count_supervision_closed(scope: Area, period: Period) -> dict[int, Tally]:
    """{village id: Tally(closed items, items)} of the visits in the period, for every
    village of `scope` in one GROUP BY. An item closed after its deadline still counts
    as closed; the overdue list shows the late ones."""
    rows = (
        _items(scope, period)
        .values("visit__visited_area_id")
        .annotate(
            n=Count("id", filter=Q(status=ItemStatus.CLOSED)),
            d=Count("id"),
        )
        .values_list("visit__visited_area_id", "n", "d")
    )
    return {village: Tally(int(n), int(d)) for village, n, d in rows}


def records_supervision_closed(
    user: User, unit: Area, period: Period
) -> list[RecordRow] | None:
    if not can_see_plans(user):
        return None
    rows = _items(unit, period).visible_to(user).select_related("visit__visited_area")
    return [
        RecordRow(
            i.deadline,
            f"{i.visit.visited_area.name if i.visit.visited_area else ''}："
            f"{i.description[:40]}（{i.get_status_display()}）",
            i.status == ItemStatus.CLOSED,
            _link("workplans:supervision_detail", i.visit_id),
        )
        for i in rows.order_by("deadline", "id")
    ]


SUPERVISION_CLOSED = register(
    IndicatorKind(
        key="supervision_closed",
        label=_("督查发现问题整改完成率"),
        unit=Unit.RATE,
        grain=Grain.VILLAGE,
        levels=(Level.VILLAGE, Level.TOWNSHIP),
        default_target=Decimal(100),
        count=count_supervision_closed,
        records=records_supervision_closed,
        numerator_label=_("已整改完成"),
        denominator_label=_("督查发现的问题"),
        note=_("按督查日期计入期间"),
    )
)


def _target_text(key: str, target: Decimal) -> str:
    kind = REGISTRY.get(key)
    value = f"{target.normalize():f}"
    if kind is not None and kind.unit is Unit.RATE:
        return f"≥{value}%"
    if kind is not None and kind.unit is Unit.SRB:
        return f"≤{value}"
    return f"≥{value}"


def book_targets(party: Area, year: int) -> list[IndicatorTarget]:
    """The year's indicators for a township or village, as a book's targets."""
    from srbgov.assessment.scorecard import county_of, indicators_for

    if party.level == AreaLevel.COUNTY:
        return []
    level = Level.VILLAGE if party.level == AreaLevel.VILLAGE else Level.TOWNSHIP
    return [
        {
            "key": i.kind,
            "name": i.name,
            "target": _target_text(i.kind, i.target),
        }
        for i in indicators_for(county=county_of(party), year=year, level=level)
    ]
