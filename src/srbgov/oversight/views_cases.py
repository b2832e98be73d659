"""Cases (案件查处): opened from an inspection, an alert or a tip; tasks, records,
disposition. The police see only the cases referred to them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed, require
from srbgov.core.paging import paginate
from srbgov.files.serve import stored_file_response
from srbgov.oversight import access, exports, practice_services, services
from srbgov.oversight.forms import (
    CaseForm,
    DisposeForm,
    RecordForm,
    TaskDoneForm,
    TaskForm,
)
from srbgov.oversight.models import (
    CaseSource,
    CaseStatus,
    SubjectKind,
)
from srbgov.oversight.practice_forms import CasePersonForm
from srbgov.oversight.queries import open_task_cases
from srbgov.oversight.views import flash_errors


def _cases(request: AuthedRequest) -> tuple[str, Any]:
    cases = access.cases_for_user(request.user).select_related(
        "area", "subject_facility", "subject_practitioner"
    )
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    if request.GET.get("tasks") == "open":
        cases = cases.filter(pk__in=open_task_cases(request.user))
    return status, cases


@authed(reach=roles.can_see_cases)
def case_list(request: AuthedRequest) -> HttpResponse:
    status, cases = _cases(request)
    page, query = paginate(request, cases)
    return render(
        request,
        "oversight/case_list.html",
        {
            "page": page,
            "query": query,
            "table": exports.CASES.page(page.object_list),
            "status": status,
            "statuses": CaseStatus.choices,
            "can_manage": roles.can_manage_cases(request.user),
        },
    )


@authed(reach=roles.can_see_cases)
def case_export(request: AuthedRequest) -> HttpResponse:
    _status, cases = _cases(request)
    return exports.CASES.response(request, cases)


@authed(reach=roles.can_manage_cases)
def case_create(request: AuthedRequest) -> HttpResponse:
    """立案; ?inspection=, ?alert= or ?visit= (a survey visit) opens it from that
    finding, prefilled."""
    require(roles.can_manage_cases, request.user)
    inspection = alert = visit = None
    initial: dict[str, Any] = {
        "area": request.user.area_id,
        "subject_kind": SubjectKind.UNKNOWN,
    }
    if raw := request.GET.get("inspection"):
        inspection = access.get_inspection_for_user(request.user, raw)
        initial.update(
            title=_("检查发现：%(name)s") % {"name": inspection.facility.name},
            summary=inspection.findings,
            subject_kind=SubjectKind.FACILITY,
            subject_facility=inspection.facility_id,
            area=inspection.facility.area.parent_id
            if inspection.facility.area.level == "village"
            else inspection.facility.area_id,
        )
    elif raw := request.GET.get("alert"):
        alert = access.alert_for_case(request.user, raw)
        initial.update(title=str(alert.get_kind_display()), summary=alert.summary)
    elif raw := request.GET.get("visit"):
        visit = access.get_visit_for_user(request.user, raw)
        initial.update(practice_services.case_from_visit(visit))
    form = CaseForm(
        request.POST or None,
        user=request.user,
        locked_source=bool(inspection or alert or visit),
        initial=initial,
    )
    source = (
        CaseSource.INSPECTION
        if inspection
        else CaseSource.ALERT
        if alert
        else CaseSource.SURVEY
        if visit
        else None
    )

    def submit(data: dict[str, Any]) -> Any:
        data.setdefault("source", source)
        return services.open_case(
            by=request.user,
            inspection=inspection,
            alert=alert,
            survey_visit=visit,
            **data,
        )

    if request.method == "POST" and (case := run_service(form, submit)):
        messages.success(request, _("已立案：%(number)s") % {"number": case.number})
        return redirect("oversight:case_detail", pk=case.pk)
    return render_form(
        request, form, title=_("立案"), cancel_url=reverse("oversight:case_list")
    )


@authed(reach=roles.can_see_cases)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    is_open = case.status == CaseStatus.OPEN
    manage = roles.can_manage_cases(request.user) and is_open
    work = roles.can_work_cases(request.user) and is_open
    today = timezone.localdate()
    return render(
        request,
        "oversight/case_detail.html",
        {
            "case": case,
            "tasks": case.tasks.all(),
            "records": case.records.select_related("attachment"),
            "task_form": TaskForm() if manage else None,
            "record_form": RecordForm(initial={"recorded_on": today}) if work else None,
            "persons": case.persons.all(),
            "person_form": CasePersonForm() if manage else None,
            "own_department": access.task_department(request.user),
            "dispose_form": DisposeForm(initial={"disposed_on": today})
            if manage
            else None,
            "done_form": TaskDoneForm(initial={"done_on": today}),
            "is_police": roles.is_police(request.user),
        },
    )


@require_POST
@authed(reach=roles.can_manage_cases)
def case_task_add(request: AuthedRequest, pk: int) -> HttpResponse:
    require(roles.can_manage_cases, request.user)
    case = access.get_case_for_user(request.user, pk, log_read=False)
    form = TaskForm(request.POST)
    if run_service(
        form, lambda d: services.add_case_task(by=request.user, case=case, **d)
    ):
        messages.success(request, _("任务已分派。"))
    else:
        flash_errors(request, form)
    return redirect("oversight:case_detail", pk=case.pk)


@require_POST
@authed(reach=roles.can_see_cases)
def case_task_done(request: AuthedRequest, pk: int) -> HttpResponse:
    task = access.get_task_for_user(request.user, pk)
    own = access.task_department(request.user)
    if own and task.department != own:
        messages.error(request, _("只能办结本部门的任务。"))
        return redirect("oversight:case_detail", pk=task.case_id)
    form = TaskDoneForm(request.POST)
    if run_service(
        form, lambda d: services.complete_task(by=request.user, task=task, **d)
    ):
        messages.success(request, _("任务已办结。"))
    else:
        flash_errors(request, form)
    return redirect("oversight:case_detail", pk=task.case_id)


@require_POST
@authed(reach=roles.can_work_cases)
def case_record_add(request: AuthedRequest, pk: int) -> HttpResponse:
    require(roles.can_work_cases, request.user)
    case = access.get_case_for_user(request.user, pk, log_read=False)
    form = RecordForm(request.POST, request.FILES)
    if run_service(
        form,
        lambda d: services.add_investigation_record(
            by=request.user, case=case, **form.service_data()
        ),
    ):
        messages.success(request, _("调查笔录已保存。"))
    else:
        flash_errors(request, form)
    return redirect("oversight:case_detail", pk=case.pk)


@authed(reach=roles.can_see_cases)
def case_record_file(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_record_for_user(request.user, pk)
    access.get_case_for_user(request.user, entry.case_id)  # logs the read
    return stored_file_response(entry.attachment)


@require_POST
@authed(reach=roles.can_manage_cases)
def case_dispose(request: AuthedRequest, pk: int) -> HttpResponse:
    require(roles.can_manage_cases, request.user)
    case = access.get_case_for_user(request.user, pk, log_read=False)
    form = DisposeForm(request.POST)
    if run_service(
        form, lambda d: services.dispose_case(by=request.user, case=case, **d)
    ):
        messages.success(request, _("处理结果已保存。"))
    else:
        flash_errors(request, form)
    return redirect("oversight:case_detail", pk=case.pk)


@require_POST
@authed(reach=roles.can_manage_cases)
def case_person_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Name a private person the case is about (intermediary, unlicensed practitioner)."""
    require(roles.can_manage_cases, request.user)
    case = access.get_case_for_user(request.user, pk, log_read=False)
    form = CasePersonForm(request.POST)
    if run_service(
        form,
        lambda d: practice_services.add_case_person(
            by=request.user,
            case=case,
            role=d["role"],
            name=d["name"],
            id_number=d["id_number"] or "",
            address=d["address"] or "",
            note=d["note"] or "",
        ),
    ):
        messages.success(request, _("涉案人员已添加。"))
    else:
        flash_errors(request, form)
    return redirect("oversight:case_detail", pk=case.pk)
