"""Issue 10.3: no secret, no start, whatever server imports the application."""

from __future__ import annotations

import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from srbgov.ops.startup import SECRET_NAMES, require_secrets
from srbgov.ops.tests.helpers import PROJECT_DIR, PYTHON, fresh_key, server_env


def import_wsgi(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-c", "import srbgov.wsgi"],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", SECRET_NAMES)
def test_it_refuses_to_import_the_wsgi_application_without_each_secret(
    missing: str,
) -> None:
    env = server_env()
    del env[missing]
    result = import_wsgi(env)
    assert result.returncode != 0
    assert "srbgov 拒绝启动" in result.stderr
    assert f"缺少 {missing}" in result.stderr
    # Only the missing one is named: the message tells the operator what to fix.
    for other in set(SECRET_NAMES) - {missing}:
        assert f"缺少 {other}" not in result.stderr


def test_it_imports_the_wsgi_application_with_all_three() -> None:
    result = import_wsgi(server_env())
    assert result.returncode == 0, result.stderr


def test_it_refuses_a_short_field_key_at_import_not_at_the_first_decrypt() -> None:
    result = import_wsgi(server_env(SRBGOV_TIPS_KEY="c2hvcnQ="))
    assert result.returncode != 0
    assert "SRBGOV_TIPS_KEY 太短" in result.stderr


def test_it_refuses_the_same_key_for_identity_numbers_and_tipsters() -> None:
    key = fresh_key()
    with pytest.raises(ImproperlyConfigured, match="必须与 SRBGOV_FIELD_KEY 不同"):
        require_secrets(
            {"SECRET_KEY": "x" * 50, "SRBGOV_FIELD_KEY": key, "SRBGOV_TIPS_KEY": key}
        )


def test_a_blank_value_counts_as_missing() -> None:
    with pytest.raises(ImproperlyConfigured, match="缺少 SECRET_KEY"):
        require_secrets(
            {
                "SECRET_KEY": "   ",
                "SRBGOV_FIELD_KEY": fresh_key(),
                "SRBGOV_TIPS_KEY": fresh_key(),
            }
        )


@settings(deadline=None)
@given(present=st.sets(st.sampled_from(SECRET_NAMES)))
def test_the_message_names_exactly_the_missing_secrets(present: set[str]) -> None:
    environ = {
        "SECRET_KEY": "k" * 50,
        "SRBGOV_FIELD_KEY": fresh_key(),
        "SRBGOV_TIPS_KEY": fresh_key(),
    }
    environ = {name: value for name, value in environ.items() if name in present}
    if present == set(SECRET_NAMES):
        assert require_secrets(environ).secret_key == "k" * 50
        return
    with pytest.raises(ImproperlyConfigured) as raised:
        require_secrets(environ)
    named = {name for name in SECRET_NAMES if f"缺少 {name}" in str(raised.value)}
    assert named == set(SECRET_NAMES) - present


def test_the_repository_settings_hold_no_fallback_secret_key() -> None:
    source = (PROJECT_DIR / "src" / "srbgov" / "settings.py").read_text()
    assert "insecure" not in source.lower()
    assert 'SECRET_KEY = "' not in source
