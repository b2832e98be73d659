"""The client address of the request being served, for the audit log.

Set by `AuditContextMiddleware` for staff pages only: the public tip-off pages never pass
through it, so nothing about a reporter's connection can reach the log.
"""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
