"""Web archives (.mht/.mhtml, also Word's "single file web page" saved as .doc): the HTML page
inside, read by the HTML reader.
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message
from pathlib import Path

from gongkai.tasklist.blocks import RawDocument
from gongkai.tasklist.readers import errors, html
from gongkai.tasklist.readers.limits import Limits

NAME = "mhtml"


def sniff(head: bytes, suffix: str) -> int:
    start = head[:4096].lower()
    return 95 if b"mime-version:" in start and b"multipart/related" in start else 0


def read(path: Path, limits: Limits) -> RawDocument:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            text, warnings = _decoded(part)
            return html.read_text(text, path.name, limits, warnings)
    raise errors.no_content()


def _decoded(part: Message) -> tuple[str, list[str]]:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset()
    if charset:
        try:
            return data.decode(html.charset_alias(charset)), []
        except (LookupError, UnicodeDecodeError):
            pass
    return html.decode(data)
