"""Typed requests for views that need a logged-in user with a role and an area, and
the one place a view says which roles reach it (docs/access.md)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, overload

from django.http import Http404, HttpRequest, HttpResponse

from srbgov.accounts.models import User

P = ParamSpec("P")

RolePredicate = Callable[[Any], bool]
AuthedView = Callable[Concatenate["AuthedRequest", P], HttpResponse]
View = Callable[Concatenate[HttpRequest, P], HttpResponse]

# The attribute under which a view records its role predicate; the request-observed
# scope matrix (core/tests/test_scope_matrix.py) reads it from the URL resolver.
REACH_ATTRIBUTE = "srbgov_reach"


class AuthedRequest(HttpRequest):
    user: User


@overload
def authed(view: AuthedView[P], /) -> View[P]: ...


@overload
def authed(*, reach: RolePredicate) -> Callable[[AuthedView[P]], View[P]]: ...


def authed(
    view: AuthedView[P] | None = None, /, *, reach: RolePredicate | None = None
) -> View[P] | Callable[[AuthedView[P]], View[P]]:
    """The user is logged in (the middleware saw to it) and holds a role at an area;
    an account without one sees nothing at all. With `reach`, a role the predicate
    refuses gets 404 before the view runs, and the predicate is recorded on the
    view so that the scope matrix tests every role against it."""

    def decorate(inner: AuthedView[P]) -> View[P]:
        @wraps(inner)
        def wrapper(
            request: HttpRequest, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            user: Any = request.user
            if not user.is_authenticated or not user.role or user.area_id is None:
                raise Http404
            if reach is not None and not reach(user):
                raise Http404
            return inner(request, *args, **kwargs)  # type: ignore[arg-type]

        if reach is not None:
            setattr(wrapper, REACH_ATTRIBUTE, reach)
        return wrapper  # type: ignore[return-value]

    return decorate(view) if view is not None else decorate


def reach_of(view: Callable[..., Any]) -> RolePredicate | None:
    """The role predicate a view declared with `@authed(reach=…)`, if any."""
    found: RolePredicate | None = getattr(view, REACH_ATTRIBUTE, None)
    return found


def require(predicate: Callable[[User], bool], user: User) -> None:
    """Pages a role may not use do not exist for it (404, docs/design.md §3)."""
    if not predicate(user):
        raise Http404
