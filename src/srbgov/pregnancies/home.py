"""The pregnancy worklists and shortcuts on the home page (docs/homes.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.roles import can_follow_pregnancies
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


def register_home_items() -> None:
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
