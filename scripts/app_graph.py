"""Print the app graph of srbgov as a mermaid diagram (docs/architecture.md).

    PYTHONPATH=src .venv/bin/python scripts/app_graph.py

One edge per pair of apps where a module of the first imports a module of the second,
tests and migrations left out (they may reach further, see pyproject.toml
[tool.importlinter]). Imports made only for type checking count, as in the contracts.
"""

from __future__ import annotations

import grimp

FOUNDATION = {"areas", "accounts", "audit", "core", "people", "reports", "files"}
PURE = {"stats", "schedules"}
TOP_LEVEL = {"settings", "urls", "wsgi", "testing", "browser"}


def app_edges() -> dict[str, set[str]]:
    graph = grimp.build_graph("srbgov", include_external_packages=False)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2 or parts[1] in TOP_LEVEL:
            continue
        if ".tests" in module or ".migrations" in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) < 2 or other[1] == parts[1] or other[1] in TOP_LEVEL:
                continue
            edges.setdefault(parts[1], set()).add(other[1])
    return edges


def main() -> None:
    edges = app_edges()
    apps = sorted(set(edges) | {b for targets in edges.values() for b in targets})
    print("```mermaid")
    print("flowchart TD")
    for group, members in (
        ("foundation", FOUNDATION),
        ("pure", PURE),
    ):
        present = [a for a in apps if a in members]
        if present:
            print(f"  subgraph {group}")
            for app in present:
                print(f"    {app}")
            print("  end")
    # An edge into the foundation or pure layer is drawn once, to the layer; inside the
    # foundation layer imports go both ways and are not drawn.
    for app in apps:
        if app in FOUNDATION or app in PURE:
            continue
        targets = edges.get(app, set())
        if targets & FOUNDATION:
            print(f"  {app} --> foundation")
        if targets & PURE:
            print(f"  {app} --> pure")
        for target in sorted(targets - FOUNDATION - PURE):
            print(f"  {app} --> {target}")
    if any(edges.get(a, set()) & PURE for a in FOUNDATION):
        print("  foundation --> pure")
    print("```")


if __name__ == "__main__":
    main()
