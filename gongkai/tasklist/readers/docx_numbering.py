"""Word's automatic list numbering, rendered as the text a reader sees ("一、", "（二）", "1.").

Task lists often number their headings and 序号 cells with Word lists, so the numbers are not in
the text runs. Counting them in document order and rendering the level's pattern gives the
interpreter the same prefixes a typed list has. Bullets render as nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gongkai.tasklist.readers.wordml import W, attr, child_val, int_val

_LEVELS = 9
_CJK_DIGITS = "〇一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    suffix: str  # tab, space or nothing


def _chinese(n: int, digits: str = _CJK_DIGITS, ten: str = "十") -> str:
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    head = "" if tens == 1 else digits[tens]
    return head + ten + (digits[ones] if ones else "")


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n - 1) % 26]
    return letter * ((n - 1) // 26 + 1)  # Word repeats: Y, Z, AA, BB


def format_number(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
    ):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _LEGAL_DIGITS, "拾")
    if fmt in ("ideographTraditional", "ideographZodiac"):
        return _STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        text = _letters(n)
        return text if fmt == "upperLetter" else text.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        text = _roman(n)
        return text if fmt == "upperRoman" else text.lower()
    if fmt == "none":
        return ""
    return str(n)


def _levels(parent: Any) -> dict[int, _Level]:
    out: dict[int, _Level] = {}
    for lvl in parent.iterchildren(W + "lvl"):
        ilvl = _int(attr(lvl, "ilvl"))
        if ilvl is None or not 0 <= ilvl < _LEVELS:
            continue
        out[ilvl] = _Level(
            start=int_val(lvl, "start", default=1) or 0,
            fmt=child_val(lvl, "numFmt") or "decimal",
            text=child_val(lvl, "lvlText") or "",
            suffix=child_val(lvl, "suff") or "tab",
        )
    return out


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


class Numbering:
    """Counts list items in document order; `label()` returns the next item's rendered prefix."""

    def __init__(self, numbering_element: Any) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self._counters: dict[str, list[int | None]] = {}
        if numbering_element is None:
            return
        for el in numbering_element.iterchildren(W + "abstractNum"):
            abstract_id = attr(el, "abstractNumId")
            if abstract_id is not None:
                self._abstract[abstract_id] = _levels(el)
        for el in numbering_element.iterchildren(W + "num"):
            num_id, abstract_id = attr(el, "numId"), child_val(el, "abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            overrides: dict[int, _Level] = {}
            starts: dict[int, int] = {}
            for override in el.iterchildren(W + "lvlOverride"):
                ilvl = _int(attr(override, "ilvl"))
                if ilvl is None:
                    continue
                overrides.update(_levels(override))
                start = int_val(override, "startOverride")
                if start is not None:
                    starts[ilvl] = start
            self._nums[num_id] = (abstract_id, overrides, starts)

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id not in self._nums or not 0 <= ilvl < _LEVELS:
            return ""
        abstract_id, overrides, starts = self._nums[num_id]
        levels = {**self._abstract.get(abstract_id, {}), **overrides}
        level = levels.get(ilvl)
        if level is None:
            return ""
        # A num with its own start values restarts the list; others continue their abstract's.
        key = "num:" + num_id if starts else "abstract:" + abstract_id
        counters = self._counters.setdefault(key, [None] * _LEVELS)
        current = counters[ilvl]
        counters[ilvl] = starts.get(ilvl, level.start) if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        if level.fmt == "bullet":
            return ""

        def render(match: re.Match[str]) -> str:
            i = int(match.group(1)) - 1
            lvl = levels.get(i)
            if lvl is None:
                return ""
            value = counters[i]
            return format_number(value if value is not None else lvl.start, lvl.fmt)

        text = _PLACEHOLDER.sub(render, level.text).strip()
        if not text:
            return ""
        if level.suffix == "nothing" or not text[-1].isascii():
            return text
        return text + " "
