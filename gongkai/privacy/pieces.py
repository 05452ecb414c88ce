"""What a document reader hands to the scanner: pieces of text, each with where it sits.

Every reader (office_docx, office_xlsx, pdf) has the same shape: a generator of `Piece`s that
appends non-fatal problems to a list and raises `Unreadable` when it cannot go on. The scanner
(`documents`) runs the detector over each piece; the reader never sees a hit.
"""

from __future__ import annotations

from dataclasses import dataclass


class Unreadable(Exception):
    """A file, or a part of one, that cannot be read; the message is Chinese, for the user."""


@dataclass(frozen=True)
class Span:
    """A stretch of a piece with its own label, e.g. the deleted words inside a paragraph."""

    start: int
    end: int
    labels: tuple[str, ...]  # e.g. ("修订：删除的文字",), appended to the piece's `where`
    hidden: bool


@dataclass(frozen=True)
class Piece:
    text: str
    where: str  # "正文第 3 段", "工作表「名单」B3", "第 2 页"
    hidden: bool = False
    spans: tuple[Span, ...] = ()
    # Report only hits that touch a span: the deleted-text view of a paragraph repeats its
    # unchanged words, whose hits the current view has already reported.
    only_in_spans: bool = False
