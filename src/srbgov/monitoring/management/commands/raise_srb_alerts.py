from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from srbgov.monitoring.alerts import raise_srb_alerts


class Command(BaseCommand):
    help = (
        "Raise SRB alerts (pooled window and P(SRB > 107) > 0.95 per village, or a "
        "township CUSUM signal) into the alert queue. Idempotent; --dry-run counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--on", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["on"] or timezone.localdate()
        found, opened = raise_srb_alerts(today, dry_run=options["dry_run"])
        verb = "would raise" if options["dry_run"] else "opened"
        self.stdout.write(
            f"{found} findings; {verb} {opened if not options['dry_run'] else found} alerts"
        )
