"""Periodic work of 网站检查, sent by beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="gongkai.inspection.start_due")
def start_due_task() -> int:
    """Start the scheduled inspections whose time has come (schedule.start_due); safe to run
    twice, since each site's next run is claimed by one conditional UPDATE."""
    from gongkai.inspection.schedule import start_due

    return start_due()
