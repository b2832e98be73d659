from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from srbgov.pregnancies.models import Pregnancy
from srbgov.pregnancies.nightly import raise_alerts, unchecked


class Command(BaseCommand):
    help = (
        "每晚运行：刷新在跟踪孕情的随访日程并按规则生成预警（随访逾期、孕情消失、"
        "14周以上终止妊娠未查验、女婴死亡、婴儿死亡迟报、出生无出生医学证明）。"
        "可重复运行，两个进程同时运行也不会重复预警。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=date.fromisoformat, help="评估日期（默认今天）"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只统计待检查的孕情，不写入"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["date"] or timezone.localdate()
        if options["dry_run"]:
            n = Pregnancy.objects.filter(unchecked(on)).count()
            self.stdout.write(f"{on}：待检查孕情 {n} 条（未写入）。")
            return
        summary = raise_alerts(on)
        self.stdout.write(
            f"{on}：检查孕情 {summary.pregnancies} 条，新预警 {summary.raised} 条。"
        )
