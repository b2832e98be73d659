"""Delete the stored files of finished import jobs after the retention period
(docs/import.md §4), and the sealed plans of previews left from earlier days. Daily, from the list of scheduled jobs (operations/registry.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from srbgov.exchange.sweep import clear_stale_plans, sweep_import_files


class Command(BaseCommand):
    help = "Delete stored import files of jobs finished longer ago than the retention."

    def handle(self, *args: Any, **options: Any) -> None:
        count = sweep_import_files()
        plans = clear_stale_plans()
        self.stdout.write(
            f"import files deleted: {count}; stale plans cleared: {plans}"
        )
