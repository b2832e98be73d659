"""定时任务: each job's last run and outcome, its history, and a button to run it now."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.core.http import AuthedRequest, authed
from srbgov.operations import access, runner
from srbgov.operations.models import JobRun, OpsAlert
from srbgov.operations.queries import job_states


@authed
def job_list(request: AuthedRequest) -> HttpResponse:
    if not access.can_see_jobs(request.user):
        raise Http404
    user = request.user
    context = {
        "states": job_states(jobs=access.visible_jobs(user)),
        "alerts": access.visible_alerts(
            user, OpsAlert.objects.filter(closed_at__isnull=True)
        ),
        "show_messages": access.can_read_job_messages(user),
    }
    return render(request, "operations/job_list.html", context)


@authed
def job_detail(request: AuthedRequest, name: str) -> HttpResponse:
    job = access.get_job_for_user(request.user, name)
    runs = list(
        JobRun.objects.filter(job=job.name).select_related("triggered_by__area")[:50]
    )
    for run in runs:
        run.starter = access.starter_for(request.user, run)  # type: ignore[attr-defined]
    context = {
        "job": job,
        "runs": runs,
        "may_start": job.may_start(request.user),
        "show_messages": access.can_read_job_messages(request.user),
    }
    return render(request, "operations/job_detail.html", context)


@require_POST
@authed
def job_run(request: AuthedRequest, name: str) -> HttpResponse:
    job = access.get_startable_job_for_user(request.user, name)
    result = runner.run_job(name=job.name, by=request.user)
    if result.run is None:
        messages.warning(request, _("该任务正在运行，请稍后再看结果。"))
    elif result.run.outcome == "succeeded":
        messages.success(request, _("任务已运行完成。"))
    else:
        messages.error(
            request,
            _("任务未成功：%(outcome)s。")
            % {"outcome": result.run.get_outcome_display()},
        )
    return redirect("operations:job_detail", name=job.name)
