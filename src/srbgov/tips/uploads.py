"""Evidence uploads: photos re-encoded without metadata, PDFs checked, all stored under
PRIVATE_MEDIA_ROOT (outside the web root) under random names.

A phone photo carries EXIF: the place it was taken (GPS), the time, the phone's make and
serial. Re-encoding the pixels with Pillow and passing no `exif`, `icc_profile` or text
chunks writes none of it. The orientation is applied to the pixels first, so the picture
still stands the right way up.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps

MAX_FILES = 3
MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 3000
# Decoded size limit: a small file may decode into a huge bitmap ("decompression bomb").
MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}


@dataclass(frozen=True)
class CleanFile:
    kind: str  # AttachmentKind value
    extension: str
    content: bytes


def clean_upload(upload: UploadedFile, position: int) -> CleanFile:
    """The stored form of one uploaded file, or a ValidationError in Chinese."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            f"第{position}个文件超过10MB，请压缩或缩小后再上传。", code="too_big"
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"第{position}个文件超过10MB，请压缩或缩小后再上传。", code="too_big"
        )
    if data.startswith(b"%PDF-"):
        return CleanFile(kind="pdf", extension="pdf", content=data)
    return _clean_image(data, position)


def _clean_image(data: bytes, position: int) -> CleanFile:
    refuse = ValidationError(
        f"第{position}个文件不是照片或PDF文件。只能上传照片（JPG、PNG、WEBP）或PDF文件。",
        code="bad_type",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in IMAGE_FORMATS:
                raise refuse
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    f"第{position}个文件的像素过大，请缩小后再上传。", code="too_big"
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except Exception:  # any decoder error means "not a picture we can read"
        raise refuse from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    pixels = upright.convert("RGBA" if has_alpha else "RGB")
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the pixels alone: no info dict, no EXIF, no ICC, no XMP.
    fresh = Image.new(pixels.mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    if has_alpha:
        fresh.save(out, format="PNG", optimize=True)
        return CleanFile(kind="image", extension="png", content=out.getvalue())
    fresh.save(out, format="JPEG", quality=85, optimize=True)
    return CleanFile(kind="image", extension="jpg", content=out.getvalue())


def storage_dir() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "tips"


def store(clean: CleanFile) -> str:
    """Write the file under a random name and return that name."""
    folder = storage_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_hex(16)}.{clean.extension}"
    path = folder / name
    with open(path, "xb") as handle:
        handle.write(clean.content)
    path.chmod(0o600)
    return name


def path_of(stored_name: str) -> Path:
    return storage_dir() / Path(stored_name).name


def remove(stored_names: list[str]) -> None:
    for name in stored_names:
        path_of(name).unlink(missing_ok=True)
