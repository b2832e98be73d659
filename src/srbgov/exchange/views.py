from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.core.forms import add_service_errors
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.exchange import runner, services
from srbgov.exchange.access import get_job_for_user, jobs_for_user
from srbgov.exchange.exports import JOBS, error_report_response
from srbgov.exchange.forms import UploadForm
from srbgov.exchange.kinds import KINDS, kinds_for
from srbgov.exchange.workbooks import template_workbook
from srbgov.reports.xlsx import xlsx_response

# The page shows the first problems; the error report holds all of them.
SHOWN_PROBLEMS = 200


@authed(reach=roles.can_import)
def index(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.upload_table(
                by=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as problem:
            add_service_errors(form, problem)
        else:
            runner.dispatch(job)
            return redirect("exchange:job_detail", job.pk)
    page, query = paginate(request, jobs_for_user(request.user))
    return render(
        request,
        "exchange/index.html",
        {"form": form, "kinds": kinds_for(request.user), "page": page, "query": query},
    )


@authed(reach=roles.can_import)
def job_export(request: AuthedRequest) -> HttpResponse:
    return JOBS.response(request, jobs_for_user(request.user))


@authed(reach=roles.can_import)
def template_download(request: AuthedRequest, slug: str) -> HttpResponse:
    kind = KINDS.get(slug)
    if kind is None or not kind.allowed(request.user):
        raise Http404
    return xlsx_response(
        template_workbook(kind), _("%(kind)s导入模板") % {"kind": kind.label}
    )


@authed(reach=roles.can_import)
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    problems = job.problems[:SHOWN_PROBLEMS]
    return render(
        request,
        "exchange/job.html",
        {
            "job": job,
            "kind": KINDS[job.kind],
            "problems": problems,
            "more_problems": len(job.problems) - len(problems),
            "is_owner": job.created_by_id == request.user.pk,
        },
    )


@authed(reach=roles.can_import)
def job_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """What the page polls while a worker runs (exchange/static/exchange/progress.js)."""
    job = get_job_for_user(request.user, pk, log_read=False)
    return JsonResponse(
        {
            "status": job.status,
            "running": job.is_running,
            "done": job.done_rows,
            "total": job.total_rows,
            "percent": job.percent,
        }
    )


@authed(reach=roles.can_import)
def job_report(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    return error_report_response(request, job)


@authed(reach=roles.can_import)
@require_POST
def job_import(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk, log_read=False)
    try:
        job = services.start_import(by=request.user, job=job)
    except ValidationError as problem:
        messages.error(request, "；".join(problem.messages))
    else:
        runner.dispatch(job)
    return redirect("exchange:job_detail", job.pk)


@authed(reach=roles.can_import)
@require_POST
def job_discard(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk, log_read=False)
    try:
        services.discard_job(by=request.user, job=job)
    except ValidationError as problem:
        messages.error(request, "；".join(problem.messages))
    else:
        messages.success(request, _("已放弃导入，没有写入任何记录。"))
    return redirect("exchange:job_detail", job.pk)
