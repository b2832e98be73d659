"""Idempotency keys for pushes (docs/api.md, "Idempotency").

A client that may retry (a timeout, a lost answer) sends `Idempotency-Key: <its own
unique string>` with the push. The first request with a key runs; its successful
answer is kept. A retry with the same key and the same body gets that answer again
(status and body, header `Idempotent-Replayed: true`) and creates nothing; the same key
with a different body, or on another endpoint, is a 422. Keys belong to the calling
account: two facilities cannot collide.

Races: the caller's account row is locked (SELECT … FOR UPDATE) before the key is
looked up, so the second of two simultaneous retries waits for the first and finds its
answer; on SQLite the database write lock does the same (transaction_mode IMMEDIATE).
The unique constraint (user, key) is the last word. Refused pushes (400) are not kept:
a retry after a correction may succeed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from srbgov.accounts.models import User
from srbgov.restapi.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
# Printable ASCII without spaces: UUIDs, ULIDs, a hospital's own record numbers.
_KEY = re.compile(r"[\x21-\x7e]{1,100}")


def body_hash(data: object) -> str:
    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def once(request: Request, *, route: str, run: Callable[[], Response]) -> Response:
    """Run the push, or answer as the first request with this key did."""
    key = request.headers.get(HEADER)
    if key is None:
        return run()
    if not _KEY.fullmatch(key):
        return Response(
            {"detail": _("Idempotency-Key 应为1到100个可见ASCII字符（不含空格）。")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    digest = body_hash(request.data)
    user: Any = request.user
    with transaction.atomic():
        # Evaluated as a list: the lock must be taken by a real SELECT … FOR UPDATE.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        seen = IdempotentRequest.objects.filter(user=user, key=key).first()
        if seen is not None:
            if seen.body_hash != digest or seen.route != route:
                return Response(
                    {
                        "detail": _(
                            "该幂等键（Idempotency-Key）已用于内容不同的请求；"
                            "重试时请发送与第一次完全相同的内容，新的记录请用新的键。"
                        )
                    },
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                )
            replay = Response(seen.response, status=seen.status_code)
            replay[REPLAYED] = "true"
            return replay
        response = run()
        if status.is_success(response.status_code):
            IdempotentRequest.objects.create(
                user=user,
                key=key,
                route=route,
                body_hash=digest,
                status_code=response.status_code,
                response=json.loads(json.dumps(response.data, default=str)),
            )
        return response
