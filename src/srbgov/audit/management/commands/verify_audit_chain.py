from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from srbgov.audit.services import check_and_record


class Command(BaseCommand):
    help = (
        "校验审计日志哈希链：从第一条重新计算，指出第一条被修改、删除或插入的记录；"
        "结果保存供审计员页面显示。链断开时以非零状态退出。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        status, _check = check_and_record()
        if not status.is_intact:
            raise CommandError(f"审计日志哈希链已断开：{status.message}")
        self.stdout.write(
            f"审计日志哈希链完整：共 {status.entries} 条，"
            f"链尾第 {status.through_seq} 条，哈希 {status.through_hash}"
        )
