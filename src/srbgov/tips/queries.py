"""Tip statistics without identities: counts by category, township and month, the
verification rate, rewards paid, and each village's “两非” leads for the assessment
(XX镇 plan §二: at least one a year). Plain rows for pages and exports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from srbgov.areas.models import Area
from srbgov.tips.models import (
    LIANGFEI_CATEGORIES,
    Category,
    RewardQuerySet,
    RewardStatus,
    TipMessage,
    TipQuerySet,
)

LEADS_TARGET = 1  # per village per year (XX镇 plan §二)


@dataclass(frozen=True)
class Tally:
    label: str
    received: int
    verified: int
    not_verified: int

    @property
    def decided(self) -> int:
        return self.verified + self.not_verified

    @property
    def rate(self) -> float | None:
        """Verified among decided; None before any decision (not 0 %)."""
        return self.verified / self.decided if self.decided else None


@dataclass(frozen=True)
class VillageLeads:
    township: str
    village: str
    leads: int

    @property
    def meets_target(self) -> bool:
        return self.leads >= LEADS_TARGET


@dataclass(frozen=True)
class TipStats:
    year: int
    total: Tally
    by_category: list[Tally]
    by_township: list[Tally]
    by_month: list[Tally]
    rewards_paid: int
    rewards_paid_yuan: int
    rewards_pending: int
    villages: list[VillageLeads]


def _tally(label: str, counter: Counter[tuple[str, bool | None]], key: str) -> Tally:
    return Tally(
        label=label,
        received=sum(n for (k, _v), n in counter.items() if k == key),
        verified=counter[(key, True)],
        not_verified=counter[(key, False)],
    )


def tip_stats(
    tips: TipQuerySet, rewards: RewardQuerySet | None, scope: Area, year: int
) -> TipStats:
    rows = list(
        tips.filter(received_on__year=year).values_list(
            "category",
            "is_verified",
            "received_on",
            "township__name",
            "place_area__code",
            "place_area__level",
        )
    )
    names = dict(Area.objects.in_area(scope).values_list("code", "name"))
    by_cat: Counter[tuple[str, bool | None]] = Counter()
    by_town: Counter[tuple[str, bool | None]] = Counter()
    by_month: Counter[tuple[str, bool | None]] = Counter()
    leads: Counter[str] = Counter()
    for category, verified, received_on, township, place_code, place_level in rows:
        by_cat[(category, verified)] += 1
        town = township or (names.get(place_code[:9] + "000") if place_code else None)
        by_town[(town or _("（未分配）"), verified)] += 1
        by_month[(f"{received_on:%Y-%m}", verified)] += 1
        if category in LIANGFEI_CATEGORIES and place_level == "village":
            leads[place_code] += 1
    everything: Counter[tuple[str, bool | None]] = Counter()
    for (_k, v), n in by_cat.items():
        everything[("all", v)] += n
    villages = [
        VillageLeads(
            township=names.get(v.code[:9] + "000", ""),
            village=v.name,
            leads=leads[v.code],
        )
        for v in Area.objects.in_area(scope).villages().order_by("code")
    ]
    paid = (
        rewards.filter(status=RewardStatus.PAID, paid_on__year=year).aggregate(
            n=Count("id"), total=Sum("amount")
        )
        if rewards is not None
        else {"n": 0, "total": 0}
    )
    pending = (
        rewards.filter(
            Q(status=RewardStatus.PROPOSED) | Q(status=RewardStatus.APPROVED)
        ).count()
        if rewards is not None
        else 0
    )
    return TipStats(
        year=year,
        total=_tally(_("合计"), everything, "all"),
        by_category=[
            _tally(str(label), by_cat, value) for value, label in Category.choices
        ],
        by_township=[_tally(t, by_town, t) for t in sorted({k for k, _v in by_town})],
        by_month=[_tally(m, by_month, m) for m in sorted({k for k, _v in by_month})],
        rewards_paid=paid["n"] or 0,
        rewards_paid_yuan=paid["total"] or 0,
        rewards_pending=pending,
        villages=villages,
    )


def awaiting_reply(tips: TipQuerySet) -> TipQuerySet:
    """Tips whose last message came from the reporter: a question or an answer the
    officer has not replied to (the home page's 举报人来信待回复, docs/homes.md)."""
    last = (
        TipMessage.objects.filter(tip=OuterRef("pk"))
        .order_by("-id")
        .values("from_reporter")[:1]
    )
    return tips.annotate(last_from_reporter=Subquery(last)).filter(
        last_from_reporter=True
    )
