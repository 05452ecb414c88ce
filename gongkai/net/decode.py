"""Text and title of a fetched page, whatever its encoding.

Chinese government sites still serve GB2312 and GBK pages, often without a charset in the
Content-Type header and only a <meta> tag. All GB encodings are read as GB18030, their
superset, so a page labelled gb2312 that uses a GBK-only character still decodes.
"""

from __future__ import annotations

import codecs
import html
import re

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
# <meta charset="gbk"> and <meta http-equiv="Content-Type" content="text/html; charset=gbk">
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_SNIFF = 4096  # the HTML spec looks for <meta charset> in the first 1024 bytes; sites are lax


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    if label in _GB:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset(content_type: str, body: bytes) -> str:
    """The codec to read `body` with: a BOM, the header's charset, a <meta> charset, then
    UTF-8 if the bytes are valid UTF-8, else GB18030 (the likeliest for a Chinese page)."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    found = _HEADER_CHARSET.search(content_type)
    if found and (codec := _codec(found.group(1))):
        return codec
    meta = _META_CHARSET.search(body[:_SNIFF])
    if meta and (codec := _codec(meta.group(1).decode("ascii", "replace"))):
        return codec
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A body cut at the size cap may end inside a character; that alone is no reason.
        if exc.start < len(body) - 3:
            return "gb18030"
    return "utf-8"


def decode(content_type: str, body: bytes) -> str:
    return body.decode(charset(content_type, body), errors="replace")


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def title(text: str) -> str:
    """The first <title>, entities decoded and whitespace collapsed; "" when there is none."""
    found = _TITLE.search(text)
    return collapse(html.unescape(found.group(1))) if found else ""
