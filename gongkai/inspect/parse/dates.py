"""Dates as pages write them: 2026-03-02, 2026/3/2, 2026.03.02, 2026年3月2日, and 03-02 or
[03-02] in lists (the year inferred from today)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

# Written without a look-behind and with the two forms' first two digits shared, so the regex
# engine skips to digits and tries little at each; the character before a match is checked by
# `date_of`. `\d\d` rather than `\d{2}` up front: a pattern that starts with a plain character
# class lets the engine scan for its first character in C instead of trying every position.
DATE = re.compile(
    r"(\d\d)(?:(\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?![\d.])|-(\d\d)(?![\d\-/.:]))"
)
MIN_DATE = dt.date(1990, 1, 1)
_ZONE = ZoneInfo("Asia/Shanghai")
_ONE_DAY = dt.timedelta(days=1)


def date_of(m: re.Match[str], today: dt.date) -> dt.date | None:
    start = m.start()
    century, year, month, day, short_day = m.groups()
    full = year is not None
    if start:
        before = m.string[start - 1]
        if before.isdigit() or before in ("." if full else ".-/:"):
            return None
    try:
        if full:
            if century != "19" and century != "20":
                return None
            return dt.date(int(century + year), int(month), int(day))
        found = dt.date(today.year, int(century), int(short_day))
    except ValueError:
        return None
    if found > today and found > today + _ONE_DAY:  # [12-30] seen in January is last year's
        try:
            found = found.replace(year=today.year - 1)
        except ValueError:
            return None
    return found


# A month-day written alone in its cell or span, unpadded (2-28, 3-2) or in brackets: old list
# templates write a column's dates so. Alone means the whole text node (nodes are joined by line
# breaks), so 第3-4条 or a phone number never reads as a date.
_LONE_SHORT = re.compile(
    r"(?:^|\n)[ \u3000]*[\[［(（【]?(\d{1,2})-(\d{1,2})[\]］)）】]?[ \u3000]*(?=\n|$)"
)


def lone_short_dates(text: str, today: dt.date) -> list[tuple[int, dt.date]]:
    """(position, date) of month-days standing alone in their text node, the year inferred."""
    out: list[tuple[int, dt.date]] = []
    if "-" not in text:
        return out
    for m in _LONE_SHORT.finditer(text):
        month, day = int(m.group(1)), int(m.group(2))
        if len(m.group(1)) == 2 and len(m.group(2)) == 2:
            continue  # 03-02: DATE reads it
        try:
            found = dt.date(today.year, month, day)
        except ValueError:
            continue
        if found > today + _ONE_DAY:
            try:
                found = found.replace(year=today.year - 1)
            except ValueError:
                continue
        out.append((m.start(1), found))
    return out


def today_or_now(today: dt.date | None) -> dt.date:
    return today or dt.datetime.now(_ZONE).date()


def parse_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The first date in `text` in any form the parser reads, or None."""
    today = today_or_now(today)
    for m in DATE.finditer(text):
        found = date_of(m, today)
        if found and found >= MIN_DATE:
            return found
    return None
