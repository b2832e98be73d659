"""村级月报: fill, correct, submit; the township sends back or approves; late villages and
totals from approved reports (docs/assessment.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.areas.models import AreaLevel
from srbgov.core.forms import flash_outcome
from srbgov.core.http import AuthedRequest, authed
from srbgov.villagereports import access, exports, services
from srbgov.villagereports.forms import CommentForm, FiguresForm, ReopenForm
from srbgov.villagereports.models import FIGURES, MonthlyReport, ReportStatus
from srbgov.villagereports.queries import (
    month_view,
    parse_month,
    previous_month,
    village_live,
)


def _month(request: AuthedRequest) -> Any:
    return parse_month(
        request.GET.get("month", ""), default=previous_month(timezone.localdate())
    )


@authed(reach=access.can_see_reports)
def report_list(request: AuthedRequest) -> HttpResponse:
    month = _month(request)
    reports = list(access.reports_for_user(request.user).filter(month=month))
    view = month_view(
        area=request.user.scope,
        month=month,
        reports=reports,
        today=timezone.localdate(),
    )
    return render(
        request,
        "villagereports/report_list.html",
        {
            "view": view,
            "month": month,
            "figures": FIGURES,
            "may_fill": access.can_fill_reports(request.user),
        },
    )


@authed(reach=access.can_see_reports)
def report_export(request: AuthedRequest) -> HttpResponse:
    month = _month(request)
    return exports.REPORTS.response(
        request, access.reports_for_user(request.user).filter(month=month)
    )


@require_POST
@authed(reach=access.can_fill_reports)
def report_fill(request: AuthedRequest) -> HttpResponse:
    village = request.user.scope
    if village.level != AreaLevel.VILLAGE:
        raise Http404
    month = parse_month(
        request.POST.get("month", ""), default=previous_month(timezone.localdate())
    )
    try:
        report = services.fill_report(by=request.user, village=village, month=month)
    except ValidationError as problem:
        messages.error(request, "；".join(problem.messages))
        return redirect("villagereports:report_list")
    return redirect("villagereports:report_detail", pk=report.pk)


@authed(reach=access.can_see_reports)
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    live = village_live(report.village, report.month)
    rows = [
        {
            "key": k,
            "label": label,
            "reported": int(report.figures.get(k, 0)),
            "computed": int(report.computed.get(k, 0)),
            "live": live.get(k, 0),
        }
        for k, label in FIGURES
    ]
    own = (
        access.can_fill_reports(request.user)
        and request.user.area_id == report.village_id
    )
    reviewer = access.can_review_reports(request.user)
    return render(
        request,
        "villagereports/report_detail.html",
        {
            "report": report,
            "rows": rows,
            "edit_form": FiguresForm(report=report)
            if own and report.editable
            else None,
            "may_submit": own and report.editable,
            "review_form": CommentForm()
            if reviewer and report.status == ReportStatus.SUBMITTED
            else None,
            "reopen_form": ReopenForm()
            if reviewer and report.status == ReportStatus.APPROVED
            else None,
        },
    )


def _act(
    request: AuthedRequest,
    pk: int,
    allowed: Callable[[MonthlyReport], bool],
    act: Callable[[MonthlyReport], Any],
    done: str,
) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, log_read=False)
    if not allowed(report):
        # In the user's area but not theirs to change (another village's report).
        messages.error(request, _("只能处理本村的月报。"))
        return redirect("villagereports:report_detail", pk=report.pk)
    with flash_outcome(request, done=done):
        act(report)
    return redirect("villagereports:report_detail", pk=report.pk)


def _own(request: AuthedRequest) -> Callable[[MonthlyReport], bool]:
    return lambda r: request.user.area_id == r.village_id


@require_POST
@authed(reach=access.can_fill_reports)
def report_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    def act(report: MonthlyReport) -> None:
        form = FiguresForm(request.POST, report=report)
        if not form.is_valid():
            raise ValidationError(_("请填写每一项数字（不能为负数）。"))
        services.correct_report(
            by=request.user,
            report=report,
            figures=form.figures(),
            notes=form.cleaned_data["notes"],
        )
        if "submit" in request.POST:
            services.submit_report(by=request.user, report=report)

    return _act(request, pk, _own(request), act, _("已保存。"))


@require_POST
@authed(reach=access.can_fill_reports)
def report_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        _own(request),
        lambda r: services.submit_report(by=request.user, report=r),
        _("月报已上报乡镇。"),
    )


@require_POST
@authed(reach=access.can_review_reports)
def report_return(request: AuthedRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        pk,
        lambda r: True,
        lambda r: services.return_report(by=request.user, report=r, comment=comment),
        _("已退回村修改。"),
    )


@require_POST
@authed(reach=access.can_review_reports)
def report_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        pk,
        lambda r: True,
        lambda r: services.approve_report(by=request.user, report=r, comment=comment),
        _("月报已审核通过。"),
    )


@require_POST
@authed(reach=access.can_review_reports)
def report_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        lambda r: True,
        lambda r: services.reopen_report(by=request.user, report=r, reason=reason),
        _("月报已重新打开，退回村更正。"),
    )
