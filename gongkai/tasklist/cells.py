"""What a cell's text looks like: a requirement, a units list, a category, a date, a number.

Scores, not verdicts: they let a reader place the cells of a text table whose merged cells were
left out (`layout`), and let the interpreter guess the columns of a table without a header.
"""

from __future__ import annotations

import re

from gongkai.tasklist.unitphrases import looks_like_unit, split_units

_SENTENCE_END = "。；;！!？?"
_DEADLINE_WORDS = re.compile(
    r"\d{4}\s*年|\d{1,2}\s*月|月底|年底|年末|季度|[前内]$|之前|以前|长期|長期|持续|持續|常态|常態"
    r"|每[年月周日季半]|随时|隨時|即时|即時|工作日|个?小时|\d+\s*[天日]"
)
_SERIAL = re.compile(r"^\s*(?:\d{1,4}|[一二三四五六七八九十百]+|[\u2460-\u2473])\s*[.、．]?\s*$")


def requirement_score(text: str) -> float:
    """High for a sentence that asks for work; low for a name, a number or a units list."""
    text = text.strip()
    if not text:
        return -5.0
    score = 0.0
    if text[-1] in _SENTENCE_END or "。" in text:
        score += 3
    if any(ch in text for ch in "，,"):
        score += 1
    score += min(len(text), 60) / 30
    if len(text) <= 8 and not any(ch in text for ch in _SENTENCE_END + "，,"):
        score -= 2
    if unit_score(text) >= 0.5:
        score -= 3
    return score


def unit_score(text: str) -> float:
    """0–1: how much of the text is unit names (a sentence naming a lead counts for most)."""
    text = text.strip()
    if not text or len(text) > 300:
        return 0.0
    found = split_units(text)
    if found.note is not None:  # a units sentence: 区司法局牵头…，各成员单位负责…
        return 0.8 if found.lead or found.responsible else 0.0
    names = found.phrases
    if not names or text[-1] in "。！!？?":
        return 0.0
    return sum(looks_like_unit(n) for n in names) / len(names)


def category_score(text: str) -> float:
    """1 for a short label (基础信息公开), less as it grows into a sentence."""
    text = text.strip()
    if not text:
        return 0.0
    if "。" in text or text[-1] in _SENTENCE_END:
        return -1.0
    if len(text) <= 25 and not any(ch in text for ch in "，,；;"):
        return 1.0
    return 0.3 if len(text) <= 45 else -0.5


def deadline_score(text: str) -> float:
    text = text.strip()
    if not text or len(text) > 40:
        return 0.0
    return 1.0 if _DEADLINE_WORDS.search(text) else 0.0


def is_serial(text: str) -> bool:
    """A row number: 1, 12., 一, ①."""
    return bool(_SERIAL.match(text))


def is_sentence(text: str) -> bool:
    """Reads as running text rather than a label: sentence punctuation, or long with commas."""
    text = text.strip()
    return bool(text) and (
        any(ch in text for ch in "。；;！？")
        or (len(text) >= 25 and any(ch in text for ch in "，,"))
        or len(text) >= 50
    )
