"""Leaders' photos: an upload is accepted only if Pillow reads it as a JPEG, PNG or WebP image
of sane size, and what is stored is a fresh JPEG drawn from its pixels — so no EXIF (GPS,
camera, thumbnails), no embedded payload and no trust in the file's name or declared type.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

#: The largest upload accepted (a phone photo is 2–6 MB; a portrait for the web far less).
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
#: Refused before decoding: a small file can declare enormous dimensions (a decompression bomb).
MAX_PIXELS = 40_000_000
#: The stored photo fits in this box (a portrait on the unit's page is shown at 150×200).
BOX = (600, 800)
#: MPO is how Pillow names the multi-picture JPEG many phone cameras write: a JPEG all the same.
FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}


NOT_AN_IMAGE = "上传的文件不是可识别的图片，请上传 JPG、PNG 或 WebP 格式的照片"
TOO_LARGE = "照片尺寸过大，请缩小后再上传"


class PhotoRejected(ValueError):
    """The upload is not a photo we accept; the message says why, in the user's words."""


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int
    sha256: str
    content_type: str = "image/jpeg"


def clean_photo(raw: bytes) -> CleanPhoto:
    if not raw:
        raise PhotoRejected("照片文件是空的")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise PhotoRejected(f"照片不能超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(raw))
            if opened.format not in FORMATS:
                raise PhotoRejected("照片只能是 JPG、PNG 或 WebP 格式的图片")
            if opened.width * opened.height > MAX_PIXELS:
                raise PhotoRejected(TOO_LARGE)
            opened.load()
            image = _flatten(ImageOps.exif_transpose(opened))
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses these in open(), before our own pixel count: an image, but far too big.
        raise PhotoRejected(TOO_LARGE) from None
    except UnidentifiedImageError:
        raise PhotoRejected(NOT_AN_IMAGE) from None
    except (OSError, ValueError, SyntaxError):
        # Truncated or corrupt image data: Pillow's decoders raise these.
        raise PhotoRejected("图片文件已损坏，无法读取，请重新上传") from None
    image.thumbnail(BOX)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    data = out.getvalue()
    return CleanPhoto(data, image.width, image.height, hashlib.sha256(data).hexdigest())


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and a transparent area would turn black."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")
