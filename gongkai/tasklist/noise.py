"""What a document carries that is not its content: page numbers, Word bookmarks, 附件 labels,
stray whitespace. Every text the interpreter reads goes through `tidy` first.
"""

from __future__ import annotations

import re

_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]{0,200}\]", re.I)
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200b\u3000\ufeff]+")
#: Whitespace between two CJK characters or CJK punctuation is a wrapping or typing artefact.
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(
    r"^[-—–－_\s]*(?:第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?"
    r"|[-—–－]\s*\d{1,4}\s*[-—–－]|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)[-—–－_\s]*$",
    re.I,
)
_ATTACHMENT = re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*\s*[:：]?\s*")
_DISCLOSURE_NOTE = re.compile(r"^[（(]\s*此件[^）)]{0,12}[）)]$")


def tidy(text: str) -> str:
    """Bookmarks out, runs of spaces to one, line ends trimmed, blank lines dropped."""
    text = _BOOKMARK.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def squeeze(text: str) -> str:
    """No whitespace between CJK characters: 重大决策 预公开 → 重大决策预公开 (names, paths)."""
    return _CJK_GAP.sub("", text).strip()


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def is_attachment_label(text: str) -> bool:
    """附件 / 附件1 / 附件：on a line of its own."""
    found = _ATTACHMENT.match(text.strip())
    return found is not None and found.end() == len(text.strip())


def strip_attachment_label(text: str) -> str:
    """附件1：某某任务清单 → 某某任务清单."""
    found = _ATTACHMENT.match(text)
    if found and found.end() < len(text) and text[found.end() - 1] in ":：1234567890 ":
        return text[found.end() :].strip()
    return text


def is_noise(text: str) -> bool:
    """A paragraph that is layout, not content: a page number, an attachment label, （此件公开）."""
    stripped = text.strip()
    return (
        not stripped
        or is_page_number(stripped)
        or is_attachment_label(stripped)
        or bool(_DISCLOSURE_NOTE.match(stripped))
    )
