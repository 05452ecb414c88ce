"""The calendar the office works by: the national calendar plus its local adjustments."""

from __future__ import annotations

from gongkai.holidays.models import LocalAdjustment
from gongkai.workdays import DayKind, WorkdayCalendar, national_calendar


def office_calendar() -> WorkdayCalendar:
    local = {a.date: DayKind(a.kind) for a in LocalAdjustment.objects.all()}
    return national_calendar().with_overrides(local)
