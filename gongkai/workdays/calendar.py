"""The working-day calendar and its arithmetic."""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from gongkai.workdays.schedules import YearSchedule, shipped_schedules

_DAY = dt.timedelta(days=1)


class CalendarUnavailable(ValueError):
    """The calendar has no official schedule for the year a computation needs."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"工作日历缺少 {year} 年的全国放假安排，无法按工作日计算；"
            f"国务院公布该年放假安排后，需由系统管理员补充日历数据"
        )
        self.year = year


class DayKind(enum.StrEnum):
    HOLIDAY = "holiday"  # an official day off on a weekday (or a weekend inside a holiday)
    WORKDAY = "workday"  # a make-up working day on a weekend (调休上班)


def _plain_date(day: dt.date) -> dt.date:
    # A datetime is a date, but never equal to one: it would miss every override and a
    # holiday would silently count as a working day.
    if isinstance(day, dt.datetime):
        raise TypeError("the working-day calendar takes dates, not datetimes")
    return day


@dataclass(frozen=True)
class WorkdayCalendar:
    """Working days for the years in `years`; `overrides` maps a date to its special status.

    `sources` names the notice each year's schedule comes from, where it is known.
    """

    years: frozenset[int]
    overrides: Mapping[dt.date, DayKind] = field(default_factory=dict)
    sources: Mapping[int, str] = field(default_factory=dict)

    def with_overrides(self, extra: Mapping[dt.date, DayKind]) -> WorkdayCalendar:
        """A copy with more overrides (e.g. the office's local holidays) laid on top."""
        return WorkdayCalendar(self.years, {**self.overrides, **extra}, self.sources)

    def _check(self, day: dt.date) -> None:
        if day.year not in self.years:
            raise CalendarUnavailable(day.year)

    def is_workday(self, day: dt.date) -> bool:
        self._check(_plain_date(day))
        special = self.overrides.get(day)
        if special is not None:
            return special == DayKind.WORKDAY
        return day.weekday() < 5

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after `start` (the start day itself is not counted)."""
        left = operator.index(n)  # a float would never reach zero
        if left < 0:
            raise ValueError("n must not be negative")
        day = _plain_date(start)
        while left:
            day += _DAY
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after a, up to and including b; negative when b is before a."""
        a, b = _plain_date(a), _plain_date(b)
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        day = a
        while day < b:
            day += _DAY
            if self.is_workday(day):
                count += 1
        return count

    def previous_workday(self, day: dt.date) -> dt.date:
        """`day` itself if it is a working day, else the last working day before it."""
        while not self.is_workday(day):
            day -= _DAY
        return day

    def workdays_in_year(self, year: int) -> int:
        start = dt.date(year, 1, 1)
        return self.workdays_between(start - _DAY, dt.date(year, 12, 31))

    def special_days(self, year: int) -> list[tuple[dt.date, DayKind]]:
        """The year's overridden dates in order: holidays and make-up days."""
        if year not in self.years:
            raise CalendarUnavailable(year)
        return sorted((d, k) for d, k in self.overrides.items() if d.year == year)

    @staticmethod
    def add_hours(moment: dt.datetime, hours: float) -> dt.datetime:
        """Wall-clock hours (the public-opinion clocks run in calendar hours, not working time).

        The moment must be time-zone aware: a naive time would silently take the server's zone.
        Arithmetic is done in UTC so a daylight-saving change cannot shift the result.
        """
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("add_hours needs an aware datetime")
        utc = moment.astimezone(dt.UTC) + dt.timedelta(hours=hours)
        return utc.astimezone(moment.tzinfo)


def build_calendar(
    package_holidays: Iterable[dt.date],
    package_workdays: Iterable[dt.date],
    schedules: Mapping[int, YearSchedule],
) -> WorkdayCalendar:
    """The national calendar from the package's lists overlaid by this repository's schedules.

    For a year in `schedules`, the file replaces the package for that year entirely, so a wrong
    entry in the package cannot survive a correction. The package covers a year when it lists
    that year's National Day: every notice has one, and a stray early-January date arranged by
    the previous year's notice must not make a whole year look known.
    """
    overrides: dict[dt.date, DayKind] = {}
    package_years: set[int] = set()
    for day in package_holidays:
        if day.month == 10 and day.day == 1:
            package_years.add(day.year)
        if day.year not in schedules:
            overrides[day] = DayKind.HOLIDAY
    for day in package_workdays:
        if day.year not in schedules:
            overrides[day] = DayKind.WORKDAY
    # Applied after all package entries are dropped, so a notice's date in a neighbouring
    # year (a 元旦 block starting in December) survives whatever order the years come in.
    for schedule in schedules.values():
        overrides.update(dict.fromkeys(schedule.holidays, DayKind.HOLIDAY))
        overrides.update(dict.fromkeys(schedule.workdays, DayKind.WORKDAY))
    return WorkdayCalendar(
        frozenset(package_years | set(schedules)),
        MappingProxyType(overrides),
        MappingProxyType({year: s.source for year, s in schedules.items()}),
    )


@cache
def national_calendar() -> WorkdayCalendar:
    """The official national calendar: chinesecalendar's data, then this repository's file."""
    from chinese_calendar import constants

    return build_calendar(constants.holidays, constants.workdays, shipped_schedules())
