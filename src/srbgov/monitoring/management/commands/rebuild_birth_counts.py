from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from srbgov.monitoring.counts import rebuild_birth_counts


class Command(BaseCommand):
    help = (
        "Recompute the birth count tables (monthly and yearly) from the births table. "
        "Idempotent; --dry-run reports how many count rows would change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        report = rebuild_birth_counts(dry_run=options["dry_run"])
        if report.dry_run:
            self.stdout.write(
                f"dry run: {report.births} births, {report.rows_before} count rows now, "
                f"{report.rows_after} after a rebuild, {report.keys_changed} keys differ"
            )
        else:
            self.stdout.write(
                f"rebuilt: {report.births} births, {report.rows_after} monthly rows "
                f"(was {report.rows_before}), {report.year_rows_after} village-year rows"
            )
