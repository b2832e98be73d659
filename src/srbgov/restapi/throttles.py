"""Write throttling (docs/api.md, "Throttles"): pushes per token (or per session
account) and minute, from `settings.SRBGOV_API_PUSH_RATE`; reads are not throttled.

The counts live in Django's cache: the default in-process cache counts per server
process, so with N gunicorn workers a client may reach N times the rate; a shared
cache (CACHES) makes it exact.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from srbgov.restapi.models import ApiToken


class PushThrottle(SimpleRateThrottle):
    scope = "push"

    def get_rate(self) -> str:
        # Read when the request comes, not at import: tests and operators change it.
        return str(settings.SRBGOV_API_PUSH_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.method in SAFE_METHODS:
            return None
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        else:
            ident = f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
