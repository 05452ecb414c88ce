"""The working-day calendar and its arithmetic."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


class CalendarUnavailable(ValueError):
    """The calendar has no official schedule for the year a computation needs."""

    def __init__(self, year: int) -> None:
        super().__init__(f"工作日历缺少 {year} 年的放假安排 (no holiday schedule loaded for {year})")
        self.year = year


class DayKind(enum.StrEnum):
    HOLIDAY = "holiday"  # an official day off on a weekday (or a weekend inside a holiday)
    WORKDAY = "workday"  # a make-up working day on a weekend (调休上班)


@dataclass(frozen=True)
class WorkdayCalendar:
    """Working days for the years in `years`; `overrides` maps a date to its special status."""

    years: frozenset[int]
    overrides: Mapping[dt.date, DayKind] = field(default_factory=dict)

    def with_overrides(self, extra: Mapping[dt.date, DayKind]) -> WorkdayCalendar:
        """A copy with more overrides (e.g. the office's local holidays) laid on top."""
        return WorkdayCalendar(self.years, {**self.overrides, **extra})

    def _check(self, day: dt.date) -> None:
        if day.year not in self.years:
            raise CalendarUnavailable(day.year)

    def is_workday(self, day: dt.date) -> bool:
        self._check(day)
        special = self.overrides.get(day)
        if special is not None:
            return special is DayKind.WORKDAY
        return day.weekday() < 5

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after `start` (the start day itself is not counted)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        left = n
        while left:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after a, up to and including b; negative when b is before a."""
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        day = a
        while day < b:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def previous_workday(self, day: dt.date) -> dt.date:
        """`day` itself if it is a working day, else the last working day before it."""
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def workdays_in_year(self, year: int) -> int:
        start = dt.date(year, 1, 1)
        return self.workdays_between(start - dt.timedelta(days=1), dt.date(year, 12, 31))

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


def _corrections() -> dict[str, dict[str, list[str]]]:
    text = resources.files("gongkai.workdays").joinpath("data/corrections.json").read_text("utf-8")
    data: dict[str, dict[str, list[str]]] = json.loads(text)["years"]
    return data


def _dates(values: Iterable[str]) -> list[dt.date]:
    return [dt.date.fromisoformat(v) for v in values]


@cache
def national_calendar() -> WorkdayCalendar:
    """The official national calendar: chinesecalendar's data, then this repository's file.

    For a year present in the corrections file, the file's list replaces the package's for that
    year entirely, so a wrong entry in the package cannot survive a correction.
    """
    from chinese_calendar import constants

    overrides: dict[dt.date, DayKind] = {}
    years: set[int] = set()
    for day in constants.holidays:
        overrides[day] = DayKind.HOLIDAY
        years.add(day.year)
    for day in constants.workdays:
        overrides[day] = DayKind.WORKDAY
        years.add(day.year)
    for year_text, entry in _corrections().items():
        year = int(year_text)
        years.add(year)
        for day in [d for d in overrides if d.year == year]:
            del overrides[day]
        for day in _dates(entry.get("holidays", [])):
            overrides[day] = DayKind.HOLIDAY
        for day in _dates(entry.get("workdays", [])):
            overrides[day] = DayKind.WORKDAY
    # Weekend holidays need no override (a weekend is off anyway) but keep them: harmless.
    return WorkdayCalendar(frozenset(years), overrides)
