"""gunicorn settings for srbgov: `make serve` and deploy/systemd/srbgov-web.service.

Everything that differs between a laptop and a server comes from the environment
(docs/deploy.md, "Application server").
"""

from __future__ import annotations

import os
from pathlib import Path

# The repository's src/ holds the srbgov package; no install step is needed.
pythonpath = str(Path(__file__).resolve().parent.parent / "src")
wsgi_app = "srbgov.wsgi:application"

# Loopback only: nginx in front adds TLS and the proxy headers. A server reachable
# directly would let clients write their own X-Forwarded-For.
bind = [os.environ.get("SRBGOV_BIND", "127.0.0.1:8000")]

# One sync worker per core plus one: srbgov's pages spend most of their time in Python
# (templates), not waiting on PostgreSQL, so more workers or threads than cores only
# queue on the CPU. Measured A/B with the load bench (docs/operations.md, "Load and
# faults"): on 2 cores, 3 sync workers answered about twice the requests of 5 workers
# with 2 threads each, at a third of the p95. nginx in front buffers slow clients, so
# sync workers are not held by them.
workers = int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("SRBGOV_THREADS", "1"))
timeout = int(os.environ.get("SRBGOV_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200

# The application writes one JSON line per request itself (srbgov.ops.middleware), with
# the route rather than the path and no client address; gunicorn's access log would
# print both (and the tip pages' addresses), so it stays off.
accesslog = None
errorlog = "-"
loglevel = "info"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "srbgov.ops.logs.JsonFormatter"}},
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    # Django configures the root logger in each worker (settings.LOGGING).
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        "gunicorn.error": {"handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
# No control socket in the service user's home: systemd starts, reloads and stops us.
control_socket_disable = True
# Header size limits as gunicorn's defaults; the upload limit lives in nginx and Django.
forwarded_allow_ips = "127.0.0.1,::1"
