"""Periodic work of the document register, sent by beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="gongkai.publishing.refresh_interpretations")
def refresh_interpretations_task() -> int:
    """Compute the interpretation due dates that could not be computed before (a year the
    calendar's data has since gained; clock.refresh_open). Safe to run twice."""
    from gongkai.publishing.clock import refresh_open

    return refresh_open()
