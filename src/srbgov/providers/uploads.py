"""Evidence and scans: checked by their first bytes, stored outside the web root.

Files go under settings.PRIVATE_MEDIA_ROOT/<folder>/<yyyy>/<random>.<ext>; nothing
serves that folder. A scoped view streams a file only after its owner record has been
fetched through the access getter (`serve_stored_file`).
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.utils import timezone

from srbgov.providers.models import StoredFile

if TYPE_CHECKING:
    from srbgov.accounts.models import User

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# (magic bytes, extension, content type): PDF and the common image formats only.
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
]
ALLOWED_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg"}


def private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT).resolve()


def sniff(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) from a file's first bytes, or None if not allowed."""
    for magic, extension, content_type in SIGNATURES:
        if head.startswith(magic):
            return extension, content_type
    return None


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """Refuse anything over the size limit or not a PDF/PNG/JPEG by its content."""
    size = upload.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "文件太大：%(size).1f MB，上限为 %(limit)d MB。请压缩或分页后重新上传。",
            params={"size": size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 2**20},
            code="too_large",
        )
    if size == 0:
        raise ValidationError("文件是空的，请重新选择。", code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    suffix = Path(upload.name or "").suffix.lower()
    if kind is None or suffix not in ALLOWED_EXTENSIONS:
        raise ValidationError("只能上传 PDF 或图片（JPG、PNG）文件。", code="bad_type")
    return kind


def store_upload(
    *, by: User, upload: UploadedFile, folder: str, field: str = "file"
) -> StoredFile:
    """Check and write the file; the caller's transaction owns the StoredFile row.
    Errors come back under `field`, so the form shows them beside the file input."""
    try:
        extension, content_type = check_upload(upload)
    except ValidationError as problem:
        raise ValidationError({field: problem.messages}) from None
    relative = (
        Path(folder)
        / str(timezone.localdate().year)
        / (f"{secrets.token_hex(16)}.{extension}")
    )
    target = private_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    stored = StoredFile(
        path=str(relative),
        original_name=Path(upload.name or extension).name[:200],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    stored.full_clean()
    stored.save()
    return stored


def absolute_path(stored: StoredFile) -> Path:
    root = private_root()
    path = (root / stored.path).resolve()
    if not path.is_relative_to(root):
        raise Http404
    return path


def serve_stored_file(stored: StoredFile | None) -> HttpResponse:
    """Send a file whose owner the caller has already fetched through its getter
    (files are at most MAX_UPLOAD_BYTES, so they are read whole)."""
    if stored is None:
        raise Http404
    path = absolute_path(stored)
    if not path.is_file():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type=stored.content_type)
    disposition = "attachment" if stored.content_type == "application/pdf" else "inline"
    response["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{quote(stored.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
