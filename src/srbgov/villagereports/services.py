"""Every write of the monthly village report. Keyword-only, atomic, audited; the report is
locked once approved and reopened only with a reason (docs/assessment.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.villagereports.models import FIGURE_KEYS, MonthlyReport, ReportStatus
from srbgov.villagereports.queries import month_start, village_live

if TYPE_CHECKING:
    from srbgov.accounts.models import User


@transaction.atomic
def fill_report(*, by: User, village: Area, month: date) -> MonthlyReport:
    """The month's report, filled from the records; an existing report is returned as it
    is (filling twice never overwrites the worker's corrections)."""
    if village.level != AreaLevel.VILLAGE:
        raise ValidationError(_("月报由村填报。"))
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise ValidationError(_("不能填报尚未到来的月份。"))
    existing = MonthlyReport.objects.select_for_update().filter(
        village=village, month=month
    )
    if (found := existing.first()) is not None:
        return found
    live = village_live(village, month)
    report = MonthlyReport(
        village=village, month=month, figures=live, computed=live, created_by=by
    )
    report.full_clean()
    report.save()
    record(user=by, action=AuditAction.CREATE, obj=report, detail={"figures": live})
    return report


@transaction.atomic
def correct_report(
    *, by: User, report: MonthlyReport, figures: Mapping[str, int], notes: str
) -> MonthlyReport:
    if not report.editable:
        raise ValidationError(
            _("月报已上报或已审核，不能修改；如需更正请由乡镇重新打开。")
        )
    cleaned = {k: int(figures.get(k, 0)) for k in FIGURE_KEYS}
    if any(v < 0 for v in cleaned.values()):
        raise ValidationError(_("数字不能为负数。"))
    before = dict(report.figures)
    report.figures, report.notes = cleaned, notes.strip()
    report.full_clean()
    report.save()
    changed = {k: [before.get(k), v] for k, v in cleaned.items() if before.get(k) != v}
    record(user=by, action=AuditAction.UPDATE, obj=report, detail={"changed": changed})
    return report


@transaction.atomic
def submit_report(*, by: User, report: MonthlyReport) -> MonthlyReport:
    if not report.editable:
        raise ValidationError(_("月报已上报。"))
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), by
    report.full_clean()
    report.save()
    record(
        user=by, action=AuditAction.UPDATE, obj=report, detail={"status": report.status}
    )
    return report


@transaction.atomic
def return_report(*, by: User, report: MonthlyReport, comment: str) -> MonthlyReport:
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只有已上报的月报可以退回。"))
    if not comment.strip():
        raise ValidationError({"comment": _("退回时请写明意见。")})
    report.status, report.review_comment = ReportStatus.RETURNED, comment.strip()
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.full_clean()
    report.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=report,
        detail={"status": report.status, "comment": report.review_comment},
    )
    return report


@transaction.atomic
def approve_report(
    *, by: User, report: MonthlyReport, comment: str = ""
) -> MonthlyReport:
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只有已上报的月报可以审核通过。"))
    report.status, report.review_comment = ReportStatus.APPROVED, comment.strip()
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.full_clean()
    report.save()
    record(
        user=by, action=AuditAction.UPDATE, obj=report, detail={"status": report.status}
    )
    return report


@transaction.atomic
def reopen_report(*, by: User, report: MonthlyReport, reason: str) -> MonthlyReport:
    """A later correction of an approved report: it goes back to the village with the
    reason, and leaves the approved totals until it is approved again."""
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("只有已审核的月报需要重新打开。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明重新打开的原因。")})
    report.status, report.reopen_reason = ReportStatus.RETURNED, reason.strip()
    report.review_comment = reason.strip()
    report.full_clean()
    report.save()
    record(
        user=by,
        action=AuditAction.UPDATE,
        obj=report,
        detail={"status": report.status, "reopened": report.reopen_reason},
    )
    return report
