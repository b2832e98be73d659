"""Logging in: password, then (for an account with a device) the second factor; first
enrolment of a device; one's own password change."""

from __future__ import annotations

import time
from typing import Any

import django_otp
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from srbgov.accounts import mfa
from srbgov.accounts.backends import count_failure, is_locked
from srbgov.accounts.forms import LOGIN_FAILED, LoginForm, TokenForm
from srbgov.accounts.models import User
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record

PENDING = "srbgov_mfa_pending"
ENROLLING = "srbgov_mfa_enrolling"


def _next(request: HttpRequest, fallback: str = "core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if mfa.has_device(user):
            # The password was right; the account is not logged in until the code is.
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": getattr(user, "backend", ""),
                "at": time.time(),
                "next": self.get_success_url(),
            }
            return redirect("accounts:login_verify")
        response = super().form_valid(form)
        record(user=user, action=AuditAction.LOGIN)
        return response


def _pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    pending = request.session.get(PENDING) or {}
    if time.time() - float(pending.get("at", 0)) > settings.MFA_PENDING_SECONDS:
        return None, {}
    pk = pending.get("user")
    if not isinstance(pk, int):
        return None, {}
    user = User.objects.filter(pk=pk, is_active=True).first()
    return user, pending


@login_not_required
@never_cache
@sensitive_post_parameters("token")
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a TOTP code or a recovery code. Wrong codes count towards the
    same lock-out as wrong passwords."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.error(request, _("登录已超时，请重新输入用户名和密码。"))
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = None
        if not is_locked(user):
            device = mfa.verify(user=user, token=form.cleaned_data["token"])
            if device is None:
                count_failure(user)
        if device is None:
            if is_locked(user):
                request.session.pop(PENDING, None)
                messages.error(request, str(LOGIN_FAILED))
                return redirect("accounts:login")
            form.add_error("token", _("验证码不正确。"))
        else:
            request.session.pop(PENDING, None)
            auth.login(request, user, backend=pending["backend"] or None)
            django_otp.login(request, device)
            record(user=user, action=AuditAction.LOGIN, detail={"mfa": True})
            return HttpResponseRedirect(pending.get("next") or resolve_url("core:home"))
    return render(request, "accounts/login_verify.html", {"form": form})


@never_cache
@sensitive_post_parameters("token")
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator app: scan the QR code (or type the secret), confirm with a
    code; the recovery codes are shown once, on the answer to that POST."""
    user: Any = request.user
    device = TOTPDevice.objects.filter(
        pk=request.session.get(ENROLLING), user=user, confirmed=False
    ).first()
    if device is None or (request.method == "GET" and "restart" in request.GET):
        device = mfa.start_enrolment(user=user)
        request.session[ENROLLING] = device.pk
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.confirm_enrolment(
                user=user, device_id=device.pk, token=form.cleaned_data["token"]
            )
        except ValidationError as problem:
            form.add_error("token", problem.messages)
        else:
            request.session.pop(ENROLLING, None)
            device.refresh_from_db()
            django_otp.login(request, device)
            response = render(
                request,
                "accounts/mfa_codes.html",
                {"codes": codes, "next": _next(request)},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "qr": mfa.qr_svg(device),
            "secret": mfa.secret_of(device),
            "required": mfa.is_required(user),
            "next": request.GET.get("next", ""),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        was_forced = user.must_change_password
        if was_forced:
            User.objects.filter(pk=user.pk).update(must_change_password=False)
        record(
            user=user,
            action=AuditAction.UPDATE,
            obj=user,
            detail={
                "change": "password_changed",
                "before": {"must_change_password": was_forced},
                "after": {"must_change_password": False},
            },
        )
        messages.success(self.request, _("密码已修改。"))
        return response

    def get_success_url(self) -> str:
        return _next(self.request)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(user=request.user, action=AuditAction.LOGOUT)
    auth.logout(request)
    return HttpResponseRedirect(resolve_url("accounts:login"))
