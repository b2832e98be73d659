from __future__ import annotations

import getpass
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from srbgov.accounts.services import create_administrator


class Command(BaseCommand):
    help = "新安装：建立县级区划和第一个系统管理员（已有管理员时拒绝）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--county-code", required=True, help="12位县级区划代码")
        parser.add_argument("--county-name", required=True, help="县名称")
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--password-file",
            type=Path,
            help="从文件第一行读取密码（无人值守安装）；不给则交互输入两次",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_file"]:
            password = options["password_file"].read_text().splitlines()[0]
        else:
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再输一次："):
                raise CommandError("两次输入的密码不一致。")
        try:
            user, _password = create_administrator(
                county_code=options["county_code"],
                county_name=options["county_name"],
                username=options["username"],
                password=password,
                first=True,
            )
        except ValidationError as problem:
            raise CommandError("；".join(problem.messages)) from None
        self.stdout.write(f"已建立系统管理员 {user.username}（{user.area}）。")
