"""One JSON object a line, for journald and any log shipper.

What goes in is chosen field by field (an allow-list), never by dumping the record:
Django's request loggers attach the HttpRequest (client address, cookies, user agent) and
the tip-off pages must leave none of it behind (docs/deploy.md, "Logs").
"""

from __future__ import annotations

import json
import logging
import time
from contextvars import ContextVar
from typing import Any

# Set by RequestContextMiddleware for the duration of a request, so that any log line
# written while serving it (a warning from a service, an error) carries the same id.
current_request_id: ContextVar[str | None] = ContextVar(
    "current_request_id", default=None
)

# Extra fields a logger may pass (`logger.info(..., extra={...})`) that are copied out.
# Keep this list free of anything that could hold personal data or tip content.
ALLOWED_EXTRAS = (
    "route",
    "method",
    "status",
    "duration_ms",
    "user_id",
    "status_code",
    "job",
    "outcome",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for name in ALLOWED_EXTRAS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
