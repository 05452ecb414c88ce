"""The official schedules kept in this repository (data/corrections.json): loading and checking.

One entry per State Council notice, keyed by the year it arranges. The file is checked as it is
loaded, so a typo (a make-up day on a weekday, a date in the wrong year, a misspelt key) stops
the calendar from loading instead of silently moving deadlines.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

_YEAR = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_KEYS = {"source", "holidays", "workdays"}


class ScheduleError(ValueError):
    """The schedule file is malformed or contradicts itself."""


@dataclass(frozen=True)
class YearSchedule:
    """One year's notice: every day off (weekend days inside a block included) and make-up day."""

    year: int
    source: str
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]


def _date(text: Any, where: str) -> dt.date:
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        raise ScheduleError(f"{where}: {text!r} is not a YYYY-MM-DD date")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScheduleError(f"{where}: {text!r} is not a valid date") from None


def _near(day: dt.date, year: int) -> bool:
    """A notice may reach into the December before or the January after (元旦 blocks do)."""
    return (
        day.year == year
        or (day.year == year - 1 and day.month == 12)
        or (day.year == year + 1 and day.month == 1)
    )


def _dates(entry: Mapping[str, Any], key: str, year: int) -> frozenset[dt.date]:
    values = entry.get(key, [])
    if not isinstance(values, list):
        raise ScheduleError(f"{year}.{key} must be a list of dates")
    days = [_date(v, f"{year}.{key}") for v in values]
    if len(set(days)) != len(days):
        raise ScheduleError(f"{year}.{key} lists a date twice")
    for day in days:
        if not _near(day, year):
            raise ScheduleError(f"{year}.{key}: {day} is outside the year {year}")
    return frozenset(days)


def _year(year_text: str, entry: Any) -> YearSchedule:
    if not _YEAR.fullmatch(year_text):
        raise ScheduleError(f"{year_text!r} is not a year")
    year = int(year_text)
    if not isinstance(entry, dict):
        raise ScheduleError(f"{year} must be an object")
    unknown = set(entry) - _KEYS
    if unknown:
        raise ScheduleError(f"{year}: unknown keys {sorted(unknown)}")
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ScheduleError(f"{year}: the notice must be named in 'source'")
    holidays = _dates(entry, "holidays", year)
    workdays = _dates(entry, "workdays", year)
    if not holidays:
        raise ScheduleError(f"{year}: no holidays listed")
    both = holidays & workdays
    if both:
        raise ScheduleError(f"{year}: {min(both)} is both a holiday and a make-up day")
    weekday_makeup = sorted(d for d in workdays if d.weekday() < 5)
    if weekday_makeup:
        raise ScheduleError(f"{year}: make-up day {weekday_makeup[0]} is not a weekend day")
    return YearSchedule(year, source.strip(), holidays, workdays)


def parse_schedules(data: Any) -> dict[int, YearSchedule]:
    """Check and convert the decoded JSON document `{"years": {"2025": {...}, ...}}`."""
    if not isinstance(data, dict) or not isinstance(data.get("years"), dict):
        raise ScheduleError('the file must hold an object {"years": {...}}')
    schedules = {s.year: s for s in (_year(k, v) for k, v in data["years"].items())}
    seen: dict[dt.date, int] = {}
    for schedule in schedules.values():
        for day in schedule.holidays | schedule.workdays:
            if day in seen:
                raise ScheduleError(f"{day} is listed by both {seen[day]} and {schedule.year}")
            seen[day] = schedule.year
    return schedules


def shipped_schedules() -> dict[int, YearSchedule]:
    """The schedules in gongkai/workdays/data/corrections.json."""
    path = resources.files("gongkai.workdays").joinpath("data/corrections.json")
    return parse_schedules(json.loads(path.read_text("utf-8")))
