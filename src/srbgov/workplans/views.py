"""实施方案与组织: the leading group and departments, the plans with phases and tasks, and
each task's progress (docs/assessment.md)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from srbgov.core.forms import flash_outcome
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.workplans import access, exports, services


class ProgressForm(forms.Form):
    progress = forms.IntegerField(
        label=gettext_lazy("进度（%）"), min_value=0, max_value=100
    )
    note = forms.CharField(
        label=gettext_lazy("进展情况"), widget=forms.Textarea, required=False
    )


@authed(reach=access.can_see_plans)
def plan_list(request: AuthedRequest) -> HttpResponse:
    page, query = paginate(
        request, access.plans_for_user(request.user).select_related("area")
    )
    return render(
        request,
        "workplans/plan_list.html",
        {
            "page": page,
            "query": query,
            "members": access.members_for_user(request.user).select_related("area"),
            "overdue": access.overdue_tasks_for(request.user).select_related(
                "plan", "meeting"
            ),
        },
    )


@authed(reach=access.can_see_plans)
def task_export(request: AuthedRequest) -> HttpResponse:
    tasks = access.tasks_for_user(request.user).select_related("plan", "meeting")
    return exports.TASKS.response(request, tasks)


@authed(reach=access.can_see_plans)
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    tasks = access.tasks_for_user(request.user).filter(plan=plan)
    return render(
        request,
        "workplans/plan_detail.html",
        {
            "plan": plan,
            "tasks": tasks,
            "today": timezone.localdate(),
            "form": ProgressForm(),
        },
    )


@require_POST
@authed(reach=access.can_see_plans)
def task_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk)
    form = ProgressForm(request.POST)
    if task.owner_id not in (None, request.user.pk) and not access.can_write_plans(
        request.user
    ):
        messages.error(request, _("只有责任人或乡镇、县计生办可以填报进度。"))
    elif form.is_valid():
        with flash_outcome(request, done=_("进度已更新。")):
            services.report_progress(
                by=request.user,
                task=task,
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["note"],
            )
    else:
        messages.error(request, _("进度须在0到100之间。"))
    if task.meeting_id is not None:
        return redirect("workplans:meeting_detail", pk=task.meeting_id)
    return redirect("workplans:plan_detail", pk=task.plan_id)
