from __future__ import annotations

from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.views.decorators.http import require_POST

from srbgov.accounts.forms import LoginForm
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        record(user=form.get_user(), action=AuditAction.LOGIN)
        return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(user=request.user, action=AuditAction.LOGOUT)
    auth.logout(request)
    return HttpResponseRedirect(resolve_url("accounts:login"))
