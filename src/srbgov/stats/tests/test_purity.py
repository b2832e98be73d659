"""The stats package stays pure: no Django, no other srbgov app (docs/conventions.md §2)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def _forbidden(module: str) -> bool:
    top = module.split(".")[0]
    if top == "django" or top == "rest_framework":
        return True
    parts = module.split(".")
    return top == "srbgov" and (len(parts) < 2 or parts[1] != "stats")


def _imported_modules(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                names.append(node.module)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else None
            if isinstance(func, ast.Name):
                name = func.id
            if name in {"import_module", "__import__"} and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    names.append(arg.value)
    return names


def test_it_finds_the_modules_it_checks() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert PACKAGE / "funnel.py" in files
    assert len(files) >= 8


def test_no_module_imports_django_or_another_app() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if _forbidden(module)
    ]
    assert offenders == []


def test_the_checker_catches_forbidden_imports() -> None:
    # The guard must be able to fail.
    for source in (
        "import django",
        "from django.db import models",
        "from srbgov.people import models",
        "import srbgov.alerts.services",
        "import importlib\nimportlib.import_module('django.conf')",
    ):
        assert any(_forbidden(m) for m in _imported_modules(ast.parse(source)))
    for source in ("import numpy", "from srbgov.stats import funnel", "import math"):
        assert not any(_forbidden(m) for m in _imported_modules(ast.parse(source)))
