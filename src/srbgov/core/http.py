"""Typed requests for views that need a logged-in user with a role and an area."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.http import Http404, HttpRequest, HttpResponse

from srbgov.accounts.models import User

P = ParamSpec("P")


class AuthedRequest(HttpRequest):
    user: User


def authed(
    view: Callable[Concatenate[AuthedRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """The user is logged in (the middleware saw to it) and holds a role at an area;
    an account without one sees nothing at all."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated or not user.role or user.area_id is None:
            raise Http404
        return view(request, *args, **kwargs)  # type: ignore[arg-type]

    return wrapper  # type: ignore[return-value]


def require(predicate: Callable[[User], bool], user: User) -> None:
    """Pages a role may not use do not exist for it (404, DESIGN §3)."""
    if not predicate(user):
        raise Http404
