"""Turn an uploaded file into the only form srbgov stores: a re-encoded picture or a
rewritten PDF, with no metadata; refuse everything else. See docs/uploads.md.

A phone photo carries EXIF (GPS position, time, make, model, serial), XMP and an ICC
profile; a PDF carries its document-info dictionary (/Author, /Creator, /Producer) and an
XMP packet. Copying bytes keeps them all, and a check on the first bytes lets through any
file that merely begins like a JPEG or a PDF (``\\xff\\xd8\\xff<html>…``). So nothing is
copied: pixels are decoded and encoded again into a fresh image, and a PDF is parsed and
written out again without the metadata. A file that does not decode is refused.

Nothing here touches the database; the cost is all CPU and memory, which is why callers
run it before they open their transaction (`srbgov.files.services`).
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject, NameObject

MAX_BYTES = 10 * 1024 * 1024
# 50 million pixels: the largest photo a current phone writes at full resolution
# (8160×6120 = 49.9 MP; 12–48 MP is the common range). Above it a file is either a
# panorama nobody needs as evidence or a decompression bomb. Checked on the header,
# before any pixel is decoded; a 50 MP RGB image decodes into 150 MB.
MAX_PIXELS = 50_000_000
# Evidence is read on a screen or printed on A4: 4000 px on the long side (A4 at 340
# dpi) keeps every word of a scan legible and bounds what is stored.
MAX_SIDE = 4000
MAX_PDF_PAGES = 300
# Decoders we trust and users need; Pillow tries no other. The JPEG decoder also opens
# MPO, the JPEG variant many phones write (a second, depth or preview, picture); WEBP
# is what some phone browsers send.
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
# Catalog and page entries dropped from a PDF besides its metadata: scripts and actions
# that run when it opens, attached files, and application data (docs/uploads.md).
PDF_CATALOG_DROP = ("/Metadata", "/OpenAction", "/AA", "/PieceInfo", "/AcroForm")
PDF_NAMES_DROP = ("/JavaScript", "/EmbeddedFiles")
PDF_PAGE_DROP = ("/Metadata", "/AA", "/PieceInfo")

Kind = Literal["image", "pdf", "table"]


@dataclass(frozen=True)
class CleanFile:
    """What is stored: bytes with no metadata, their type, and a display name whose
    extension is the real one."""

    kind: Kind
    extension: str
    content_type: str
    content: bytes
    name: str = ""


class Refused(ValidationError):
    """The file is not one we store; the message says why, in Chinese."""


def _message(code: str, position: int | None, **params: object) -> str:
    """One wording per refusal; a form with several files names which one."""
    if position is None:
        texts = {
            "too_large": "文件太大：{size:.1f} MB，上限为 {limit} MB。请压缩或分页后重新上传。",
            "empty": "文件是空的，请重新选择。",
            "bad_type": "只能上传 PDF 或图片（JPG、PNG）文件。",
            "too_many_pixels": "图片像素太多（上限 {limit} 百万像素），请缩小后重新上传。",
            "encrypted": "PDF 文件设置了密码，请去掉密码后重新上传。",
            "too_many_pages": "PDF 文件超过 {limit} 页，请分成几个文件上传。",
        }
    else:
        texts = {
            "too_large": "第{position}个文件超过10MB，请压缩或缩小后再上传。",
            "empty": "第{position}个文件是空的，请重新选择。",
            "bad_type": "第{position}个文件不是照片或PDF文件。只能上传照片（JPG、PNG、WEBP）或PDF文件。",
            "too_many_pixels": "第{position}个文件的像素过大，请缩小后再上传。",
            "encrypted": "第{position}个文件是加密的PDF，请去掉密码后再上传。",
            "too_many_pages": "第{position}个文件超过{limit}页，请分开上传。",
        }
    return texts[code].format(position=position, **params)


def refuse(code: str, position: int | None = None, **params: object) -> Refused:
    return Refused(_message(code, position, **params), code=code)


def clean_upload(
    upload: UploadedFile,
    *,
    position: int | None = None,
    max_side: int = MAX_SIDE,
    allowed_suffixes: frozenset[str] | None = None,
) -> CleanFile:
    """The stored form of one uploaded file, or `Refused`.

    `allowed_suffixes`: where the user's file name is kept and shown (staff uploads),
    its extension must be one of these, so a PDF called ``run.exe`` is refused rather
    than served under that name.
    """
    size = upload.size or 0
    if size > MAX_BYTES:
        raise refuse("too_large", position, size=size / 2**20, limit=MAX_BYTES // 2**20)
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise refuse(
            "too_large", position, size=len(data) / 2**20, limit=MAX_BYTES // 2**20
        )
    if not data:
        raise refuse("empty", position)
    original = Path(upload.name or "")
    if allowed_suffixes is not None and original.suffix.lower() not in allowed_suffixes:
        raise refuse("bad_type", position)
    clean = clean_bytes(data, position=position, max_side=max_side)
    stem = original.stem[:150] or "file"
    return CleanFile(
        kind=clean.kind,
        extension=clean.extension,
        content_type=clean.content_type,
        content=clean.content,
        name=f"{stem}.{clean.extension}",
    )


def clean_bytes(
    data: bytes, *, position: int | None = None, max_side: int = MAX_SIDE
) -> CleanFile:
    """Re-encode a picture or rewrite a PDF; anything else is `Refused`."""
    if data.startswith(b"%PDF-"):
        return _clean_pdf(data, position)
    return _clean_image(data, position, max_side)


def _clean_image(data: bytes, position: int | None, max_side: int) -> CleanFile:
    too_many = refuse("too_many_pixels", position, limit=MAX_PIXELS // 1_000_000)
    try:
        with warnings.catch_warnings():
            # We refuse on the size ourselves, below; Pillow's own error (at twice its
            # MAX_IMAGE_PIXELS) means the same.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
            except Image.DecompressionBombError:
                raise too_many from None
            source_format = image.format
            # The header alone gives the size: refuse before decoding anything.
            if image.width * image.height > MAX_PIXELS:
                raise too_many
            # JPEG decodes at 1/2, 1/4 or 1/8 scale when that still covers max_side:
            # a 48 MP photo costs a quarter of the memory and time.
            image.draft("RGB", (max_side, max_side))
            image.load()
            upright = ImageOps.exif_transpose(image)
    except Refused:
        raise
    except Exception:  # any decoder error: not a picture we can read
        raise refuse("bad_type", position) from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    pixels = upright.convert("RGBA" if has_alpha else "RGB")
    # reducing_gap=1: an integer box reduction first, then Lanczos on the rest; half
    # the time of Lanczos on all 40 MP, no visible difference at this size.
    pixels.thumbnail((max_side, max_side), reducing_gap=1.0)
    # A new image from the pixels alone: no info dict, no EXIF, no ICC, no XMP, no
    # text chunks. The orientation was applied to the pixels above.
    fresh = Image.new(pixels.mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    # A PNG stays lossless (scans of signed pages); a photo stays a JPEG.
    if has_alpha or source_format == "PNG":
        fresh.save(out, format="PNG", optimize=False, compress_level=6)
        return CleanFile("image", "png", "image/png", out.getvalue())
    fresh.save(out, format="JPEG", quality=85, optimize=True)
    return CleanFile("image", "jpg", "image/jpeg", out.getvalue())


def _clean_pdf(data: bytes, position: int | None) -> CleanFile:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise refuse("encrypted", position)
        pages = len(reader.pages)
        if pages == 0:
            raise refuse("bad_type", position)
        if pages > MAX_PDF_PAGES:
            raise refuse("too_many_pages", position, limit=MAX_PDF_PAGES)
        writer = PdfWriter(clone_from=reader)
        _strip_pdf(writer)
        out = io.BytesIO()
        writer.write(out)
    except Refused:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
    ):
        # pypdf's recovery gives up in several ways on a file that is not a PDF.
        raise refuse("bad_type", position) from None
    return CleanFile("pdf", "pdf", "application/pdf", out.getvalue())


def _strip_pdf(writer: PdfWriter) -> None:
    root = writer.root_object
    for key in PDF_CATALOG_DROP:
        root.pop(NameObject(key), None)
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        if isinstance(names, DictionaryObject):
            for key in PDF_NAMES_DROP:
                names.pop(NameObject(key), None)
    for page in writer.pages:
        for key in PDF_PAGE_DROP:
            page.pop(NameObject(key), None)
    # No document-info dictionary at all: not even pypdf's own /Producer.
    writer.metadata = None
    # The clone holds every object of the source; drop those nothing refers to any
    # more (the XMP streams, the scripts), or they would be written all the same.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)


# Tables for the import (srbgov.exchange, docs/import.md §2). A 50,000-row register is
# 3-6 MB as .xlsx or .csv; 20 MB leaves room and bounds what one upload may cost.
TABLE_MAX_BYTES = 20 * 1024 * 1024
TABLE_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
}
# An .xlsx is a zip of XML parts; these two make it a workbook.
XLSX_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})
# Far more than any workbook has; a zip bomb has many entries or huge ones.
XLSX_MAX_ENTRIES = 2000
XLSX_MAX_UNPACKED = 400 * 1024 * 1024


def clean_table_upload(upload: UploadedFile) -> CleanFile:
    """An .xlsx workbook or a .csv file, checked for what it claims to be; `Refused`
    otherwise. The bytes are kept as they are (no metadata of a person is in them that
    the rows do not hold already); the importer stores them encrypted."""
    size = upload.size or 0
    limit = TABLE_MAX_BYTES // 2**20
    if size > TABLE_MAX_BYTES:
        raise Refused(
            f"文件太大：{size / 2**20:.1f} MB，上限为 {limit} MB。请分成几个文件上传。"
        )
    upload.seek(0)
    data = upload.read(TABLE_MAX_BYTES + 1)
    if len(data) > TABLE_MAX_BYTES:
        raise Refused(f"文件太大，上限为 {limit} MB。请分成几个文件上传。")
    if not data:
        raise refuse("empty")
    original = Path(upload.name or "")
    suffix = original.suffix.lower()
    if suffix not in TABLE_TYPES:
        raise Refused(
            "只能上传 Excel（.xlsx）或 CSV（.csv）文件。旧版 .xls 请先另存为 .xlsx。"
        )
    if suffix == ".xlsx":
        _check_xlsx(data)
    elif b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused(
            "这个 .csv 文件不是文本表格，请在 Excel 或 WPS 中另存为 CSV 后重新上传。"
        )
    stem = original.stem[:150] or "table"
    return CleanFile(
        kind="table",
        extension=suffix[1:],
        content_type=TABLE_TYPES[suffix],
        content=data,
        name=f"{stem}{suffix}",
    )


def _check_xlsx(data: bytes) -> None:
    bad = Refused(
        "这个文件不是有效的 .xlsx 工作簿，请在 Excel 或 WPS 中另存为 .xlsx 后重新上传。"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise bad from None
    names = {entry.filename for entry in entries}
    if not names >= XLSX_PARTS or len(entries) > XLSX_MAX_ENTRIES:
        raise bad
    if sum(entry.file_size for entry in entries) > XLSX_MAX_UNPACKED:
        raise bad
