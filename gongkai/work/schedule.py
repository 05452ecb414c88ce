"""Checkpoints from a task's time rules: which dates a unit reports on, and when each is due.

    slots_for([{"kind": "by_date", "text": "6月底前", "date": "2026-06-30"}], 2026, calendar)
    → [Slot(key="d2026-06-30", label="6月底前", nominal=2026-06-30, due=2026-06-30, …)]

The rules, in order:
- A date (`年底前`, `6月底前`, `第一季度`): one checkpoint on that date.
- Recurring: `每季度` one per quarter (its last day), `每月` one per month (on the day it
  names, `每月10日前` → the 10th), `每半年` one per half-year, `每年` one at the year's end, or
  on the date beside it (`每年3月底前` → 31 March only). A period shorter than a month
  (`每周`, `至少2周内更新一次`) is checked monthly: a checkpoint a week would bury the unit
  in forms.
- Ongoing (`持续推进`, `常态化`, `长期`), no rule at all, or only an event clock (`3个工作日内`
  after a document is published, `不少于30日` for a comment period): a self-check at the end
  of each quarter. An event clock makes the task a standing duty, shown with its words, until
  the register that runs that clock (requests, publishing) checks each event itself.
- A task with dates or recurring rules gets only those; the quarterly self-check is for tasks
  that name no date.

Due dates are working-day aware: a checkpoint whose date falls on a weekend or holiday is due
on the working day before it (a unit is never asked to report on a day off, and never given a
day more than the list allows). For a year the calendar does not know yet, weekends alone are
skipped until the year's schedule is added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gongkai.tasklist.timerules import extract_time_rules, number
from gongkai.workdays import CalendarUnavailable, WorkdayCalendar

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    key: str  # stable name of the slot: d2026-06-30, m2026-03, q2026-2, h2026-1, y2026
    kind: str  # CheckpointKind value
    label: str
    nominal: dt.date
    due: dt.date
    rule_text: str = ""
    standing: bool = False


def due_date(nominal: dt.date, calendar: WorkdayCalendar) -> dt.date:
    """`nominal` if it is a working day, else the last working day before it."""
    day = nominal
    while True:
        try:
            if calendar.is_workday(day):
                return day
        except CalendarUnavailable:
            if day.weekday() < 5:
                return day
        day -= _DAY


def month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - _DAY


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> dt.date:
    return month_end(year, quarter * 3)


def _rule_date(rule: Mapping[str, Any], year: int) -> dt.date | None:
    """The rule's date in the plan's year. The words are read again with the plan's year, so
    年底前 in a list imported as the 2026 plan means 2026 even if the document was parsed with
    another year in mind; words with their own year (2025年底前) keep it."""
    again = [r for r in extract_time_rules(str(rule.get("text", "")), year) if r.date]
    text = again[0].date if again else rule.get("date")
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _months(amount: int, unit: str) -> int | None:
    """A recurring rule's period in months (at least 1), or None if it has none."""
    per = {"month": 1, "quarter": 3, "year": 12}.get(unit)
    if per is not None:
        return max(1, amount) * per
    if unit in ("week", "day", "workday", "hour"):
        return 1
    return None


_DAY_ANCHOR = re.compile(r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]\s*(?:前|之前|以前)")


def _day_anchor(text: str) -> int | None:
    """The day of the month a monthly rule names (每月10日前 → 10), if any."""
    m = _DAY_ANCHOR.search(text)
    day = number(m.group(1)) if m else None
    return day if day is not None and 1 <= day <= 31 else None


def _periodic(months: int, year: int, text: str) -> list[tuple[str, str, dt.date]]:
    """(key, label, nominal date) for every period of `months` months in the year. A monthly
    rule that names a day (每月10日前) falls on that day, or the month's last if shorter."""
    months = min(months, 12)
    day = _day_anchor(text) if months == 1 else None
    if day is not None:
        return [
            (
                f"m{year}-{m:02d}",
                f"{m}月",
                min(dt.date(year, m, 1) + dt.timedelta(days=day - 1), month_end(year, m)),
            )
            for m in range(1, 13)
        ]
    if months == 12:
        return [(f"y{year}", f"{year}年度", dt.date(year, 12, 31))]
    if months == 6:
        return [
            (f"h{year}-1", "上半年", month_end(year, 6)),
            (f"h{year}-2", "下半年", month_end(year, 12)),
        ]
    if months % 3 == 0:
        return [
            (f"q{year}-{q}", QUARTER_NAMES[q - 1], quarter_end(year, q))
            for q in range(months // 3, 5, months // 3)
        ]
    return [(f"m{year}-{m:02d}", f"{m}月", month_end(year, m)) for m in range(months, 13, months)]


def slots_for(
    rules: Iterable[Mapping[str, Any]], year: int, calendar: WorkdayCalendar
) -> list[Slot]:
    """The checkpoints a task with these time rules (TimeRule dicts) has in `year`."""
    found: dict[dt.date, Slot] = {}
    clocks: list[str] = []
    rules = list(rules)
    # 每年3月底前: the yearly rule is anchored by the date beside it, not a second checkpoint
    # at the year's end.
    dated = any(str(r.get("kind")) == "by_date" and _rule_date(r, year) for r in rules)
    for rule in rules:
        kind, text = str(rule.get("kind", "")), str(rule.get("text", ""))
        if kind == "by_date":
            day = _rule_date(rule, year)
            if day is not None and day not in found:
                key = f"d{day.isoformat()}"
                found[day] = Slot(
                    key, "date", text[:100] or "截止", day, due_date(day, calendar), text
                )
        elif kind == "recurring":
            months = _months(int(rule.get("amount") or 1), str(rule.get("unit", "")))
            if months is None or (months >= 12 and dated):
                continue
            for key, label, day in _periodic(months, year, text):
                if day not in found:
                    found[day] = Slot(key, "recurring", label, day, due_date(day, calendar), text)
        elif kind in ("within", "minimum"):
            clocks.append(text)
    if found:
        return sorted(found.values(), key=lambda s: s.nominal)
    duty = "；".join(dict.fromkeys(t for t in clocks if t))
    return [
        Slot(
            f"q{year}-{q}",
            "selfcheck",
            f"{QUARTER_NAMES[q - 1]}自查",
            quarter_end(year, q),
            due_date(quarter_end(year, q), calendar),
            duty,
            standing=bool(duty),
        )
        for q in range(1, 5)
    ]
