"""Files to upload in tests: real pictures and PDFs carrying the metadata a phone or an
office suite writes, and the polyglots of the security review (imported only by tests)."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from PIL import Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

GPS_IFD = 0x8825
# 26°35'N 106°43'E, as a phone writes it.
GPS = {1: "N", 2: (26.0, 35.0, 0.0), 3: "E", 4: (106.0, 43.0, 0.0)}
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>XmpAuthorZhang</dc:creator></rdf:Description></rdf:RDF>"
    b'</x:xmpmeta><?xpacket end="w"?>'
)
POLYGLOTS = {
    "jpeg-html": b"\xff\xd8\xff<html><script>alert(document.cookie)</script></html>",
    "pdf-html": b"%PDF-1.4<html><script>alert(document.cookie)</script></html>",
    "png-html": b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",
    "html": b"<html><script>alert(1)</script></html>",
    "exe": b"MZ\x90\x00" * 64,
}


def jpeg_with_gps(*, size: tuple[int, int] = (64, 48), orientation: int = 1) -> bytes:
    """A JPEG with EXIF (GPS IFD, make, model, orientation), an ICC profile and XMP."""
    image = Image.new("RGB", size, (200, 30, 30))
    # One marked pixel, to see the orientation applied.
    image.putpixel((0, 0), (0, 0, 255))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    exif[0x0112] = orientation
    exif.get_ifd(GPS_IFD).update(GPS)
    out = io.BytesIO()
    image.save(
        out, format="JPEG", exif=exif, icc_profile=b"ICCPROFILEMARK" * 8, xmp=XMP
    )
    return out.getvalue()


def png_with_text(*, size: tuple[int, int] = (32, 32)) -> bytes:
    """A PNG with text chunks (author, XMP) and EXIF."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "PngAuthorLi")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 10)).save(
        out, format="PNG", pnginfo=info, exif=exif
    )
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG signature and IHDR declaring `width`×`height`, and no pixel data at all:
    refused for its size, it proves the size is checked before any decoding."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)  # far too little for the declared size
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat)


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return struct.pack(">I", len(data)) + kind + data + crc


def pdf_with_metadata(*, pages: int = 2, script: bool = True) -> bytes:
    """A PDF with /Author, /Title, an XMP packet on the catalog and a page, and an
    OpenAction script."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata(
        {"/Author": "PdfAuthorWang", "/Title": "内部材料", "/Creator": "OfficeSuite 9"}
    )
    stream = DecodedStreamObject()
    stream.set_data(XMP)
    stream.update(
        {
            NameObject("/Type"): NameObject("/Metadata"),
            NameObject("/Subtype"): NameObject("/XML"),
        }
    )
    reference = writer._add_object(stream)
    writer.root_object[NameObject("/Metadata")] = reference
    writer.pages[0][NameObject("/Metadata")] = reference
    if script:
        action: dict[Any, Any] = {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('PdfScriptMark')"),
        }
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def black_png(side: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (side, side)).save(out, format="PNG")
    return out.getvalue()
