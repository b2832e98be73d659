from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

# Paths anyone may open: the login page, language switch, static files, and (later) the
# public tip-off pages, which must work without an account.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/i18n/",
    "/static/",
    "/report/",
    "/sysadmin/",
    "/healthz",
)


class LoginRequiredMiddleware:
    """Every page needs a logged-in user unless its path is listed as public."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(
            PUBLIC_PREFIXES
        ):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
