"""Who sees and does what with the monthly reports (docs/access.md): the village worker
fills and corrects their village's; the township officer reviews its villages'; the
county officer reads them all. Everything else answers 404."""

from __future__ import annotations

from typing import Any

from srbgov.accounts.models import Role, User
from srbgov.core.http import require
from srbgov.core.scope import ScopedQuerySet, get_for_user
from srbgov.villagereports.models import MonthlyReport, ReportStatus

READERS = frozenset({Role.VILLAGE_WORKER, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER})


def _role(user: Any) -> str:
    return getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""


def can_see_reports(user: Any) -> bool:
    return _role(user) in READERS


def can_fill_reports(user: Any) -> bool:
    return _role(user) == Role.VILLAGE_WORKER


def can_review_reports(user: Any) -> bool:
    return _role(user) == Role.TOWNSHIP_OFFICER


def reports_for_user(user: User) -> ScopedQuerySet[MonthlyReport]:
    require(can_see_reports, user)
    return MonthlyReport.objects.visible_to(user).select_related("village")


def get_report_for_user(
    user: User, pk: object, *, log_read: bool = True
) -> MonthlyReport:
    return get_for_user(reports_for_user(user), user, pk, log_read=log_read)


def waiting_count(user: User) -> int:
    """The home figure: reports to correct (worker) or to review (township)."""
    reports = reports_for_user(user)
    if can_fill_reports(user):
        return reports.filter(status=ReportStatus.RETURNED).count()
    if can_review_reports(user):
        return reports.filter(status=ReportStatus.SUBMITTED).count()
    return 0
