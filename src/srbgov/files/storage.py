"""Where stored files live: PRIVATE_MEDIA_ROOT, outside the web root, mode 0600.

A file is written inside the caller's transaction, just before the row that names it,
and it is removed again if that transaction (or the savepoint it was written in) rolls
back, so that neither a row without its file nor a file without its row is left. Django
has no rollback hook; what it has is `transaction.on_commit`, whose callbacks it drops
unheard on rollback. So each write registers a small `_CommitWatch`: on commit it is
called and marks the file kept; when Django drops it (commit or rollback alike) its
finalizer runs and removes the file unless it was kept (docs/uploads.md).
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import weakref
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from srbgov.files.clean import CleanFile

log = logging.getLogger("srbgov.files")
FULL = (errno.ENOSPC, errno.EDQUOT)


class StorageFull(ValidationError):
    """The upload directory has no room: nothing was kept."""

    def __init__(self) -> None:
        super().__init__(
            "服务器存储空间已满，文件没有保存，本次提交的内容也都没有保存。请稍后再试，或告知系统管理员。",
            code="storage_full",
        )


def private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT).resolve()


def absolute(relative: str) -> Path:
    """The file for a stored relative path; 404 for anything that leaves the root."""
    root = private_root()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or path == root:
        raise Http404
    return path


def write(clean: CleanFile, *, folder: str, dated: bool = True) -> str:
    """Write `clean` under a random name and return its path relative to the root.

    Mode 0600 in folders of mode 0700: only the server's own account reads them. A full
    disk raises `StorageFull` and leaves no partial file.
    """
    name = f"{secrets.token_hex(16)}.{clean.extension}"
    relative = Path(folder)
    if dated:
        relative /= str(timezone.localdate().year)
    relative /= name
    path = private_root() / relative
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_new(path, clean.content)
    except OSError as problem:
        path.unlink(missing_ok=True)
        if problem.errno in FULL:
            log.error("upload refused: %s is full", private_root())
            raise StorageFull from None
        raise
    transaction.on_commit(_CommitWatch(path))
    return str(relative)


def _write_new(path: Path, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


class _CommitWatch:
    def __init__(self, path: Path) -> None:
        self.state = {"kept": False}
        weakref.finalize(self, _remove_unless_kept, path, self.state)

    def __call__(self) -> None:
        self.state["kept"] = True


def _remove_unless_kept(path: Path, state: dict[str, bool]) -> None:
    if not state["kept"]:
        path.unlink(missing_ok=True)


def read(relative: str) -> bytes:
    path = absolute(relative)
    if not path.is_file():
        raise Http404
    return path.read_bytes()
