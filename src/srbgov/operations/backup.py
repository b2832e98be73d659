"""Backup and restore: one database snapshot, the stored files, and a manifest.

A backup folder holds
    manifest.json      what was saved (below), written last
    database.dump      PostgreSQL: `pg_dump -Fc` of one exported snapshot
    database.sqlite3   SQLite: the online backup API's copy
    files/...          a copy of PRIVATE_MEDIA_ROOT

The manifest records the creation time, the database kind, the applied migrations, the
row count of every table (counted in the same snapshot as the dump), the sha256 of every
file, and fingerprints of SECRET_KEY, SRBGOV_FIELD_KEY and SRBGOV_TIPS_KEY: HMAC-SHA256
of a fixed label under the key, first 16 hex digits. A fingerprint tells whether the
running keys are the backup's without revealing them. A restore with other keys would
give a database whose identity numbers and tipster contacts no one can decrypt, so it is
refused before anything is written (docs/operations.md, "Backup and restore").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FILES = "files"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
FINGERPRINT_LABEL = b"srbgov backup key fingerprint v1"
KEYS = ("SECRET_KEY", "SRBGOV_FIELD_KEY", "SRBGOV_TIPS_KEY")


class BackupError(Exception):
    """Refused or failed; the message says why, in Chinese, for the operator."""


class Manifest(TypedDict):
    format: int
    created_at: str
    database: str
    migrations: list[str]
    row_counts: dict[str, int]
    files: dict[str, str]
    database_file: str
    database_sha256: str
    key_fingerprints: dict[str, str]


def fingerprint(key: str) -> str:
    return hmac.new(key.encode(), FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


def running_fingerprints() -> dict[str, str]:
    values = {
        "SECRET_KEY": settings.SECRET_KEY,
        "SRBGOV_FIELD_KEY": settings.FIELD_ENCRYPTION_KEY,
        "SRBGOV_TIPS_KEY": settings.TIPS_ENCRYPTION_KEY,
    }
    return {name: fingerprint(values[name]) for name in KEYS}


def media_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def backup_root() -> Path:
    """Where the scheduled backup writes (`backup --rotate`). Overridable by the
    SRBGOV_BACKUP_DIR variable or a BACKUP_ROOT setting; keep it on another disk."""
    configured = getattr(settings, "BACKUP_ROOT", None) or os.environ.get(
        "SRBGOV_BACKUP_DIR"
    )
    return Path(configured) if configured else settings.PROJECT_DIR / "var" / "backups"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tool(name: str) -> str:
    local = PG_BIN / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise BackupError(f"找不到 {name}：请安装 postgresql-client-15。")
    return found


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations(cursor: Any) -> list[str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _dump_postgres(folder: Path) -> tuple[dict[str, int], list[str]]:
    """pg_dump of an exported snapshot, and the counts read in that same snapshot, so
    the manifest describes exactly what the dump holds while users keep writing."""
    args, env = _pg_args()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _count_rows(cursor, connection.introspection.table_names(cursor))
        migrations = _migrations(cursor)
        # The arguments come from settings and our own paths, never from a request.
        done = subprocess.run(  # noqa: S603
            [
                _tool("pg_dump"),
                "-Fc",
                f"--snapshot={snapshot}",
                "--no-owner",
                *args,
                "--file",
                str(folder / PG_DUMP),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode:
        raise BackupError(f"pg_dump 失败：{done.stderr.strip()[:500]}")
    return counts, migrations


def _copy_sqlite(folder: Path) -> tuple[dict[str, int], list[str]]:
    """The online backup API copies a consistent state while others write; the counts
    are then read from the copy itself."""
    connection.ensure_connection()
    target = sqlite3.connect(folder / SQLITE_COPY)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        cursor = target.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return _count_rows(cursor, tables), _migrations(cursor)
    finally:
        target.close()


def _copy_files(source: Path, target: Path) -> dict[str, str]:
    hashes: dict[str, str] = {}
    if not source.exists():
        return hashes
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        copy = target / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        hashes[relative] = sha256_of(copy)
    return hashes


def write_backup(*, to: Path, now: datetime | None = None) -> Manifest:
    """Write a complete backup into `to` (which must not exist or be empty).

    Everything is written under `<to>.partial` and renamed at the end: a folder named
    `to` is always a whole backup, whatever went wrong on the way."""
    if to.exists() and any(to.iterdir()):
        raise BackupError(f"备份目录 {to} 已存在且不为空。")
    partial = to.with_name(to.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        if connection.vendor == "postgresql":
            counts, migrations = _dump_postgres(partial)
            database_file = PG_DUMP
        elif connection.vendor == "sqlite":
            counts, migrations = _copy_sqlite(partial)
            database_file = SQLITE_COPY
        else:  # pragma: no cover
            raise BackupError(f"不支持的数据库：{connection.vendor}")
        files = _copy_files(media_root(), partial / FILES)
        manifest: Manifest = {
            "format": FORMAT,
            "created_at": (now or timezone.now()).isoformat(),
            "database": connection.vendor,
            "migrations": migrations,
            "row_counts": counts,
            "files": files,
            "database_file": database_file,
            "database_sha256": sha256_of(partial / database_file),
            "key_fingerprints": running_fingerprints(),
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        if to.exists():
            to.rmdir()
        partial.rename(to)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def rotate(
    *, root: Path, keep: int, now: datetime | None = None
) -> tuple[Path, list[Path]]:
    """A new backup in `root/<YYYYmmdd-HHMMSS>`, then delete all but the newest `keep`
    complete backups (a `.partial` left by a crash is removed too)."""
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    target = root / stamp
    write_backup(to=target, now=now)
    complete = sorted(p for p in root.iterdir() if (p / MANIFEST).is_file())
    removed = complete[:-keep] if keep > 0 else []
    removed += [p for p in root.iterdir() if p.name.endswith(".partial")]
    for path in removed:
        shutil.rmtree(path)
    return target, removed


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} 不是完整的备份（缺少 {MANIFEST}）。")
    manifest: Manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')}。")
    return manifest


def _check_keys(manifest: Manifest) -> None:
    running = running_fingerprints()
    wrong = [k for k in KEYS if manifest["key_fingerprints"].get(k) != running[k]]
    if wrong:
        raise BackupError(
            "密钥与备份不一致，拒绝恢复（未写入任何数据）："
            + "、".join(wrong)
            + "。请使用备份时的密钥（见 docs/operations.md）。"
        )


def _check_integrity(folder: Path, manifest: Manifest) -> None:
    if sha256_of(folder / manifest["database_file"]) != manifest["database_sha256"]:
        raise BackupError("数据库备份文件校验失败（sha256 不符），拒绝恢复。")
    for relative, digest in manifest["files"].items():
        path = folder / FILES / relative
        if not path.is_file() or sha256_of(path) != digest:
            raise BackupError(f"上传文件 {relative} 缺失或校验失败，拒绝恢复。")


def _check_target(manifest: Manifest) -> None:
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest['database']}，当前数据库是 {connection.vendor}，拒绝恢复。"
        )
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        raise BackupError(
            f"目标数据库不是空库（已有 {len(tables)} 张表），拒绝恢复：请新建一个空数据库。"
        )
    root = media_root()
    if root.exists() and any(p.is_file() for p in root.rglob("*")):
        raise BackupError(f"上传文件目录 {root} 不为空，拒绝恢复。")


def _restore_postgres(folder: Path) -> None:
    args, env = _pg_args()
    # One transaction: a failed restore leaves the database as empty as it was.
    done = subprocess.run(  # noqa: S603 (settings and our own paths only)
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *args,
            str(folder / PG_DUMP),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise BackupError(
            f"pg_restore 失败（数据库未改动）：{done.stderr.strip()[:500]}"
        )


def _restore_sqlite(folder: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(folder / SQLITE_COPY)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_files(folder: Path, manifest: Manifest) -> None:
    root = media_root()
    for relative in manifest["files"]:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / FILES / relative, target)


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    row_counts: dict[str, int]

    @property
    def count_mismatches(self) -> dict[str, tuple[int, int | None]]:
        """Tables whose restored count differs from the manifest: (expected, found)."""
        return {
            table: (n, self.row_counts.get(table))
            for table, n in self.manifest["row_counts"].items()
            if self.row_counts.get(table) != n
        }


def current_row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _count_rows(cursor, connection.introspection.table_names(cursor))


def restore_backup(*, source: Path) -> Restored:
    """Restore a backup into the (empty) configured database and media root.

    Refuses, before writing anything, when the running keys are not the backup's, when a
    file does not match its sha256, when the database kind differs, or when the target
    database or media root is not empty."""
    manifest = read_manifest(source)
    _check_keys(manifest)
    _check_integrity(source, manifest)
    _check_target(manifest)
    if manifest["database"] == "postgresql":
        _restore_postgres(source)
    else:
        _restore_sqlite(source)
    _restore_files(source, manifest)
    return Restored(manifest=manifest, row_counts=current_row_counts())
