"""The indicator kinds: a key → how its numerator and denominator are counted (docs/assessment.md).

Each kind counts for **every unit of an area at once** (a few GROUP BY queries, never one query
per village), so that a county scorecard of 300 villages costs the same few queries as one of
a township (`make bench`: scorecard_county_year). A kind is registered once at import time:

    register(IndicatorKind(
        key="publicity_activities",
        label=_("宣传活动次数"),
        unit=Unit.COUNT,
        grain=Grain.VILLAGE,
        levels=(Level.VILLAGE, Level.TOWNSHIP),
        default_target=Decimal(2),
        count=lambda scope, period: {...village id: Tally(n, 1)...},
        records=None,
    ))

Another app registers its kinds from its `AppConfig.ready()` (the care and publicity apps'
activity counts); the assessment never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from srbgov.accounts import roles
from srbgov.areas.models import Area, AreaLevel
from srbgov.assessment.models import Level
from srbgov.assessment.scoring import Unit
from srbgov.monitoring.queries import policy_for, village_counts, window_period
from srbgov.oversight.models import Campaign, Inspection, RectificationStatus
from srbgov.pregnancies.models import Birth, InfantDeath, Pregnancy, Visit
from srbgov.tips.models import LIANGFEI_CATEGORIES, Tip

if TYPE_CHECKING:
    from srbgov.accounts.models import User


@dataclass(frozen=True)
class Tally:
    numerator: int
    denominator: int

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.numerator + other.numerator, self.denominator + other.denominator
        )


@dataclass(frozen=True)
class Period:
    """A span of whole days [start, end], a month or a year."""

    year: int
    month: int  # 0: the whole year
    start: date
    end: date

    @classmethod
    def of(cls, year: int, month: int = 0) -> Period:
        if month:
            start = date(year, month, 1)
            following = date(year + (month == 12), month % 12 + 1, 1)
            return cls(year, month, start, following - timedelta(days=1))
        return cls(year, 0, date(year, 1, 1), date(year, 12, 31))

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年"

    def aware_bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )


class Grain(StrEnum):
    VILLAGE = "village"  # counted per village; a township's figure pools its villages
    TOWNSHIP = "township"  # counted per township only (campaigns are the township's)


@dataclass(frozen=True)
class RecordRow:
    """One record behind a figure, for the drill-down: counted in the numerator or not."""

    on: date | None
    label: str
    counted: bool
    url: str = ""


Counter = Callable[[Area, Period], dict[int, Tally]]
Records = Callable[["User", Area, Period], list[RecordRow] | None]


@dataclass(frozen=True)
class IndicatorKind:
    key: str
    label: str | Promise
    unit: Unit
    grain: Grain
    levels: tuple[str, ...]
    default_target: Decimal
    count: Counter  # {unit id (village or township): Tally} for every unit of the area
    records: (
        Records | None
    )  # the records of one unit; None when the user may not see them
    numerator_label: str | Promise = ""
    denominator_label: str | Promise = ""
    note: str | Promise = ""

    def empty(self) -> Tally:
        """A unit with no records: a count of 0 in 1 unit, or a rate over no cases."""
        return Tally(0, 1) if self.unit is Unit.COUNT else Tally(0, 0)


REGISTRY: dict[str, IndicatorKind] = {}


def register(kind: IndicatorKind) -> IndicatorKind:
    """Add a kind (a key replaces its kind: ready() may run twice)."""
    REGISTRY[kind.key] = kind
    return kind


def kind_choices() -> list[tuple[str, str]]:
    return [(k.key, str(k.label)) for k in REGISTRY.values()]


def _grouped(rows: Iterable[tuple[int, int, int]]) -> dict[int, Tally]:
    return {unit: Tally(int(n or 0), int(d or 0)) for unit, n, d in rows}


def _link(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


# --- 孕情登记及时率 (XX镇 plan §二(一): 登记上报及时达85%) ------------------------------


def _registered(scope: Area, period: Period):  # type: ignore[no-untyped-def]
    return Pregnancy.objects.in_area(scope).filter(
        pregnancy_registered_on__gte=period.start,
        pregnancy_registered_on__lte=period.end,
    )


# One scorecard build shares the pregnancy counts between the three kinds that read the
# same rows (registered, on time, visited, on schedule): one scan of the year's
# pregnancies instead of three (bench: scorecard_county_year, docs/assessment.md §7).
_SHARED: ContextVar[dict[tuple[object, ...], Any] | None] = ContextVar(
    "assessment_shared_counts", default=None
)


@contextmanager
def shared_counts() -> Iterator[None]:
    """Within the block, counts read by several kinds are queried once. Only for the
    duration of one computation: the cache dies with the block, nothing goes stale."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(key: tuple[object, ...], compute: Callable[[], Any]) -> Any:
    """`compute()`, once per key inside `shared_counts()`, every time outside it."""
    memo = _SHARED.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _pregnancy_counts(scope: Area, period: Period) -> dict[int, tuple[int, ...]]:
    """{village id: (registered, on time, with a visit, none overdue)} in one GROUP BY."""

    def compute() -> dict[int, tuple[int, ...]]:
        rows = (
            _registered(scope, period)
            # EXISTS per pregnancy, not a join to every visit with COUNT DISTINCT
            # (bench: scorecard_county_year). Visits themselves, not the
            # nightly-denormalised last_visit_on: a visit recorded today counts today.
            .annotate(visited=Exists(Visit.objects.filter(pregnancy=OuterRef("pk"))))
            .values("village_id")
            .annotate(
                d=Count("id"),
                on_time=Count("id", filter=Q(is_late_registration=False)),
                seen=Count("id", filter=Q(visited=True)),
                on_schedule=Count("id", filter=Q(overdue_visits=0)),
            )
            .values_list("village_id", "d", "on_time", "seen", "on_schedule")
        )
        return {village: tuple(counts) for village, *counts in rows}

    return shared(("pregnancies", scope.pk, period), compute)  # type: ignore[no-any-return]


def _pregnancy_tallies(scope: Area, period: Period, column: int) -> dict[int, Tally]:
    return {
        village: Tally(counts[column], counts[0])
        for village, counts in _pregnancy_counts(scope, period).items()
    }


def count_on_time_registration(scope: Area, period: Period) -> dict[int, Tally]:
    return _pregnancy_tallies(scope, period, 1)


def records_on_time_registration(
    user: User, village: Area, period: Period
) -> list[RecordRow] | None:
    if not roles.can_follow_pregnancies(user):
        return None
    rows = _registered(village, period).visible_to(user).select_related("woman")
    return [
        RecordRow(
            p.pregnancy_registered_on,
            p.woman.name,
            not p.is_late_registration,
            _link("pregnancies:pregnancy_detail", p.pk),
        )
        for p in rows.order_by("pregnancy_registered_on", "id")
    ]


# --- 孕情随访服务率 (XX镇 plan §二(一): 随访服务率达到100%) --------------------------------


def count_followup(scope: Area, period: Period) -> dict[int, Tally]:
    return _pregnancy_tallies(scope, period, 2)


def records_followup(
    user: User, village: Area, period: Period
) -> list[RecordRow] | None:
    if not roles.can_follow_pregnancies(user):
        return None
    rows = (
        _registered(village, period)
        .visible_to(user)
        .select_related("woman")
        .annotate(n_visits=Count("visits"))
    )
    return [
        RecordRow(
            p.pregnancy_registered_on,
            p.woman.name,
            p.n_visits > 0,
            _link("pregnancies:pregnancy_detail", p.pk),
        )
        for p in rows.order_by("pregnancy_registered_on", "id")
    ]


# --- 按时随访率: the follow-ups with no visit overdue (湫坡头镇 plan §四(二)3) -------------


def count_on_schedule(scope: Area, period: Period) -> dict[int, Tally]:
    return _pregnancy_tallies(scope, period, 3)


def records_on_schedule(
    user: User, village: Area, period: Period
) -> list[RecordRow] | None:
    if not roles.can_follow_pregnancies(user):
        return None
    rows = _registered(village, period).visible_to(user).select_related("woman")
    return [
        RecordRow(
            p.pregnancy_registered_on,
            p.woman.name,
            p.overdue_visits == 0,
            _link("pregnancies:pregnancy_detail", p.pk),
        )
        for p in rows.order_by("pregnancy_registered_on", "id")
    ]


# --- 婴儿死亡24小时内报告率 (中水镇 plan §三 卫生院6: 婴儿死亡登记报告制度) ------------------


def _deaths(scope: Area, period: Period):  # type: ignore[no-untyped-def]
    start, end = period.aware_bounds()
    return InfantDeath.objects.in_area(scope).filter(
        died_at__gte=start, died_at__lt=end
    )


def count_infant_death_reports(scope: Area, period: Period) -> dict[int, Tally]:
    return _grouped(
        _deaths(scope, period)
        .values("village_id")
        .annotate(n=Count("id", filter=Q(is_late_report=False)), d=Count("id"))
        .values_list("village_id", "n", "d")
    )


def records_infant_death_reports(
    user: User, village: Area, period: Period
) -> list[RecordRow] | None:
    if not roles.can_follow_pregnancies(user):
        return None
    rows = _deaths(village, period).visible_to(user).select_related("mother")
    return [
        RecordRow(
            timezone.localdate(d.died_at),
            d.mother.name,
            not d.is_late_report,
            _link("people:woman_detail", d.mother_id),
        )
        for d in rows.order_by("died_at", "id")
    ]


# --- “两非”案件线索 (XX镇 plan §二(二): 每个村要上报一起) --------------------------------


def _leads(scope: Area, period: Period):  # type: ignore[no-untyped-def]
    # Tips are the county's until assigned; the place says which village the lead is of.
    return Tip.objects.filter(
        place_area__code__startswith=scope.scope_prefix,
        place_area__level=AreaLevel.VILLAGE,
        category__in=LIANGFEI_CATEGORIES,
        received_on__gte=period.start,
        received_on__lte=period.end,
    )


def count_leads(scope: Area, period: Period) -> dict[int, Tally]:
    return {
        village: Tally(int(n), 1)
        for village, n in _leads(scope, period)
        .values("place_area_id")
        .annotate(n=Count("id"))
        .values_list("place_area_id", "n")
    }


def records_leads(user: User, village: Area, period: Period) -> list[RecordRow] | None:
    # A tip's existence is the tip officer's to disclose (docs/design.md §3): the
    # drill-down lists only the tips the user may already read.
    if not roles.can_read_tips(user):
        return None
    from srbgov.tips.access import tips_for_user

    visible = tips_for_user(user).filter(pk__in=_leads(village, period).values("pk"))
    return [
        RecordRow(
            t.received_on,
            t.get_category_display(),
            True,
            _link("tips:tip_detail", t.pk),
        )
        for t in visible.order_by("received_on", "id")
    ]


# --- 专项整治次数 (oversight: 每年至少4次) --------------------------------------------------


def _campaigns(scope: Area, period: Period):  # type: ignore[no-untyped-def]
    return Campaign.objects.in_area(scope).filter(
        area__level=AreaLevel.TOWNSHIP,
        deploy_starts_on__gte=period.start,
        deploy_starts_on__lte=period.end,
    )


def count_campaigns(scope: Area, period: Period) -> dict[int, Tally]:
    return {
        town: Tally(int(n), 1)
        for town, n in _campaigns(scope, period)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    }


def records_campaigns(user: User, town: Area, period: Period) -> list[RecordRow] | None:
    if not roles.can_run_inspections(user):
        return None
    return [
        RecordRow(
            c.deploy_starts_on, c.name, True, _link("oversight:campaign_detail", c.pk)
        )
        for c in _campaigns(town, period).visible_to(user).order_by("deploy_starts_on")
    ]


# --- 检查发现问题整改到位率 (XX镇 plan §四3: 督查) ------------------------------------------


def _inspections(scope: Area, period: Period):  # type: ignore[no-untyped-def]
    return (
        Inspection.objects.in_area(scope)
        .filter(inspected_on__gte=period.start, inspected_on__lte=period.end)
        .exclude(rectification=RectificationStatus.NONE)
    )


def count_inspections_closed(scope: Area, period: Period) -> dict[int, Tally]:
    # A facility is of a township or of a village: the township is its code's first 9 digits.
    towns = {
        a.code[:9]: a.pk
        for a in Area.objects.in_area(scope).filter(level=AreaLevel.TOWNSHIP)
    }
    tallies: dict[int, Tally] = {}
    rows = (
        _inspections(scope, period)
        .values("facility__area__code")
        .annotate(
            n=Count("id", filter=Q(rectification=RectificationStatus.CLOSED)),
            d=Count("id"),
        )
        .values_list("facility__area__code", "n", "d")
    )
    for code, n, d in rows:
        town = towns.get(code[:9])
        if town is not None:
            tallies[town] = tallies.get(town, Tally(0, 0)) + Tally(n, d)
    return tallies


def records_inspections_closed(
    user: User, town: Area, period: Period
) -> list[RecordRow] | None:
    if not roles.can_run_inspections(user):
        return None
    rows = _inspections(town, period).visible_to(user).select_related("facility")
    return [
        RecordRow(
            i.inspected_on,
            i.facility.name,
            i.rectification == RectificationStatus.CLOSED,
            _link("oversight:inspection_detail", i.pk),
        )
        for i in rows.order_by("inspected_on", "id")
    ]


# --- 出生人口性别比 (XX镇 plan §二(三): 达到市布规划指标), pooled over the county's window ---


def srb_window(scope: Area, period: Period) -> tuple[int, int]:
    """First and last year of the pooled window that ends with the period's year, never
    later than the last complete year (monitoring.queries.window_period)."""
    policy = policy_for(scope)
    window = window_period(period.year, policy.window_years, today=timezone.localdate())
    return window.first_month.year, window.last_month.year


def county_policy(area: Area) -> Any:
    """The county's SRB policy (one query, shared within a scorecard build)."""
    return shared(("policy", area.code[:6]), lambda: policy_for(area))


def count_srb(scope: Area, period: Period) -> dict[int, Tally]:
    policy = county_policy(scope)
    window = window_period(period.year, policy.window_years, today=timezone.localdate())
    return {v: Tally(b, g) for v, (b, g) in village_counts(scope, window).items()}


def records_srb(user: User, village: Area, period: Period) -> list[RecordRow] | None:
    if not roles.can_follow_pregnancies(user):
        return None
    first, last = srb_window(village, period)
    births = (
        Birth.objects.in_area(village)
        .visible_to(user)
        .filter(born_on__year__gte=first, born_on__year__lte=last)
        .order_by("born_on", "id")
    )
    return [
        RecordRow(
            b.born_on,
            b.get_sex_display(),
            b.sex == "M",
            _link("pregnancies:pregnancy_detail", b.pregnancy_id)
            if b.pregnancy_id
            else "",
        )
        for b in births
    ]


BOTH = (Level.VILLAGE, Level.TOWNSHIP)

ON_TIME_REGISTRATION = register(
    IndicatorKind(
        key="on_time_registration",
        label=_("孕情登记上报及时率"),
        unit=Unit.RATE,
        grain=Grain.VILLAGE,
        levels=BOTH,
        default_target=Decimal(85),
        count=count_on_time_registration,
        records=records_on_time_registration,
        numerator_label=_("怀孕4个月内登记"),
        denominator_label=_("登记孕情"),
    )
)
FOLLOWUP = register(
    IndicatorKind(
        key="followup_coverage",
        label=_("孕情随访服务率"),
        unit=Unit.RATE,
        grain=Grain.VILLAGE,
        levels=BOTH,
        default_target=Decimal(100),
        count=count_followup,
        records=records_followup,
        numerator_label=_("已随访"),
        denominator_label=_("登记孕情"),
    )
)
ON_SCHEDULE = register(
    IndicatorKind(
        key="visits_on_schedule",
        label=_("按时随访率"),
        unit=Unit.RATE,
        grain=Grain.VILLAGE,
        levels=BOTH,
        default_target=Decimal(100),
        count=count_on_schedule,
        records=records_on_schedule,
        numerator_label=_("无逾期未访"),
        denominator_label=_("登记孕情"),
    )
)
INFANT_DEATHS = register(
    IndicatorKind(
        key="infant_death_24h",
        label=_("婴儿死亡24小时内报告率"),
        unit=Unit.RATE,
        grain=Grain.VILLAGE,
        levels=BOTH,
        default_target=Decimal(100),
        count=count_infant_death_reports,
        records=records_infant_death_reports,
        numerator_label=_("24小时内报告"),
        denominator_label=_("婴儿死亡"),
    )
)
LEADS = register(
    IndicatorKind(
        key="liangfei_leads",
        label=_("“两非”案件线索（每村）"),
        unit=Unit.COUNT,
        grain=Grain.VILLAGE,
        levels=BOTH,
        default_target=Decimal(1),
        count=count_leads,
        records=records_leads,
        numerator_label=_("线索"),
        denominator_label=_("村"),
        note=_("月度考核按全年目标折算"),
    )
)
CAMPAIGNS = register(
    IndicatorKind(
        key="campaigns_held",
        label=_("集中专项整治次数"),
        unit=Unit.COUNT,
        grain=Grain.TOWNSHIP,
        levels=(Level.TOWNSHIP,),
        default_target=Decimal(4),
        count=count_campaigns,
        records=records_campaigns,
        numerator_label=_("专项整治"),
        denominator_label=_("乡镇"),
    )
)
INSPECTIONS = register(
    IndicatorKind(
        key="inspections_closed",
        label=_("检查发现问题整改到位率"),
        unit=Unit.RATE,
        grain=Grain.TOWNSHIP,
        levels=(Level.TOWNSHIP,),
        default_target=Decimal(100),
        count=count_inspections_closed,
        records=records_inspections_closed,
        numerator_label=_("已整改"),
        denominator_label=_("需整改的检查"),
    )
)
SRB = register(
    IndicatorKind(
        key="srb_pooled",
        label=_("出生人口性别比（多年合并）"),
        unit=Unit.SRB,
        grain=Grain.VILLAGE,
        levels=BOTH,
        default_target=Decimal(110),
        count=count_srb,
        records=records_srb,
        numerator_label=_("男婴"),
        denominator_label=_("女婴"),
        note=_("全县一起检验、校正多重比较后仍显著高于规划指标时未达标"),
    )
)

#: The seed's targets (XX镇 plan §二) with weights that sum to 100 at each level.
DEFAULT_WEIGHTS: dict[str, dict[str, int]] = {
    Level.VILLAGE: {
        "on_time_registration": 25,
        "followup_coverage": 25,
        "visits_on_schedule": 15,
        "infant_death_24h": 10,
        "liangfei_leads": 15,
        "srb_pooled": 10,
    },
    Level.TOWNSHIP: {
        "on_time_registration": 20,
        "followup_coverage": 20,
        "visits_on_schedule": 10,
        "infant_death_24h": 10,
        "liangfei_leads": 10,
        "campaigns_held": 10,
        "inspections_closed": 10,
        "srb_pooled": 10,
    },
}
