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
