from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from srbgov.accounts.demo import current_code


class Command(BaseCommand):
    help = "打印示范账号当前的两步验证码（只对示范令牌有效）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        code = current_code(options["username"])
        if code is None:
            raise CommandError("该用户没有示范令牌。")
        self.stdout.write(code)
