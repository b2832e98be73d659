"""Delete the stored files of finished import jobs after the retention period
(docs/import.md §4). Daily, from the list of scheduled jobs (operations/registry.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from srbgov.exchange.sweep import sweep_import_files


class Command(BaseCommand):
    help = "Delete stored import files of jobs finished longer ago than the retention."

    def handle(self, *args: Any, **options: Any) -> None:
        count = sweep_import_files()
        self.stdout.write(f"import files deleted: {count}")
