"""`make bench`: every bench/bench_*.py module's `run()` prints lines of the form
`<name>: <median> <unit> (<n> runs)`. Run against PostgreSQL (DATABASE_URL, set by
scripts/with_postgres.sh) and, where a module does so itself, SQLite.

Not part of `make test` or CI: the machine is 2 shared cores, so compare figures within
one run (each module prints its own baseline), not across runs.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srbgov.settings")
os.environ.setdefault(
    "SECRET_KEY", "bench-only-secret-key-never-deploy-0123456789abcdef"
)
os.environ.setdefault(
    "SRBGOV_FIELD_KEY", "YmVuY2gtZmllbGQta2V5LTMyLWJ5dGVzLWxvbmcuLi4uLg=="
)
os.environ.setdefault(
    "SRBGOV_TIPS_KEY", "YmVuY2gtdGlwcy1rZXktMzItYnl0ZXMtbG9uZy4uLi4uLg=="
)


def main(selected: list[str]) -> None:
    import bench

    for module in pkgutil.iter_modules(bench.__path__):
        if not module.name.startswith("bench_"):
            continue
        if selected and module.name not in selected:
            continue
        importlib.import_module(f"bench.{module.name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])
