"""The alert queue (预警): township officers filter, assign, note and resolve."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Max, Window
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import roles
from srbgov.alerts import services
from srbgov.alerts.access import alerts_for_user, get_alert_for_user
from srbgov.alerts.exports import ALERTS
from srbgov.alerts.forms import AlertFilterForm, AssignForm, NoteForm, ResolveForm
from srbgov.alerts.models import Alert, AlertStatus
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate

# Where an alert's subject is shown: subject_type → (url name, pk of the page).
SUBJECT_PAGES = {
    "pregnancy": "pregnancies:pregnancy_detail",
}


def _filtered(request: AuthedRequest) -> tuple[AlertFilterForm, Any]:
    alerts = alerts_for_user(request.user)
    data = request.GET.copy() if request.GET else None
    if data is not None and "status" not in data:
        data["status"] = AlertStatus.OPEN
    form = AlertFilterForm(
        data or {"status": AlertStatus.OPEN}, scope=request.user.scope
    )
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("kind"):
        alerts = alerts.filter(kind=filters["kind"])
    if filters.get("status"):
        alerts = alerts.filter(status=filters["status"])
    if filters.get("mine"):
        alerts = alerts.filter(assignee=request.user)
    if filters.get("township"):
        alerts = alerts.in_area(filters["township"])
    if filters.get("age"):
        alerts = alerts.aged(filters["age"], now=timezone.now())
    # Alerts about one subject (one woman's pregnancy) sit together, whatever their
    # kinds: the group takes the place of its newest alert (docs/homes.md, "Details").
    subject = [F("subject_type"), F("subject_id")]
    return form, (
        alerts.select_related("area__parent", "assignee")
        .annotate(
            group_latest=Window(Max("opened_at"), partition_by=subject),
            group_size=Window(Count("id"), partition_by=subject),
        )
        .order_by("-group_latest", "subject_type", "subject_id", "-opened_at", "-id")
    )


@authed(reach=roles.can_work_alerts)
def alert_list(request: AuthedRequest) -> HttpResponse:
    form, alerts = _filtered(request)
    page, query = paginate(request, alerts)
    return render(
        request,
        "alerts/alert_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "table": ALERTS.page(page.object_list),
        },
    )


@authed(reach=roles.can_work_alerts)
def alert_export(request: AuthedRequest) -> HttpResponse:
    _form, alerts = _filtered(request)
    return ALERTS.response(request, alerts)


def _subject_url(alert: Alert) -> str | None:
    name = SUBJECT_PAGES.get(alert.subject_type)
    if name is None or not alert.subject_id.isdigit():
        return None
    try:
        return reverse(name, args=[int(alert.subject_id)])
    except NoReverseMatch:
        return None


@authed(reach=roles.can_work_alerts)
def alert_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    alert = get_alert_for_user(request.user, pk)
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "notes": list(alert.notes.select_related("author")),
            "subject_url": _subject_url(alert),
            "note_form": NoteForm(),
            "assign_form": AssignForm(
                area=alert.area, initial={"assignee": alert.assignee_id}
            ),
            "resolve_form": ResolveForm(),
        },
    )


def _done(
    request: AuthedRequest, alert: Alert, problem: ValidationError | None
) -> HttpResponse:
    if problem is not None:
        messages.error(request, "；".join(problem.messages))
    return redirect("alerts:alert_detail", pk=alert.pk)


@authed(reach=roles.can_work_alerts)
@require_POST
def alert_note(request: AuthedRequest, pk: int) -> HttpResponse:
    alert = get_alert_for_user(request.user, pk, log_read=False)
    try:
        services.add_alert_note(
            by=request.user, alert=alert, text=request.POST.get("text", "")
        )
    except ValidationError as problem:
        return _done(request, alert, problem)
    messages.success(request, _("已添加处理记录。"))
    return _done(request, alert, None)


@authed(reach=roles.can_work_alerts)
@require_POST
def alert_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    alert = get_alert_for_user(request.user, pk, log_read=False)
    form = AssignForm(request.POST, area=alert.area)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择本辖区的负责人。"))
        services.assign_alert(
            by=request.user, alert=alert, assignee=form.cleaned_data["assignee"]
        )
    except ValidationError as problem:
        return _done(request, alert, problem)
    messages.success(request, _("已分派。"))
    return _done(request, alert, None)


@authed(reach=roles.can_work_alerts)
@require_POST
def alert_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    alert = get_alert_for_user(request.user, pk, log_read=False)
    try:
        services.resolve_alert(
            by=request.user, alert=alert, resolution=request.POST.get("resolution", "")
        )
    except ValidationError as problem:
        return _done(request, alert, problem)
    messages.success(request, _("预警已处理。"))
    return redirect("alerts:alert_list")
