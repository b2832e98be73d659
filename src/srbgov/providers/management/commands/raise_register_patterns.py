"""Nightly: the patterns across the provider registers over the whole county
(docs/registers.md §3); each pass is set-based and opens only what is new; the rate pass also closes
the rate alerts whose unit is no longer flagged."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from srbgov.providers import hooks
from srbgov.providers.services.patterns import (
    raise_exam_termination_alerts,
    rate_pass,
)


class Command(BaseCommand):
    help = "按B超检查、终止妊娠和孕情登记比对生成跨登记册预警，可重复执行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full",
            action="store_true",
            help="比对全部终止妊娠登记（默认只比对最近31天的，更早的在登记时已比对）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rates = rate_pass()
        opened = {
            "exam_then_termination": raise_exam_termination_alerts(
                full=options["full"]
            ),
            "exam_follow_rate_high": rates.opened,
        }
        # The passes of the apps above providers (the 孕情消失 half, pregnancies).
        opened.update(hooks.pattern_passes())
        self.stdout.write(
            "register patterns: "
            + ", ".join(f"{name} {n} new" for name, n in opened.items())
            # The rate alerts are the ones a pass closes: their finding is a
            # county-wide comparison that can stop holding (docs/registers.md §3.1).
            + f"; exam_follow_rate_high {rates.closed} closed"
        )
