"""A bound on how many anonymous uploads are decoded at once, across every worker
process of the server: a lock-file semaphore (docs/uploads.md).

Decoding a 50 MP picture takes about a second of CPU and 150 MB of memory; a flood of
them from the public tip form would stall the staff pages on a two-core server. Each
slot is a file under PRIVATE_MEDIA_ROOT/.slots held with `flock`; the kernel releases
it when the holder ends, even by a crash, so a slot is never lost. `flock` locks belong
to the open file, so threads of one process contend for slots like processes do.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError

from srbgov.files.storage import private_root

DEFAULT_SLOTS = 2


class Busy(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            "现在同时上传的人较多，服务器忙，本次没有提交。请等一两分钟后再点一次提交。",
            code="busy",
        )


def slots() -> int:
    return max(1, int(getattr(settings, "FILES_ANONYMOUS_UPLOAD_SLOTS", DEFAULT_SLOTS)))


@contextmanager
def anonymous_upload_slot(pool: str = "anonymous") -> Iterator[int]:
    """Hold one of `slots()` slots for the block, or raise `Busy` at once."""
    folder = private_root() / ".slots"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for number in range(slots()):
        fd = os.open(folder / f"{pool}-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            yield number
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        return
    raise Busy
