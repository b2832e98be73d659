from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from srbgov.accounts.demo import enrol_demo_users
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
        secrets = enrol_demo_users([login.username for login in logins])
        if secrets:
            self.stdout.write(
                "以下账号须两步验证：把密钥加入任一验证器应用，"
                "或运行 `manage.py demo_totp 用户名` 取得当前验证码："
            )
            for item in secrets:
                self.stdout.write(f"  {item.username:<10} {item.secret}")
