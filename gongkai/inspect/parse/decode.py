"""A response body as UTF-8 bytes for lxml: the charset from the BOM, the Content-Type header,
a <meta> or a guess (UTF-8, else GB18030); binary bodies served as HTML are refused."""

from __future__ import annotations

import codecs
import re
import threading
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_GB_LABELS = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312", "gb_2312-80"}
_BINARY_MAGIC = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\xd0\xcf\x11\xe0",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"BM",
)
# Control bytes that text never holds (tab, line breaks, form feed and ESC are allowed). They
# are counted with bytes.translate, which deletes every other byte in one C call.
_CONTROL = frozenset([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    if label in _GB_LABELS:
        return "gb18030"  # the superset: a page labelled gb2312 often uses GBK characters
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _charset(content_type: str, body: bytes) -> tuple[str, bool]:
    """The codec, and whether the body was already found to be valid UTF-8 on the way."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    found = _HEADER_CHARSET.search(content_type)
    if found and (codec := _codec(found.group(1))):
        return codec, False
    meta = _META_CHARSET.search(body, 0, 4096)
    if meta and (codec := _codec(meta.group(1).decode("ascii", "replace"))):
        return codec, False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(body) - 3:  # a body cut at the cap may end inside a character
            return "gb18030", False
        return "utf-8", False
    return "utf-8", True


def looks_binary(body: bytes) -> bool:
    head = body[:1024]
    if head.startswith(_BINARY_MAGIC) and not head.lstrip().startswith(b"<"):
        return True
    return len(head.translate(None, _NOT_CONTROL)) > max(8, len(head) // 50)


def parse(content_type: str, body: bytes) -> tuple[Any, bytes | None]:
    """The body parsed: (root element or None, the UTF-8 bytes parsed, or None when the body is
    not text). A body declared UTF-8 goes to the parser as it is: libxml2 logs invalid bytes
    as it converts the input, so only a body it complains about is checked and decoded in
    Python (invalid sequences replaced) and parsed again; a valid one is never decoded twice."""
    codec, valid = _charset(content_type, body)
    if codec != "utf-16" and looks_binary(body):
        return None, None
    if codec == "utf-8":
        root = _parse(body)
        if valid or (root is not None and not _invalid_bytes()):
            return root, body
        try:
            body.decode("utf-8")
            return root, body
        except UnicodeDecodeError:
            pass
    try:
        text = body.decode(codec, errors="replace")
    except (LookupError, ValueError):
        text = body.decode("utf-8", errors="replace")
    data = text.encode("utf-8", errors="replace")
    return _parse(data), data


def _parse(data: bytes) -> Any:
    try:
        return etree.fromstring(data, parser())
    except (etree.XMLSyntaxError, ValueError):
        return None


def _invalid_bytes() -> bool:
    """The last parse in this thread met bytes that are not UTF-8."""
    log = parser().error_log
    return bool(log) and any(e.type == _INVALID_ENCODING for e in log)


_INVALID_ENCODING = etree.ErrorTypes.ERR_INVALID_ENCODING
_LOCAL = threading.local()


def parser() -> etree.HTMLParser:
    """This thread's HTML parser (lxml parsers are not shared between threads)."""
    found: etree.HTMLParser | None = getattr(_LOCAL, "parser", None)
    if found is None:
        found = etree.HTMLParser(
            encoding="utf-8",
            remove_comments=True,
            remove_pis=True,
            no_network=True,
        )
        _LOCAL.parser = found
    return found
