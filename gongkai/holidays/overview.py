"""What the calendar page shows about one year, and the answer of its 期限计算 tool."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.workdays import CalendarUnavailable, DayKind, WorkdayCalendar


@dataclass(frozen=True)
class HolidayBlock:
    """Consecutive days off, e.g. 春节 2026-02-15 – 2026-02-23."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class YearOverview:
    year: int
    source: str
    blocks: list[HolidayBlock]
    makeup_days: list[dt.date]
    workdays: int


def year_overview(calendar: WorkdayCalendar, year: int) -> YearOverview:
    """The national holidays and make-up days of `year`; raises CalendarUnavailable."""
    blocks: list[HolidayBlock] = []
    makeup: list[dt.date] = []
    for day, kind in calendar.special_days(year):
        if kind == DayKind.WORKDAY:
            makeup.append(day)
        elif blocks and blocks[-1].last + dt.timedelta(days=1) == day:
            blocks[-1] = HolidayBlock(blocks[-1].first, day)
        else:
            blocks.append(HolidayBlock(day, day))
    source = calendar.sources.get(year, "chinesecalendar 软件包数据")
    return YearOverview(year, source, blocks, makeup, calendar.workdays_in_year(year))


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    n: int
    due: dt.date
    calendar_days: int
    #: Working days from today up to the deadline (negative once it has passed); None when
    #: today's year has no schedule.
    left_from_today: int | None


def deadline(calendar: WorkdayCalendar, start: dt.date, n: int, today: dt.date) -> Deadline:
    """The n-th working day after `start`; raises CalendarUnavailable."""
    due = calendar.add_workdays(start, n)
    try:
        left: int | None = calendar.workdays_between(today, due)
    except CalendarUnavailable:
        left = None
    return Deadline(start, n, due, (due - start).days, left)
