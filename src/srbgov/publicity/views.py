"""Publicity and training pages (docs/care.md §4)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.areas.models import Area, AreaLevel
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.files.serve import stored_file_response
from srbgov.publicity import access, bulletins, roles, services
from srbgov.publicity.exports import ACTIVITIES, BULLETINS, PROGRESS
from srbgov.publicity.forms import (
    ActivityForm,
    BulletinDraftForm,
    BulletinEditForm,
    PlanForm,
    YearForm,
)
from srbgov.publicity.models import BulletinStatus
from srbgov.publicity.queries import plan_progress
from srbgov.reports.officialdoc import send_document


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


@authed(reach=roles.can_record_publicity)
def bulletin_list(request: AuthedRequest) -> HttpResponse:
    """Published bulletins for every user of the area; the office's drafts too."""
    published = access.published_for_user(request.user)
    drafts = (
        access.bulletins_for_user(request.user).filter(status=BulletinStatus.DRAFT)
        if roles.can_plan_publicity(request.user)
        else None
    )
    page, query = paginate(request, published)
    return render(
        request,
        "publicity/bulletin_list.html",
        {
            "page": page,
            "query": query,
            "drafts": list(drafts) if drafts is not None else [],
            "can_plan": roles.can_plan_publicity(request.user),
            "table": BULLETINS.table(page.object_list),
        },
    )


@authed(reach=roles.can_record_publicity)
def bulletin_export(request: AuthedRequest) -> HttpResponse:
    return BULLETINS.response(request, access.published_for_user(request.user))


@authed(reach=roles.can_plan_publicity)
def bulletin_create(request: AuthedRequest) -> HttpResponse:
    areas = Area.objects.visible_to(request.user).exclude(level=AreaLevel.VILLAGE)
    form = BulletinDraftForm(request.POST or None, areas=areas)
    done = request.method == "POST" and run_service(
        form, lambda d: bulletins.draft_bulletin(by=request.user, **d)
    )
    if done:
        messages.success(request, _("已生成简报草稿，请修改后发布。"))
        return redirect("publicity:bulletin_edit", pk=done.pk)
    return render_form(
        request,
        form,
        title=_("起草简报"),
        cancel_url=reverse("publicity:bulletin_list"),
        intro=_("草稿按本期的宣传培训活动和关爱女孩数据生成。"),
    )


@authed(reach=roles.can_plan_publicity)
def bulletin_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(
        request.user, pk, log_read=request.method != "POST"
    )
    form = BulletinEditForm(
        request.POST or None,
        initial={
            "title": bulletin.title,
            "number": bulletin.number,
            "body": bulletin.body,
        },
    )
    if request.method == "POST" and run_service(
        form, lambda d: bulletins.edit_bulletin(by=request.user, bulletin=bulletin, **d)
    ):
        messages.success(request, _("已保存简报。"))
        return redirect("publicity:bulletin_edit", pk=bulletin.pk)
    return render(
        request, "publicity/bulletin_edit.html", {"form": form, "bulletin": bulletin}
    )


@authed(reach=roles.can_plan_publicity)
@require_POST
def bulletin_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, pk, log_read=False)
    try:
        bulletins.publish_bulletin(by=request.user, bulletin=bulletin)
        messages.success(request, _("简报已发布。"))
    except ValidationError as problem:
        for message in problem.messages:
            messages.error(request, message)
    return redirect("publicity:bulletin_edit", pk=bulletin.pk)


@authed(reach=roles.can_plan_publicity)
def bulletin_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    bulletin = access.get_bulletin_for_user(request.user, pk, log_read=False)
    return send_document(
        request,
        document=bulletins.as_document(bulletin),
        filename=f"{bulletin.title}{bulletin.number}",
        object_type="publicity.bulletin",
        detail={"bulletin": bulletin.pk},
    )
