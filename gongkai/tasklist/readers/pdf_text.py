"""Text from a PDF's characters: lines, and lines joined back where they only wrapped.

A PDF knows characters and positions, not paragraphs. A line that reaches the right edge of its
box (the cell, or the text column) wrapped; one that stops short ended a paragraph, a list item
or a unit name on its own line. Joining only wrapped lines keeps 各县（市、区） whole when it
breaks at the edge and keeps one unit a line apart when they were written so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

_NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[①-⑳])"
)
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def lines_of(chars: list[dict[str, Any]]) -> list[Line]:
    """Characters grouped into lines, top to bottom, each left to right."""
    ordered = sorted(chars, key=lambda ch: (ch["top"], ch["x0"]))
    groups: list[list[dict[str, Any]]] = []
    for ch in ordered:
        if groups and ch["top"] - groups[-1][0]["top"] <= max(1.0, 0.5 * _size(groups[-1][0])):
            groups[-1].append(ch)
        else:
            groups.append([ch])
    return [_line(sorted(g, key=lambda ch: ch["x0"])) for g in groups]


def _size(ch: dict[str, Any]) -> float:
    return float(ch.get("size") or (ch["bottom"] - ch["top"]) or 10.0)


def _line(chars: list[dict[str, Any]]) -> Line:
    parts: list[str] = []
    previous: dict[str, Any] | None = None
    for ch in chars:
        text = str(ch.get("text") or "")
        gap = ch["x0"] - previous["x1"] if previous is not None else 0.0
        if gap > 0.2 * _size(ch) and text != " " and parts and parts[-1] != " ":
            parts.append(" ")
        parts.append(text)
        previous = ch
    inked = [ch for ch in chars if str(ch.get("text") or "").strip()] or chars
    sizes = sorted(_size(ch) for ch in inked)
    return Line(
        text=" ".join("".join(parts).split()),
        x0=min(ch["x0"] for ch in inked),
        x1=max(ch["x1"] for ch in inked),
        top=min(ch["top"] for ch in inked),
        bottom=max(ch["bottom"] for ch in inked),
        size=sizes[len(sizes) // 2],
    )


def _wide(c: str) -> bool:
    return not c.isascii()


def _wrapped(line: Line, following: Line, right: float) -> bool:
    """Did `line` stop only because it ran out of room before `right`?"""
    room = right - line.x1
    if following.text and not _wide(following.text[0]):
        first_word = following.text.split(" ", 1)[0]
        return room <= line.size * (0.6 * len(first_word) + 1.0) + 4.0
    return room <= 1.5 * line.size + 4.0


def _glue(left: str, right: str) -> str:
    if not left or not right:
        return left + right
    if _wide(left[-1]) or _wide(right[0]) or left.endswith("-"):
        return left + right
    return left + " " + right


def join_cell(lines: list[Line], right: float) -> str:
    """A cell's text: wrapped lines joined, real line ends kept as newlines."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if out and _wrapped(lines[i - 1], line, right):
            out[-1] = _glue(out[-1], line.text)
        else:
            out.append(line.text)
    return "\n".join(t for t in out if t)


def margins(lines: list[Line]) -> tuple[float, float]:
    """The text column's left and right edges: where most lines start and full lines end."""
    if not lines:
        return 0.0, 0.0
    lefts = Counter(round(line.x0) for line in lines)
    rights = Counter(round(line.x1) for line in lines)
    right, count = rights.most_common(1)[0]
    if count < 2:
        right = max(rights)
    return float(min(lefts.most_common(3))[0]), float(right)


def paragraphs(lines: list[Line], left: float, right: float) -> list[tuple[Line, str]]:
    """Free text joined into paragraphs, each with its first line."""
    out: list[tuple[Line, str]] = []
    for i, line in enumerate(lines):
        if out and _continues(lines[i - 1], line, left, right):
            first, text = out[-1]
            out[-1] = (first, _glue(text, line.text))
        else:
            out.append((line, line.text))
    return out


def _continues(previous: Line, line: Line, left: float, right: float) -> bool:
    if line.top - previous.bottom > 0.9 * previous.size:  # a paragraph gap
        return False
    if line.x0 > left + 1.5 * line.size or _NUMBERED.match(line.text):  # indent, or a new item
        return False
    return _wrapped(previous, line, right)


def is_page_number(line: Line, page_height: float) -> bool:
    if _PAGE_NUMBER.match(line.text):
        return True
    near_edge = line.top < 0.1 * page_height or line.bottom > 0.9 * page_height
    return near_edge and bool(_BARE_NUMBER.match(line.text))
