from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from srbgov.operations import backup, verify


class Command(BaseCommand):
    help = (
        "把 backup 写的备份恢复到空数据库和空的上传文件目录。密钥指纹与备份不符、"
        "文件校验失败或目标不为空时，在写入任何数据之前拒绝。恢复后核对每张表的行数、"
        "抽样解密身份证号和举报人联系方式，并校验审计日志链。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup.restore_backup(source=options["source"])
        except backup.BackupError as problem:
            raise CommandError(str(problem)) from None
        wrong = restored.count_mismatches
        if wrong:
            details = "，".join(f"{t} 应 {a} 实 {b}" for t, (a, b) in wrong.items())
            raise CommandError(f"恢复后行数与清单不符：{details}")
        try:
            checked = verify.check_restored()
        except Exception as problem:
            raise CommandError(f"恢复后核验失败：{type(problem).__name__}") from None
        rows = sum(restored.row_counts.values())
        self.stdout.write(
            f"恢复完成：{len(restored.row_counts)} 张表 {rows} 行与清单一致；"
            f"{len(restored.manifest['files'])} 个文件；抽样解密身份证号 "
            f"{checked.identity_numbers} 个、举报人联系方式 {checked.contacts} 个；"
            f"审计日志链：{checked.audit_chain}"
        )
