"""China's official working-day calendar, as a library with no Django import.

A working day is Monday–Friday, minus official holidays, plus weekend make-up days (调休).
Data comes from the `chinesecalendar` package, overlaid by `data/corrections.json` in this
repository (the authoritative schedules for the years it lists, checked as they load; see
README.md for adding a year), overlaid by any local adjustments the caller passes in. A date in
a year with no data raises CalendarUnavailable: never a guess.
"""

from __future__ import annotations

from gongkai.workdays.calendar import (
    CalendarUnavailable,
    DayKind,
    WorkdayCalendar,
    national_calendar,
)

__all__ = ["CalendarUnavailable", "DayKind", "WorkdayCalendar", "national_calendar"]
