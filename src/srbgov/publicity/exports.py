"""Publicity lists as sheets (docs/access.md §5)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from srbgov.publicity.models import Activity, ActivityKind, Bulletin
from srbgov.publicity.queries import PlanProgress
from srbgov.reports.exports import Column, Export


def _area(a: Activity) -> str:
    parent = a.area.parent.name if a.area.parent and a.area.level == "village" else ""
    return f"{parent} {a.area.name}".strip()


ACTIVITIES: Export[Activity] = Export(
    title=_("宣传培训活动"),
    object_type="publicity.activity",
    columns=(
        Column(_("日期"), lambda a: a.held_on),
        Column(_("类别"), lambda a: a.get_kind_display()),
        Column(_("村或乡镇"), _area),
        Column(_("地点"), lambda a: a.place),
        Column(_("数量（幅、份、次）"), lambda a: a.items),
        Column(_("参加人数"), lambda a: a.participants),
        Column(_("所属计划"), lambda a: a.plan.name if a.plan else ""),
    ),
)

PROGRESS: Export[PlanProgress] = Export(
    title=_("宣传计划完成情况"),
    object_type="publicity.publicityplan",
    columns=(
        Column(_("乡镇"), lambda p: p.township),
        Column(_("计划"), lambda p: p.plan),
        Column(_("类别"), lambda p: str(ActivityKind(p.kind).label)),
        Column(_("目标（次数）"), lambda p: p.target),
        Column(_("完成（次数）"), lambda p: p.done),
        Column(_("是否完成"), lambda p: _("完成") if p.met else _("未完成")),
    ),
)

BULLETINS: Export[Bulletin] = Export(
    title=_("简报"),
    object_type="publicity.bulletin",
    columns=(
        Column(_("标题"), lambda b: b.title),
        Column(_("期号"), lambda b: b.number),
        Column(_("乡镇或县"), lambda b: b.area.name),
        Column(_("起始日期"), lambda b: b.period_start),
        Column(_("截止日期"), lambda b: b.period_end),
        Column(
            _("发布时间"), lambda b: b.published_at.date() if b.published_at else ""
        ),
    ),
)
