"""The app layers hold (pyproject.toml [tool.importlinter], docs/architecture.md), and
the contracts can fail: a copy of the source tree with violating imports breaks each."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

LAYERS = "Foundation apps import no feature app"
FEATURES = "Feature apps depend one way"
PURE = "stats and schedules import no Django"


def lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=src,
        env={**os.environ, "PYTHONPATH": str(src), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def contract_lines(output: str) -> dict[str, str]:
    """Contract name → KEPT/BROKEN, from lint-imports' summary."""
    verdicts: dict[str, str] = {}
    for line in output.splitlines():
        for name in (LAYERS, FEATURES, PURE):
            if line.startswith(name) and (" KEPT" in line or " BROKEN" in line):
                verdicts[name] = "BROKEN" if " BROKEN" in line else "KEPT"
    return verdicts


def test_the_source_tree_keeps_every_contract() -> None:
    done = lint_imports(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert contract_lines(done.stdout) == {
        LAYERS: "KEPT",
        FEATURES: "KEPT",
        PURE: "KEPT",
    }


def test_a_violating_import_breaks_its_contract(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "srbgov",
        src / "srbgov",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "*.css"),
    )
    # A foundation app counting a feature app's records (what core/demo.py did).
    (src / "srbgov" / "core" / "violation.py").write_text(
        "from srbgov.pregnancies.models import Pregnancy\n"
    )
    # The register closing a pregnancy by importing pregnancies (the old cycle).
    (src / "srbgov" / "providers" / "violation.py").write_text(
        "from srbgov.pregnancies import services\n"
    )
    # A pure package reaching for Django.
    (src / "srbgov" / "stats" / "violation.py").write_text(
        "from django.conf import settings\n"
    )
    done = lint_imports(src)
    assert done.returncode != 0
    assert contract_lines(done.stdout) == {
        LAYERS: "BROKEN",
        FEATURES: "BROKEN",
        PURE: "BROKEN",
    }, done.stdout
    assert "srbgov.core.violation -> srbgov.pregnancies.models" in done.stdout
    assert "srbgov.providers.violation -> srbgov.pregnancies" in done.stdout
    assert "srbgov.stats.violation -> django" in done.stdout


def test_the_app_graph_in_the_architecture_document_is_current() -> None:
    """docs/architecture.md shows the graph scripts/app_graph.py prints; after a new
    app or a new import between apps, run the script and paste its output there."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "app_graph.py")],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    document = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    start = document.index("```mermaid")
    end = document.index("```\n", start + 3) + 4
    assert document[start:end] == done.stdout
