"""The schedules package stays pure (docs/conventions.md §2): no Django, no other srbgov app.

Every module under ``src/srbgov/schedules`` is parsed with ``ast``; an import of
``django`` or of ``srbgov.<anything but schedules>`` (absolute, or relative and
climbing out of the package) fails. Modules outside ``tests/`` may import only the
standard library and the package itself.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PACKAGE = "srbgov.schedules"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def imported_names(source: str, module: str, *, is_package: bool) -> list[str]:
    """Absolute names of everything ``source`` (the module ``module``) imports."""
    names: list[str] = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.append(node.module or "")
                continue
            parts = package.split(".")
            base = parts[: max(len(parts) - (node.level - 1), 0)]
            names.append(".".join([*base, node.module] if node.module else base))
    return names


def violations(names: list[str], *, stdlib_only: bool) -> list[str]:
    """The names a pure module may not import."""
    bad = []
    for name in names:
        top = name.split(".")[0]
        inside = name == PACKAGE or name.startswith(PACKAGE + ".")
        if (
            top == "django"
            or (top == "srbgov" and not inside)
            or (stdlib_only and not inside and top not in sys.stdlib_module_names)
        ):
            bad.append(name)
    return bad


def _modules() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def test_every_module_of_the_package_is_pure() -> None:
    assert len(_modules()) >= 5
    found = {}
    for path in _modules():
        module = _module_name(path)
        names = imported_names(
            path.read_text(encoding="utf-8"),
            module,
            is_package=path.name == "__init__.py",
        )
        stdlib_only = "tests" not in path.relative_to(PACKAGE_DIR).parts
        bad = violations(names, stdlib_only=stdlib_only)
        if bad:
            found[str(path)] = bad
    assert found == {}


def test_the_checker_catches_forbidden_imports() -> None:
    module = "srbgov.schedules.compute"
    cases = {
        "import django": ["django"],
        "from django.db import models": ["django.db"],
        "import srbgov.pregnancies.models": ["srbgov.pregnancies.models"],
        "from srbgov import people": ["srbgov"],
        "from .. import stats": ["srbgov"],
        "from ..stats import wilson": ["srbgov.stats"],
        "import numpy": ["numpy"],
    }
    for source, expected in cases.items():
        names = imported_names(source, module, is_package=False)
        assert violations(names, stdlib_only=True) == expected, source


def test_the_checker_allows_the_package_and_the_standard_library() -> None:
    source = (
        "from __future__ import annotations\n"
        "import datetime\nfrom collections.abc import Iterable\n"
        "from .policy import SEED\nfrom . import gestation\n"
        "from srbgov.schedules import compute_schedule\n"
    )
    names = imported_names(source, "srbgov.schedules.compute", is_package=False)
    assert violations(names, stdlib_only=True) == []
    tests = imported_names(
        "from ..policy import SEED\nimport hypothesis\n",
        "srbgov.schedules.tests.test_x",
        is_package=False,
    )
    assert tests == ["srbgov.schedules.policy", "hypothesis"]
    assert violations(tests, stdlib_only=False) == []
