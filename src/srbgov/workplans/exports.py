"""Plan tasks as a sheet (docs/access.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from srbgov.reports.exports import Column, Export
from srbgov.workplans.models import PlanTask

TASKS: Export[PlanTask] = Export(
    title=_("方案任务"),
    object_type="workplans.plantask",
    columns=(
        Column(_("实施方案"), lambda t: t.plan.title),
        Column(_("阶段"), lambda t: t.get_phase_display()),
        Column(_("责任单位"), lambda t: t.department),
        Column(_("任务"), lambda t: t.description),
        Column(_("责任人"), lambda t: t.owner_name),
        Column(_("完成期限"), lambda t: t.due_on),
        Column(_("进度（%）"), lambda t: t.progress),
        Column(_("完成日期"), lambda t: t.done_on),
    ),
)
