from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from srbgov.operations import systemd


class Command(BaseCommand):
    help = (
        "由定时任务登记表生成 systemd 单元 srbgov-job-<任务>.service 与 .timer"
        "（默认写入 deploy/systemd/）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to", type=Path, default=settings.PROJECT_DIR / "deploy" / "systemd"
        )
        defaults = systemd.Layout()
        parser.add_argument("--root", default=defaults.root, help="应用目录")
        parser.add_argument("--env-file", default=defaults.env_file)
        parser.add_argument("--user", default=defaults.user)

    def handle(self, *args: Any, **options: Any) -> None:
        layout = systemd.Layout(
            root=options["root"], env_file=options["env_file"], user=options["user"]
        )
        for path in systemd.write(options["to"], layout):
            self.stdout.write(str(path))
