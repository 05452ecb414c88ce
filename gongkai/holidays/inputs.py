"""Reading dates and day counts typed by people: one set of rules and messages for every channel.

The command line, the web page and the API all accept exactly `YYYY-MM-DD` and a non-negative
whole number, and say what is wrong in Chinese.
"""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COUNT = re.compile(r"[+-]?[0-9]{1,6}")
#: Far outside any year with a published schedule; keeps date arithmetic away from year 9999.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class InputError(ValueError):
    """A value a person typed cannot be used; the message says why, in Chinese."""


def _shown(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"


def parse_date(text: str | None, label: str = "日期") -> dt.date:
    text = (text or "").strip()
    if not text:
        raise InputError(f"请填写{label}（格式 YYYY-MM-DD，例如 2025-09-26）")
    if not _DATE.fullmatch(text):
        raise InputError(f"{label}格式不正确：“{_shown(text)}”，应为 YYYY-MM-DD，例如 2025-09-26")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{label}“{text}”不存在，请检查月份和日期") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputError(f"{label}超出可计算的范围（{FIRST_YEAR}—{LAST_YEAR} 年）：{text}")
    return day


def parse_count(text: str | None, label: str = "工作日数") -> int:
    text = (text or "").strip()
    if not text:
        raise InputError(f"请填写{label}")
    if not _COUNT.fullmatch(text):
        raise InputError(f"{label}应为不小于 0 的整数：“{_shown(text)}”")
    n = int(text)
    if n < 0:
        raise InputError(f"{label}不能为负数：{n}")
    return n
