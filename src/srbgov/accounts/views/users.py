"""The administrator's pages: accounts of their own area's subtree, and the role
requests waiting for a second administrator (docs/administration.md)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srbgov.accounts import services
from srbgov.accounts.access import (
    get_role_request_for_admin,
    get_user_for_admin,
    role_requests_for_admin,
    users_for_admin,
)
from srbgov.accounts.forms import ProfileForm, RoleForm, UserCreateForm, UserFilterForm
from srbgov.accounts.models import RoleRequestStatus, User
from srbgov.accounts.roles import can_manage_users
from srbgov.core.forms import add_service_errors
from srbgov.core.http import AuthedRequest, authed
from srbgov.core.paging import paginate


@authed(reach=can_manage_users)
def user_list(request: AuthedRequest) -> HttpResponse:
    users = users_for_admin(request.user).select_related("area").order_by("username")
    form = UserFilterForm(request.GET or None)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            users = users.filter(
                Q(username__icontains=d["q"])
                | Q(last_name__icontains=d["q"])
                | Q(first_name__icontains=d["q"])
            )
        if d["role"]:
            users = users.filter(role=d["role"])
        state = d["state"]
        if state == "inactive":
            users = users.filter(is_active=False)
        elif state == "locked":
            users = users.filter(locked_until__gt=timezone.now())
        elif state == "active":
            users = users.filter(is_active=True).exclude(
                locked_until__gt=timezone.now()
            )
        elif state == "pending":
            users = users.filter(role_requests__status=RoleRequestStatus.PENDING)
    page, query = paginate(request, users)
    pending = role_requests_for_admin(request.user).filter(
        status=RoleRequestStatus.PENDING
    )
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "query": query, "pending": pending.count()},
    )


@authed(reach=can_manage_users)
def user_create(request: AuthedRequest) -> HttpResponse:
    users_for_admin(request.user)  # 404 for any other role
    form = UserCreateForm(request.POST or None, scope=request.user.scope)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user, password, pending = services.create_user(
                by=request.user,
                username=d["username"],
                last_name=d["last_name"],
                first_name=d["first_name"],
                phone=d["phone"],
                role=d["role"],
                area=d["area"],
                reason=d["reason"],
            )
        except ValidationError as problem:
            add_service_errors(form, problem)
        else:
            return _password_page(request, user, password, pending is not None)
    return render(
        request, "accounts/user_form.html", {"form": form, "title": _("新建用户")}
    )


def _password_page(
    request: AuthedRequest, user: User, password: str, pending: bool
) -> HttpResponse:
    """The one-time password is shown on this answer only, never stored or logged."""
    response = render(
        request,
        "accounts/user_password.html",
        {"subject": user, "password": password, "pending": pending},
    )
    response["Cache-Control"] = "no-store"
    return response


@authed(reach=can_manage_users)
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_user_for_admin(request.user, pk)
    scope = request.user.scope
    initial = {"role": user.role, "area": user.area_id}
    profile = ProfileForm(
        initial={
            "last_name": user.last_name,
            "first_name": user.first_name,
            "phone": user.phone,
        }
    )
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "is_self": user.pk == request.user.pk,
            "role_form": RoleForm(initial=initial, scope=scope),
            "profile_form": profile,
            "requests": user.role_requests.select_related(
                "area", "requested_by", "decided_by"
            )[:10],
        },
    )


def _post_form(
    request: AuthedRequest,
    pk: int,
    form: ProfileForm | RoleForm,
    act: Callable[[User], str],
) -> HttpResponse:
    user = get_user_for_admin(request.user, pk)
    if form.is_valid():
        try:
            messages.success(request, act(user))
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
    else:
        messages.error(
            request, " ".join(str(e) for errs in form.errors.values() for e in errs)
        )
    return redirect("accounts:user_detail", pk=pk)


@authed(reach=can_manage_users)
@require_POST
def user_role(request: AuthedRequest, pk: int) -> HttpResponse:
    form = RoleForm(request.POST, scope=request.user.scope)

    def act(user: User) -> str:
        d = form.cleaned_data
        pending = services.change_role(
            by=request.user,
            user=user,
            role=d["role"],
            area=d["area"],
            reason=d["reason"],
        )
        return _("已提交，待另一名管理员审批。") if pending else _("角色和区划已修改。")

    return _post_form(request, pk, form, act)


@authed(reach=can_manage_users)
@require_POST
def user_profile(request: AuthedRequest, pk: int) -> HttpResponse:
    form = ProfileForm(request.POST)

    def act(user: User) -> str:
        services.edit_profile(by=request.user, user=user, **form.cleaned_data)
        return _("已保存。")

    return _post_form(request, pk, form, act)


@authed(reach=can_manage_users)
@require_POST
def user_password_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_user_for_admin(request.user, pk)
    try:
        password = services.reset_password(by=request.user, user=user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("accounts:user_detail", pk=pk)
    return _password_page(request, user, password, pending=False)


ACTIONS: dict[str, Callable[..., None]] = {
    "lock": services.lock,
    "unlock": services.unlock,
    "deactivate": lambda *, by, user: services.set_active(
        by=by, user=user, active=False
    ),
    "activate": lambda *, by, user: services.set_active(by=by, user=user, active=True),
}


@authed(reach=can_manage_users)
@require_POST
def user_state(request: AuthedRequest, pk: int) -> HttpResponse:
    """Lock, unlock, deactivate or reactivate: never delete."""
    user = get_user_for_admin(request.user, pk)
    act = ACTIONS.get(request.POST.get("action", ""))
    if act is None:
        messages.error(request, _("未知操作。"))
    else:
        try:
            act(by=request.user, user=user)
            messages.success(request, _("已保存。"))
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
    return redirect("accounts:user_detail", pk=pk)


@authed(reach=can_manage_users)
def request_list(request: AuthedRequest) -> HttpResponse:
    requests = role_requests_for_admin(request.user).select_related(
        "user", "area", "before_area", "requested_by", "decided_by"
    )
    show = request.GET.get("show", "pending")
    if show == "pending":
        requests = requests.filter(status=RoleRequestStatus.PENDING)
    page, query = paginate(request, requests)
    return render(
        request,
        "accounts/request_list.html",
        {"page": page, "query": query, "show": show},
    )


@authed(reach=can_manage_users)
@require_POST
def request_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """The second administrator approves or rejects; the first one cannot."""
    role_request = get_role_request_for_admin(request.user, pk)
    try:
        if request.POST.get("decision") == "approve":
            services.approve_request(by=request.user, request=role_request)
            messages.success(request, _("已批准，角色即时生效。"))
        else:
            services.reject_request(by=request.user, request=role_request)
            messages.success(request, _("已驳回。"))
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    return redirect("accounts:request_list")
