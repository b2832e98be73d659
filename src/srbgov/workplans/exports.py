"""Plan tasks, responsibility books, joint meetings and supervision items as sheets; the
list pages render the same declarations (docs/access.md §5)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from srbgov.reports.exports import Column, Export
from srbgov.workplans.models import (
    JointMeeting,
    PlanTask,
    ResponsibilityBook,
    SupervisionItem,
)

TASKS: Export[PlanTask] = Export(
    title=_("方案任务"),
    object_type="workplans.plantask",
    columns=(
        Column(_("实施方案/会议"), lambda t: t.source_title),
        Column(_("阶段"), lambda t: t.get_phase_display()),
        Column(_("责任单位"), lambda t: t.department),
        Column(_("任务"), lambda t: t.description),
        Column(_("责任人"), lambda t: t.owner_name),
        Column(_("完成期限"), lambda t: t.due_on),
        Column(_("进度（%）"), lambda t: t.progress),
        Column(_("完成日期"), lambda t: t.done_on),
    ),
)

BOOKS: Export[ResponsibilityBook] = Export(
    title=_("责任书"),
    object_type="workplans.responsibilitybook",
    css="books",
    columns=(
        Column(_("年度"), lambda b: b.year),
        Column(
            _("标题"),
            lambda b: b.title,
            link=lambda b: reverse("workplans:book_detail", args=[b.pk]),
        ),
        Column(_("发出单位"), lambda b: b.issuer.name),
        Column(_("签订对象"), lambda b: b.party_name),
        Column(_("状态"), lambda b: b.get_status_display()),
        Column(_("签订日期"), lambda b: b.signed_on),
        Column(_("签订人"), lambda b: b.signer_name),
        Column(_("扫描件"), lambda b: b.scan_id is not None),
    ),
)

MEETINGS: Export[JointMeeting] = Export(
    title=_("联席会议"),
    object_type="workplans.jointmeeting",
    css="meetings",
    columns=(
        Column(
            _("会议日期"),
            lambda m: m.held_on,
            link=lambda m: reverse("workplans:meeting_detail", args=[m.pk]),
        ),
        Column(_("区划"), lambda m: m.area.name),
        Column(_("召集人"), lambda m: m.convener),
        Column(_("议题"), lambda m: m.topics),
        Column(_("会议决定"), lambda m: m.decisions, page=False),
        Column(_("参会人数"), lambda m: getattr(m, "attendee_count", None)),
        Column(_("交办任务"), lambda m: getattr(m, "task_count", None)),
    ),
)

ITEMS: Export[SupervisionItem] = Export(
    title=_("督查整改事项"),
    object_type="workplans.supervisionitem",
    css="supervision-items",
    columns=(
        Column(
            _("督查日期"),
            lambda i: i.visit.visited_on,
            link=lambda i: reverse("workplans:supervision_detail", args=[i.visit_id]),
        ),
        Column(_("被督查对象"), lambda i: i.visit.visited_name),
        Column(_("存在问题"), lambda i: i.description),
        Column(_("整改期限"), lambda i: i.deadline),
        Column(_("状态"), lambda i: i.get_status_display()),
        Column(_("整改措施"), lambda i: i.measures, page=False),
        Column(_("完成日期"), lambda i: i.closed_on),
    ),
)
