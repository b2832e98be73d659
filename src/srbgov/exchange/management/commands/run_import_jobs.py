"""Resume import jobs whose worker is gone (docs/import.md §4). Run from cron every
minute; idempotent: a job with a live worker is not claimed twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from srbgov.exchange.runner import run_pending


class Command(BaseCommand):
    help = "Run or resume import jobs whose worker stopped (stale heartbeat)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = run_pending()
        self.stdout.write(f"import jobs run: {count}")
