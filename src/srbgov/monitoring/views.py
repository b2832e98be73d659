"""出生性别比监测 pages: overview, funnel, village ranking, breakdowns, exports, policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.areas.models import Area, AreaLevel
from srbgov.core.http import AuthedRequest, authed
from srbgov.monitoring import calibration, exports, queries
from srbgov.monitoring.access import policy_county, statistics_area
from srbgov.monitoring.charts import funnel_chart, trend_chart
from srbgov.monitoring.forms import Selection, SrbPolicyForm, StatisticsFilterForm
from srbgov.monitoring.models import SrbPolicy
from srbgov.monitoring.services import save_srb_policy
from srbgov.reports.exports import Table, send_table


@dataclass(frozen=True)
class Simulated:
    """The figures the pages quote, as text: from calibration.json, which
    bench/bench_srb_sim.py writes (monitoring/calibration.py, docs/statistics.md)."""

    village_false_per_county_year: str
    township_false_per_county_year: str
    village_detection_pct: str
    township_detection_pct: str
    runs: int
    detection_runs: int
    measured_on: str


def simulated() -> Simulated:
    figures = calibration.current()
    return Simulated(
        figures.village_false_text,
        figures.township_false_text,
        figures.village_detection_text,
        figures.township_detection_text,
        figures.runs,
        figures.detection_runs,
        figures.measured_on,
    )


@dataclass(frozen=True)
class Context:
    area: Area
    policy: queries.Policy
    selection: Selection
    form: StatisticsFilterForm
    query: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "policy": self.policy,
            "selection": self.selection,
            "form": self.form,
            "query": self.query,
        }


def _context(request: AuthedRequest) -> Context:
    area = statistics_area(request.user, request.GET.get("area"))
    policy = queries.policy_for(area)
    form = StatisticsFilterForm(
        request.GET or None, scope=request.user.scope, initial={"area": area.code}
    )
    selection = (
        form.selection(policy)
        if request.GET
        else StatisticsFilterForm({}, scope=area).selection(policy)
    )
    query = request.GET.copy()
    query.pop("page", None)
    return Context(area, policy, selection, form, query.urlencode())


def overview_data(ctx: Context) -> dict[str, Any]:
    period = ctx.selection.period
    trend = queries.trend_rows(ctx.area, period.last_month.year, ctx.policy)
    return {
        "total": queries.area_total(ctx.area, period, ctx.policy),
        "trend": trend,
        "trend_chart": trend_chart(trend, ctx.policy.reference_srb),
        "sub_areas": queries.sub_area_rows(ctx.area, period, ctx.policy),
    }


@authed(reach=roles.can_see_srb_statistics)
def overview(request: AuthedRequest) -> HttpResponse:
    ctx = _context(request)
    return render(
        request,
        "monitoring/overview.html",
        ctx.as_dict() | overview_data(ctx) | {"sim": simulated()},
    )


def _villages(ctx: Context) -> queries.VillageStatistics:
    return queries.village_statistics(
        ctx.area,
        ctx.selection.period,
        ctx.policy,
        order=ctx.selection.order,
        pattern=ctx.selection.pattern,
    )


@authed(reach=roles.can_see_srb_statistics)
def funnel(request: AuthedRequest) -> HttpResponse:
    ctx = _context(request)
    stats = _villages(ctx)
    outside = (
        [r for r in stats.rows if r.zone not in ("within", "no_births")]
        if stats.judged
        else []
    )
    return render(
        request,
        "monitoring/funnel.html",
        ctx.as_dict()
        | {
            "stats": stats,
            "chart": funnel_chart(
                stats.rows, ctx.policy.reference_srb, judged=stats.judged
            ),
            "outside": sorted(outside, key=lambda r: (r.zone, r.code)),
            "sim": simulated(),
        },
    )


@authed(reach=roles.can_see_srb_statistics)
def villages(request: AuthedRequest) -> HttpResponse:
    ctx = _context(request)
    stats = _villages(ctx)
    rows = queries.ranked(stats.rows)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/villages.html",
        ctx.as_dict()
        | {
            "page": page,
            "stats": stats,
            "sim": simulated(),
            "priority": exports.priority_today(ctx.area),
        },
    )


@authed(reach=roles.can_see_srb_statistics)
def breakdowns(request: AuthedRequest) -> HttpResponse:
    ctx = _context(request)
    period = ctx.selection.period
    return render(
        request,
        "monitoring/breakdowns.html",
        ctx.as_dict()
        | {
            "cells": queries.breakdown_rows(ctx.area, period, ctx.policy),
            "facilities": queries.facility_rows(ctx.area, period, ctx.policy),
            "is_village": ctx.area.level == AreaLevel.VILLAGE,
        },
    )


@authed(reach=roles.can_see_srb_statistics)
def export(request: AuthedRequest, table: str) -> HttpResponse:
    ctx = _context(request)
    builder = exports.TABLES.get(table)
    if builder is None:
        raise Http404
    title, headers, rows = builder(ctx.area, ctx.selection, ctx.policy)
    return send_table(
        request,
        title=title,
        filename=f"{ctx.area.name}{title}",
        object_type="monitoring.statistics",
        table=Table(headers, [list(r) for r in rows]),
        detail={"table": table},
    )


@authed(reach=roles.can_edit_srb_policy)
def policy(request: AuthedRequest) -> HttpResponse:
    county = policy_county(request.user)
    row = SrbPolicy.objects.in_area(county).filter(county=county).first()
    form = SrbPolicyForm(
        initial={
            "reference_level": row.reference_level if row else "chao2019_eastern_asia",
            "interval_method": row.interval_method if row else "wilson",
            "window_years": row.window_years if row else 5,
        }
    )
    return render(
        request,
        "monitoring/policy.html",
        {"form": form, "county": county, "row": row, "today": timezone.localdate()},
    )


@authed(reach=roles.can_edit_srb_policy)
@require_POST
def policy_save(request: AuthedRequest) -> HttpResponse:
    county = policy_county(request.user)
    form = SrbPolicyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择参考水平、区间方法和合并年数。"))
        save_srb_policy(by=request.user, county=county, **form.cleaned_data)
    except ValidationError as problem:
        messages.error(request, "；".join(problem.messages))
        return redirect("monitoring:policy")
    messages.success(request, _("监测口径已保存。"))
    return redirect("monitoring:policy")
