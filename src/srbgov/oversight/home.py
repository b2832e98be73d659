"""Open cases on the home page of the police and the township (docs/homes.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srbgov.accounts.roles import can_run_inspections, can_see_cases
from srbgov.core.home import HomeItem, HomeRow, list_url, register_item
from srbgov.oversight.access import campaigns_for_user, cases_for_user
from srbgov.oversight.models import CAMPAIGNS_PER_YEAR, CaseStatus
from srbgov.oversight.queries import open_task_cases

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def open_cases(user: User) -> list[HomeRow]:
    n = cases_for_user(user).filter(status=CaseStatus.OPEN).count()
    return [HomeRow("", n, list_url("oversight:case_list", status=CaseStatus.OPEN))]


def cases_with_open_tasks(user: User) -> list[HomeRow]:
    n = open_task_cases(user).count()
    return [HomeRow("", n, list_url("oversight:case_list", tasks="open"))]


def campaigns_this_year(user: User) -> list[HomeRow]:
    """This year's campaigns against the rule of at least four a year (docs/design.md
    §5); the row names the shortfall, the count links to the year's list."""
    year = timezone.localdate().year
    n = campaigns_for_user(user).filter(deploy_starts_on__year=year).count()
    label = (
        _("%(year)d年，要求每年至少%(need)d次，还差%(short)d次")
        % {"year": year, "need": CAMPAIGNS_PER_YEAR, "short": CAMPAIGNS_PER_YEAR - n}
        if n < CAMPAIGNS_PER_YEAR
        else _("%(year)d年，已达到每年至少%(need)d次")
        % {"year": year, "need": CAMPAIGNS_PER_YEAR}
    )
    return [HomeRow(label, n, list_url("oversight:campaign_list", year=str(year)))]


def register_home_items() -> None:
    register_item(
        HomeItem(
            key="cases_open_tasks",
            section="todo",
            label=_("有未完成部门任务的案件"),
            allowed=can_see_cases,
            rows=cases_with_open_tasks,
            order=41,
        )
    )
    register_item(
        HomeItem(
            key="campaigns_this_year",
            section="watch",
            label=_("今年的专项整治"),
            allowed=can_run_inspections,
            rows=campaigns_this_year,
            order=45,
        )
    )
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
