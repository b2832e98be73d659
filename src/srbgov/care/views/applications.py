"""Applications, township review, the public notice and county approval
(docs/care.md §3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.areas.models import Area, AreaLevel
from srbgov.care import access, roles, services
from srbgov.care.exports import APPLICATIONS, NOTICE_LINES, NOTICES
from srbgov.care.forms import ApplicationFilterForm, DecisionForm, NoticeForm
from srbgov.care.models import ApplicationStatus
from srbgov.care.views.common import render_list
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed


def _applications(request: AuthedRequest) -> tuple[ApplicationFilterForm, Any]:
    form = ApplicationFilterForm(request.GET or None)
    items = access.applications_for_user(request.user)
    if form.is_valid() and form.cleaned_data["status"]:
        items = items.filter(status=form.cleaned_data["status"])
    return form, items


@authed(reach=roles.can_see_care)
def application_list(request: AuthedRequest) -> HttpResponse:
    form, items = _applications(request)
    return render_list(
        request,
        title=_("扶助申请"),
        export=APPLICATIONS,
        items=items,
        link=lambda a: reverse("care:application_detail", args=[a.pk]),
        export_url=reverse("care:application_export"),
        form=form,
    )


@authed(reach=roles.can_see_care)
def application_export(request: AuthedRequest) -> HttpResponse:
    _form, items = _applications(request)
    return APPLICATIONS.response(request, items)


@authed(reach=roles.can_see_care)
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_user(request.user, pk)
    status = application.status
    user = request.user
    return render(
        request,
        "care/application_detail.html",
        {
            "application": application,
            "payments": list(application.payments.select_related("batch")),
            "findings": list(application.findings.all()),
            "review_form": DecisionForm()
            if status == ApplicationStatus.SUBMITTED
            and roles.can_review_applications(user)
            else None,
            "approve_form": DecisionForm()
            if status == ApplicationStatus.ON_NOTICE
            and roles.can_approve_applications(user)
            else None,
            "can_change_account": roles.can_handle_payments(user),
        },
    )


def _decide(request: AuthedRequest, pk: int, call: Any) -> HttpResponse:
    application = access.get_application_for_user(request.user, pk, log_read=False)
    form = DecisionForm(request.POST)
    if run_service(
        form,
        lambda d: call(
            application=application,
            approve=d["decision"] == "approve",
            note=d["note"],
        ),
    ):
        messages.success(request, _("已保存意见。"))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("care:application_detail", pk=application.pk)


@authed(reach=roles.can_review_applications)
@require_POST
def application_review(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, lambda **kw: services.review(by=request.user, **kw))


@authed(reach=roles.can_approve_applications)
@require_POST
def application_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        lambda **kw: services.approve(by=request.user, on=timezone.localdate(), **kw),
    )


@authed(reach=roles.can_see_notices)
def notice_list(request: AuthedRequest) -> HttpResponse:
    actions = []
    if roles.can_post_notices(request.user):
        actions = [(_("张贴公示"), reverse("care:notice_create"))]
    return render_list(
        request,
        title=_("公示"),
        export=NOTICES,
        items=access.notices_for_user(request.user),
        link=lambda n: reverse("care:notice_detail", args=[n.pk]),
        export_url=reverse("care:notice_export"),
        actions=actions,
    )


@authed(reach=roles.can_see_notices)
def notice_export(request: AuthedRequest) -> HttpResponse:
    return NOTICES.response(request, access.notices_for_user(request.user))


@authed(reach=roles.can_post_notices)
def notice_create(request: AuthedRequest) -> HttpResponse:
    villages = Area.objects.visible_to(request.user).filter(level=AreaLevel.VILLAGE)
    form = NoticeForm(
        request.POST or None,
        villages=villages,
        programs=access.programs_for_user(request.user),
    )
    done = request.method == "POST" and run_service(
        form, lambda d: services.post_notice(by=request.user, **d)
    )
    if done:
        messages.success(request, _("已张贴公示。"))
        return redirect("care:notice_detail", pk=done.pk)
    return render_form(
        request,
        form,
        title=_("张贴公示"),
        cancel_url=reverse("care:notice_list"),
        intro=_("该村乡镇审核通过的申请全部列入本次公示；公示名单只列姓名和金额。"),
    )


@authed(reach=roles.can_see_notices)
def notice_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The printable notice: names and amounts only."""
    notice = access.get_notice_for_user(request.user, pk)
    lines = NOTICE_LINES.table(notice.applications.order_by("payee_name", "id"))
    return render(
        request, "care/notice_detail.html", {"notice": notice, "lines": lines}
    )
