"""Backup and restore, and the drill on both databases (docs/operations.md)."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from srbgov.operations import backup
from srbgov.people.crypto import identity_cipher
from srbgov.testing import AuditSafeTransactionTestCase, BaseTestCase
from srbgov.tips.services import tips_cipher

ROOT = Path(settings.PROJECT_DIR)
OTHER_KEY = "b3RoZXIta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMtLi4uLi4="
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _env(database_url: str, media: Path, **override: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        PRIVATE_MEDIA_ROOT=str(media),
        SECRET_KEY=settings.SECRET_KEY,
        SRBGOV_FIELD_KEY=settings.FIELD_ENCRYPTION_KEY,
        SRBGOV_TIPS_KEY=settings.TIPS_ENCRYPTION_KEY,
    )
    env.update(override)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


class ManifestTests(BaseTestCase):
    def test_a_fingerprint_names_the_key_without_revealing_it(self) -> None:
        key = settings.FIELD_ENCRYPTION_KEY
        print_ = backup.fingerprint(key)
        assert len(print_) == 16
        assert print_ not in key and key not in print_
        assert print_ == backup.fingerprint(key)
        assert print_ != backup.fingerprint(OTHER_KEY)

    def test_restore_refuses_a_database_that_is_not_empty(self) -> None:
        folder = _fake_backup(self._tmp(), database=connection.vendor)
        with pytest.raises(backup.BackupError, match="不是空库"):
            backup.restore_backup(source=folder)

    def test_restore_refuses_other_keys_before_looking_at_anything_else(self) -> None:
        folder = _fake_backup(self._tmp(), database=connection.vendor)
        with (
            override_settings(TIPS_ENCRYPTION_KEY=OTHER_KEY),
            pytest.raises(CommandError, match=r"密钥与备份不一致.*SRBGOV_TIPS_KEY"),
        ):
            call_command("restore", "--from", str(folder))

    def test_restore_refuses_a_corrupted_backup(self) -> None:
        folder = _fake_backup(self._tmp(), database=connection.vendor)
        (folder / "files" / "a.pdf").write_bytes(b"changed")
        with pytest.raises(backup.BackupError, match=r"a\.pdf"):
            backup.restore_backup(source=folder)

    def test_backup_refuses_a_folder_with_something_in_it(self) -> None:
        folder = self._tmp()
        (folder / "x").write_text("x")
        with pytest.raises(CommandError, match="不为空"):
            call_command("backup", "--to", str(folder))

    def _tmp(self) -> Path:
        import tempfile

        path = Path(tempfile.mkdtemp(prefix="srbgov-backup-test-"))
        self.addCleanup(__import__("shutil").rmtree, path, True)
        return path


def _fake_backup(folder: Path, *, database: str) -> Path:
    (folder / "files").mkdir()
    (folder / "files" / "a.pdf").write_bytes(b"%PDF-1.4")
    (folder / backup.SQLITE_COPY).write_bytes(b"db")
    manifest = {
        "format": backup.FORMAT,
        "created_at": "2026-01-01T00:00:00+00:00",
        "database": database,
        "migrations": [],
        "row_counts": {},
        "files": {"a.pdf": backup.sha256_of(folder / "files" / "a.pdf")},
        "database_file": backup.SQLITE_COPY,
        "database_sha256": backup.sha256_of(folder / backup.SQLITE_COPY),
        "key_fingerprints": backup.running_fingerprints(),
    }
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))
    return folder


class DrillTests(AuditSafeTransactionTestCase):
    """Load the demo (shrunk: the full one takes half a minute per database), back up,
    restore into a fresh database with the same keys (after one refused attempt with
    other keys), then compare every table's rows and decrypt what was encrypted."""

    def test_the_backup_restores_into_a_fresh_database(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="srbgov-drill-") as tmp:
            self._drill(Path(tmp))

    def _drill(self, tmp: Path) -> None:
        media = tmp / "media"
        with override_settings(PRIVATE_MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHER):
            _load_small_demo()
            (media / "tips" / "2026").mkdir(parents=True)
            (media / "tips" / "2026" / "photo.jpg").write_bytes(b"\xff\xd8 drill photo")
            call_command("backup", "--to", str(tmp / "backup"), stdout=io.StringIO())
            source_counts = backup.current_row_counts()
            source_ids = _plain_identity_numbers(_rows_here("people_woman"))
            source_contacts = _plain_contacts(_rows_here("tips_tip"))
        manifest = backup.read_manifest(tmp / "backup")
        assert manifest["row_counts"] == source_counts
        # Every stored file of the demo (the responsibility books' scans) and the photo.
        assert manifest["files"] == {
            path.relative_to(media).as_posix(): backup.sha256_of(path)
            for path in media.rglob("*")
            if path.is_file()
        }
        assert "tips/2026/photo.jpg" in manifest["files"]
        assert settings.FIELD_ENCRYPTION_KEY not in json.dumps(manifest)
        assert len(source_ids) > 20 and source_contacts

        restored_media = tmp / "restored-media"
        with _fresh_database(tmp) as (url, read_rows):
            refused = _manage(
                "restore",
                "--from",
                str(tmp / "backup"),
                env=_env(url, restored_media, SRBGOV_FIELD_KEY=OTHER_KEY),
            )
            assert refused.returncode != 0
            assert (
                "密钥与备份不一致" in refused.stderr
                and "SRBGOV_FIELD_KEY" in refused.stderr
            )
            assert (
                read_rows("SELECT COUNT(*) FROM people_woman") is None
            )  # no table yet
            assert not restored_media.exists()

            done = _manage(
                "restore", "--from", str(tmp / "backup"), env=_env(url, restored_media)
            )
            assert done.returncode == 0, done.stderr
            assert "与清单一致" in done.stdout
            for table, n in source_counts.items():
                if table == "audit_auditchaincheck":
                    # The restore verifies the audit chain and records that check.
                    assert read_rows(f'SELECT COUNT(*) FROM "{table}"') == [(n + 1,)]  # noqa: S608
                    continue
                assert read_rows(f'SELECT COUNT(*) FROM "{table}"') == [(n,)], table  # noqa: S608
            women = read_rows("SELECT id, id_number_encrypted FROM people_woman")
            assert _plain_identity_numbers(women or []) == source_ids
            tips = read_rows("SELECT id, contact_encrypted FROM tips_tip")
            assert _plain_contacts(tips or []) == source_contacts
            assert (
                restored_media / "tips/2026/photo.jpg"
            ).read_bytes() == b"\xff\xd8 drill photo"

            again = _manage(
                "restore", "--from", str(tmp / "backup"), env=_env(url, tmp / "m3")
            )
            assert again.returncode != 0 and "不是空库" in again.stderr


def _load_small_demo() -> None:
    from srbgov.demo import county as demo
    from srbgov.monitoring import demo as monitoring_demo

    sizes: dict[Any, dict[str, Any]] = {
        demo: {"WOMEN_PER_VILLAGE": (3, 4)},
        monitoring_demo: {
            "YEARS": 2,
            "SELECTION_BIRTHS_PER_YEAR": 10,
            "NORMAL_BIRTHS_PER_YEAR": (2, 4),
        },
    }
    saved = {(m, k): getattr(m, k) for m, values in sizes.items() for k in values}
    try:
        for module, values in sizes.items():
            for key, value in values.items():
                setattr(module, key, value)
        demo.load_demo_county()
    finally:
        for (module, key), value in saved.items():
            setattr(module, key, value)


def _rows_here(table: str) -> list[tuple[Any, ...]]:
    column = "id_number_encrypted" if table == "people_woman" else "contact_encrypted"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table}")  # noqa: S608
        return list(cursor.fetchall())


def _plain_identity_numbers(rows: list[tuple[Any, ...]]) -> dict[int, str]:
    cipher = identity_cipher()
    return {pk: cipher.decrypt(value) for pk, value in rows}


def _plain_contacts(rows: list[tuple[Any, ...]]) -> dict[int, str]:
    cipher = tips_cipher()
    return {pk: cipher.decrypt(value) for pk, value in rows if value}


@contextmanager
def _fresh_database(tmp: Path) -> Iterator[tuple[str, Any]]:
    """A new, empty database of the same kind; yields its URL and a reader that
    returns a query's rows, or None while the table does not exist."""
    if connection.vendor == "sqlite":
        path = tmp / "fresh.sqlite3"

        def read_sqlite(sql: str) -> list[tuple[Any, ...]] | None:
            with sqlite3.connect(path) as db:
                try:
                    return list(db.execute(sql).fetchall())
                except sqlite3.OperationalError:
                    return None

        yield f"sqlite:///{path}", read_sqlite
        return
    import psycopg

    db = connection.settings_dict
    name = f"srbgov_drill_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    url = f"postgres://{auth}{db['HOST']}:{db['PORT']}/{name}"

    def read_postgres(sql: str) -> list[tuple[Any, ...]] | None:
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as pg:
            try:
                return list(pg.execute(sql).fetchall())
            except psycopg.errors.UndefinedTable:
                return None

    try:
        yield url, read_postgres
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
