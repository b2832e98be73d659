"""责任书, 联席会议, 督查: lists with filters and exports, the record pages and their
actions (docs/assessment.md §4). Thin: reads through access.py, writes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.audit.models import AuditAction
from srbgov.audit.services import record
from srbgov.core.forms import render_form, run_service
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate
from srbgov.files.serve import stored_file_response
from srbgov.workplans import access, exports, forms, queries, services
from srbgov.workplans.models import BookStatus

# --- 责任书 ---


def _books(request: AuthedRequest) -> Any:
    books = access.books_for_user(request.user).filter(
        year=forms.year_param(request.GET)
    )
    if request.GET.get("status") in BookStatus.values:
        books = books.filter(status=request.GET["status"])
    return books.select_related("issuer", "party_area", "party_unit")


@authed(reach=access.can_see_plans)
def book_list(request: AuthedRequest) -> HttpResponse:
    page, query = paginate(request, _books(request))
    year = forms.year_param(request.GET)
    return render(
        request,
        "workplans/book_list.html",
        {
            "page": page,
            "query": query,
            "year": year,
            "statuses": BookStatus.choices,
            "table": exports.BOOKS.page(page.object_list),
            "missing": queries.missing_books(scope=request.user.scope, year=year),
            "can_write": access.can_write_plans(request.user),
        },
    )


@authed(reach=access.can_see_plans)
def book_export(request: AuthedRequest) -> HttpResponse:
    return exports.BOOKS.response(request, _books(request))


@authed(reach=access.can_write_plans)
def book_create(request: AuthedRequest) -> HttpResponse:
    form = forms.BookForm(
        request.POST or None,
        user=request.user,
        initial={"year": forms.year_param(request.GET)},
    )

    def draft(data: dict[str, Any]) -> Any:
        party_area, party_unit = form.chosen_party()
        return services.draft_book(
            by=request.user,
            issuer=request.user.scope,
            year=data["year"],
            party_area=party_area,
            party_unit=party_unit,
            title=data["title"],
            targets=data["targets"],
        )

    if request.method == "POST" and (book := run_service(form, draft)):
        messages.success(request, _("责任书已拟定，签订后请上传签字盖章的扫描件。"))
        return redirect("workplans:book_detail", pk=book.pk)
    return render_form(
        request,
        form,
        title=_("拟定责任书"),
        cancel_url=reverse("workplans:book_list"),
    )


@authed(reach=access.can_see_plans)
def book_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    book = access.get_book_for_user(request.user, pk)
    can_sign = book.status == BookStatus.DRAFT and access.can_issue_book(
        request.user, book
    )
    return render(
        request,
        "workplans/book_detail.html",
        {"book": book, "form": forms.SignForm() if can_sign else None},
    )


@require_POST
@authed(reach=access.can_write_plans)
def book_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    book = access.get_book_for_user(request.user, pk)
    form = forms.SignForm(request.POST, request.FILES)
    if not access.can_issue_book(request.user, book):
        messages.error(request, _("只有发出责任书的单位可以登记签订。"))
    elif run_service(
        form, lambda d: services.sign_book(by=request.user, book=book, **d)
    ):
        messages.success(request, _("责任书已签订，扫描件已保存。"))
    else:
        messages.error(request, forms.error_text(form))
    return redirect("workplans:book_detail", pk=book.pk)


@authed(reach=access.can_see_plans)
def book_scan(request: AuthedRequest, pk: int) -> HttpResponse:
    book = access.get_book_for_user(request.user, pk)
    record(user=request.user, action=AuditAction.READ, obj=book, detail={"file": True})
    return stored_file_response(book.scan)


# --- 联席会议 ---


def _meetings(request: AuthedRequest) -> Any:
    return (
        access.meetings_for_user(request.user)
        .filter(held_on__year=forms.year_param(request.GET))
        .select_related("area")
        .annotate(
            attendee_count=Count("attendees", distinct=True),
            task_count=Count("tasks", distinct=True),
        )
        .order_by("-held_on", "-id")  # a GROUP BY drops Meta.ordering
    )


@authed(reach=access.can_see_plans)
def meeting_list(request: AuthedRequest) -> HttpResponse:
    page, query = paginate(request, _meetings(request))
    return render(
        request,
        "workplans/meeting_list.html",
        {
            "page": page,
            "query": query,
            "year": forms.year_param(request.GET),
            "table": exports.MEETINGS.page(page.object_list),
            "can_write": access.can_write_plans(request.user),
        },
    )


@authed(reach=access.can_see_plans)
def meeting_export(request: AuthedRequest) -> HttpResponse:
    return exports.MEETINGS.response(request, _meetings(request))


@authed(reach=access.can_write_plans)
def meeting_create(request: AuthedRequest) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and (
        meeting := run_service(
            form,
            lambda d: services.record_meeting(
                by=request.user, area=request.user.scope, **d
            ),
        )
    ):
        messages.success(request, _("联席会议已记录，请登记会议交办的任务。"))
        return redirect("workplans:meeting_detail", pk=meeting.pk)
    return render_form(
        request,
        form,
        title=_("记录联席会议"),
        cancel_url=reverse("workplans:meeting_list"),
    )


@authed(reach=access.can_see_plans)
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    can_write = access.can_write_plans(request.user)
    return render(
        request,
        "workplans/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": meeting.attendees.all(),
            "tasks": access.tasks_for_user(request.user).filter(meeting=meeting),
            "today": timezone.localdate(),
            "form": forms.TaskForm(user=request.user) if can_write else None,
        },
    )


@require_POST
@authed(reach=access.can_write_plans)
def meeting_task_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    form = forms.TaskForm(request.POST, user=request.user)
    if run_service(
        form,
        lambda d: services.add_meeting_task(by=request.user, meeting=meeting, **d),
    ):
        messages.success(request, _("交办任务已登记。"))
    else:
        messages.error(request, forms.error_text(form))
    return redirect("workplans:meeting_detail", pk=meeting.pk)
