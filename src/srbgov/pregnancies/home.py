"""The pregnancy worklists and shortcuts on the home page (docs/homes.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.roles import can_follow_pregnancies
from srbgov.areas.models import AreaLevel
from srbgov.core.home import (
    HomeAction,
    HomeItem,
    HomeRow,
    list_url,
    register_action,
    register_item,
)
from srbgov.pregnancies import queries
from srbgov.pregnancies.access import pregnancies_for_user

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def worklist_rows(user: User, slug: str) -> list[HomeRow]:
    """The count of one worklist, linked to that worklist (the same query)."""
    rows = queries.worklist(pregnancies_for_user(user), slug, timezone.localdate())
    return [
        HomeRow(
            label="",
            value=rows.count(),
            url=list_url("pregnancies:worklist", slug),
        )
    ]


def overdue_by_village(user: User) -> list[HomeRow]:
    """The township's overdue visits per village, worst first, each linked to the
    overdue worklist of that village (the same query and filter). One query; villages
    with none are left out: the list says where to go, not where all is well."""
    rows = queries.worklist(pregnancies_for_user(user), "overdue", timezone.localdate())
    counts = (
        rows.order_by()
        .values_list("village__code", "village__name")
        .annotate(n=Count("id"))
    )
    return [
        HomeRow(
            label=name,
            value=n,
            url=list_url("pregnancies:worklist", "overdue", village=code),
        )
        for code, name, n in sorted(counts, key=lambda r: (-r[2], r[0]))
    ]


def alerted(user: User) -> list[HomeRow]:
    """The village worker's pregnancies that have an open alert (the township works the
    alert; she sees which of her women it is about, on the pregnancy's page). One
    query, the pregnancy list's own filter, every status."""
    filters = {"alerted": True}
    n = queries.search(pregnancies_for_user(user), filters).count()
    return [
        HomeRow(
            label="",
            value=n,
            url=list_url("pregnancies:pregnancy_list", status="", alerted="on"),
        )
    ]


def _village_worker(user: User) -> bool:
    return can_follow_pregnancies(user) and user.scope.level == AreaLevel.VILLAGE


def _township_officer(user: User) -> bool:
    return can_follow_pregnancies(user) and user.scope.level == AreaLevel.TOWNSHIP


def register_home_items() -> None:
    register_item(
        HomeItem(
            key="pregnancies_alerted",
            section="watch",
            label=_("有待处理预警的孕情"),
            allowed=_village_worker,
            rows=alerted,
            order=16,
        )
    )
    register_item(
        HomeItem(
            key="pregnancies_overdue_by_village",
            section="watch",
            label=_("逾期未访（按村）"),
            allowed=_township_officer,
            rows=overdue_by_village,
            order=15,
        )
    )
    for order, slug in enumerate(queries.WORKLISTS):
        register_item(
            HomeItem(
                key=f"pregnancies_{slug}",
                section="todo",
                label=queries.WORKLISTS[slug].title,
                allowed=can_follow_pregnancies,
                rows=lambda user, slug=slug: worklist_rows(user, slug),  # type: ignore[misc]
                order=10 + order,
            )
        )
    register_action(
        HomeAction(
            key="pregnancy_register",
            label=_("登记孕情"),
            url_name="pregnancies:pregnancy_register",
            allowed=can_follow_pregnancies,
        )
    )
    register_action(
        HomeAction(
            key="pregnancy_list",
            label=_("孕期中的孕情"),
            url_name="pregnancies:pregnancy_list",
            allowed=can_follow_pregnancies,
        )
    )
