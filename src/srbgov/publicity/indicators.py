"""Publicity, care and training as assessment indicators (docs/care.md §4, docs/assessment.md).

The assessment never imports this app: the kinds register themselves from
`PublicityConfig.ready()`. Each counts every unit of the area in one GROUP BY, as the
built-in kinds do, so a county scorecard stays a few queries.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.assessment.indicators import (
    Grain,
    IndicatorKind,
    Period,
    RecordRow,
    Tally,
    register,
)
from srbgov.assessment.models import Level
from srbgov.assessment.scoring import Unit
from srbgov.core.scope import ScopedQuerySet
from srbgov.publicity import roles
from srbgov.publicity.models import Activity, ActivityKind

if TYPE_CHECKING:
    from srbgov.accounts.models import User

# What the seed counts as publicity (炉山镇 summary §一: banners, leaflets, broadcasts,
# television, meetings, home visits) and as care for girls (§三: 关爱女孩, 婚育新风进万家,
# festival visits). Training is the township's own (XX镇 plan: train the staff).
PUBLICITY_KINDS = (
    ActivityKind.BANNER,
    ActivityKind.LEAFLET,
    ActivityKind.BROADCAST,
    ActivityKind.TELEVISION,
    ActivityKind.MEETING,
    ActivityKind.HOME_VISIT,
)
CARE_KINDS = (
    ActivityKind.NEW_CUSTOMS,
    ActivityKind.CARE_FOR_GIRLS,
    ActivityKind.FESTIVAL_VISIT,
)


def _held(
    scope: Area, period: Period, kinds: tuple[str, ...]
) -> ScopedQuerySet[Activity]:
    return Activity.objects.in_area(scope).filter(
        kind__in=kinds, held_on__gte=period.start, held_on__lte=period.end
    )


def _per_village(
    scope: Area, period: Period, kinds: tuple[str, ...]
) -> dict[int, Tally]:
    return {
        village: Tally(int(n), 1)
        for village, n in _held(scope, period, kinds)
        .filter(area__level=AreaLevel.VILLAGE)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    }


def count_publicity(scope: Area, period: Period) -> dict[int, Tally]:
    return _per_village(scope, period, PUBLICITY_KINDS)


def count_care(scope: Area, period: Period) -> dict[int, Tally]:
    return _per_village(scope, period, CARE_KINDS)


def count_training(scope: Area, period: Period) -> dict[int, Tally]:
    return {
        town: Tally(int(n), 1)
        for town, n in _held(scope, period, (ActivityKind.TRAINING,))
        .filter(area__level=AreaLevel.TOWNSHIP)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    }


def _records(
    user: User, unit: Area, period: Period, kinds: tuple[str, ...]
) -> list[RecordRow] | None:
    if not roles.can_record_publicity(user):
        return None
    return [
        RecordRow(
            a.held_on,
            f"{a.get_kind_display()} · {a.place}",
            True,
            reverse("publicity:activity_detail", args=[a.pk]),
        )
        for a in _held(unit, period, kinds)
        .filter(area=unit)
        .visible_to(user)
        .order_by("held_on", "id")
    ]


def records_publicity(user: User, unit: Area, period: Period) -> list[RecordRow] | None:
    return _records(user, unit, period, PUBLICITY_KINDS)


def records_care(user: User, unit: Area, period: Period) -> list[RecordRow] | None:
    return _records(user, unit, period, CARE_KINDS)


def records_training(user: User, unit: Area, period: Period) -> list[RecordRow] | None:
    return _records(user, unit, period, (ActivityKind.TRAINING,))


def register_kinds() -> None:
    register(
        IndicatorKind(
            key="publicity_activities",
            label=_("宣传活动（每村）"),
            unit=Unit.COUNT,
            grain=Grain.VILLAGE,
            levels=(Level.VILLAGE, Level.TOWNSHIP),
            default_target=Decimal(2),
            count=count_publicity,
            records=records_publicity,
            numerator_label=_("宣传活动"),
            denominator_label=_("村"),
            note=_("月度考核按全年目标折算"),
        )
    )
    register(
        IndicatorKind(
            key="care_activities",
            label=_("关爱女孩与婚育新风活动（每村）"),
            unit=Unit.COUNT,
            grain=Grain.VILLAGE,
            levels=(Level.VILLAGE, Level.TOWNSHIP),
            default_target=Decimal(1),
            count=count_care,
            records=records_care,
            numerator_label=_("关爱活动"),
            denominator_label=_("村"),
            note=_("月度考核按全年目标折算"),
        )
    )
    register(
        IndicatorKind(
            key="staff_training",
            label=_("业务培训次数"),
            unit=Unit.COUNT,
            grain=Grain.TOWNSHIP,
            levels=(Level.TOWNSHIP,),
            default_target=Decimal(1),
            count=count_training,
            records=records_training,
            numerator_label=_("培训"),
            denominator_label=_("乡镇"),
        )
    )
