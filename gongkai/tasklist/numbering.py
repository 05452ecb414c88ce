"""Numbering prefixes of headings and items: 第一部分 一、 （一） 1. （1） 1） ① 第一条.

Official documents nest them in a fixed order (GB/T 9704 practice): 一、 holds （一）, which
holds 1., which holds （1）. `Style` lists them in that order, so a style's value is its usual
depth; a document that skips a level still nests correctly because only the order matters.
"""

from __future__ import annotations

import enum
import re
from typing import NamedTuple

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
}
CN_DIGITS |= {"八": 8, "九": 9}
_CN_NUM = "[一二三四五六七八九十百零〇两]+"
_NUM = r"(?:\d{1,3})"


class Style(enum.IntEnum):
    PART = 0  # 第一部分 第一章
    CHINESE = 1  # 一、
    CHINESE_PAREN = 2  # （一）
    ARTICLE = 3  # 第一条
    ARABIC = 4  # 1.  1、  1．
    ARABIC_PAREN = 5  # （1）
    ARABIC_HALF = 6  # 1）
    CIRCLED = 7  # ①


_PATTERNS: tuple[tuple[Style, re.Pattern[str]], ...] = (
    (
        Style.PART,
        re.compile(rf"^\s*第\s*(?P<n>{_CN_NUM}|{_NUM})\s*(?:部分|章|篇)\s*[、.．:：]?\s*"),
    ),
    (Style.ARTICLE, re.compile(rf"^\s*第\s*(?P<n>{_CN_NUM}|{_NUM})\s*条\s*[、.．:：]?\s*")),
    (Style.CHINESE, re.compile(rf"^\s*(?P<n>{_CN_NUM})\s*[、.．]\s*")),
    (Style.CHINESE_PAREN, re.compile(rf"^\s*[（(]\s*(?P<n>{_CN_NUM})\s*[）)]\s*[、.．]?\s*")),
    (Style.ARABIC_PAREN, re.compile(rf"^\s*[（(]\s*(?P<n>{_NUM})\s*[）)]\s*[、.．]?\s*")),
    (Style.ARABIC_HALF, re.compile(rf"^\s*(?P<n>{_NUM})\s*[）)]\s*")),
    # 1. but not 1.5倍 or 2020.1; 1、 too
    (Style.ARABIC, re.compile(rf"^\s*(?P<n>{_NUM})\s*(?:[.．](?!\d)|、)\s*")),
    (Style.CIRCLED, re.compile(r"^\s*(?P<n>[\u2460-\u2473\u3251-\u325f\u2776-\u277f])\s*")),
)


class Marker(NamedTuple):
    style: Style
    number: int  # 0 when it cannot be read
    end: int  # where the text after the marker starts


def find_marker(text: str) -> Marker | None:
    """The numbering at the start of `text`, if any."""
    for style, pattern in _PATTERNS:
        found = pattern.match(text)
        if found is None:
            continue
        if found.end() >= len(text.rstrip()):  # nothing after it: a bare number, not a marker
            return None
        return Marker(style, _value(found.group("n")), found.end())
    return None


def strip_numbering(text: str) -> str:
    """`text` without its leading numbering: （一）政策文件 → 政策文件. Bare numbers stay."""
    found = find_marker(text)
    return text[found.end :].strip() if found else text.strip()


def _value(token: str) -> int:
    if token.isdecimal():  # 1 and full-width １ (not ①, which isdigit() but not isdecimal())
        return int(token)
    if "\u2460" <= token <= "\u2473":
        return ord(token) - 0x2460 + 1
    if "\u3251" <= token <= "\u325f":
        return ord(token) - 0x3251 + 21
    if "\u2776" <= token <= "\u277f":
        return ord(token) - 0x2776 + 1
    return chinese_number(token)


def chinese_number(token: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 二〇二〇 → 2020; 0 if unreadable."""
    if len(token) > 1 and all(ch in CN_DIGITS for ch in token):  # digit by digit: 二〇二〇
        return int("".join(str(CN_DIGITS[ch]) for ch in token))
    total, current = 0, 0
    for ch in token:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return 0
    return total + current
