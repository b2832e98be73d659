"""Surveys of unlicensed practice (非法行医排查): rounds, the places visited with what
was found, and the items seized (docs/registers.md §7)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.areas.models import Area, AreaLevel
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.oversight import access
from srbgov.oversight import practice_services as services
from srbgov.oversight.exports import SURVEYS, VISITS
from srbgov.oversight.practice_forms import ItemForm, SurveyForm, VisitForm
from srbgov.oversight.views import flash_errors
from srbgov.providers.access import kept_facilities_for_user


def _surveys(request: AuthedRequest) -> Any:
    return (
        access.surveys_for_user(request.user)
        .select_related("area")
        .annotate(
            n_visits=Count("visits", distinct=True),
            n_problems=Count(
                "visits", filter=Q(visits__has_problem=True), distinct=True
            ),
        )
        .order_by("-started_on", "-id")
    )


@authed(reach=roles.can_run_inspections)
def survey_list(request: AuthedRequest) -> HttpResponse:
    page, query = paginate(request, _surveys(request))
    return render(
        request,
        "oversight/survey_list.html",
        {"page": page, "query": query, "table": SURVEYS.page(page.object_list)},
    )


@authed(reach=roles.can_run_inspections)
def survey_export(request: AuthedRequest) -> HttpResponse:
    return SURVEYS.response(request, _surveys(request))


@authed(reach=roles.can_run_inspections)
def survey_create(request: AuthedRequest) -> HttpResponse:
    access.surveys_for_user(request.user)
    townships = Area.objects.visible_to(request.user).filter(level=AreaLevel.TOWNSHIP)
    form = SurveyForm(
        request.POST or None,
        townships=townships,
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and (
        survey := run_service(
            form, lambda d: services.start_survey(by=request.user, **d)
        )
    ):
        return redirect("oversight:survey_detail", pk=survey.pk)
    return render_form(
        request,
        form,
        title=_("新建非法行医排查"),
        cancel_url=reverse("oversight:survey_list"),
        intro=_(
            "排查个体诊所、无证行医点和药店，逐一记录发现的设备、药品、服务和查扣物品。"
        ),
    )


def _visits(survey: Any) -> Any:
    return survey.visits.select_related("village").prefetch_related("items", "cases")


@authed(reach=roles.can_run_inspections)
def survey_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_user(request.user, pk)
    visits = list(_visits(survey))
    # The cases opened from these visits that the user may open (a county's case
    # is not a township officer's to see).
    opened = (
        {
            case.survey_visit_id: case
            for case in access.cases_for_user(request.user).filter(
                survey_visit__in=visits
            )
        }
        if roles.can_see_cases(request.user)
        else {}
    )
    return render(
        request,
        "oversight/survey_detail.html",
        {
            "survey": survey,
            "visits": visits,
            "rows": [(visit, opened.get(visit.pk)) for visit in visits],
            "table": VISITS.page(visits),
            "item_form": ItemForm(),
            "may_open_case": roles.can_manage_cases(request.user),
        },
    )


@authed(reach=roles.can_run_inspections)
def survey_visits_export(request: AuthedRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_user(request.user, pk)
    return VISITS.response(request, _visits(survey))


@authed(reach=roles.can_run_inspections)
def survey_visit_add(request: AuthedRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_user(request.user, pk, log_read=False)
    form = VisitForm(
        request.POST or None,
        facilities=kept_facilities_for_user(request.user).filter(
            area__in=Area.objects.in_area(survey.area)
        ),
        villages=Area.objects.in_area(survey.area).filter(level=AreaLevel.VILLAGE),
        initial={"visited_on": timezone.localdate()},
    )
    if request.method == "POST" and run_service(
        form,
        lambda d: services.record_survey_visit(
            by=request.user,
            survey=survey,
            **d,
        ),
    ):
        messages.success(request, _("排查记录已保存。"))
        return redirect("oversight:survey_detail", pk=survey.pk)
    return render_form(
        request,
        form,
        title=_("登记排查场所：%(name)s") % {"name": survey.name},
        cancel_url=reverse("oversight:survey_detail", args=[survey.pk]),
    )


@require_POST
@authed(reach=roles.can_run_inspections)
def survey_item_add(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = access.get_visit_for_user(request.user, pk)
    form = ItemForm(request.POST)
    if run_service(
        form,
        lambda d: services.record_seized_item(by=request.user, visit=visit, **d),
    ):
        messages.success(request, _("查扣物品已登记。"))
    else:
        flash_errors(request, form)
    return redirect("oversight:survey_detail", pk=visit.survey_id)
