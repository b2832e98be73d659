from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from srbgov.accounts.models import Role, User
from srbgov.accounts.services import generate_password, snapshot
from srbgov.areas.models import Area, AreaLevel
from srbgov.audit.models import AuditAction
from srbgov.audit.services import record


class Command(BaseCommand):
    help = (
        "创建一名县级系统管理员（部署时的第一名、第二名管理员）；打印一次性密码，"
        "首次登录须修改密码并绑定两步验证。此后的管理员由应用内两人审批授予。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--county", required=True, help="县的12位区划代码")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        county = Area.objects.filter(
            code=options["county"], level=AreaLevel.COUNTY
        ).first()
        if county is None:
            raise CommandError("没有这个县的区划代码。")
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError("该用户名已被使用。")
        password = generate_password()
        user = User(
            username=options["username"],
            role=Role.ADMIN,
            area=county,
            must_change_password=True,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        # Run from the server's shell: no account did it, the log says so.
        record(
            user=None,
            username="manage.py",
            action=AuditAction.CREATE,
            obj=user,
            detail={
                "change": "create_administrator",
                "before": None,
                "after": snapshot(user),
            },
        )
        self.stdout.write(f"{user.username} 一次性密码：{password}")
