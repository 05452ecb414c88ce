"""Who recomputes deadlines when the office changes the calendar.

An app whose records carry working-day deadlines registers one function here:
`fn(calendar, changed_dates) -> int`, which recomputes the open records whose deadline may
depend on the changed dates and returns how many it recomputed. It must be safe to run twice
(a job may be delivered twice), which holds when deadlines are derived from an event log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from gongkai.workdays import WorkdayCalendar

RecomputeHook = Callable[[WorkdayCalendar, list[dt.date]], int]

_HOOKS: list[RecomputeHook] = []


def register_recompute(fn: RecomputeHook) -> RecomputeHook:
    """Register a recompute function (usable as a decorator); registering twice is harmless."""
    if fn not in _HOOKS:
        _HOOKS.append(fn)
    return fn


def unregister_recompute(fn: RecomputeHook) -> None:
    if fn in _HOOKS:
        _HOOKS.remove(fn)


def recompute_hooks() -> tuple[RecomputeHook, ...]:
    return tuple(_HOOKS)
