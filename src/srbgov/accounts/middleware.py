"""What a logged-in user must do before anything else (docs/administration.md):

1. a session that did not pass the second factor of an account that has one ends;
2. a role that requires a second factor without one enrols it;
3. a password set by an administrator is changed.

Django's LoginRequiredMiddleware, before this one, already sent anonymous users to the
login page; views marked `login_not_required` (login, public tip pages) pass both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import auth
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from srbgov.accounts import mfa

# Route names a user may open while the gate holds them.
ENROL_ALLOWED = frozenset({"accounts:logout", "accounts:mfa_enrol", "set_language"})
PASSWORD_ALLOWED = ENROL_ALLOWED | {"accounts:password_change"}


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: list[Any],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True):
            return None
        user: Any = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if not user.is_verified():
            if mfa.has_device(user):
                # Logged in before the device was enrolled, or around the second step.
                auth.logout(request)
                return redirect_to_login(request.get_full_path())
            if mfa.is_required(user) and name not in ENROL_ALLOWED:
                return _to("accounts:mfa_enrol", request)
        if user.must_change_password and name not in PASSWORD_ALLOWED:
            return _to("accounts:password_change", request)
        return None


def _to(route: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(route)}?{urlencode({'next': request.get_full_path()})}")
