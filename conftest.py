"""Test-only keys (never used outside the tests), applied where the environment has none."""

from __future__ import annotations

import pytest

TEST_FIELD_KEY = "dGVzdC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy4uLi4="
TEST_TIPS_KEY = "dGVzdC10aXBzLWtleS0zMi1ieXRlcy1sb25nLi4uLi4="


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.FIELD_ENCRYPTION_KEY = settings.FIELD_ENCRYPTION_KEY or TEST_FIELD_KEY
    settings.TIPS_ENCRYPTION_KEY = settings.TIPS_ENCRYPTION_KEY or TEST_TIPS_KEY
