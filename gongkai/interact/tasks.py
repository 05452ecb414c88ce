"""Periodic work of 互动交流, sent by beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="gongkai.interact.raise_alarms")
def raise_alarms_task() -> int:
    """Stamp the 60-day alarm on questions still unanswered (clock.raise_alarms); safe to run
    twice, since each question is stamped by one conditional UPDATE."""
    from gongkai.interact.clock import raise_alarms

    return raise_alarms()
