from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from srbgov.audit.roles import grant_statements


class Command(BaseCommand):
    help = (
        "PostgreSQL：给应用服务器使用的数据库角色授予所需权限（该角色不拥有任何表；"
        "审计日志只能查询和新增）。以表的所有者身份在每次 migrate 之后运行。"
        "见 docs/security.md §4。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="应用服务器连接数据库所用的角色名")
        parser.add_argument("--print", action="store_true", help="只打印 SQL，不执行")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            statements = grant_statements(options["role"])
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        if options["print"]:
            self.stdout.write(";\n".join(statements) + ";")
            return
        if connection.vendor != "postgresql":
            raise CommandError("只有 PostgreSQL 部署需要此命令。")
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"已为角色 {options['role']} 授权（{len(statements)} 条语句）。"
        )
