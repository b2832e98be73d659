"""Keep reporters' connections out of the logs.

Django's request loggers attach the request to every record (`django.request`: the
HttpRequest with its META, REMOTE_ADDR and HTTP_USER_AGENT included; `django.server`:
the client socket). A handler that prints them, such as the admins' e-mail handler,
would write the reporter's address down. For requests under the public /report/ prefix
this filter drops the attachment before any handler sees the record.
"""

from __future__ import annotations

import logging

PUBLIC_PREFIX = "/report/"
REQUEST_LOGGERS = ("django.request", "django.server", "django.security.csrf")


def is_public_path(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIX)


class ScrubReporterAddress(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path is None and record.args and isinstance(record.args, tuple):
            # django.server: args[0] is the request line, "GET /report/ HTTP/1.1".
            line = str(record.args[0])
            path = line.split(" ")[1] if " " in line else line
        if isinstance(path, str) and is_public_path(path):
            record.request = None
        return True


def protect_request_loggers() -> None:
    """Installed from TipsConfig.ready, after Django has configured logging."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubReporterAddress) for f in logger.filters):
            logger.addFilter(ScrubReporterAddress())
