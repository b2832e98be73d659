from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from srbgov.people.crypto import KeyError_, decode_key


@checks.register(checks.Tags.security, deploy=False)
def check_encryption_keys(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """A missing or short key stops start-up here, not at the first decrypt."""
    errors: list[checks.CheckMessage] = []
    for name, value in (
        ("SRBGOV_FIELD_KEY", settings.FIELD_ENCRYPTION_KEY),
        ("SRBGOV_TIPS_KEY", settings.TIPS_ENCRYPTION_KEY),
    ):
        try:
            decode_key(value, name=name)
        except KeyError_ as problem:
            errors.append(
                checks.Error(
                    str(problem),
                    id="srbgov.E001",
                    hint="make run 会在 var/dev.env 中生成开发用密钥。",
                )
            )
    if (
        settings.FIELD_ENCRYPTION_KEY
        and settings.FIELD_ENCRYPTION_KEY == settings.TIPS_ENCRYPTION_KEY
    ):
        errors.append(
            checks.Error(
                "SRBGOV_TIPS_KEY 必须与 SRBGOV_FIELD_KEY 不同。", id="srbgov.E002"
            )
        )
    return errors
