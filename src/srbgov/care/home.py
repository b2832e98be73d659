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


# (key, who, the status waiting for that role's step, order on the page)
WAITING = (
    (
        "care_applications_to_review",
        roles.can_review_applications,
        ApplicationStatus.SUBMITTED,
        55,
    ),
    (
        "care_applications_to_approve",
        roles.can_approve_applications,
        ApplicationStatus.ON_NOTICE,
        56,
    ),
)


def register_home_items() -> None:
    for key, allowed, status, order in WAITING:
        register_item(
            HomeItem(
                key=key,
                section="review",
                label=_("扶助申请"),
                allowed=allowed,
                rows=lambda user, status=status: _waiting(user, status),  # type: ignore[misc]
                order=order,
            )
        )
