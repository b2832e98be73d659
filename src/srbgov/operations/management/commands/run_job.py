from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from srbgov.operations import runner
from srbgov.operations.models import Outcome
from srbgov.operations.registry import BY_NAME, JOBS


class Command(BaseCommand):
    help = (
        "运行登记的定时任务并记录运行结果（systemd 定时器调用的就是它）。"
        "NAME 运行一个任务；--all-due 运行所有到期未运行的任务；--list 列出任务和计划。"
        "同一任务不会同时运行两次；失败或漏跑会产生运维告警。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", choices=sorted(BY_NAME))
        parser.add_argument("--all-due", action="store_true")
        parser.add_argument("--list", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in JOBS:
                self.stdout.write(f"{job.name:<20} {job.on_calendar:<18} {job.command}")
            return
        if bool(options["name"]) == bool(options["all_due"]):
            raise CommandError("请给出一个任务名，或者 --all-due。")
        if options["all_due"]:
            results = runner.run_due()
        else:
            results = [(options["name"], runner.run_job(name=options["name"]))]
        runner.check_missed()
        failed = False
        for name, result in results:
            if result.run is None:
                self.stdout.write(f"{name}: 已在运行，本次跳过。")
                continue
            run = result.run
            seconds = run.duration.total_seconds() if run.duration else 0.0
            self.stdout.write(
                f"{name}: {run.get_outcome_display()}（{seconds:.1f} 秒）{run.message}"
            )
            failed = failed or run.outcome != Outcome.SUCCEEDED
        if not results:
            self.stdout.write("没有到期的任务。")
        if failed:
            # A non-zero exit makes systemd mark the unit failed too (OnFailure=, journal).
            raise CommandError("有任务未成功，见上。")
