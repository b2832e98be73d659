"""The health center's and the facility clerk's home (docs/homes.md): termination
verifications waiting at each step, and the registry's gaps (devices without a filed
operator, people and heads without a valid pledge, pledges about to expire)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.models import Role
from srbgov.accounts.roles import can_keep_facilities, can_see_facilities
from srbgov.core.home import HomeItem, HomeRow, list_url, register_item
from srbgov.providers import queries
from srbgov.providers.access import (
    deliveries_to_complete,
    kept_facilities_for_user,
    verifications_for_user,
)
from srbgov.providers.models import VerificationStatus

if TYPE_CHECKING:
    from srbgov.accounts.models import User

WAITING = (VerificationStatus.REQUESTED, VerificationStatus.REVIEWED)


def verifications_waiting(user: User) -> list[HomeRow]:
    """One row per waiting step (待乡镇审核, 待县级出具证明), one query."""
    counts = dict(
        verifications_for_user(user)
        .filter(status__in=WAITING)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [
        HomeRow(
            label=status.label,
            value=counts.get(status, 0),
            url=list_url("providers:verification_list", status=status),
        )
        for status in WAITING
        if counts.get(status)
    ]


def registry_gaps(user: User) -> list[HomeRow]:
    """The gaps page's lines: the same two queries that page shows (four + one)."""
    facilities = kept_facilities_for_user(user)
    today = timezone.localdate()
    gaps = queries.registry_gaps(facilities, today=today)
    expiring = queries.expiring_pledges(facilities, today=today).count()
    devices = sum(1 for g in gaps if g.kind == "device_without_operator")
    gap_list = "providers:gap_list"
    rows = [
        HomeRow(
            _("B超设备未备案操作人员"), devices, list_url(gap_list, kind="devices")
        ),
        HomeRow(
            _("人员或负责人未签有效责任书"),
            len(gaps) - devices,
            list_url(gap_list, kind="pledges"),
        ),
        HomeRow(_("责任书即将到期"), expiring, list_url(gap_list, kind="expiring")),
    ]
    return [r for r in rows if r.value]


def entries_to_complete(user: User) -> list[HomeRow]:
    """Register entries to complete: deliveries whose live-born child still lacks its
    birth certificate number, at the facilities whose registers the user writes (the
    register's 待补录 filter, the same query)."""
    missing = deliveries_to_complete(user).count()
    return [
        HomeRow(
            label=_("分娩登记待补录出生医学证明编号"),
            value=missing,
            url=list_url("providers:delivery_list", to_complete="on"),
        )
    ]


def _keeps_registers(user: User) -> bool:
    """The health center and the clerk keep the registers day to day; the township and
    county see the births without a certificate as alerts instead."""
    return getattr(user, "role", "") in (Role.HEALTH_CENTER, Role.FACILITY_CLERK)


def register_home_items() -> None:
    register_item(
        HomeItem(
            key="providers_entries_to_complete",
            section="todo",
            label=_("登记簿待补全"),
            allowed=_keeps_registers,
            rows=entries_to_complete,
            order=49,
        )
    )
    register_item(
        HomeItem(
            key="providers_verifications_waiting",
            section="review",
            label=_("待办的引产查验"),
            allowed=can_see_facilities,
            rows=verifications_waiting,
            order=50,
        )
    )
    register_item(
        HomeItem(
            key="providers_registry_gaps",
            section="todo",
            label=_("机构登记缺口"),
            allowed=can_keep_facilities,
            rows=registry_gaps,
            order=51,
        )
    )
