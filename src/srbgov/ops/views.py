"""Error pages that render without the database.

A session that cannot be saved because the database went away surfaces as Django's
`SessionInterrupted` (a 400, "bad request"): the 400 handler looks at what caused it and
answers the same 503 when the cause was the database.

Django's 500 handler receives every exception that escapes a view or a middleware
(sessions and authentication included), so an unreachable database is answered here:
503 with a Chinese page that says to try again, not a traceback and not "server error".
The next request reconnects (CONN_HEALTH_CHECKS), so nothing needs restarting when the
database comes back. See docs/deploy.md ("Database outage").
"""

from __future__ import annotations

import sys

from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from srbgov.ops.logs import current_request_id

# The database may be down for minutes during a restart or a failover.
RETRY_AFTER_SECONDS = 30


def caused_by_database(error: BaseException | None) -> bool:
    """Whether `error`, or anything it was raised from or while handling, is a lost
    database connection (the session store wraps it in UpdateError, then
    SessionInterrupted)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def database_unavailable() -> bool:
    return caused_by_database(sys.exc_info()[1])


def _unavailable() -> HttpResponse:
    # No RequestContext: context processors read the user, which needs the database.
    context = {"request_id": current_request_id.get()}
    response = HttpResponse(render_to_string("ops/503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unavailable():
        return _unavailable()
    context = {"request_id": current_request_id.get()}
    response = HttpResponse(render_to_string("ops/500.html", context), status=500)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, SessionInterrupted) and caused_by_database(exception):
        return _unavailable()
    return defaults.bad_request(request, exception)
