"""The pipeline's one job: store pixels and pages, never the metadata around them, and
refuse whatever does not decode (issue 10 items 5 and 6; docs/uploads.md)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter

from srbgov.files.clean import MAX_PIXELS, CleanFile, Refused, clean_bytes
from srbgov.files.tests import samples

MARKS = (
    b"PhoneMaker",
    b"Model X",
    b"ICCPROFILEMARK",
    b"XmpAuthorZhang",
    b"PdfAuthorWang",
    b"PdfScriptMark",
    b"PngAuthorLi",
    b"OfficeSuite",
    b"Exif",
)


def marks_in(content: bytes) -> list[bytes]:
    return [mark for mark in MARKS if mark in content]


def test_a_phone_photo_keeps_its_pixels_and_loses_gps_camera_icc_and_xmp() -> None:
    photo = samples.jpeg_with_gps()
    assert marks_in(photo) == [
        b"PhoneMaker",
        b"Model X",
        b"ICCPROFILEMARK",
        b"XmpAuthorZhang",
        b"Exif",
    ]
    clean = clean_bytes(photo)
    assert (clean.kind, clean.extension, clean.content_type) == (
        "image",
        "jpg",
        "image/jpeg",
    )
    assert marks_in(clean.content) == []
    image = Image.open(io.BytesIO(clean.content))
    assert dict(image.getexif()) == {}
    assert image.info.get("icc_profile") is None
    assert image.size == (64, 48)


def test_the_orientation_is_applied_to_the_pixels_before_the_exif_goes() -> None:
    # Orientation 6: the camera was turned; the picture must still stand upright.
    clean = clean_bytes(samples.jpeg_with_gps(size=(64, 48), orientation=6))
    assert Image.open(io.BytesIO(clean.content)).size == (48, 64)


def test_a_png_keeps_lossless_and_loses_its_text_chunks_and_exif() -> None:
    png = samples.png_with_text()
    assert b"PngAuthorLi" in png and b"XmpAuthorZhang" in png
    clean = clean_bytes(png)
    assert clean.extension == "png"
    assert marks_in(clean.content) == []
    assert Image.open(io.BytesIO(clean.content)).getpixel((3, 3)) == (10, 200, 10)


def test_a_pdf_keeps_its_pages_and_loses_author_xmp_and_scripts() -> None:
    pdf = samples.pdf_with_metadata(pages=2)
    assert {b"PdfAuthorWang", b"XmpAuthorZhang", b"PdfScriptMark"} <= set(marks_in(pdf))
    clean = clean_bytes(pdf)
    assert (clean.kind, clean.content_type) == ("pdf", "application/pdf")
    assert marks_in(clean.content) == []
    reader = PdfReader(io.BytesIO(clean.content))
    assert len(reader.pages) == 2
    assert reader.metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]
    assert "/OpenAction" not in reader.trailer["/Root"]


@pytest.mark.parametrize("name", sorted(samples.POLYGLOTS))
def test_files_that_only_begin_like_a_picture_or_a_pdf_are_refused(name: str) -> None:
    with pytest.raises(Refused) as refused:
        clean_bytes(samples.POLYGLOTS[name])
    assert refused.value.code == "bad_type"
    assert "只能上传 PDF 或图片" in refused.value.messages[0]


def test_a_picture_over_the_pixel_cap_is_refused_from_its_header_alone() -> None:
    # 9000×9000 = 81 MP declared, with almost no pixel data: decoding would fail as
    # "not a picture", so the size refusal shows that nothing was decoded.
    with pytest.raises(Refused) as refused:
        clean_bytes(samples.png_header_only(9000, 9000))
    assert refused.value.code == "too_many_pixels"
    side = int(MAX_PIXELS**0.5) - 10
    with pytest.raises(Refused) as truncated:
        clean_bytes(samples.png_header_only(side, side))
    assert truncated.value.code == "bad_type"


def test_an_encrypted_pdf_is_refused_in_chinese() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(Refused) as refused:
        clean_bytes(out.getvalue())
    assert refused.value.code == "encrypted"
    assert "密码" in refused.value.messages[0]


def test_a_big_photo_is_scaled_to_the_long_side_limit() -> None:
    clean = clean_bytes(samples.jpeg_with_gps(size=(1200, 900)), max_side=600)
    assert Image.open(io.BytesIO(clean.content)).size == (600, 450)


HEADS = st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-1.4\n", b"RIFF"])


@settings(max_examples=150, deadline=None)
@given(head=HEADS, tail=st.binary(max_size=400))
def test_any_bytes_are_refused_or_come_back_clean_never_a_crash(
    head: bytes, tail: bytes
) -> None:
    try:
        clean = clean_bytes(head + tail)
    except Refused:
        return
    assert isinstance(clean, CleanFile)
    # What is stored is itself a file the pipeline accepts, of the kind it says.
    again = clean_bytes(clean.content)
    assert again.kind == clean.kind


@settings(max_examples=40, deadline=None)
@given(
    width=st.integers(1, 80),
    height=st.integers(1, 80),
    orientation=st.integers(1, 8),
    make=st.text(alphabet="ABCDEFGHJK", min_size=6, max_size=12),
)
def test_no_exif_survives_whatever_the_photo(
    width: int, height: int, orientation: int, make: str
) -> None:
    image = Image.new("RGB", (width, height), (1, 2, 3))
    exif = Image.Exif()
    exif[0x010F] = f"Mk{make}"
    exif[0x0112] = orientation
    exif.get_ifd(samples.GPS_IFD).update(samples.GPS)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    clean = clean_bytes(out.getvalue())
    assert f"Mk{make}".encode() not in clean.content
    assert dict(Image.open(io.BytesIO(clean.content)).getexif()) == {}
    assert sorted(Image.open(io.BytesIO(clean.content)).size) == sorted((width, height))
