from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from srbgov.accounts.services import create_administrator


class Command(BaseCommand):
    help = (
        "创建一名县级系统管理员（部署时的第一名、第二名管理员）；打印一次性密码，"
        "首次登录须修改密码并绑定两步验证。此后的管理员由应用内两人审批授予。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--county", required=True, help="县的12位区划代码")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user, password = create_administrator(
                county_code=options["county"], username=options["username"]
            )
        except ValidationError as problem:
            raise CommandError("；".join(problem.messages)) from None
        self.stdout.write(f"{user.username} 一次性密码：{password}")
