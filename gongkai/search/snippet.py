"""Highlighted snippets, built in Python from the stored text so user text never becomes HTML."""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 120
LEAD_CHARS = 30


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # Longest first, so 共和国 is marked whole rather than as 共和 + 国.
    alternatives = sorted({re.escape(t) for t in terms}, key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _marked(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """Escape every piece of `text` and wrap the pieces that match in <mark>."""
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for found in pattern.finditer(text):
        out += [escape(text[last : found.start()]), f"<mark>{escape(found.group())}</mark>"]
        last = found.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308  # every piece went through escape()


def highlight(text: str, terms: list[str]) -> SafeString:
    """The whole text (a title) with the query words marked."""
    return _marked(unicodedata.normalize("NFKC", text), _pattern(terms))


def snippet(body: str, terms: list[str], size: int = SNIPPET_CHARS) -> SafeString:
    """About `size` characters of the body around the first query word, words marked."""
    text = " ".join(unicodedata.normalize("NFKC", body).split())
    pattern = _pattern(terms)
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - LEAD_CHARS) if found else 0
    piece = text[start : start + size]
    marked = _marked(piece, pattern)
    before = "…" if start > 0 else ""
    after = "…" if start + size < len(text) else ""
    return mark_safe(before + marked + after)  # noqa: S308  # marked is escaped; … is text
