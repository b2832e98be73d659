"""Storing staff uploads: clean before the transaction, write the row inside it.

Services that take a file are written

    @clean_uploads_first("evidence")
    @transaction.atomic
    def verify_termination(*, by, evidence: Upload, ...) -> ...:
        ...
        verification.evidence = store_upload(by=by, upload=evidence, ...)

so the slow part, decoding and encoding the pixels, happens before the transaction
opens (on SQLite a transaction holds the database's one write lock from its start), and
only the write of the cleaned bytes and its row happen inside (docs/uploads.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from srbgov.files import storage
from srbgov.files.clean import CleanFile, Refused, clean_upload
from srbgov.files.models import StoredFile

if TYPE_CHECKING:
    from srbgov.accounts.models import User

Upload = UploadedFile | CleanFile
# Staff uploads keep the user's file name (shown on the page, used on download), so
# its extension must say what the file is.
STAFF_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".webp"})

P = ParamSpec("P")
R = TypeVar("R")


def clean_staff_upload(upload: Upload, *, field: str) -> CleanFile:
    """The cleaned file, or a ValidationError under `field` (beside the file input)."""
    if isinstance(upload, CleanFile):
        return upload
    try:
        return clean_upload(upload, allowed_suffixes=STAFF_SUFFIXES)
    except Refused as problem:
        raise ValidationError({field: problem.messages}) from None


def clean_uploads_first(*names: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Clean the named keyword arguments before calling the (atomic) service."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            given = cast(dict[str, Any], kwargs)
            for name in names:
                value = given.get(name)
                if isinstance(value, UploadedFile):
                    given[name] = clean_staff_upload(value, field=name)
            return service(*args, **kwargs)

        return wrapper

    return decorate


def store_upload(
    *, by: User, upload: Upload, folder: str, field: str = "file"
) -> StoredFile:
    """Write the cleaned file and its row; the caller's transaction owns both (a
    rollback removes the file too, see storage.py)."""
    clean = clean_staff_upload(upload, field=field)
    try:
        relative = storage.write(clean, folder=folder)
    except storage.StorageFull as problem:
        raise ValidationError({field: problem.messages}) from None
    stored = StoredFile(
        path=relative,
        original_name=clean.name[:200] or f"file.{clean.extension}",
        content_type=clean.content_type,
        size=len(clean.content),
        sha256=hashlib.sha256(clean.content).hexdigest(),
        uploaded_by=by,
    )
    stored.full_clean()
    stored.save()
    return stored
