"""Per-request plumbing for production: request id, client address, log line, CSP.

Sits just inside SecurityMiddleware and WhiteNoise (static files are neither logged nor
given a page policy), outside sessions and authentication, so that its log line times
the whole request and carries the final status. See docs/deploy.md.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from srbgov.audit.middleware import UNRECORDED_PREFIXES
from srbgov.ops.logs import current_request_id
from srbgov.ops.proxy import client_address, meta_key

logger = logging.getLogger("srbgov.request")

# nginx's $request_id is 32 hex digits; accept that shape (or a UUID) and nothing else,
# so a client cannot put arbitrary text into the logs through the header.
REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{16,64}$")


def _request_id(request: HttpRequest) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    return offered if REQUEST_ID.match(offered) else uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    """The user's id if authentication already loaded it: never a query of its own, so
    that a log line costs nothing and works while the database is down. Never on the
    anonymous tip pages: a staff member reporting from a logged-in browser stays
    anonymous there too."""
    if request.path.startswith(UNRECORDED_PREFIXES):
        return None
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else None


def _set_client_address(request: HttpRequest) -> None:
    header = settings.SRBGOV_TRUSTED_PROXY_HEADER
    if not header:
        return
    key = meta_key(header)
    if request.path.startswith(UNRECORDED_PREFIXES):
        # A reporter's address must not enter the application at all: drop what the
        # proxy forwarded; REMOTE_ADDR stays the proxy's own.
        request.META.pop(key, None)
        return
    address = client_address(
        remote_addr=request.META.get("REMOTE_ADDR"),
        forwarded=request.META.get(key),
        hops=settings.SRBGOV_TRUSTED_PROXY_HOPS,
    )
    if address:
        request.META["REMOTE_ADDR"] = address


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = _request_id(request)
        token = current_request_id.set(request_id)
        try:
            _set_client_address(request)
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            policy = settings.SRBGOV_CONTENT_SECURITY_POLICY
            if policy and "Content-Security-Policy" not in response:
                # Views that serve files set a stricter sandbox policy; keep theirs.
                response["Content-Security-Policy"] = policy
            match = request.resolver_match
            status = response.status_code
            logger.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "request",
                extra={
                    "route": match.view_name if match else None,
                    "method": request.method,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            current_request_id.reset(token)
