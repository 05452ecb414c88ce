"""The background job that follows a calendar change: every registered hook recomputes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.holidays.calendar import office_calendar
from gongkai.holidays.hooks import recompute_hooks
from gongkai.jobs.models import Job, JobKind
from gongkai.jobs.runner import Progress, register


@register(JobKind.CALENDAR_RECOMPUTE)
def recompute_deadlines(job: Job, progress: Progress) -> dict[str, Any]:
    """Params: {"dates": ["YYYY-MM-DD", ...]}, the dates whose status changed."""
    changed = sorted({dt.date.fromisoformat(d) for d in job.params.get("dates", [])})
    # Read now, not when the job was queued: a later change must not be undone by this run.
    calendar = office_calendar()
    hooks = recompute_hooks()
    total = 0
    for done, hook in enumerate(hooks):
        progress(100 * done // len(hooks), f"正在重算期限（{done + 1}/{len(hooks)}）")
        total += hook(calendar, changed)
    return {"recomputed": total, "hooks": len(hooks)}
