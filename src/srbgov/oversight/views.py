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
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.oversight import access, exports, queries, services
from srbgov.oversight.forms import (
    CampaignForm,
    FollowUpForm,
    InspectionForm,
)
from srbgov.oversight.models import (
    CAMPAIGNS_PER_YEAR,
    CHECKLIST,
)
from srbgov.providers.models import Facility, FacilityStatus


def _campaigns(request: AuthedRequest) -> tuple[Any, Any]:
    """All campaigns the user sees, and those of ?year= (deploy start) if given: the
    home page's four-a-year row links here (docs/homes.md)."""
    campaigns = access.campaigns_for_user(request.user)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 1900 < int(raw) < 3000 else None
    shown = campaigns.filter(deploy_starts_on__year=year) if year else campaigns
    return campaigns, shown


@authed(reach=roles.can_run_inspections)
def campaign_list(request: AuthedRequest) -> HttpResponse:
    campaigns, shown = _campaigns(request)
    page, query = paginate(request, shown)
    return render(
        request,
        "oversight/campaign_list.html",
        {
            "page": page,
            "query": query,
            "table": exports.CAMPAIGNS.page(page.object_list),
            "years": queries.campaigns_per_year(campaigns, today=timezone.localdate()),
            "required": CAMPAIGNS_PER_YEAR,
        },
    )


@authed(reach=roles.can_run_inspections)
def campaign_export(request: AuthedRequest) -> HttpResponse:
    return exports.CAMPAIGNS.response(request, _campaigns(request)[1])


@authed(reach=roles.can_run_inspections)
def campaign_create(request: AuthedRequest) -> HttpResponse:
    access.campaigns_for_user(request.user)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and (
        campaign := run_service(
            form, lambda d: services.create_campaign(by=request.user, **d)
        )
    ):
        return redirect("oversight:campaign_detail", pk=campaign.pk)
    return render_form(
        request,
        form,
        title=_("新建专项整治"),
        cancel_url=reverse("oversight:campaign_list"),
        intro=_("每年至少开展4次集中专项整治，分部署、实施、总结三个阶段。"),
    )


@authed(reach=roles.can_run_inspections)
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    area = queries.campaign_scope(request.user, campaign)
    inspections = (
        access.inspections_for_user(request.user)
        .in_area(area)
        .filter(campaign=campaign)
    )
    return render(
        request,
        "oversight/campaign_detail.html",
        {
            "campaign": campaign,
            "area": area,
            "coverage": queries.coverage(campaign, area),
            "inspections": inspections.select_related("facility").order_by(
                "-inspected_on", "-id"
            ),
            "rectifications": queries.open_rectifications(inspections),
            "today": timezone.localdate(),
        },
    )


@authed(reach=roles.can_run_inspections)
def inspection_create(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    area = queries.campaign_scope(request.user, campaign)
    facilities = Facility.objects.in_area(area).exclude(status=FacilityStatus.CLOSED)
    form = InspectionForm(
        request.POST or None,
        facilities=facilities,
        initial={
            "inspectors": request.user.display_name,
            "facility": request.GET.get("facility"),
        },
    )
    if request.method == "POST" and (
        done := run_service(
            form,
            lambda d: services.record_inspection(
                by=request.user, campaign=campaign, **form.service_data()
            ),
        )
    ):
        messages.success(request, _("检查已登记。"))
        return redirect("oversight:inspection_detail", pk=done.pk)
    return render_form(
        request,
        form,
        title=_("登记检查：%(name)s") % {"name": campaign.name},
        cancel_url=reverse("oversight:campaign_detail", args=[campaign.pk]),
    )


@authed(reach=roles.can_run_inspections)
def inspection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    results = [(label, inspection.checklist.get(key, "")) for key, label in CHECKLIST]
    return render(
        request,
        "oversight/inspection_detail.html",
        {
            "inspection": inspection,
            "results": results,
            "follow_up_form": FollowUpForm(
                initial={"followed_up_on": timezone.localdate()}
            )
            if inspection.rectification == "open"
            else None,
            "cases": inspection.cases.all(),
            "can_open_case": roles.can_manage_cases(request.user),
        },
    )


@require_POST
@authed(reach=roles.can_run_inspections)
def inspection_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    form = FollowUpForm(request.POST)
    if run_service(
        form,
        lambda d: services.close_rectification(
            by=request.user, inspection=inspection, **d
        ),
    ):
        messages.success(request, _("整改已复查销号。"))
    else:
        flash_errors(request, form)
    return redirect("oversight:inspection_detail", pk=inspection.pk)


@authed(reach=roles.can_run_inspections)
def inspection_export(request: AuthedRequest) -> HttpResponse:
    inspections = access.inspections_for_user(request.user).select_related(
        "campaign", "facility"
    )
    return exports.INSPECTIONS.response(request, inspections)


def flash_errors(request: AuthedRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
