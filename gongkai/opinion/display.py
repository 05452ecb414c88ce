"""How a clock reads on the pages: the time left to a deadline, or how late it is, in hours and
minutes (the clocks run in wall-clock hours, so days would hide what matters)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from gongkai.opinion.models import Stage


def span(delta: dt.timedelta) -> str:
    """ "3小时05分" for a positive or negative span (the sign is the caller's to say)."""
    minutes = int(abs(delta).total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours}小时{minutes:02d}分"
    return f"{hours}小时" if hours else f"{minutes}分钟"


@dataclass(frozen=True)
class Clock:
    """The next deadline of an event still open: its stage, and the time left or overdue."""

    stage: Stage
    left: dt.timedelta

    @property
    def overdue(self) -> bool:
        return self.left <= dt.timedelta(0)

    @property
    def text(self) -> str:
        return f"逾期{span(self.left)}" if self.overdue else f"还剩{span(self.left)}"


def next_clock(stages: Iterable[Stage], now: dt.datetime) -> Clock | None:
    """The earliest deadline among the stages not met yet (None when all are met)."""
    pending = [s for s in stages if s.met_at is None]
    if not pending:
        return None
    first = min(pending, key=lambda s: (s.deadline, s.pk))
    return Clock(first, first.deadline - now)


def stage_status(stage: Stage, now: dt.datetime) -> tuple[str, str]:
    """(text, css class) of one stage: met on time, met late, pending, or overdue."""
    if stage.met_at is not None:
        if stage.met_at > stage.deadline:
            return f"逾期完成（晚{span(stage.met_at - stage.deadline)}）", "late"
        return "按时完成", "ok"
    clock = Clock(stage, stage.deadline - now)
    return clock.text, "late" if clock.overdue else ""
