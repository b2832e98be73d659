"""Open alerts by kind on the home page (docs/homes.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.roles import can_work_alerts
from srbgov.alerts.access import alerts_for_user
from srbgov.alerts.models import AlertAge, AlertKind, AlertStatus, aged_q
from srbgov.areas.models import AreaLevel
from srbgov.core.home import HomeItem, HomeRow, list_url, register_item

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def open_by_kind(user: User) -> list[HomeRow]:
    """One query: open alerts of the user's area grouped by kind, each linked to the
    alert queue filtered to that kind and to 待处理."""
    counts = dict(
        alerts_for_user(user)
        .open()
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return [
        HomeRow(
            label=AlertKind(kind).label,
            value=n,
            url=list_url("alerts:alert_list", kind=kind, status=AlertStatus.OPEN),
        )
        for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def open_by_age(user: User) -> list[HomeRow]:
    """One query: the open alerts of the user's area by how long they have waited,
    each band linked to the queue filtered to it (`AlertQuerySet.aged`, the same
    bounds). Every band is shown, an empty one too: 超过30天 0 is good news."""
    now = timezone.now()
    counts = (
        alerts_for_user(user)
        .open()
        .aggregate(
            **{age.value: Count("id", filter=aged_q(age, now=now)) for age in AlertAge}
        )
    )
    return [
        HomeRow(
            label=age.label,
            value=counts[age.value],
            url=list_url("alerts:alert_list", status=AlertStatus.OPEN, age=age.value),
        )
        for age in AlertAge
    ]


def _county_alerts(user: User) -> bool:
    return can_work_alerts(user) and user.scope.level == AreaLevel.COUNTY


def open_by_township(user: User) -> list[HomeRow]:
    """The county's open alerts per township (an alert on a village counts for its
    township), each linked to the queue filtered to that township and 待处理. Two
    queries: the counts by area, the townships' names."""
    counts: dict[int, int] = {}
    for area_id, level, parent_id, n in (
        alerts_for_user(user)
        .open()
        .order_by()
        .values_list("area_id", "area__level", "area__parent_id")
        .annotate(n=Count("id"))
    ):
        township = {AreaLevel.TOWNSHIP: area_id, AreaLevel.VILLAGE: parent_id}.get(
            level
        )
        if township is not None:
            counts[township] = counts.get(township, 0) + n
    townships = user.scope.children.filter(pk__in=counts).order_by("code")
    return [
        HomeRow(
            label=t.name,
            value=counts[t.pk],
            url=list_url("alerts:alert_list", township=t.code, status=AlertStatus.OPEN),
        )
        for t in townships
    ]


def register_home_items() -> None:
    register_item(
        HomeItem(
            key="alerts_open_by_township",
            section="watch",
            label=_("待处理的预警（按乡镇）"),
            allowed=_county_alerts,
            rows=open_by_township,
            order=21,
        )
    )
    register_item(
        HomeItem(
            key="alerts_open_by_age",
            section="watch",
            label=_("待处理的预警（按等待时长）"),
            allowed=can_work_alerts,
            rows=open_by_age,
            order=22,
        )
    )
    register_item(
        HomeItem(
            key="alerts_open_by_kind",
            section="watch",
            label=_("待处理的预警（按类别）"),
            allowed=can_work_alerts,
            rows=open_by_kind,
            order=20,
        )
    )
