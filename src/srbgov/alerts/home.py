"""Open alerts by kind on the home page (docs/homes.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.roles import can_work_alerts
from srbgov.alerts.access import alerts_for_user
from srbgov.alerts.models import AlertKind, AlertStatus
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


def register_home_items() -> None:
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
