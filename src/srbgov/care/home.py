"""Girl-care applications waiting on the home page (docs/homes.md): the township's
reviews and the county's approvals, each linked to the application list filtered to
that status (the same query)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from srbgov.care import roles
from srbgov.care.access import applications_for_user
from srbgov.care.models import ApplicationStatus
from srbgov.core.home import HomeItem, HomeRow, list_url, register_item

if TYPE_CHECKING:
    from srbgov.accounts.models import User


def _waiting(user: User, status: ApplicationStatus) -> list[HomeRow]:
    n = applications_for_user(user).filter(status=status).count()
    return [
        HomeRow(
            label=status.label,
            value=n,
            url=list_url("care:application_list", status=status.value),
        )
    ]


def register_home_items() -> None:
    register_item(
        HomeItem(
            key="care_applications_to_review",
            section="review",
            label=_("扶助申请"),
            allowed=roles.can_review_applications,
            rows=lambda user: _waiting(user, ApplicationStatus.SUBMITTED),
            order=55,
        )
    )
    register_item(
        HomeItem(
            key="care_applications_to_approve",
            section="review",
            label=_("扶助申请"),
            allowed=roles.can_approve_applications,
            rows=lambda user: _waiting(user, ApplicationStatus.ON_NOTICE),
            order=56,
        )
    )
