"""Environment for subprocesses that start srbgov the way a server does."""

from __future__ import annotations

import base64
import os
import secrets
import socket
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[4]
PYTHON = sys.executable


def fresh_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def server_env(**overrides: str) -> dict[str, str]:
    """The parent's environment minus everything srbgov reads, plus fresh secrets:
    what a new process on a fresh server would see."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SRBGOV_", "DJANGO_"))
        and name not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "STATIC_ROOT"}
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        SRBGOV_FIELD_KEY=fresh_key(),
        SRBGOV_TIPS_KEY=fresh_key(),
        PYTHONPATH=str(PROJECT_DIR / "src"),
    )
    env.update(overrides)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
