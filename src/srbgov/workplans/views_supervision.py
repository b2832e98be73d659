"""督查: supervision visits to villages and member units, their rectification items,
the visited unit's report and the township's review (docs/assessment.md §4)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.workplans import access, exports, forms, services
from srbgov.workplans.models import ItemStatus


def _items(request: AuthedRequest) -> Any:
    items = access.items_for_user(request.user).filter(
        visit__visited_on__year=forms.year_param(request.GET)
    )
    status = request.GET.get("status", "")
    if status == "overdue":
        items = items.overdue(on=timezone.localdate())
    elif status in ItemStatus.values:
        items = items.filter(status=status)
    return items.select_related("visit__visited_area", "visit__visited_unit")


@authed(reach=access.can_see_plans)
def supervision_list(request: AuthedRequest) -> HttpResponse:
    page, query = paginate(request, _items(request))
    visits = access.visits_for_user(request.user).filter(
        visited_on__year=forms.year_param(request.GET)
    )
    return render(
        request,
        "workplans/supervision_list.html",
        {
            "page": page,
            "query": query,
            "year": forms.year_param(request.GET),
            "statuses": [*ItemStatus.choices, ("overdue", _("已逾期"))],
            "table": exports.ITEMS.page(page.object_list),
            "visits": visits.select_related("visited_area", "visited_unit")[:50],
            "overdue": access.overdue_items_for(request.user).count(),
            "can_write": access.can_write_plans(request.user),
        },
    )


@authed(reach=access.can_see_plans)
def supervision_export(request: AuthedRequest) -> HttpResponse:
    return exports.ITEMS.response(request, _items(request))


@authed(reach=access.can_write_plans)
def supervision_create(request: AuthedRequest) -> HttpResponse:
    form = forms.SupervisionForm(request.POST or None, user=request.user)

    def save(data: dict[str, Any]) -> Any:
        party_area, party_unit = form.chosen_party()
        return services.record_supervision(
            by=request.user,
            area=request.user.scope,
            visited_on=data["visited_on"],
            team=data["team"],
            findings=data["findings"],
            visited_area=party_area,
            visited_unit=party_unit,
        )

    if request.method == "POST" and (visit := run_service(form, save)):
        messages.success(request, _("督查已记录，请登记需要整改的问题和期限。"))
        return redirect("workplans:supervision_detail", pk=visit.pk)
    return render_form(
        request,
        form,
        title=_("记录督查"),
        cancel_url=reverse("workplans:supervision_list"),
    )


@authed(reach=access.can_see_plans)
def supervision_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = access.get_visit_for_user(request.user, pk)
    can_write = access.can_write_plans(request.user)
    return render(
        request,
        "workplans/supervision_detail.html",
        {
            "visit": visit,
            "items": visit.items.all(),
            "today": timezone.localdate(),
            "can_review": can_write and request.user.scope.contains(visit.area),
            "item_form": forms.ItemForm() if can_write else None,
            "report_form": forms.ReportItemForm(),
            "review_form": forms.ReviewItemForm(),
        },
    )


@require_POST
@authed(reach=access.can_write_plans)
def supervision_item_add(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = access.get_visit_for_user(request.user, pk)
    form = forms.ItemForm(request.POST)
    if run_service(
        form,
        lambda d: services.add_supervision_item(by=request.user, visit=visit, **d),
    ):
        messages.success(request, _("整改事项已登记。"))
    else:
        messages.error(request, forms.error_text(form))
    return redirect("workplans:supervision_detail", pk=visit.pk)


@require_POST
@authed(reach=access.can_see_plans)
def item_report(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk)
    form = forms.ReportItemForm(request.POST)
    if run_service(
        form, lambda d: services.report_item(by=request.user, item=item, **d)
    ):
        messages.success(request, _("整改情况已报告，等待乡镇审核。"))
    else:
        messages.error(request, forms.error_text(form))
    return redirect("workplans:supervision_detail", pk=item.visit_id)


@require_POST
@authed(reach=access.can_write_plans)
def item_review(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk)
    form = forms.ReviewItemForm(request.POST)
    if not access.can_review_item(request.user, item):
        messages.error(request, _("只有组织督查的单位可以审核整改。"))
    elif run_service(
        form, lambda d: services.review_item(by=request.user, item=item, **d)
    ):
        messages.success(request, _("审核意见已保存。"))
    else:
        messages.error(request, forms.error_text(form))
    return redirect("workplans:supervision_detail", pk=item.visit_id)
