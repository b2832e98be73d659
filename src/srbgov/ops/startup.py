"""The secrets srbgov refuses to start without, checked when the settings are imported.

Imported by `srbgov.settings`, so it must not import Django models or settings. A check at
import time holds for every way of starting the application (gunicorn, `manage.py`,
`import srbgov.wsgi`); Django's system checks run only for `manage.py` commands, which is
how a WSGI server used to start without keys and fail on the first tip. See
docs/deploy.md ("Secrets").
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

MIN_KEY_BYTES = 32
SECRET_NAMES = ("SECRET_KEY", "SRBGOV_FIELD_KEY", "SRBGOV_TIPS_KEY")
HOW_TO = (
    "\n生产环境请在环境文件中设置（见 deploy/production.env.example 与 docs/deploy.md）；"
    "本机试用请用 `make run` 或 `make serve`，它们会在 var/dev.env 生成开发用密钥。"
    '\nGenerate a key with: python3 -c "import base64,os;'
    'print(base64.b64encode(os.urandom(32)).decode())"'
)


@dataclass(frozen=True)
class Secrets:
    secret_key: str
    field_key: str
    tips_key: str


def key_problem(value: str, *, name: str) -> str | None:
    """Why an encryption key cannot be used, or None: base64 of at least 32 bytes."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return f"{name} 不是有效的 base64 编码"
    if len(raw) < MIN_KEY_BYTES:
        return f"{name} 太短：需要至少{MIN_KEY_BYTES}字节，实际{len(raw)}字节"
    return None


def require_secrets(environ: Mapping[str, str]) -> Secrets:
    """Every secret present and usable, or ImproperlyConfigured naming each problem."""
    values = {name: environ.get(name, "").strip() for name in SECRET_NAMES}
    problems = [f"缺少 {name}" for name, value in values.items() if not value]
    for name in ("SRBGOV_FIELD_KEY", "SRBGOV_TIPS_KEY"):
        if values[name] and (problem := key_problem(values[name], name=name)):
            problems.append(problem)
    if values["SRBGOV_FIELD_KEY"] and (
        values["SRBGOV_FIELD_KEY"] == values["SRBGOV_TIPS_KEY"]
    ):
        problems.append("SRBGOV_TIPS_KEY 必须与 SRBGOV_FIELD_KEY 不同")
    if problems:
        raise ImproperlyConfigured(
            "srbgov 拒绝启动 (refusing to start):\n"
            + "\n".join(f"  - {problem}" for problem in problems)
            + HOW_TO
        )
    return Secrets(
        secret_key=values["SECRET_KEY"],
        field_key=values["SRBGOV_FIELD_KEY"],
        tips_key=values["SRBGOV_TIPS_KEY"],
    )
