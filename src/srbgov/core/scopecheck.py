"""The guard that keeps views, exports and API modules on the scope primitive.

It parses modules with `ast` (nothing is imported) and reports every use of a scoped
model's manager that does not go straight into `.in_area(...)` / `.visible_to(...)`,
every `_default_manager` / `_base_manager`, and every hand-written area filter
(`…code__startswith=`). `core/tests/test_scope_check.py` runs it over `src/srbgov` and
over a fixture tree with a deliberately unscoped view, to show that it can fail.
See docs/access.md.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SCOPING_METHODS = frozenset({"in_area", "visible_to"})
RAW_MANAGERS = frozenset({"_default_manager", "_base_manager"})


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def is_guarded_module(path: Path) -> bool:
    """Views (any layout), exports and API modules: what answers a request."""
    name = path.name
    return (
        name in {"views.py", "exports.py", "api.py"}
        or name.startswith("views_")
        or name.endswith("_views.py")
        or "views" in path.parent.parts[-1:]
    ) and "tests" not in path.parts


def guarded_modules(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        if is_guarded_module(path.relative_to(root)):
            yield path


def _manager_owner(node: ast.Attribute) -> str | None:
    value = node.value
    if isinstance(value, ast.Name):
        return value.id
    if isinstance(value, ast.Attribute):
        return value.attr
    return None


def check_source(source: str, path: str, scoped_models: Iterable[str]) -> list[Finding]:
    scoped = set(scoped_models)
    tree = ast.parse(source, filename=path)
    parents: dict[ast.AST, ast.AST] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    found: list[Finding] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            owner = _manager_owner(node)
            if node.attr in RAW_MANAGERS:
                found.append(Finding(path, node.lineno, f"{owner}.{node.attr}"))
            elif node.attr == "objects" and owner in scoped:
                above = parents.get(node)
                if not (
                    isinstance(above, ast.Attribute) and above.attr in SCOPING_METHODS
                ):
                    found.append(
                        Finding(path, node.lineno, f"{owner}.objects without scope")
                    )
        elif (
            isinstance(node, ast.keyword)
            and node.arg is not None
            and node.arg.endswith("code__startswith")
        ):
            found.append(
                Finding(path, node.lineno, f"hand-written area filter {node.arg}")
            )
    return sorted(found, key=lambda f: (f.line, f.what))


def check_tree(
    root: Path,
    scoped_models: Iterable[str],
    *,
    allowed: dict[tuple[str, str], str] | None = None,
) -> list[Finding]:
    """Findings under `root` (paths relative to it), less the allow-list entries
    keyed by (relative path, what)."""
    names = list(scoped_models)
    allowed = allowed or {}
    findings: list[Finding] = []
    for path in guarded_modules(root):
        relative = path.relative_to(root).as_posix()
        for finding in check_source(path.read_text("utf-8"), relative, names):
            if (finding.path, finding.what) not in allowed:
                findings.append(finding)
    return findings
