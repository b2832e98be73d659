"""The idle logout without a session write on every request.

Django's `SESSION_SAVE_EVERY_REQUEST` keeps a session alive by rewriting its row on every
request, so every page, even a read, is a database write. This middleware writes it at
most once per `SRBGOV_SESSION_REFRESH_SECONDS` (default 60): it stamps the time of the
last refresh into the session, which marks it modified, and SessionMiddleware then saves
it with a new expiry. A session therefore ends between `SESSION_COOKIE_AGE` minus the
refresh interval and `SESSION_COOKIE_AGE` after the last request (docs/operations.md,
"Load and faults"). 0 refreshes on every request, as Django's setting did.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

REFRESHED_KEY = "_srbgov_refreshed"


def needs_refresh(*, last: int | None, now: int, interval: int) -> bool:
    """Whether a session last refreshed at `last` (None: never) is rewritten now. A
    stamp from the future (the clock stepped back) refreshes too, so it cannot pin a
    session's expiry."""
    return last is None or now - last >= interval or now < last


class SessionRefreshMiddleware:
    """Right after SessionMiddleware. Only a logged-in user's session is refreshed: a
    stale or forged cookie, or an anonymous visitor, never gets a session row from it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Read after the view: a logout in this request has emptied the session, and
        # a stamp would bring back a session without a user.
        if session is not None and SESSION_KEY in session:
            last = session.get(REFRESHED_KEY)
            now = int(time.time())
            if needs_refresh(
                last=last if isinstance(last, int) else None,
                now=now,
                interval=settings.SRBGOV_SESSION_REFRESH_SECONDS,
            ):
                session[REFRESHED_KEY] = now
        return response
