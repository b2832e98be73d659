"""Open cases on the home page of the police and the township (docs/homes.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from srbgov.accounts.roles import can_see_cases
from srbgov.core.home import HomeItem, HomeRow, list_url, register_item
from srbgov.oversight.access import cases_for_user
from srbgov.oversight.models import CaseStatus

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def open_cases(user: User) -> list[HomeRow]:
    n = cases_for_user(user).filter(status=CaseStatus.OPEN).count()
    return [HomeRow("", n, list_url("oversight:case_list", status=CaseStatus.OPEN))]


def register_home_items() -> None:
    register_item(
        HomeItem(
            key="cases_open",
            section="watch",
            label=_("调查中的案件"),
            allowed=can_see_cases,
            rows=open_cases,
            order=40,
        )
    )
