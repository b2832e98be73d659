from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from srbgov.audit.context import current_ip

# The public tip-off pages: a reporter's address is never recorded (tips app, issue 6).
UNRECORDED_PREFIXES = ("/report/",)


class AuditContextMiddleware:
    """Puts the client address where `audit.record` finds it, for the request's duration;
    not for the public tip-off pages, where it stays None."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = request.META.get("REMOTE_ADDR") or None
        if request.path.startswith(UNRECORDED_PREFIXES):
            address = None
        token = current_ip.set(address)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
