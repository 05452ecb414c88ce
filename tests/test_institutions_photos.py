"""Leaders' photos are judged by their content: anything Pillow does not read as a JPEG, PNG or
WebP image is refused in Chinese, as are oversized files and pixel bombs; what is kept is a
fresh JPEG that fits the portrait box and carries no EXIF."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from gongkai.institutions import photos
from gongkai.institutions.demo import portrait_png
from gongkai.institutions.photos import PhotoRejected, clean_photo


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def test_a_jpeg_with_gps_exif_is_stored_without_it_and_shrunk_to_the_box() -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (36.0, 48.0, 0.0)}  # GPS
    raw = encoded(Image.new("RGB", (1200, 1600), (200, 100, 50)), "JPEG", exif=exif)
    assert b"PhoneMaker" in raw

    clean = clean_photo(raw)
    kept = Image.open(io.BytesIO(clean.data))
    assert kept.format == "JPEG" and (kept.width, kept.height) == (600, 800)
    assert not kept.getexif() and b"PhoneMaker" not in clean.data


def test_a_transparent_png_is_flattened_on_white() -> None:
    raw = encoded(Image.new("RGBA", (100, 100), (0, 0, 0, 0)), "PNG")
    kept = Image.open(io.BytesIO(clean_photo(raw).data)).convert("RGB")
    assert min(kept.getpixel((50, 50))) > 240  # type: ignore[arg-type]  # an RGB tuple


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "照片文件是空的"),
        (b"GIF89a not really", "不是可识别的图片"),
        (b"%PDF-1.7\n1 0 obj", "不是可识别的图片"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "不是可识别的图片"),
        (portrait_png()[:200], "已损坏"),
    ],
)
def test_non_images_and_broken_images_are_refused_in_chinese(raw: bytes, message: str) -> None:
    with pytest.raises(PhotoRejected, match=message):
        clean_photo(raw)


def test_gif_and_bmp_images_are_refused_by_format() -> None:
    for fmt in ("GIF", "BMP"):
        with pytest.raises(PhotoRejected, match="只能是 JPG、PNG 或 WebP"):
            clean_photo(encoded(Image.new("RGB", (10, 10)), fmt))


def test_oversized_files_and_pixel_bombs_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(PhotoRejected, match="不能超过 8 MB"):
        clean_photo(b"\x89PNG" + b"0" * photos.MAX_UPLOAD_BYTES)
    monkeypatch.setattr(photos, "MAX_PIXELS", 50 * 50)
    with pytest.raises(PhotoRejected, match="尺寸过大"):
        clean_photo(encoded(Image.new("RGB", (60, 60)), "PNG"))


@given(st.binary(max_size=2000))
def test_junk_never_crashes_the_check(raw: bytes) -> None:
    try:
        clean = clean_photo(raw)
    except PhotoRejected:
        return
    assert clean.data[:3] == b"\xff\xd8\xff"
