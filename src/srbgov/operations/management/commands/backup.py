from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from srbgov.operations import backup


class Command(BaseCommand):
    help = (
        "备份数据库（PostgreSQL 为 pg_dump -Fc，SQLite 为在线备份）、上传文件和清单"
        "（表行数、文件 sha256、密钥指纹，不含密钥）。--to 写入指定的空目录；"
        "--rotate 写入备份根目录下以时间命名的新目录并只保留最近 --keep 份。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--to", type=Path, help="备份目录（不存在或为空）")
        where.add_argument(
            "--rotate", action="store_true", help="写入 SRBGOV_BACKUP_DIR 并轮换"
        )
        parser.add_argument("--keep", type=int, default=14, help="轮换时保留的份数")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["rotate"]:
                target, removed = backup.rotate(
                    root=backup.backup_root(), keep=options["keep"]
                )
            else:
                target, removed = options["to"], []
                backup.write_backup(to=target)
        except backup.BackupError as problem:
            raise CommandError(str(problem)) from None
        manifest = backup.read_manifest(target)
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"备份完成：{target}（{len(manifest['row_counts'])} 张表，{rows} 行，"
            f"{len(manifest['files'])} 个文件；删除旧备份 {len(removed)} 份）。"
        )
