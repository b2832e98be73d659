"""Priority villages and units (重点村、重点单位): the township officer designates,
renews and ends them; the list shows the overdue reviews first; the village list
marks the priority villages (docs/registers.md §7)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.areas.models import Area, AreaLevel
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed, require
from srbgov.core.paging import paginate
from srbgov.providers import access, services
from srbgov.providers.exports import PRIORITIES, VILLAGES, VillageLine
from srbgov.providers.prenatal_forms import (
    EndForm,
    PriorityFilterForm,
    PriorityForm,
    RenewForm,
)


def _priorities(request: AuthedRequest) -> tuple[PriorityFilterForm, Any]:
    form = PriorityFilterForm(request.GET or None)
    entries = access.priorities_for_user(request.user).select_related(
        "township", "village", "facility"
    )
    today = timezone.localdate()
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if status == "active":
        entries = entries.active_on(today)
    elif status == "overdue":
        entries = entries.filter(ended_on__isnull=True, review_on__lt=today)
    elif status == "ended":
        entries = entries.filter(ended_on__isnull=False)
    return form, entries


@authed(reach=roles.can_see_priorities)
def priority_list(request: AuthedRequest) -> HttpResponse:
    form, entries = _priorities(request)
    page, query = paginate(request, entries)
    overdue = services.overdue_reviews(
        area=request.user.scope, today=timezone.localdate()
    ).select_related("village", "facility")
    return render(
        request,
        "providers/priority_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "table": PRIORITIES.page(page.object_list),
            "overdue": list(overdue[:50]),
            "can_designate": roles.can_designate_priorities(request.user),
        },
    )


@authed(reach=roles.can_see_priorities)
def priority_export(request: AuthedRequest) -> HttpResponse:
    _form, entries = _priorities(request)
    return PRIORITIES.response(request, entries)


@authed(reach=roles.can_designate_priorities)
def priority_create(request: AuthedRequest) -> HttpResponse:
    require(roles.can_designate_priorities, request.user)
    today = timezone.localdate()
    form = PriorityForm(
        request.POST or None,
        villages=Area.objects.visible_to(request.user).filter(level=AreaLevel.VILLAGE),
        facilities=access.kept_facilities_for_user(request.user),
        initial={"designated_on": today, "review_on": today + timedelta(days=365)},
    )
    if request.method == "POST" and (
        entry := run_service(
            form, lambda d: services.designate_priority(by=request.user, **d)
        )
    ):
        messages.success(request, _("已确定：%(name)s") % {"name": entry.subject_name})
        return redirect("providers:priority_detail", pk=entry.pk)
    return render_form(
        request,
        form,
        title=_("确定重点村/重点单位"),
        cancel_url=reverse("providers:priority_list"),
        intro=_("写明确定理由和复核日期；到期复核后延续或撤销。"),
    )


@authed(reach=roles.can_see_priorities)
def priority_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_priority_for_user(request.user, pk)
    today = timezone.localdate()
    may_change = roles.can_designate_priorities(request.user) and entry.is_active
    return render(
        request,
        "providers/priority_detail.html",
        {
            "entry": entry,
            "overdue": entry.is_overdue(today),
            "renew_form": RenewForm() if may_change else None,
            "end_form": EndForm(initial={"ended_on": today}) if may_change else None,
        },
    )


@require_POST
@authed(reach=roles.can_designate_priorities)
def priority_renew(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_priority_for_user(request.user, pk, log_read=False)
    form = RenewForm(request.POST)
    if run_service(
        form,
        lambda d: services.renew_priority(by=request.user, designation=entry, **d),
    ):
        messages.success(request, _("已复核，延续至下次复核日期。"))
    else:
        _flash(request, form)
    return redirect("providers:priority_detail", pk=entry.pk)


@require_POST
@authed(reach=roles.can_designate_priorities)
def priority_end(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_priority_for_user(request.user, pk, log_read=False)
    form = EndForm(request.POST)
    if run_service(
        form, lambda d: services.end_priority(by=request.user, designation=entry, **d)
    ):
        messages.success(request, _("已撤销。"))
    else:
        _flash(request, form)
    return redirect("providers:priority_detail", pk=entry.pk)


def _flash(request: AuthedRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def _villages(request: AuthedRequest) -> list[VillageLine]:
    """Every village of the user's area, with the designation in force, if any."""
    today = timezone.localdate()
    designations = {
        p.village_id: p
        for p in access.priorities_for_user(request.user)
        .active_on(today)
        .filter(village__isnull=False)
    }
    villages = (
        Area.objects.visible_to(request.user)
        .filter(level=AreaLevel.VILLAGE)
        .select_related("parent")
        .order_by("code")
    )
    return [
        VillageLine(
            township=v.parent.name if v.parent else "",
            name=v.name,
            code=v.code,
            priority=designations.get(v.pk),
        )
        for v in villages
    ]


@authed(reach=roles.can_see_priorities)
def village_list(request: AuthedRequest) -> HttpResponse:
    page, query = paginate(request, _villages(request))
    return render(
        request,
        "providers/village_list.html",
        {"page": page, "query": query, "table": VILLAGES.page(page.object_list)},
    )


@authed(reach=roles.can_see_priorities)
def village_export(request: AuthedRequest) -> HttpResponse:
    return VILLAGES.response(request, _villages(request))
