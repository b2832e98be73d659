"""deploy/production.env.example: complete, and `check --deploy` finds nothing in it."""

from __future__ import annotations

import re
import secrets
import subprocess
from pathlib import Path

from srbgov.ops.tests.helpers import PROJECT_DIR, PYTHON, fresh_key, server_env

EXAMPLE = PROJECT_DIR / "deploy" / "production.env.example"
# Read only by the development and test set-ups, not by a deployment.
NOT_FOR_PRODUCTION = {"SECURE_COOKIES"}


def example_values() -> dict[str, str]:
    values: dict[str, str] = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def variables_read_by(path: Path) -> set[str]:
    source = path.read_text()
    return set(
        re.findall(r'(?:env[a-z]*|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]+)"', source)
    )


def test_every_variable_the_server_reads_is_in_the_example() -> None:
    read = variables_read_by(PROJECT_DIR / "src" / "srbgov" / "settings.py")
    read |= variables_read_by(PROJECT_DIR / "deploy" / "gunicorn.conf.py")
    read |= {"SECRET_KEY", "SRBGOV_FIELD_KEY", "SRBGOV_TIPS_KEY"}
    assert read - NOT_FOR_PRODUCTION - set(example_values()) == set()


def test_the_example_leaves_the_secrets_for_the_operator_to_generate() -> None:
    values = example_values()
    for name in ("SECRET_KEY", "SRBGOV_FIELD_KEY", "SRBGOV_TIPS_KEY"):
        assert values[name] == "", name


def test_check_deploy_reports_no_issue_with_the_example() -> None:
    env = server_env(**example_values())
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        SRBGOV_FIELD_KEY=fresh_key(),
        SRBGOV_TIPS_KEY=fresh_key(),
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_does_report_the_development_defaults() -> None:
    # The guard can fail: without the example's HTTPS settings Django objects.
    result = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=server_env(),
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
