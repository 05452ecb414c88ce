"""The planned time of a catalogue item, as catalogues write it, and the last day it means.

Catalogues give the time as a period ("2026年三季度", "2026年6月", "2026年上半年", "2026年底前"),
not a date. The check "the planned time passed without a consultation" needs the period's last
day, so the text is read here and the period's end kept with the item. A text naming no year
takes the catalogue's year. No Django: a plain function over a string.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

#: Shown when the text cannot be read.
FORMS_HINT = "「2026年三季度」「2026年6月」「2026年上半年」「2026年底前」「2026年」"

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*月")
_QUARTER = re.compile(r"(?:第)?([一二三四1-4])\s*季度")
_HALF = re.compile(r"([上下])半年")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_end(text: str, default_year: int) -> dt.date | None:
    """The last day of the period `text` names, or None when it names none we know."""
    value = re.sub(r"\s+", "", text or "")
    if not value:
        return None
    year_match = _YEAR.search(value)
    year = int(year_match.group(1)) if year_match else default_year
    rest = _YEAR.sub("", value, count=1) if year_match else value
    if quarter := _QUARTER.search(rest):
        return _month_end(year, _NUMERALS[quarter.group(1)] * 3)
    if half := _HALF.search(rest):
        return _month_end(year, 6 if half.group(1) == "上" else 12)
    months = [int(m) for m in _MONTH.findall(rest)]
    if months:
        # "2026年5月至6月": the later month ends the period.
        return _month_end(year, max(months))
    if re.fullmatch(r"(全年|年内|年底前?|年末|年底之前|底前|底)?(完成)?", rest) and (
        year_match or rest
    ):
        return dt.date(year, 12, 31)
    return None
