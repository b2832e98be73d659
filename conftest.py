"""The test suite's secrets come from pytest-env (`env` in pyproject.toml).

They cannot be set here: pytest-django imports the settings before this file, and the
settings refuse to load without SECRET_KEY, SRBGOV_FIELD_KEY and SRBGOV_TIPS_KEY
(srbgov.ops.startup). pytest-env runs first and sets only what the environment lacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_media_of_the_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Path]:
    """Stored files of the whole run in a folder of its own, never the checkout's
    var/private: the demo county stores scans, and a test that counts the stored files
    (the backup drill) must not see another test's, nor another run's when the SQLite
    and PostgreSQL suites run side by side (scripts/test_both.sh). Test classes that
    need a clean folder of their own still use TemporaryMediaTestCase."""
    from django.conf import settings

    folder = tmp_path_factory.mktemp("private-media")
    previous = settings.PRIVATE_MEDIA_ROOT
    settings.PRIVATE_MEDIA_ROOT = folder
    yield folder
    settings.PRIVATE_MEDIA_ROOT = previous


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Django's PBKDF2 takes 0.4 s a password here, and every test class makes eleven
    personas: about a quarter of the suite's time went to hashing. MD5 is for tests
    only (Django's own advice); the deployment keeps Django's default hasher, which
    `test_passwords_are_stored_with_the_deployment_hasher` checks."""
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        yield
