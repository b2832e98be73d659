"""Error pages that render without the database.

Django's 500 handler receives every exception that escapes a view or a middleware
(sessions and authentication included), so an unreachable database is answered here:
503 with a Chinese page that says to try again, not a traceback and not "server error".
The next request reconnects (CONN_HEALTH_CHECKS), so nothing needs restarting when the
database comes back. See docs/deploy.md ("Database outage").
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from srbgov.ops.logs import current_request_id

# The database may be down for minutes during a restart or a failover.
RETRY_AFTER_SECONDS = 30


def database_unavailable() -> bool:
    error = sys.exc_info()[1]
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    # No RequestContext: context processors read the user, which needs the database.
    context = {"request_id": current_request_id.get()}
    if database_unavailable():
        response = HttpResponse(render_to_string("ops/503.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse(render_to_string("ops/500.html", context), status=500)
    response["Cache-Control"] = "no-store"
    return response
