from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from srbgov.demo.county import DEMO_PASSWORD, load_demo_county


class Command(BaseCommand):
    help = "加载示范县演示数据（可重复运行）并打印各角色的演示账号。"

    def handle(self, *args: Any, **options: Any) -> None:
        logins, created = load_demo_county()
        self.stdout.write(
            f"示范县：新增育龄妇女 {created} 人。演示账号（密码均为 {DEMO_PASSWORD}）："
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.role:<10} {login.area}")
