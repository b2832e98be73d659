"""Publicity and training pages (docs/care.md §4)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from srbgov.areas.models import Area, AreaLevel
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.files.serve import stored_file_response
from srbgov.publicity import access, roles, services
from srbgov.publicity.exports import ACTIVITIES, PROGRESS
from srbgov.publicity.forms import ActivityForm, PlanForm, YearForm
from srbgov.publicity.queries import plan_progress


def _activities(request: AuthedRequest) -> tuple[YearForm, Any]:
    form = YearForm(request.GET or None)
    items = access.activities_for_user(request.user)
    if form.is_valid():
        if form.cleaned_data["year"]:
            items = items.filter(held_on__year=form.cleaned_data["year"])
        if form.cleaned_data["kind"]:
            items = items.filter(kind=form.cleaned_data["kind"])
    return form, items


@authed(reach=roles.can_record_publicity)
def activity_list(request: AuthedRequest) -> HttpResponse:
    form, items = _activities(request)
    page, query = paginate(request, items)
    table = ACTIVITIES.table(page.object_list)
    return render(
        request,
        "publicity/activity_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "headers": table.headers,
            "rows": list(zip(page.object_list, table.rows, strict=True)),
            "can_plan": roles.can_plan_publicity(request.user),
        },
    )


@authed(reach=roles.can_record_publicity)
def activity_export(request: AuthedRequest) -> HttpResponse:
    _form, items = _activities(request)
    return ACTIVITIES.response(request, items)


@authed(reach=roles.can_record_publicity)
def activity_create(request: AuthedRequest) -> HttpResponse:
    areas = Area.objects.visible_to(request.user).exclude(level=AreaLevel.COUNTY)
    if request.user.scope.level == AreaLevel.COUNTY:
        areas = Area.objects.visible_to(request.user)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        areas=areas,
        plans=access.plans_for_user(request.user),
    )
    photos = request.FILES.getlist("photos") if request.method == "POST" else []
    done = request.method == "POST" and run_service(
        form,
        lambda d: services.record_activity(by=request.user, **{**d, "photos": photos}),
    )
    if done:
        messages.success(request, _("已登记活动。"))
        return redirect("publicity:activity_detail", pk=done.pk)
    return render_form(
        request,
        form,
        title=_("登记宣传培训活动"),
        cancel_url=reverse("publicity:activity_list"),
    )


@authed(reach=roles.can_record_publicity)
def activity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request.user, pk)
    return render(
        request,
        "publicity/activity_detail.html",
        {"activity": activity, "photos": list(activity.photos.select_related("file"))},
    )


@authed(reach=roles.can_record_publicity)
def activity_photo(request: AuthedRequest, pk: int) -> HttpResponse:
    return stored_file_response(access.get_photo_for_user(request.user, pk).file)


def _progress(request: AuthedRequest) -> tuple[YearForm, list[Any]]:
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    access.plans_for_user(request.user)  # 404 for roles without publicity
    return form, plan_progress(area=request.user.scope, year=year)


@authed(reach=roles.can_record_publicity)
def plan_list(request: AuthedRequest) -> HttpResponse:
    form, rows = _progress(request)
    table = PROGRESS.table(rows)
    return render(
        request,
        "publicity/plan_list.html",
        {
            "form": form,
            "table": table,
            "can_plan": roles.can_plan_publicity(request.user),
        },
    )


@authed(reach=roles.can_record_publicity)
def plan_export(request: AuthedRequest) -> HttpResponse:
    _form, rows = _progress(request)
    return PROGRESS.response(request, rows)


@authed(reach=roles.can_plan_publicity)
def plan_create(request: AuthedRequest) -> HttpResponse:
    areas = Area.objects.visible_to(request.user).exclude(level=AreaLevel.VILLAGE)
    form = PlanForm(request.POST or None, areas=areas)
    if request.method == "POST" and run_service(
        form,
        lambda d: services.save_plan(
            by=request.user,
            area=d["area"],
            year=d["year"],
            name=d["name"],
            targets=form.targets(),
        ),
    ):
        messages.success(request, _("已保存计划。"))
        return redirect("publicity:plan_list")
    return render_form(
        request, form, title=_("宣传计划"), cancel_url=reverse("publicity:plan_list")
    )
